// Packet capture inside a lab namespace with tcpdump: start it, do something, stop it, and get the
// packets back parsed — how a test proves nothing left the client outside the tunnel.
import { readFileSync } from 'node:fs';
import { parsePcap, type Packet } from './pcap.js';
import type { LabProcess } from './process.js';

export interface Capture {
  /** Stops tcpdump and returns every IP packet it saw. */
  stop(): Promise<Packet[]>;
}

export interface CaptureOptions {
  /** A tcpdump (pcap-filter) expression, e.g. `not udp port 51820`. */
  filter?: string;
}

export function captureArgv(iface: string, file: string, opts: CaptureOptions): string[] {
  // --immediate-mode and -U: hand over and write each packet as it comes, so stopping loses nothing
  // (without them packets still in the kernel buffer are never written); -Z root: keep writing to our dir;
  // -s 128: headers are all we parse.
  return ['tcpdump', '-i', iface, '-n', '--immediate-mode', '-U', '-Z', 'root', '-s', '128', '-w', file, ...(opts.filter ? [opts.filter] : [])];
}

export async function startCapture(proc: LabProcess, file: string): Promise<Capture> {
  await proc.waitForLog(/listening on/, 10_000);
  return {
    async stop() {
      // Let packets already on their way through the stack reach the capture.
      await new Promise((r) => setTimeout(r, 150));
      await proc.stop();
      return parsePcap(readFileSync(file));
    },
  };
}
