// Packet capture inside a lab namespace with tcpdump: start it, do something, stop it, and get the
// packets back parsed — how a test proves nothing left the client outside the tunnel. A capture is
// evidence only if it saw everything: stop() throws when tcpdump died before it was stopped, exited with
// an error, reported packets dropped by the kernel or the interface, or left a file that is cut off or
// holds fewer packets than tcpdump says it captured. A test that gets packets back can trust them.
import { readFileSync, rmSync } from 'node:fs';
import { readPcap, type Packet } from './pcap.js';
import type { LabProcess } from './process.js';

export interface Capture {
  /** Stops tcpdump and returns every IP packet it saw; throws if the capture is not whole (see above). */
  stop(): Promise<Packet[]>;
  /** After stop(): the capture file as tcpdump wrote it (with `fullPackets`, every byte that crossed). */
  bytes(): Buffer;
}

export interface CaptureOptions {
  /** A tcpdump (pcap-filter) expression, e.g. `not udp port 51820`. */
  filter?: string;
  /** Whole packets, payloads included (for looking for plaintext on the wire), not just the headers. */
  fullPackets?: boolean;
}

export function captureArgv(iface: string, file: string, opts: CaptureOptions): string[] {
  // --immediate-mode and -U: hand over and write each packet as it comes, so stopping loses nothing
  // (without them packets still in the kernel buffer are never written); -Z root: keep writing to our dir;
  // -s 128: headers are all we parse, unless the payloads are asked for (0: tcpdump's whole-packet default).
  const snaplen = opts.fullPackets === true ? '0' : '128';
  return ['tcpdump', '-i', iface, '-n', '--immediate-mode', '-U', '-Z', 'root', '-s', snaplen, '-w', file, ...(opts.filter ? [opts.filter] : [])];
}

export interface TcpdumpStats {
  captured: number;
  droppedByKernel: number;
  /** Only some libpcap versions print it. */
  droppedByInterface: number | undefined;
}

/** tcpdump's closing statistics (printed to stderr when it is stopped by SIGTERM or SIGINT), or undefined. */
export function parseTcpdumpStats(log: string): TcpdumpStats | undefined {
  const number = (label: string): number | undefined => {
    const match = new RegExp(`^(\\d+) packets? ${label}$`, 'm').exec(log);
    return match ? Number(match[1]) : undefined;
  };
  const captured = number('captured');
  const droppedByKernel = number('dropped by kernel');
  if (captured === undefined || droppedByKernel === undefined) return undefined;
  return { captured, droppedByKernel, droppedByInterface: number('dropped by interface') };
}

/**
 * The verdict on a stopped capture: throws with the reason if it cannot be trusted as a record of
 * everything that crossed the interface. `diedEarly` says tcpdump was no longer running when stop() came.
 */
export function checkCapture(name: string, result: { diedEarly: boolean; code: number | null; log: string; file: Buffer }): Packet[] {
  const tail = result.log.trim().split('\n').slice(-5).join(' | ');
  if (result.diedEarly) throw new Error(`capture ${name}: tcpdump died before the capture was stopped (exit ${result.code}): ${tail}`);
  if (result.code !== 0) throw new Error(`capture ${name}: tcpdump exited ${result.code === null ? 'by a signal' : result.code}: ${tail}`);
  const stats = parseTcpdumpStats(result.log);
  if (stats === undefined) throw new Error(`capture ${name}: tcpdump printed no closing statistics, so nothing says it saw everything: ${tail}`);
  if (stats.droppedByKernel > 0) throw new Error(`capture ${name}: ${stats.droppedByKernel} packets dropped by kernel: the capture missed packets`);
  if ((stats.droppedByInterface ?? 0) > 0) throw new Error(`capture ${name}: ${stats.droppedByInterface} packets dropped by interface: the capture missed packets`);
  const { records, packets } = readPcap(result.file);
  if (records !== stats.captured) throw new Error(`capture ${name}: tcpdump captured ${stats.captured} packets but the file holds ${records}`);
  return packets;
}

/** `removeAfter`: delete the file once read (whole-packet captures are large; the bytes stay in memory). */
export async function startCapture(proc: LabProcess, file: string, removeAfter = false): Promise<Capture> {
  await proc.waitForLog(/listening on/, 10_000);
  let written: Buffer | undefined;
  return {
    bytes() {
      if (written === undefined) throw new Error(`capture ${proc.name}: bytes() before stop()`);
      return written;
    },
    async stop() {
      // Let packets already on their way through the stack reach the capture.
      await new Promise((r) => setTimeout(r, 150));
      const diedEarly = !proc.running();
      await proc.stop();
      const code = await proc.exited;
      written = readFileSync(file);
      if (removeAfter) rmSync(file, { force: true });
      return checkCapture(proc.name, { diedEarly, code, log: proc.log(), file: written });
    },
  };
}
