// The commands that talk to a running host over the control socket.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { BurrowError, LEAK_TESTS, NetworkKindSchema, type LeakTestKind } from '../domain/index.js';
import { MAX_PROFILE_BYTES, type CommandRequest, type ContractClient } from '../contract/index.js';
import { defaultControlPath } from '../host/control-server.js';
import { connectControl } from './control-client.js';
import { formatComparison, formatMeasureResult, formatProgress } from './compare-output.js';
import { formatProfiles, formatSettings, formatState, statusSummary } from './format.js';
import { EXIT, printJson, reportError, UsageError } from './output.js';
import { runDvpn, runNym } from './network-commands.js';
import { formatProbe, formatSmart } from './probe-output.js';
import { parseSettingsAssignments } from './settings-args.js';

interface Invocation {
  client: ContractClient;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  json: boolean;
}

type Runner = (call: Invocation) => Promise<number>;

/** Print a result: the data itself with --json, else the text. */
function answer(json: boolean, data: unknown, text: string): number {
  if (json) printJson(data);
  else process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

function readProfileFile(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new BurrowError('not_found', `Cannot read ${path}: no such file.`);
  }
  if (size > MAX_PROFILE_BYTES) throw new BurrowError('invalid_profile', `${basename(path)} is ${size} bytes; profile files are at most 64 KiB.`);
  return readFileSync(path, 'utf8');
}

function wholeNumber(value: string | boolean | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} takes a whole number.`);
  return n;
}

/** `leaktest --tests killSwitch,dns`: only those (the kill-switch probe runs only when named). */
function leakTestRequest(tests: string | boolean | undefined): CommandRequest<'runLeakTest'> {
  if (typeof tests !== 'string') return {};
  const names = tests.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(LEAK_TESTS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--tests takes a comma-separated list of ${LEAK_TESTS.join(', ')}.`);
  return { tests: names as LeakTestKind[] };
}

/** `compare --measure` flags as a measureAll request (the host checks the ranges). */
function measureRequest(values: Invocation['values']): CommandRequest<'measureAll'> {
  const method = values.method;
  if (method !== undefined && method !== 'auto' && method !== 'http' && method !== 'iperf3') throw new UsageError('--method takes auto, http or iperf3.');
  const samples = wholeNumber(values.samples, '--samples');
  const seconds = wholeNumber(values.seconds, '--seconds');
  return {
    ...(typeof values.profiles === 'string' ? { profiles: values.profiles.split(',').map((id) => id.trim()).filter(Boolean) } : {}),
    ...(samples === undefined ? {} : { samples }),
    ...(seconds === undefined ? {} : { throughputSeconds: seconds }),
    ...(method === undefined ? {} : { method }),
    ...(typeof values.iperf3 === 'string' ? { iperf3: values.iperf3 } : {}),
    // "No tunnel" is measured by default; --no-baseline skips it (--baseline is kept for old scripts).
    ...(values['no-baseline'] === true ? { baseline: false } : values.baseline === true ? { baseline: true } : {}),
    ...(values.leaks === true ? { leaks: true } : {}),
  };
}

