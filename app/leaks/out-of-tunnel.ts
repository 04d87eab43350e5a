// Out-of-tunnel probe (the method of Mullvad's leak checker): send packets to the tunnel's endpoint with
// TTL 1, 2 and 3, forced out of the physical interface. With a working kill switch they never leave the
// machine; a router's "time exceeded" (or the endpoint's own reply) proves that a program binding to the
// physical interface gets around the tunnel. Raw ICMP needs privilege, so iputils' ping does the sending.
import { execFile } from 'node:child_process';
import type { NetworkKind } from '../domain/index.js';
import { errorText, leaked, notTested, passed, type Judgement } from './judgement.js';

export type HopOutcome = 'time-exceeded' | 'reply' | 'blocked' | 'no-answer' | 'error';

export interface HopResult {
  ttl: number;
  outcome: HopOutcome;
  /** Who answered (a router for time-exceeded, the endpoint for a reply). */
  from?: string;
  detail: string;
}

export const PROBE_TTLS = [1, 2, 3] as const;

export function pingArgv(ttl: number, iface: string, endpoint: string): string[] {
  return ['-n', '-t', String(ttl), '-I', iface, '-c', '1', '-W', '1', endpoint];
}

/** iputils ping's output for one probe → what happened to it. */
export function parsePing(ttl: number, stdout: string, stderr: string): HopResult {
  const text = `${stdout}\n${stderr}`;
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const exceeded = /^From (\S+?)(?: \([^)]*\))?:? icmp_seq=\d+ Time to live exceeded/im.exec(text);
  if (exceeded?.[1] !== undefined) return { ttl, outcome: 'time-exceeded', from: exceeded[1], detail: exceeded[0] };
  const reply = /^\d+ bytes from (\S+?):? .*icmp_seq=\d+/im.exec(text);
  if (reply?.[1] !== undefined) return { ttl, outcome: 'reply', from: reply[1], detail: reply[0] };
  const blocked = lines.find((l) => /operation not permitted|prohibited|packet filtered|permission denied/i.test(l));
  if (blocked !== undefined) {
    // "ping: socket: Operation not permitted" means ping itself lacks the right to send: not a verdict.
    if (/socket:|SO_BINDTODEVICE|setsockopt/i.test(blocked)) return { ttl, outcome: 'error', detail: blocked };
    return { ttl, outcome: 'blocked', detail: blocked };
  }
  const failure = lines.find((l) => /^ping: /i.test(l));
  if (failure !== undefined) return { ttl, outcome: 'error', detail: failure };
  return { ttl, outcome: 'no-answer', detail: lines.find((l) => /packets transmitted/.test(l)) ?? 'no answer' };
}

export interface OutOfTunnelInput {
  network: NetworkKind | null;
  endpoint: string | undefined;
  physicalInterface: string | undefined;
  hops: HopResult[];
}

export function judgeOutOfTunnel(input: OutOfTunnelInput): Judgement {
  const evidence: Record<string, unknown> = {
    endpoint: input.endpoint ?? null,
    interface: input.physicalInterface ?? null,
    hops: input.hops,
  };
  if (input.network === null) return notTested('No tunnel is up, so there is nothing for traffic to get around (not tested).', evidence);
  if (input.endpoint === undefined || input.physicalInterface === undefined) {
    return notTested('Burrow does not know the tunnel\'s endpoint or the interface it leaves by, so it could not probe around the tunnel.', evidence);
  }
  const escaped = input.hops.filter((h) => h.outcome === 'time-exceeded' || h.outcome === 'reply');
  if (escaped.length > 0) {
    const first = escaped[0];
    const who = first?.outcome === 'reply' ? `the endpoint ${first.from ?? ''} answered` : `router ${first?.from ?? ''} answered`;
    return leaked(
      `Traffic can get around the tunnel: a packet sent out of ${input.physicalInterface} with TTL ${first?.ttl ?? '?'} left the machine (${who}), so a program that binds to that interface is not protected.`,
      evidence,
    );
  }
  const errors = input.hops.filter((h) => h.outcome === 'error');
  if (errors.length === input.hops.length) {
    return notTested(`The probe could not send its packets (${errors[0]?.detail ?? 'no probes'}), so it could not test the way around the tunnel.`, evidence);
  }
  const blocked = input.hops.some((h) => h.outcome === 'blocked');
  return passed(
    `Packets forced out of ${input.physicalInterface} towards the tunnel's endpoint ${blocked ? 'were refused by the firewall' : 'got no answer at TTL 1–3'}: nothing gets around the tunnel.`,
    evidence,
  );
}

export type RunPing = (argv: string[], signal: AbortSignal) => Promise<{ stdout: string; stderr: string }>;

export const systemPing: RunPing = (argv, signal) =>
  new Promise((resolve, reject) => {
    execFile('ping', argv, { signal, timeout: 3000, env: { PATH: '/usr/bin:/bin:/usr/sbin:/sbin', LANG: 'C' } }, (err, stdout, stderr) => {
      // ping exits 1 when nothing answered and 2 on errors: its output says which; only "could not run" rejects.
      if (err === null || typeof err.code === 'number') resolve({ stdout, stderr });
      else reject(new Error(err.message, { cause: err }));
    });
  });

export async function probeOutOfTunnel(
  input: { network: NetworkKind | null; endpoint?: string | undefined; physicalInterface?: string | undefined; signal: AbortSignal },
  runPing: RunPing = systemPing,
): Promise<Judgement> {
  const { endpoint, physicalInterface: iface } = input;
  let hops: HopResult[] = [];
  if (input.network !== null && endpoint !== undefined && iface !== undefined) {
    hops = await Promise.all(
      PROBE_TTLS.map(async (ttl) => {
        try {
          const { stdout, stderr } = await runPing(pingArgv(ttl, iface, endpoint), input.signal);
          return parsePing(ttl, stdout, stderr);
        } catch (err) {
          if (input.signal.aborted) throw err;
          return { ttl, outcome: 'error' as const, detail: `ping could not run: ${errorText(err)}` };
        }
      }),
    );
  }
  return judgeOutOfTunnel({ network: input.network, endpoint, physicalInterface: iface, hops });
}
