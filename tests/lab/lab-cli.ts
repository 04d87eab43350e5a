// `npm run lab -- up|down|status`: the lab for a person. `up` leaves the lab running after it returns;
// `down` removes every lab on this machine (or one, by prefix), including those of killed runs.
import { parseArgs } from 'node:util';
import { startLab } from './lab.js';
import { readdirSync } from 'node:fs';
import { NAMESPACE_PATTERN } from './addresses.js';
import {
  cleanupLeftovers, listNamespaces, namespacePids, readCmdline, staleNetnsConfigs, teardownState, type TeardownReport,
} from './teardown.js';
import { STATE_ROOT, listStates, ownerAlive, readState } from './run-state.js';
import { describeLab, writeSummary } from './summary.js';

const USAGE = `usage: npm run lab -- up [--no-tor] [--no-vpn] [--json]
       npm run lab -- down [PREFIX]
       npm run lab -- status [--json]
       npm run lab -- check      (exit 1 if any lab namespace, process or state is left: for CI)`;

function printReports(reports: TeardownReport[]): void {
  if (reports.length === 0) console.log('no lab to remove');
  for (const r of reports) {
    const left = r.survivors.length + r.namespacesLeft.length;
    console.log(`removed lab ${r.prefix}: ${r.killed} processes stopped${left > 0 ? `, LEFT BEHIND: ${[...r.survivors, ...r.namespacesLeft].join(' ')}` : ''}`);
  }
}

/** Everything of any lab run still on the machine, found from the system, not from state files alone. */
function leftoversOnMachine(): string[] {
  const namespaces = listNamespaces().filter((ns) => NAMESPACE_PATTERN.test(ns));
  const processes = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .map((d) => ({ pid: Number(d), cmdline: readCmdline(Number(d)) }))
    .filter((p) => p.cmdline.includes(`${STATE_ROOT}/`));
  return [
    ...listStates().map((s) => `state of lab ${s.prefix} (${s.dir})`),
    ...namespaces.map((ns) => `namespace ${ns}`),
    ...namespaces.flatMap((ns) => namespacePids(ns).map((pid) => `process ${pid} in ${ns}: ${readCmdline(pid)}`)),
    ...processes.map((p) => `process ${p.pid}: ${p.cmdline}`),
    ...staleNetnsConfigs().map((ns) => `/etc/netns/${ns}`),
  ];
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'no-tor': { type: 'boolean' }, 'no-vpn': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, target] = positionals;
  if (values.help === true || command === undefined) {
    console.log(USAGE);
    return command === undefined && values.help !== true ? 2 : 0;
  }
  if (command === 'up') {
    const lab = await startLab({
      tor: values['no-tor'] !== true,
      vpn: values['no-vpn'] !== true,
      persistent: true,
      log: (m) => console.error(m),
    });
    const summary = writeSummary(lab);
    console.log(values.json === true ? JSON.stringify(summary, null, 2) : describeLab(summary));
    console.log(values.json === true ? '' : `take it down with: npm run lab -- down ${lab.prefix}`);
    return 0;
  }
  if (command === 'down') {
    if (target !== undefined) {
      const state = readState(target);
      if (state === undefined) {
        console.error(`no lab ${target} (see npm run lab -- status)`);
        return 1;
      }
      printReports([teardownState(state)]);
    } else printReports(cleanupLeftovers({ all: true }));
    return 0;
  }
  if (command === 'status') {
    const present = new Set(listNamespaces());
    const labs = listStates().map((s) => ({
      prefix: s.prefix,
      createdAt: s.createdAt,
      dir: s.dir,
      owner: s.owner.persistent ? 'persistent (lab up)' : ownerAlive(s.owner) ? `pid ${s.owner.pid}` : 'gone (leftover)',
      namespaces: s.namespaces.filter((ns) => present.has(ns)),
      processes: s.namespaces.filter((ns) => present.has(ns)).flatMap(namespacePids).length,
    }));
    if (values.json === true) console.log(JSON.stringify(labs, null, 2));
    else if (labs.length === 0) console.log('no lab is running');
    else for (const l of labs) console.log(`${l.prefix}  since ${l.createdAt}  owner ${l.owner}  ${l.namespaces.length} namespaces  ${l.processes} processes  ${l.dir}`);
    return 0;
  }
  if (command === 'check') {
    const left = leftoversOnMachine();
    for (const line of left) console.log(`left behind: ${line}`);
    if (left.length === 0) console.log('no lab namespace, process or state file is left');
    return left.length === 0 ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
