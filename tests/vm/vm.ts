// The VM suite's harness: the cached Debian guest (image/build-image.sh), plugged into a lab as a second
// customer of the ISP, and one boot = one job. The guest's NIC is a tap in the lab's `isp` namespace on its
// own LAN (10.X.6.0/24): the lab's dnsmasq hands out a lease naming the ISP's resolver, and the internet
// (`inet`) routes that LAN back through the ISP without NAT, as it does the client's. qemu, the DHCP server
// and the tap live in the lab's namespaces, so the lab's teardown removes them whatever happens here.
// Results come back on the guest's second serial port (/dev/ttyS1); the base image is never written to
// (-snapshot), except by a reboot test, which boots its own copy-on-write overlay twice.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyBurrowApp } from '../lab/burrow-in-lab.js';
import type { Capture, Lab, LabProcess, Packet } from '../lab/index.js';
import { repoRoot } from '../lab/process.js';

export const VM_DIR = join(repoRoot(), 'tests', 'vm');

export interface VmImage {
  dir: string;
  kernel: string;
  initrd: string;
  rootfs: string;
}

/** Builds the image once (minutes) or finds it in the cache (instant). */
export function vmImage(): VmImage {
  const dir = execFileSync('bash', [join(VM_DIR, 'image', 'build-image.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 900_000 })
    .trim()
    .split('\n')
    .pop()!;
  return { dir, kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'), rootfs: join(dir, 'rootfs.img') };
}

export interface VmLan {
  tap: string;
  gateway: string;
  /** The address the guest gets (the DHCP range holds only this one). */
  guest: string;
  /** The DHCP server's log: leases as the lab saw them. */
  dhcpLog: string;
  /** Point the guest's next lease at other DNS servers (a "DHCP change of the ISP's DNS"). */
  setDnsServers(servers: string[]): Promise<void>;
}

/** The guest's LAN at the ISP: a tap, a route back from the internet, and DHCP (no DNS of its own). */
export async function attachVmLan(lab: Lab, dir: string): Promise<VmLan> {
  const a = lab.addresses;
  const net = `10.${lab.octet}.6`;
  const tap = 'vmtap0';
  const gateway = `${net}.1`;
  const guest = `${net}.50`;
  await lab.exec('isp', ['ip', 'tuntap', 'add', tap, 'mode', 'tap']);
  await lab.exec('isp', ['ip', 'addr', 'add', `${gateway}/24`, 'dev', tap]);
  await lab.exec('isp', ['ip', 'link', 'set', tap, 'up']);
  await lab.exec('inet', ['ip', 'route', 'add', `${net}.0/24`, 'via', a.ispWan]);
  const dhcpLog = join(dir, 'dhcp.log');
  writeFileSync(dhcpLog, '');
  // The DNS servers go on the command line (dnsmasq sent none from --dhcp-optsfile with DNS off): a change
  // restarts the server, and the guest gets the new servers at its next renewal (2-minute leases).
  const start = (servers: string[]): LabProcess =>
    lab.spawn('isp', [
      'dnsmasq',
      '--keep-in-foreground',
      '--port=0',
      '--bind-interfaces',
      `--interface=${tap}`,
      '--except-interface=lo',
      `--dhcp-range=${guest},${guest},255.255.255.0,2m`,
      `--dhcp-option=option:router,${gateway}`,
      `--dhcp-option=option:dns-server,${servers.join(',')}`,
      `--dhcp-leasefile=${join(dir, 'dhcp.leases')}`,
      '--dhcp-authoritative',
      '--pid-file',
      '--log-dhcp',
      `--log-facility=${dhcpLog}`,
    ], { name: 'vm-dhcp' });
  let dhcp = start([a.ispResolver]);
  return {
    tap,
    gateway,
    guest,
    dhcpLog,
    async setDnsServers(servers) {
      await dhcp.stop();
      dhcp = start(servers);
    },
  };
}

/** Files for the guest: everything under `dir` becomes the job disk, mounted at /job. */
export interface JobFiles {
  dir: string;
  /** Guest-side script (tests/vm/guest/NAME.sh) run as /job/run.sh, with lib.sh beside it. */
  script: string;
  env: Record<string, string>;
}

/** Node (as Electron would carry its own), and the bundles of the CLI/headless host and netd. */
export function addBurrowRuntime(jobDir: string, bundles: string): void {
  mkdirSync(join(jobDir, 'bin'), { recursive: true });
  copyFileSync(process.execPath, join(jobDir, 'bin', 'node'));
  copyBurrowApp(join(jobDir, 'app'), bundles);
}

function makeJobDisk(job: JobFiles, image: string): void {
  copyFileSync(join(VM_DIR, 'guest', 'lib.sh'), join(job.dir, 'lib.sh'));
  copyFileSync(join(VM_DIR, 'guest', job.script), join(job.dir, 'run.sh'));
  const env = Object.entries(job.env).map(([key, value]) => `${key}=${JSON.stringify(value)}`);
  writeFileSync(join(job.dir, 'job.env'), `${env.join('\n')}\n`);
  const sizeMb = Math.ceil(Number(execFileSync('du', ['-sm', job.dir], { encoding: 'utf8' }).split('\t')[0]) * 1.3) + 64;
  execFileSync('truncate', ['-s', `${sizeMb}M`, image]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'burrow-job', '-d', job.dir, image]);
}

export interface VmRun {
  /** Lines the job printed on /dev/ttyS1, \r stripped. */
  lines: string[];
  /** `R name value` lines, by name (the last one wins). */
  results: Map<string, string>;
  /** The job's exit code(s), one per boot. */
  jobExits: number[];
  /** With captureAfterReboot (captureFromStart): every packet on the guest's wire from before the second (first) power-on. */
  packets: Packet[];
  /** Host time (ms) at which each `M name` marker line of the job was first seen (polled every 100 ms). */
  markers: Map<string, number>;
  console: string;
  qemuExit: number | null;
}

export interface BootOptions {
  image: VmImage;
  lan: VmLan;
  job: JobFiles;
  /** Scratch directory for disks and serial logs. */
  work: string;
  timeoutMs: number;
  /** Boot more than once (the job exits 100 to reboot): the root disk is an overlay kept across boots. */
  reboots?: boolean;
  /** Capture the tap from the first reboot on (before the next power-on) until qemu exits. */
  captureAfterReboot?: boolean;
  /** Capture the tap from before the first power-on until qemu exits. */
  captureFromStart?: boolean;
  /** Run on the host once, when the job first prints `M name` (the guest goes on meanwhile). */
  onMarker?: Record<string, () => Promise<void>>;
}

/** One qemu run in the lab's isp namespace, until the guest powers off (or the time is up). */
export async function bootVm(lab: Lab, options: BootOptions): Promise<VmRun> {
  const { image, work } = options;
  mkdirSync(work, { recursive: true });
  const jobImage = join(work, 'job.img');
  makeJobDisk(options.job, jobImage);
  const out = join(work, 'ttyS1.txt');
  const consoleFile = join(work, 'console.txt');
  for (const file of [out, consoleFile]) writeFileSync(file, '');
  let rootDrive = `file=${image.rootfs},format=raw,if=virtio,snapshot=on`;
  if (options.reboots === true) {
    const overlay = join(work, 'root.qcow2');
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', image.rootfs, overlay]);
    rootDrive = `file=${overlay},format=qcow2,if=virtio`;
  }
  const argv = [
    'qemu-system-x86_64',
    '-accel', 'tcg',
    '-m', '1536',
    '-smp', '2',
    '-display', 'none',
    '-nodefaults',
    ...(options.reboots === true ? [] : ['-no-reboot']),
    '-kernel', image.kernel,
    '-initrd', image.initrd,
    '-append', 'console=ttyS0 root=/dev/vda rw quiet panic=-1 net.ifnames=0 systemd.show_status=0',
    '-drive', rootDrive,
    '-drive', `file=${jobImage},format=raw,if=virtio`,
    '-netdev', `tap,id=n0,ifname=${options.lan.tap},script=no,downscript=no`,
    '-device', 'virtio-net-pci,netdev=n0,mac=52:54:00:b0:00:50',
    '-serial', `file:${consoleFile}`,
    '-serial', `file:${out}`,
  ];
  let capture: Promise<Capture> | undefined = options.captureFromStart === true ? Promise.resolve(await lab.capture('isp', options.lan.tap)) : undefined;
  const qemu = lab.spawn('isp', argv, { name: 'qemu' });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  // Markers and the reboot, as they happen: the capture has to be running before the next power-on.
  const markers = new Map<string, number>();
  const hooks: Promise<void>[] = [];
  const hookErrors: unknown[] = [];
  const poll = setInterval(() => {
    const text = readFileSync(out, 'utf8');
    for (const match of text.matchAll(/^M (\S+)/gm)) {
      const name = match[1]!;
      if (markers.has(name)) continue;
      markers.set(name, Date.now());
      const hook = options.onMarker?.[name];
      if (hook !== undefined) hooks.push(hook().catch((error: unknown) => void hookErrors.push(error)));
    }
    if (options.captureAfterReboot === true && capture === undefined && /^VM-JOB-EXIT 100/m.test(text)) capture = lab.capture('isp', options.lan.tap);
  }, 100);
  const outcome = await Promise.race([qemu.exited, timedOut]);
  clearTimeout(timer);
  clearInterval(poll);
  if (outcome === 'timeout') await qemu.stop();
  // A hook that failed is the test's failure, not something to lose in the guest's output.
  await Promise.all(hooks);
  if (hookErrors.length > 0) throw new Error(`a marker hook failed: ${String(hookErrors[0])}`);
  const packets = capture === undefined ? [] : await (await capture).stop();
  const lines = readFileSync(out, 'utf8').replace(/\r/g, '').split('\n');
  const results = new Map<string, string>();
  const jobExits: number[] = [];
  for (const line of lines) {
    const result = /^R (\S+) ?(.*)$/.exec(line);
    if (result) results.set(result[1]!, result[2]!);
    const exit = /^VM-JOB-EXIT (\d+)/.exec(line);
    if (exit) jobExits.push(Number(exit[1]));
  }
  const run: VmRun = { lines, results, jobExits, packets, markers, console: readFileSync(consoleFile, 'utf8'), qemuExit: outcome === 'timeout' ? null : outcome };
  if (outcome === 'timeout') {
    throw new Error(`the VM did not power off within ${options.timeoutMs} ms; its output:\n${lines.slice(-40).join('\n')}\nconsole:\n${run.console.slice(-2000)}`);
  }
  return run;
}

/** A scratch directory for one test file, removed with the process. */
export function scratch(name: string): string {
  const base = '/var/tmp/burrow-vm-runs';
  mkdirSync(base, { recursive: true, mode: 0o700 });
  // Runs killed outright leave theirs behind: sweep those of processes that are gone.
  for (const entry of readdirSync(base)) {
    const pid = Number(entry.split('-')[0]);
    if (Number.isInteger(pid) && !existsSync(`/proc/${pid}`)) rmSync(join(base, entry), { recursive: true, force: true });
  }
  const dir = mkdtempSync(join(base, `${process.pid}-${name}-`));
  made.push(dir);
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const made: string[] = [];

/** For afterAll: test workers are often ended without an `exit` event. */
export function removeScratch(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
