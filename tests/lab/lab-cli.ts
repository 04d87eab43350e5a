// `npm run lab -- up|down|status`: the lab for a person. `up` leaves the lab running after it returns;
// `down` removes every lab on this machine (or one, by prefix), including those of killed runs.
import { parseArgs } from 'node:util';
import { startLab } from './lab.js';
import { namespacePids, cleanupLeftovers, listNamespaces, teardownState, type TeardownReport } from './teardown.js';
import { listStates, ownerAlive, readState } from './run-state.js';
import { describeLab, writeSummary } from './summary.js';

const USAGE = `usage: npm run lab -- up [--no-tor] [--no-vpn] [--json]
       npm run lab -- down [PREFIX]
       npm run lab -- status [--json]`;

function printReports(reports: TeardownReport[]): void {
  if (reports.length === 0) console.log('no lab to remove');
  for (const r of reports) {
    const left = r.survivors.length + r.namespacesLeft.length;
    console.log(`removed lab ${r.prefix}: ${r.killed} processes stopped${left > 0 ? `, LEFT BEHIND: ${[...r.survivors, ...r.namespacesLeft].join(' ')}` : ''}`);
  }
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
