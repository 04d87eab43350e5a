// What the reliability suite (issue 12) sends while something has gone wrong, and how it keeps its figures.
// One round of probes is every kind of traffic a kill switch must hold in, from two kinds of program: root
// (a daemon) and an ordinary user (`nobody`, no proxy settings). TCP to the echo (plain, to a private
// address, and bound to the physical interface), UDP to leakd's STUN port, ICMP, DNS to the ISP's resolver,
// to a public one and through the system resolver, and IPv6. The judge is the capture, never the probes'
// own exit codes: a probe that failed for another reason must not read as "held".
import type { Lab } from './lab.js';
import type { ExecResult, LabProcess } from './process.js';

export const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] as const;

export type ProbeUser = 'root' | 'nobody';

/** The suite's figures for one file: printed at the end, in the same words in every file. */
export interface Figures {
  cases: number;
  leaked: number;
  faults: number;
  antiTestLeaks: number;
}

export const newFigures = (): Figures => ({ cases: 0, leaked: 0, faults: 0, antiTestLeaks: 0 });

export function figuresLine(name: string, f: Figures): string {
  return `reliability figures (${name}): ${f.cases} cases run, ${f.leaked} packets leaked, ${f.faults} faults survived (anti-tests saw ${f.antiTestLeaks} packets with the kill switch held off)`;
}

/** One round of every probe, as a shell script (each probe bounded by its own time-out, all in parallel). */
export function probeScript(lab: Lab, tag: string): string {
  const a = lab.addresses;
  const nic = lab.interfaces.client;
  const stun = `const s=require('node:dgram').createSocket('udp4'); s.on('error',()=>process.exit(0)); const q=Buffer.alloc(20); q.writeUInt16BE(1,0); q.writeUInt32BE(0x2112a442,4); s.send(q,3478,'${a.echo}'); setTimeout(()=>s.send(q,3478,'${a.echo}'),300); setTimeout(()=>process.exit(0),1500);`;
  const probes = [
    `curl -s -o /dev/null --max-time 2 ${lab.leakd.url}/json`,
    `curl -s -o /dev/null --max-time 2 http://${a.ispLan}/`,
    `curl -s -o /dev/null --max-time 2 --interface ${nic} ${lab.leakd.url}/json`,
    `curl -s -o /dev/null --max-time 2 ${lab.leakd.urlV6}/json`,
    `${process.execPath} -e "${stun}"`,
    `ping -c1 -W1 ${a.echo}`,
    `ping -c1 -W1 -I ${nic} ${a.echo}`,
    `dig +time=1 +tries=1 @${a.ispResolver} ${tag}-isp.${lab.leakd.zone}`,
    `dig +time=1 +tries=1 @${a.publicResolver} ${tag}-pub.${lab.leakd.zone}`,
    `dig +tcp +time=1 +tries=1 @${a.ispResolver} ${tag}-tcp.${lab.leakd.zone}`,
    `dig +time=1 +tries=1 ${tag}-sys.${lab.leakd.zone}`,
  ];
  return `${probes.map((p) => `(${p}) >/dev/null 2>&1 &`).join(' ')} wait`;
}

/** One round of every probe as root and as nobody at once; resolves when all are done (a few seconds). */
export async function probeRound(lab: Lab, tag: string): Promise<void> {
  const as = (user: ProbeUser): Promise<ExecResult> =>
    lab.exec('client', [...(user === 'root' ? [] : NOBODY), 'sh', '-c', probeScript(lab, `${tag}-${user}`)], { check: false, timeoutMs: 20_000 });
  await Promise.all([as('root'), as('nobody')]);
}

/** The same probes in a loop until stopped (for faults that happen while traffic flows). */
export function probeLoop(lab: Lab, user: ProbeUser, tag: string): LabProcess {
  const argv = [...(user === 'root' ? [] : NOBODY), 'sh', '-c', `i=0; while true; do i=$((i+1)); ${probeScript(lab, `${tag}-${user}-$i`)}; sleep 0.2; done`];
  return lab.spawn('client', argv, { name: `probe-loop-${tag}-${user}` });
}

/**
 * Traffic only the firewall can stop, in a loop until stopped: curl and ping bound to the physical
 * interface (SO_BINDTODEVICE skips the tunnel's routes) and DNS straight to the ISP's resolver.
 */
export function boundLoop(lab: Lab, name: string): LabProcess {
  const nic = lab.interfaces.client;
  const script = [
    'while true; do',
    `curl -s -o /dev/null --max-time 1 --interface ${nic} ${lab.leakd.url}/json;`,
    `dig +short +time=1 +tries=1 @${lab.addresses.ispResolver} ${name}-$$.${lab.leakd.zone} >/dev/null;`,
    `ping -c1 -W1 -I ${nic} ${lab.addresses.echo} >/dev/null;`,
    'sleep 0.1; done',
  ].join(' ');
  return lab.spawn('client', ['sh', '-c', script], { name });
}

/** Whether a plain curl from an ordinary program answers, and with which address the echo saw. */
export async function curlAsNobody(lab: Lab, seconds = 3): Promise<{ ok: boolean; ip: string | undefined }> {
  const r = await lab.exec('client', [...NOBODY, 'curl', '-sS', '--fail', '--max-time', String(seconds), `${lab.leakd.url}/json`], { check: false, timeoutMs: (seconds + 5) * 1000 });
  if (r.code !== 0) return { ok: false, ip: undefined };
  try {
    return { ok: true, ip: (JSON.parse(r.stdout) as { ip?: string }).ip };
  } catch {
    return { ok: true, ip: undefined };
  }
}

/** Sends SIGCONT to a pid that may have died meanwhile (a health check may have replaced the helper). */
export function resume(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // gone: nothing to resume
  }
}
