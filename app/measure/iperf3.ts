// iperf3 as the throughput tool when it is installed and the route is the host's own sockets: `iperf3 -c
// HOST -p PORT -R -J -t SECONDS` (reverse: the server sends, so it is a download), run with execFile (no
// shell), cancelled through the AbortSignal. Its JSON report is parsed and checked here.
import { execFile } from 'node:child_process';
import { z } from 'zod';
import { BurrowError } from '../domain/index.js';
import { cancelledError } from './types.js';

const ReportSchema = z.object({
  error: z.string().optional(),
  end: z
    .object({
      sum_received: z.object({ bytes: z.number(), seconds: z.number(), bits_per_second: z.number() }).optional(),
      sum_sent: z.object({ bytes: z.number(), seconds: z.number(), bits_per_second: z.number(), retransmits: z.number().optional() }).optional(),
    })
    .optional(),
  start: z.object({ version: z.string().optional() }).loose().optional(),
});

export interface Iperf3Report {
  bitsPerSecond: number;
  bytes: number;
  seconds: number;
  retransmits: number | undefined;
  version: string | undefined;
}

/** The receiver's view of a reverse (-R) test: what actually arrived at this end. */
export function parseIperf3Report(text: string): Iperf3Report {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BurrowError('helper_failed', 'iperf3 printed no JSON report.');
  }
  const report = ReportSchema.safeParse(json);
  if (!report.success) throw new BurrowError('helper_failed', 'iperf3’s report is not in the expected shape.');
  if (report.data.error !== undefined) throw new BurrowError('network_unavailable', `iperf3: ${report.data.error}`);
  const received = report.data.end?.sum_received;
  if (received === undefined || !(received.seconds > 0)) throw new BurrowError('helper_failed', 'iperf3’s report has no received total.');
  return {
    bitsPerSecond: received.bits_per_second,
    bytes: received.bytes,
    seconds: received.seconds,
    retransmits: report.data.end?.sum_sent?.retransmits,
    version: report.data.start?.version,
  };
}

export function iperf3Argv(host: string, port: number, seconds: number): string[] {
  return ['-c', host, '-p', String(port), '-R', '-J', '-t', String(seconds), '--connect-timeout', '5000'];
}

let installed: Promise<boolean> | undefined;

/** Whether `iperf3` runs here (asked once per process). */
export function iperf3Installed(binary = 'iperf3'): Promise<boolean> {
  installed ??= new Promise((resolve) => {
    execFile(binary, ['--version'], { timeout: 5000 }, (error) => resolve(error === null));
  });
  return installed;
}

export function runIperf3(
  target: { host: string; port: number },
  seconds: number,
  signal: AbortSignal | undefined,
  binary = 'iperf3',
): Promise<Iperf3Report> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      iperf3Argv(target.host, target.port, seconds),
      { timeout: (seconds + 20) * 1000, maxBuffer: 8 * 1024 * 1024, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, ...(signal ? { signal } : {}) },
      (error, stdout) => {
        if (signal?.aborted === true) {
          reject(cancelledError(signal));
          return;
        }
        // iperf3 -J exits non-zero on failure but still prints {"error": "..."}: prefer its words.
        try {
          resolve(parseIperf3Report(stdout));
        } catch (parseError) {
          const reason = parseError instanceof Error ? parseError : new Error(String(parseError));
          reject(error !== null && stdout.trim() === '' ? new BurrowError('helper_failed', `iperf3 failed: ${error.message}`) : reason);
        }
      },
    );
  });
}

/** `host:port`, `[v6]:port`, or a bare host (port 5201). */
export function parseIperf3Target(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3] ?? 5201);
  if (host === undefined || !(port >= 1 && port <= 65535)) throw new BurrowError('invalid_request', `"${text}" is not an iperf3 target (host:port).`);
  return { host, port };
}
