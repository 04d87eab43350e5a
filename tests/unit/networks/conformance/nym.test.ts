// Conformance: Burrow's Nym driver against what nym-socks5-client 1.1.76 really does (nym-fixtures.ts, read
// from nymtech/nym nym-binaries-v2026.9-venaco). Each block is one mismatch of issue 14; each test failed on
// the driver as it was before the fix that names it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initArgv, runArgv } from '../../../../app/networks/nym/client-argv.js';
import { ClientRecords, applyMixing, classifyLine, parseInitOutput } from '../../../../app/networks/nym/client-files.js';
import { checkClientVersion, SUPPORTED_CLIENTS } from '../../../../app/networks/nym/client-version.js';
import { mixingCost } from '../../../../app/networks/nym/config.js';
import { parseNymCli } from '../../../lab/standins/nym-cli.js';
import { readAveragePacketDelay } from '../../../lab/standins/nym-config.js';
import { CLAP_RUN_NO_BANNER, CONFIG_TOML, INIT_GATEWAY, INIT_JSON, INIT_OUTPUT, RATES, RUN_LINES, VERSION_LONG, VERSION_SHORT } from './nym-fixtures.js';

const PROVIDER = '7tW9GmRGbX5kUt3JgvBqQpbHyPWrRXCnvqc2jpoZ6BGQ.Bp1M5y1uhW1GqtcuTcWPoDcUnsaAarTuhZX3kEChWgRv@E3mvZTHQCdBvhfr178Swx9g4QG3kkRUun7YnToLMcMbM';
const config = { provider: PROVIDER, gateway: undefined, nymApis: [], socksPort: 1080, coverTraffic: true, averagePacketDelayMs: 15 };

describe('init -o json: `address` is 96 numbers, `client_address` the string', () => {
  it('the summary of a successful init is read, not taken for a failure', () => {
    expect((JSON.parse(INIT_JSON) as { address: unknown[] }).address).toHaveLength(96);
    const parsed = parseInitOutput(INIT_OUTPUT);
    expect(parsed?.gateway_id).toBe(INIT_GATEWAY.id);
    expect(parsed?.gateway_listener).toBe(INIT_GATEWAY.listener);
  });

  it('the record Burrow keeps of it is found again (no orphaned client, no second registration)', () => {
    const records = new ClientRecords(mkdtempSync(join(tmpdir(), 'burrow-conf-')));
    const parsed = parseInitOutput(INIT_OUTPUT);
    if (parsed === undefined) throw new Error('init output not read');
    records.write(parsed);
    expect(records.read(parsed.id)?.gateway_id).toBe(INIT_GATEWAY.id);
  });
});

describe('clap: `--no-banner` belongs to the top level, not to `run`', () => {
  it('the surface model answers the misplaced flag as clap does (exit 2, its message)', () => {
    expect(parseNymCli(CLAP_RUN_NO_BANNER.argv)).toEqual({ ok: false, code: CLAP_RUN_NO_BANNER.code, stderr: CLAP_RUN_NO_BANNER.stderr });
  });

  it('Burrow\'s init and run command lines are accepted by upstream\'s surface', () => {
    for (const argv of [initArgv('burrow-x', config), initArgv('burrow-x', { ...config, gateway: INIT_GATEWAY.id, nymApis: ['http://10.1.90.3:8080/'] }), runArgv('burrow-x', config), runArgv('burrow-x', { ...config, coverTraffic: false })]) {
      const result = parseNymCli(argv);
      expect(result, argv.join(' ')).toMatchObject({ ok: true });
    }
  });
});

describe('config.toml: no [core.debug.traffic] in the template, the delay is a {secs, nanos} table', () => {
  it('the delay Burrow writes is the delay the client reads (not refused, not silently the default)', () => {
    for (const delay of [15, 50, 0.5]) {
      const file = join(mkdtempSync(join(tmpdir(), 'burrow-conf-')), 'config.toml');
      writeFileSync(file, CONFIG_TOML);
      applyMixing(file, { averagePacketDelayMs: delay });
      const text = readFileSync(file, 'utf8');
      expect(readAveragePacketDelay(text), `${delay} ms`).toEqual({ ok: true, delayMs: delay, fromDefault: false });
      // Nothing else of the file changed.
      expect(text.replace(/\n\[core\.debug\.traffic\][^[]*/, '\n')).toContain(CONFIG_TOML.trim().split('\n').slice(0, 20).join('\n'));
    }
  });
});

describe('--version: the supported range is checked before anything runs', () => {
  it('1.1.76 in both of clap\'s version outputs is supported', () => {
    expect(checkClientVersion(VERSION_SHORT)).toBe('1.1.76');
    expect(checkClientVersion(VERSION_LONG)).toBe('1.1.76');
  });

  it('clients outside the range are refused with a sentence naming both versions', () => {
    for (const old of ['nym-socks5-client 1.1.55\n', 'nym-socks5-client 1.2.0\n']) {
      expect(() => checkClientVersion(old)).toThrow(new RegExp(`${old.split(' ')[1]?.trim().replace(/\./g, '\\.')}.*${SUPPORTED_CLIENTS.min.replace(/\./g, '\\.')}`));
    }
    expect(() => checkClientVersion('garbage')).toThrow(/could not tell which version/);
  });
});

describe('cover traffic: what it really costs', () => {
  it('the main Poisson stream plus the loop stream, about 55 packets/s, about 110 KiB/s each way', () => {
    const perSecond = 1000 / RATES.messageSendingAverageDelayMs + 1000 / RATES.loopCoverAverageDelayMs;
    const cost = mixingCost({ averagePacketDelayMs: 15, coverTraffic: true });
    expect(cost.coverBytesPerSecond).toBe(Math.round(perSecond * RATES.packetBytes));
    expect(cost.summary).toMatch(/110 KiB\/s each way/);
    expect(mixingCost({ averagePacketDelayMs: 15, coverTraffic: false }).coverBytesPerSecond).toBe(0);
  });
});

describe('run\'s log lines in tracing\'s format', () => {
  it('readiness, bind failure and exit failures are recognised (colours or not)', () => {
    expect(classifyLine(RUN_LINES.listening)).toEqual({ kind: 'listening', host: '127.0.0.1', port: 1080 });
    expect(classifyLine(RUN_LINES.startup)).toEqual({ kind: 'startup-finished' });
    // eslint-disable-next-line no-control-regex -- the colour codes tracing writes, stripped as HelperProcess does
    expect(classifyLine(RUN_LINES.startupColoured.replace(/\u001b\[[0-9;]*m/g, ''))).toEqual({ kind: 'startup-finished' });
    expect(classifyLine(RUN_LINES.bindFailed)?.kind).toBe('bind-failed');
    expect(classifyLine(RUN_LINES.exitFailed)).toMatchObject({ kind: 'exit-failed', connection: 7, text: 'connection refused' });
  });

  it('a gateway that is gone is told apart from other failures (so Burrow can choose another one)', () => {
    for (const line of [RUN_LINES.gatewayUnreachable, RUN_LINES.gatewayUnreachableStdout, RUN_LINES.gatewayTimeout, RUN_LINES.gatewayClosed]) {
      expect(classifyLine(line)?.kind, line).toBe('gateway-lost');
    }
  });
});
