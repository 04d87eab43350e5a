// `npm run demo`: the whole lab, for trying Burrow without any account. Starts the lab, prints what is
// where, runs an optional command inside the client namespace (everything after `--`, with BURROW_LAB
// naming lab.json: that is where Burrow's host and UI get started), and tears it all down on Ctrl-C.
import { startLab } from './lab.js';
import { describeLab, writeSummary } from './summary.js';

const separator = process.argv.indexOf('--');
const command = separator >= 0 ? process.argv.slice(separator + 1) : [];

const lab = await startLab({ log: (m) => console.error(m) });
const summary = writeSummary(lab);
console.log(describeLab(summary));

const stopped = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});
if (command.length > 0) {
  const app = lab.spawn('client', command, { env: { BURROW_LAB: `${lab.dir}/lab.json` }, cwd: process.cwd(), name: 'demo-app' });
  console.log(`started in the client namespace: ${command.join(' ')} (log: ${app.logFile})`);
  void app.exited.then((code) => console.log(`${command[0] ?? 'command'} exited (${code ?? 'signal'}); Ctrl-C ends the demo`));
} else {
  console.log('the lab runs until Ctrl-C');
}
await stopped;
const report = await lab.stop();
console.log(`lab ${report.prefix} removed: ${report.killed} processes stopped`);
