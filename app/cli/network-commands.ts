// `burrow dvpn …` and `burrow nym …`: a profile's network-specific side (the Mysterium identity, its
// registration, the node; the Nym mixing settings), each one contract command. A keystore passphrase is read
// from standard input, never from argv (it would show in `ps` and in shell history).
import { readFileSync, statSync } from 'node:fs';
import { BurrowError } from '../domain/index.js';
import { MAX_KEYSTORE_BYTES, type ContractClient, type DvpnIdentity, type DvpnNodes, type NymSettings } from '../contract/index.js';
import { EXIT, printJson, UsageError } from './output.js';

export interface NetworkInvocation {
  client: ContractClient;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  json: boolean;
}

function answer(json: boolean, data: unknown, text: string): number {
  if (json) printJson(data);
  else process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

const myst = (value: number | null, unit: string): string => (value === null ? 'unknown' : `${Number(value.toFixed(6))} ${unit}`);

export function formatIdentity(identity: DvpnIdentity): string {
  return [
    `Identity     ${identity.id}${identity.source === 'profile' ? ' (named by the profile)' : ' (myst\'s default)'}`,
    `Registration ${identity.registrationStatus}${identity.mayConnect ? '' : ' — cannot connect yet'}`,
    `Balance      ${myst(identity.balanceMyst, 'MYST')}`,
    identity.hint,
  ].join('\n');
}

export function formatNodes(nodes: DvpnNodes['nodes']): string {
  if (nodes.length === 0) return 'No node on offer.';
  const rows = nodes.map((node) =>
    [node.providerId, `${node.country}${node.city === '' ? '' : ` ${node.city}`}`, myst(node.pricePerGib, '/GiB'), myst(node.pricePerHour, '/h'), node.quality === null ? '–' : node.quality.toFixed(1), node.latencyMs === null ? '–' : `${Math.round(node.latencyMs)} ms`].join('  '),
  );
  return ['Node  Where  MYST per GiB  MYST per hour  Quality (0–3)  Latency', ...rows].join('\n');
}

export function formatNymSettings(settings: NymSettings): string {
  const lines = [
    `Mixing delay  ${settings.averagePacketDelayMs} ms mean per hop (stated: about +${settings.stated.addedRoundTripMs} ms per round trip)`,
    `Cover traffic ${settings.coverTraffic ? `on (stated: about ${settings.stated.coverPacketsPerSecond} packets/s, ${settings.stated.coverKibPerSecond} KiB/s each way, idle or not)` : 'off (the client sends only when you do)'}`,
  ];
  const m = settings.measured;
  lines.push(
    m === null
      ? 'Measured      never (run: burrow compare --measure)'
      : `Measured      ${m.rttMs === null ? '' : `round trip ${Math.round(m.rttMs)} ms${m.baselineRttMs === null ? '' : ` (+${Math.round(m.rttMs - m.baselineRttMs)} ms over no tunnel)`}`}${m.throughputMbps === null ? '' : `, ${m.throughputMbps} Mbit/s`} on ${m.measuredAt} (the settings then are not recorded)`,
  );
  return lines.join('\n');
}

/** A passphrase from standard input: its first line (typed without echo on a terminal). */
async function readPassphrase(): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    process.stderr.write('Passphrase of the keystore file: ');
    stdin.setRawMode(true);
  }
  let text = '';
  try {
    for await (const chunk of stdin) {
      text += String(chunk);
      if (text.includes('\n') || text.includes('\r') || text.includes('\u0003')) break;
    }
  } finally {
    if (stdin.isTTY) {
      stdin.setRawMode(false);
      process.stderr.write('\n');
    }
    stdin.pause();
  }
  if (text.includes('\u0003')) throw new UsageError('Cancelled.');
  const passphrase = text.split(/\r?\n|\r/)[0] ?? '';
  if (passphrase === '') throw new UsageError('dvpn import-identity reads the keystore file\'s passphrase from standard input; it got none.');
  return passphrase;
}

