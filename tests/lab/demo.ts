// `npm run demo`: the whole lab and Burrow's UI, for trying Burrow without any account. Starts the lab,
// runs netd (when built) and Burrow's host inside the lab's client namespace, imports the lab's
// WireGuard profile, points the leak tests at the lab's leakd, and makes the web UI reachable on this
// machine's loopback through a Unix-socket pipe. Ctrl-C tears everything down.
// `npm run demo -- CMD ...` runs CMD in the client namespace instead of the host (BURROW_LAB names lab.json).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab } from './lab.js';
import { describeLab, writeSummary } from './summary.js';

const repo = join(import.meta.dirname, '..', '..');
const separator = process.argv.indexOf('--');
const command = separator >= 0 ? process.argv.slice(separator + 1) : [];
const webPort = Number(process.env.BURROW_DEMO_PORT ?? 7777);
const burrow = join(repo, 'dist', 'node', 'burrow.mjs');
const netd = join(repo, 'dist', 'node', 'netd.mjs');

const lab = await startLab({ log: (m) => console.error(m) });
const summary = writeSummary(lab);
console.log(describeLab(summary));

const stopped = new Promise<void>((resolve) => {
  process.once('SIGINT', () => resolve());
  process.once('SIGTERM', () => resolve());
});
const outside: Array<{ kill(): void }> = [];

if (command.length > 0) {
  const app = lab.spawn('client', command, { env: { BURROW_LAB: `${lab.dir}/lab.json` }, cwd: process.cwd(), name: 'demo-app' });
  console.log(`started in the client namespace: ${command.join(' ')} (log: ${app.logFile})`);
} else {
  const control = join(lab.dir, 'host.sock');
  const netdSocket = join(lab.dir, 'netd.sock');
  const hostArgs = [process.execPath, burrow, 'host', '--data', join(lab.dir, 'burrow-data'), '--control', control, '--web', `127.0.0.1:${webPort}`];
  if (existsSync(netd)) {
    const helper = lab.spawn('client', [process.execPath, burrow, 'netd', '--socket', netdSocket], { name: 'netd' });
    await helper.waitForLog(/listening|ready/i, 10_000);
    hostArgs.push('--netd', netdSocket);
  }
  const host = lab.spawn('client', hostArgs, { name: 'burrow-host' });
  const ready = await host.waitForLog(/Burrow web UI: (\S+)/, 20_000);
  const url = ready[1] ?? '';
  const webSock = join(lab.dir, 'web.sock');
  const inner = lab.spawn('client', [process.execPath, '--import', 'tsx', join(repo, 'tests/lab/forward.ts'), 'listen-unix', webSock, String(webPort)], {
    name: 'web-forward',
    cwd: repo,
  });
  await inner.waitForLog(/forwarding/, 10_000);
  const outer = spawn(process.execPath, ['--import', 'tsx', join(repo, 'tests/lab/forward.ts'), 'listen-tcp', String(webPort), webSock], {
    cwd: repo,
    stdio: 'inherit',
  });
  outside.push(outer);

  // What a new user would do first: import the lab's VPN profile and point the leak tests at the lab.
  const cli = (...args: string[]) => lab.exec('client', [process.execPath, burrow, ...args, '--control', control, '--json']);
  if (lab.wireguard) {
    const conf = join(lab.dir, 'lab-vpn.conf');
    writeFileSync(conf, lab.wireguard.clientConf, { mode: 0o600 });
    const imported = await cli('profile', 'import', conf, '--name', 'Lab VPN');
    console.log(imported.code === 0 ? 'imported the lab VPN profile "Lab VPN"' : `could not import the lab VPN profile: ${imported.stdout}`);
  }
  if (lab.tor) writeFileSync(join(lab.dir, 'bridge-line.txt'), `${lab.tor.bridgeLine}\n`);
  await cli('settings', 'set', `leakServer=${lab.leakd.url}`, `leakServerV6=${lab.leakd.urlV6}`);
  console.log(`\nBurrow runs in the lab's client namespace. Open the UI:\n\n  ${url}\n`);
  console.log(`CLI: ip netns exec ${lab.namespaces.client} node ${burrow} status --control ${control}`);
  console.log('Ctrl-C ends the demo and removes the lab.');
}
await stopped;
for (const process of outside) process.kill();
const report = await lab.stop();
console.log(`lab ${report.prefix} removed: ${report.killed} processes stopped`);
