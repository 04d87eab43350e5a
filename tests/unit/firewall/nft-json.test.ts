// Reading `nft -j list …` output back, in the shape nftables 1.0.6 prints it, and comparing it to the model.
import { describe, expect, it } from 'vitest';
import { BurrowError } from '../../../app/domain/errors.js';
import { compareTable, describeTable, parseNftTableJson } from '../../../app/firewall/index.js';

const listing = (items: unknown[]): string =>
  JSON.stringify({ nftables: [{ metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } }, ...items] });

const table = { table: { family: 'inet', name: 'burrow', handle: 5 } };
const chain = (name: string, hook: string, policy = 'drop', type = 'filter', prio = 0): unknown => ({
  chain: { family: 'inet', table: 'burrow', name, handle: 1, type, hook, prio, policy },
});
const counter = (name: string, packets: number): unknown => ({ counter: { family: 'inet', name, table: 'burrow', handle: 4, packets, bytes: packets * 60 } });
const rule = (chainName: string): unknown => ({ rule: { family: 'inet', table: 'burrow', chain: chainName, handle: 7, expr: [{ accept: null }] } });

describe('parseNftTableJson', () => {
  it('reads table, chains with their hooks and policies, rule counts and counters', () => {
    const state = parseNftTableJson(
      listing([table, counter('blocked_out', 3), counter('blocked_dns', 1), chain('output', 'output'), chain('nat_output', 'output', 'accept', 'nat', -100), rule('output'), rule('output'), rule('nat_output')]),
    );
    expect(state.exists).toBe(true);
    expect(state.chains.output).toEqual({ type: 'filter', hook: 'output', priority: 0, policy: 'drop', rules: 2 });
    expect(state.chains.nat_output).toEqual({ type: 'nat', hook: 'output', priority: -100, policy: 'accept', rules: 1 });
    expect(state.counters).toEqual({ blocked_out: { packets: 3, bytes: 180 }, blocked_dns: { packets: 1, bytes: 60 } });
  });

  it('ignores other tables, other families, sets and metainfo (a whole `list ruleset`)', () => {
    const state = parseNftTableJson(
      listing([
        { table: { family: 'ip', name: 'burrow', handle: 1 } },
        { table: { family: 'inet', name: 'filter', handle: 2 } },
        { chain: { family: 'inet', table: 'filter', name: 'output', handle: 1, type: 'filter', hook: 'output', prio: 0, policy: 'accept' } },
        { counter: { family: 'ip', table: 'burrow', name: 'blocked_out', handle: 1, packets: 9, bytes: 9 } },
        { set: { family: 'inet', table: 'burrow', name: 'lan', type: 'ipv4_addr', handle: 3 } },
      ]),
    );
    expect(state).toEqual({ exists: false, chains: {}, counters: {} });
  });

  it('reads an empty listing (nft printed nothing: no table) as absent', () => {
    expect(parseNftTableJson('')).toEqual({ exists: false, chains: {}, counters: {} });
    expect(parseNftTableJson('  \n')).toEqual({ exists: false, chains: {}, counters: {} });
  });

  it('refuses text that is not nft JSON', () => {
    expect(() => parseNftTableJson('table inet burrow {')).toThrow(BurrowError);
    expect(() => parseNftTableJson('{"tables": []}')).toThrow(/expected "nftables" list/);
  });
});

describe('compareTable', () => {
  const model = describeTable({ kind: 'block', allowLan: false });
  if (model === null) throw new Error('block has a table');
  const inPlace = (): unknown[] => [
    table,
    ...model.counters.map((name) => counter(name, 0)),
    ...model.chains.flatMap((c) => [chain(c.name, c.hook, c.policy, c.type, c.priority), ...c.rules.map(() => rule(c.name))]),
  ];

  it('finds nothing wrong when the table is as meant', () => {
    expect(compareTable(model, parseNftTableJson(listing(inPlace())))).toEqual([]);
  });

  it('reports a missing table, a wrong policy, a missing or extra rule, chain and counter', () => {
    expect(compareTable(model, parseNftTableJson(''))).toEqual(['table inet burrow does not exist']);
    const tampered = inPlace().filter((item) => JSON.stringify(item) !== JSON.stringify(counter('blocked_dns', 0)));
    tampered.push(rule('input'), chain('sneaky', 'output', 'accept'));
    const outputChain = tampered.findIndex((item) => JSON.stringify(item) === JSON.stringify(chain('output', 'output')));
    tampered[outputChain] = chain('output', 'output', 'accept');
    expect(compareTable(model, parseNftTableJson(listing(tampered)))).toEqual([
      'chain output has policy accept, expected drop',
      `chain input has ${(model.chains[1]?.rules.length ?? 0) + 1} rules, expected ${model.chains[1]?.rules.length ?? 0}`,
      'unexpected chain sneaky',
      'counter blocked_dns is missing',
    ]);
  });

  it('for open, only the absence of the table counts', () => {
    expect(compareTable(null, parseNftTableJson(''))).toEqual([]);
    expect(compareTable(null, parseNftTableJson(listing([table])))).toEqual(['table inet burrow still exists']);
  });
});