function readKeystore(path: string | boolean | undefined): string {
  if (typeof path !== 'string') throw new UsageError('dvpn import-identity needs --keystore FILE (myst keeps them as keystore/UTC--<date>--<address>).');
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new BurrowError('not_found', `Cannot read ${path}: no such file.`);
  }
  if (size > MAX_KEYSTORE_BYTES) throw new BurrowError('invalid_request', `${path} is ${size} bytes; a keystore file is at most 64 KiB.`);
  return readFileSync(path, 'utf8');
}

function seconds(value: string | boolean | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError('--wait takes a whole number of seconds.');
  return n;
}

export async function runDvpn({ client, positionals, values, json }: NetworkInvocation): Promise<number> {
  const [action, profile, argument] = positionals;
  if (profile === undefined) throw new UsageError('Use: burrow dvpn identity|register|nodes|node|import-identity PROFILE …');
  switch (action) {
    case 'identity': {
      const identity = await client.dvpnIdentity({ profile });
      return answer(json, identity, formatIdentity(identity));
    }
    case 'register': {
      const stop = client.on('dvpnRegistration', (step) => {
        if (!json) process.stderr.write(`… ${step.message}\n`);
      });
      try {
        const wait = seconds(values.wait);
        const result = await client.registerDvpnIdentity({ profile, ...(wait === undefined ? {} : { waitSeconds: wait }) });
        return answer(json, result, `Registration: ${result.outcome}\n${formatIdentity(result.identity)}`);
      } finally {
        stop();
      }
    }
    case 'nodes': {
      const country = typeof values.country === 'string' ? values.country.toUpperCase() : undefined;
      const nodes = await client.listDvpnNodes({ profile, ...(country === undefined ? {} : { country }) });
      return answer(json, nodes, `${formatIdentity(nodes.identity)}\n\n${formatNodes(nodes.nodes)}`);
    }
    case 'node': {
      if (argument === undefined) throw new UsageError('Use: burrow dvpn node PROFILE 0x…(provider) | best');
      const summary = await client.updateProfile({ profile, dvpn: { node: argument === 'best' ? null : argument } });
      return answer(json, summary, `${summary.name}: node ${String(summary.details.node)} (from the next connect).`);
    }
    case 'import-identity': {
      const keystore = readKeystore(values.keystore);
      const result = await client.importDvpnIdentity({ profile, keystore, passphrase: await readPassphrase() });
      return answer(json, result, `Imported. ${result.profile.name} now uses it.\n${formatIdentity(result.identity)}`);
    }
    default:
      throw new UsageError(`Unknown dvpn action "${action ?? ''}". Use identity, register, nodes, node or import-identity.`);
  }
}

function onOff(value: string): boolean {
  if (/^(on|true|yes|1)$/i.test(value)) return true;
  if (/^(off|false|no|0)$/i.test(value)) return false;
  throw new UsageError(`cover takes on or off, not "${value.slice(0, 20)}".`);
}

export async function runNym({ client, positionals, json }: NetworkInvocation): Promise<number> {
  const [action, profile, ...assignments] = positionals;
  if (profile === undefined || (action !== 'show' && action !== 'set')) throw new UsageError('Use: burrow nym show PROFILE | nym set PROFILE delay=MS cover=on|off');
  if (action === 'set') {
    const nym: { averagePacketDelayMs?: number; coverTraffic?: boolean } = {};
    for (const assignment of assignments) {
      const [key = '', value = ''] = assignment.split('=', 2);
      if (key === 'delay' && /^\d+(\.\d+)?(ms)?$/.test(value)) nym.averagePacketDelayMs = Number(value.replace(/ms$/, ''));
      else if (key === 'cover') nym.coverTraffic = onOff(value);
      else throw new UsageError(`"${assignment.slice(0, 40)}": nym set takes delay=MS (mean per mix hop) and cover=on|off.`);
    }
    if (Object.keys(nym).length === 0) throw new UsageError('nym set needs delay=MS or cover=on|off.');
    await client.updateProfile({ profile, nym });
  }
  const settings = await client.nymSettings({ profile });
  return answer(json, settings, formatNymSettings(settings));
}