const runners: Record<string, Runner> = {
  async status({ client, json }) {
    const snapshot = await client.getSnapshot();
    const summary = statusSummary(snapshot.state, snapshot.settings);
    const lines = [formatState(snapshot.state), `Kill switch ${summary.killSwitch ? 'on' : 'off'}, lockdown ${summary.lockdown ? 'on' : 'off'}`];
    for (const notice of snapshot.notices) lines.push(`! ${notice.message}`);
    return answer(json, summary, lines.join('\n'));
  },
  async profile({ client, positionals, values, json }) {
    const [action, argument] = positionals;
    if (action === 'list' || action === undefined) {
      const profiles = await client.listProfiles();
      return answer(json, profiles, formatProfiles(profiles));
    }
    if (action === 'import') {
      if (!argument) throw new UsageError('profile import needs a FILE.');
      const network = values.network === undefined ? undefined : NetworkKindSchema.safeParse(values.network);
      if (network && !network.success) throw new UsageError(`--network takes wireguard, tor, nym or dvpn.`);
      const profile = await client.importProfile({
        content: readProfileFile(argument),
        fileName: basename(argument),
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
        ...(network?.success ? { network: network.data } : {}),
      });
      return answer(json, profile, `Imported "${profile.name}" (${profile.id}).`);
    }
    if (action === 'remove') {
      if (!argument) throw new UsageError('profile remove needs an ID.');
      const result = await client.removeProfile({ id: argument });
      return answer(json, result, `Removed ${result.removed}.`);
    }
    throw new UsageError(`Unknown profile action "${action}". Use list, import or remove.`);
  },
  async connect({ client, positionals, values, json }) {
    if (values.smart === true) {
      if (positionals[0] !== undefined) throw new UsageError('connect --smart picks the profile itself; leave the profile out.');
      const goal = values.goal;
      if (goal !== undefined && goal !== 'fastest' && goal !== 'anonymous') throw new UsageError('--goal takes fastest or anonymous.');
      const result = await client.smartConnect(goal === undefined ? {} : { goal });
      if (json) printJson(result);
      else process.stdout.write(`${formatSmart(result)}\n`);
      return result.rung === undefined ? EXIT.failed : EXIT.ok;
    }
    const state = await client.connect({ ...(positionals[0] ? { profile: positionals[0] } : {}), wait: values['no-wait'] !== true });
    if (state.state === 'error') {
      if (json) printJson({ error: state.cause, state });
      else process.stderr.write(`burrow: ${formatState(state)}\n`);
      return EXIT.failed;
    }
    return answer(json, state, formatState(state));
  },
  async disconnect({ client, json }) {
    const state = await client.disconnect();
    return answer(json, state, formatState(state));
  },
  async settings({ client, positionals, json }) {
    if (positionals[0] === 'set') {
      const settings = await client.updateSettings(parseSettingsAssignments(positionals.slice(1)));
      return answer(json, settings, formatSettings(settings));
    }
    if (positionals.length > 0 && positionals[0] !== 'show') throw new UsageError('Use: burrow settings [show] | settings set KEY=VALUE ...');
    const { settings } = await client.getSnapshot();
    return answer(json, settings, formatSettings(settings));
  },
  async leaktest({ client, values, json }) {
    const result = await client.runLeakTest(leakTestRequest(values.tests));
    return answer(json, result, result.verdicts.map((verdict) => `${verdict.test.padEnd(12)} ${verdict.verdict.padEnd(10)} ${verdict.summary}`).join('\n'));
  },
  async compare({ client, values, json }) {
    if (values.measure !== true) {
      const comparison = await client.getComparison();
      return answer(json, comparison, formatComparison(comparison, values.facts === true));
    }
    const request = measureRequest(values);
    const stopListening = client.on('measureProgress', (progress) => {
      if (!json) process.stderr.write(`${formatProgress(progress)}\n`);
    });
    // Ctrl-C cancels the run; the host still returns the tunnel to where it was, then answers.
    const cancel = (): void => void client.cancelMeasurement().catch(() => undefined);
    process.once('SIGINT', cancel);
    try {
      const measured = await client.measureAll(request);
      const comparison = await client.getComparison();
      if (json) printJson({ measured, comparison });
      else process.stdout.write(`${formatMeasureResult(measured)}\n\n${formatComparison(comparison, values.facts === true)}\n`);
      return measured.cancelled ? EXIT.failed : EXIT.ok;
    } finally {
      process.off('SIGINT', cancel);
      stopListening();
    }
  },
  async history({ client, values, json }) {
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !Number.isInteger(limit)) throw new UsageError('--limit takes a whole number.');
    const history = await client.getHistory(limit === undefined ? {} : { limit });
    const text = history.connections
      .map((entry) => `${entry.startedAt}  ${entry.profileName.padEnd(20)} ${entry.outcome}${entry.error ? `: ${entry.error}` : ''}`)
      .join('\n');
    return answer(json, history, text || 'No connections yet.');
  },
  async logs({ client, values, json }) {
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && !Number.isInteger(limit)) throw new UsageError('--limit takes a whole number.');
    const logs = await client.getLogs(limit === undefined ? {} : { limit });
    return answer(json, logs, logs.map((entry) => `${entry.at} ${entry.level.padEnd(5)} [${entry.source}] ${entry.message}`).join('\n'));
  },
  dvpn: runDvpn,
  nym: runNym,
  async probe({ client, positionals, json }) {
    const result = await client.probe(positionals[0] === undefined ? {} : { profile: positionals[0] });
    return answer(json, result, formatProbe(result.verdicts));
  },
};

export function isClientCommand(name: string): boolean {
  return Object.hasOwn(runners, name);
}

export async function runClientCommand(name: string, argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean' },
        control: { type: 'string' },
        name: { type: 'string' },
        network: { type: 'string' },
        limit: { type: 'string' },
        'no-wait': { type: 'boolean' },
        measure: { type: 'boolean' },
        facts: { type: 'boolean' },
        profiles: { type: 'string' },
        samples: { type: 'string' },
        seconds: { type: 'string' },
        method: { type: 'string' },
        iperf3: { type: 'string' },
        baseline: { type: 'boolean' },
        'no-baseline': { type: 'boolean' },
        leaks: { type: 'boolean' },
        tests: { type: 'string' },
        smart: { type: 'boolean' },
        goal: { type: 'string' },
        wait: { type: 'string' },
        country: { type: 'string' },
        keystore: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
    const runner = runners[name];
    if (!runner) throw new UsageError(`Unknown command "${name}".`);
    const control = await connectControl(values.control ?? defaultControlPath());
    try {
      return await runner({ client: control.client, positionals, values, json });
    } finally {
      control.close();
    }
  } catch (error) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      return reportError(new UsageError(error.message), json);
    }
    return reportError(error, json);
  }
}
