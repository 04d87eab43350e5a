// `npm run demo`: the whole lab and Burrow's UI, for trying Burrow without any account. Starts the lab
// and the Nym and Mysterium STAND-INS (tests/lab/standins: lab programs that behave like the real
// clients; the UI badges them as stand-ins), runs netd (when built) and Burrow's host inside the lab's
// client namespace, imports one profile per network — WireGuard, Tor direct, Tor via the lab's obfs4
// bridge, Nym (stand-in), dVPN (stand-in) — points the leak tests at the lab's leakd, and makes the web
// UI reachable on this machine's loopback through a Unix-socket pipe. Ctrl-C tears everything down.
// `npm run demo -- CMD ...` runs CMD in the client namespace instead of the host (BURROW_LAB names lab.json).
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from './lab.js';
import { startMystStandin, startNymStandin } from './standins/install.js';
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
// The stand-ins, started as their own tests start them (nothing else of theirs is relied on).
const nym = await startNymStandin(lab);
const myst = await startMystStandin(lab);
console.log(`  Nym         STAND-IN mixnet, gateway ${nym.gateway.listener}\n  dVPN        STAND-IN Mysterium provider in the lab's vpn namespace`);

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
    const helper = lab.spawn('client', [process.execPath, netd, '--socket', netdSocket], { name: 'netd' });
    await helper.waitForLog(/listening|ready/i, 10_000);
    hostArgs.push('--netd', netdSocket);
  }
  hostArgs.push('--stand-in', 'nym,dvpn');
  const host = lab.spawn('client', hostArgs, {
    name: 'burrow-host',
    // The stand-in programs, and an unprivileged user to run network helpers as (as a packaged install has).
    env: { BURROW_NYM_SOCKS5_CLIENT: nym.client, BURROW_MYST: myst.myst },
  });
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

  // What a new user would do first: import a profile per network and point the leak tests at the lab.
  const cli = (...args: string[]) => lab.exec('client', [process.execPath, burrow, ...args, '--control', control, '--json'], { check: false });
  for (const [file, name, text] of demoProfiles(lab, nym)) {
    const path = join(lab.dir, file);
    writeFileSync(path, text, { mode: 0o600 });
    const imported = await cli('profile', 'import', path, '--name', name);
    console.log(imported.code === 0 ? `imported the profile "${name}"` : `could not import "${name}": ${imported.stdout}${imported.stderr}`);
  }
  if (lab.tor) writeFileSync(join(lab.dir, 'bridge-line.txt'), `${lab.tor.bridgeLine}\n`);
  await cli('settings', 'set', `leakServer=${lab.leakd.url}`, `leakServerV6=${lab.leakd.urlV6}`);
  console.log(`\nBurrow runs in the lab's client namespace. Open the UI:\n\n  ${url}\n`);
  console.log(`CLI: ip netns exec ${lab.namespaces.client} node ${burrow} status --control ${control}`);
  console.log('Ctrl-C ends the demo and removes the lab.');
}
await stopped;
for (const process of outside) process.kill();
await nym.stop();
await myst.stop();
const report = await lab.stop();
console.log(`lab ${report.prefix} removed: ${report.killed} processes stopped`);

/** One profile per network, as files a person could have written: [file name, profile name, text]. */
function demoProfiles(lab: Lab, nymStandin: { exitAddress: string; gateway: { id: string } }): Array<[string, string, string]> {
  const profiles: Array<[string, string, string]> = [];
  if (lab.wireguard) profiles.push(['lab-vpn.conf', 'Lab VPN', lab.wireguard.clientConf]);
  if (lab.tor) {
    // The lab is its own Tor network: its three directory authorities replace the public ones.
    const tor = (extra: string[]): string =>
      ['[tor]', 'Mode proxy', 'SocksPort 9150', ...lab.tor!.dirAuthorityLines, 'TestingTorNetwork 1', 'PathsNeededToBuildCircuits 0.67', ...extra, ''].join('\n');
    profiles.push(['lab-tor.conf', 'Lab Tor', tor([])]);
    profiles.push(['lab-tor-bridge.conf', 'Lab Tor via obfs4 bridge', tor([`Bridge ${lab.tor.bridgeLine}`])]);
  }
  // System-wide, so every measurement and leak test goes through them; DNS over TCP to the lab's public
  // resolver, through the network (leakd answers over TCP too).
  profiles.push([
    'mixnet.nym',
    'Nym mixnet (stand-in)',
    ['[nym]', 'Mode = system', `Provider = ${nymStandin.exitAddress}`, `Gateway = ${nymStandin.gateway.id}`, `DnsServer = ${lab.addresses.publicResolver}`, 'AveragePacketDelay = 5ms', ''].join('\n'),
  ]);
  profiles.push(['node.dvpn', 'dVPN node (stand-in)', ['[dvpn]', 'Mode = system', 'Country = DE', `DnsServer = ${lab.addresses.publicResolver}`, ''].join('\n')]);
  return profiles;
}
