// iperf3: the report parser, the argv, the choice of method, and a real iperf3 on loopback when installed.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iperf3Argv, iperf3Installed, parseIperf3Report, parseIperf3Target, runIperf3 } from '../../../app/measure/iperf3.js';
import { chooseMethod, measureThroughput } from '../../../app/measure/throughput.js';
import { SYSTEM_ROUTE } from '../../../app/measure/types.js';

const REPORT = JSON.stringify({
  start: { version: 'iperf 3.12', connected: [] },
  intervals: [],
  end: {
    sum_sent: { start: 0, end: 5.0, seconds: 5.0, bytes: 150_000_000, bits_per_second: 240_000_000, retransmits: 12, sender: false },
    sum_received: { start: 0, end: 5.0, seconds: 5.0, bytes: 149_000_000, bits_per_second: 238_400_000, sender: false },
  },
});

describe('iperf3 report and argv', () => {
  it('takes the received total of a reverse test', () => {
    expect(parseIperf3Report(REPORT)).toEqual({ bitsPerSecond: 238_400_000, bytes: 149_000_000, seconds: 5, retransmits: 12, version: 'iperf 3.12' });
  });

  it('turns iperf3’s own error into a readable one, and refuses what is not a report', () => {
    expect(() => parseIperf3Report(JSON.stringify({ start: {}, end: {}, error: 'unable to connect to server: Connection refused' }))).toThrow(
      'iperf3: unable to connect to server: Connection refused',
    );
    expect(() => parseIperf3Report('warning: junk')).toThrow(/no JSON/);
    expect(() => parseIperf3Report(JSON.stringify({ end: {} }))).toThrow(/no received total/);
  });

  it('argv: client, reverse, JSON, duration; targets with and without a port, IPv6 in brackets', () => {
    expect(iperf3Argv('10.1.80.81', 5201, 5)).toEqual(['-c', '10.1.80.81', '-p', '5201', '-R', '-J', '-t', '5', '--connect-timeout', '5000']);
    expect(parseIperf3Target('10.1.80.81:5202')).toEqual({ host: '10.1.80.81', port: 5202 });
    expect(parseIperf3Target('iperf.example')).toEqual({ host: 'iperf.example', port: 5201 });
    expect(parseIperf3Target('[fd6c:1::80]:5201')).toEqual({ host: 'fd6c:1::80', port: 5201 });
    expect(() => parseIperf3Target('a:b:c')).toThrow(/not an iperf3 target/);
  });

  it('auto: iperf3 only with a server and the host’s own sockets; HTTP otherwise, and says why', async () => {
    const socks = { kind: 'socks5' as const, proxy: { host: '127.0.0.1', port: 9050 } };
    expect(await chooseMethod({ method: 'auto', route: SYSTEM_ROUTE, httpBase: 'http://x' })).toEqual({ method: 'http' });
    expect(await chooseMethod({ method: 'iperf3', route: socks, iperf3: { host: 'x', port: 1 }, httpBase: 'http://x' })).toEqual({
      method: 'http',
      note: 'HTTP download instead of iperf3: iperf3 cannot go through a SOCKS proxy.',
    });
    await expect(chooseMethod({ method: 'auto', route: socks, iperf3: { host: 'x', port: 1 } })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe.skipIf(process.platform !== 'linux')('iperf3 on loopback', () => {
  let server: ChildProcess | undefined;
  const port = 20000 + Math.floor(Math.random() * 20000);

  beforeAll(async () => {
    if (!(await iperf3Installed())) return;
    server = spawn('iperf3', ['-s', '--forceflush', '-B', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'ignore'] });
    // Ready when it says so ("Server listening on <port>"), not after a guessed pause.
    const out = server.stdout;
    await new Promise<void>((resolve, reject) => {
      let text = '';
      out?.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
        if (text.includes(`Server listening on ${port}`)) resolve();
      });
      server?.once('exit', (code) => reject(new Error(`iperf3 -s exited (${code}) before listening: ${text}`)));
    });
  });
  afterAll(() => {
    server?.kill();
  });

  it('measures a reverse transfer through runIperf3 and measureThroughput', async () => {
    if (!server) return;
    const result = await measureThroughput({ route: SYSTEM_ROUTE, method: 'iperf3', iperf3: { host: '127.0.0.1', port }, seconds: 1 });
    expect(result.method).toBe('iperf3');
    expect(result.bitsPerSecond).toBeGreaterThan(100e6);
    expect(result.extra.iperf3).toMatch(/^iperf 3/);
  });

  it('a refused connection and a cancel are errors with codes', async () => {
    if (!server) return;
    await expect(runIperf3({ host: '127.0.0.1', port: 1 }, 1, undefined)).rejects.toMatchObject({ code: 'network_unavailable' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await expect(runIperf3({ host: '127.0.0.1', port }, 10, controller.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });
});
