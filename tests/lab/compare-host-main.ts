// `node --import tsx tests/lab/compare-host-main.ts --data DIR --control SOCK [--netd SOCK]`: the host as
// `burrow host` runs it, plus the Compare commands (tests/ui/compare-host.ts) for as long as create-host
// does not answer them itself. Runs inside the lab's client namespace, so its traffic goes where a real
// host's would. Prints "Burrow host ready" like `burrow host`, stops on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startCompareHost } from '../ui/compare-host.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, control: { type: 'string' }, netd: { type: 'string' } },
  strict: true,
});
if (!values.data || !values.control) throw new Error('usage: compare-host-main.ts --data DIR --control SOCK [--netd SOCK]');
process.umask(0o077);
const running = await startCompareHost({
  dataDir: values.data,
  controlPath: values.control,
  ...(values.netd ? { netdSocket: values.netd } : {}),
  log: (line) => process.stderr.write(`${line}\n`),
});
process.stdout.write(`Burrow host ready (compare handlers: ${running.wired ? 'the host’s own' : 'composed by the test host'}): control socket ${values.control}\n`);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void running.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
