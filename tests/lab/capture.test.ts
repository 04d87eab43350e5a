// The capture is evidence only if it can say "I missed something". Pure checks of tcpdump's statistics and
// the file, then real tcpdump in a throwaway network namespace (root): a whole capture is read back, a
// tcpdump killed mid-capture makes stop() throw.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureArgv, checkCapture, parseTcpdumpStats, startCapture } from './capture.js';
import { spawnLogged } from './process.js';

const isRoot = process.getuid?.() === 0;
const hasTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
const STATS = 'tcpdump: listening on lo\n2 packets captured\n4 packets received by filter\n0 packets dropped by kernel\n';

describe('checking a stopped capture', () => {
  const whole = Buffer.alloc(24);
  whole.writeUInt32LE(0xa1b2c3d4, 0);
  whole.writeUInt32LE(101, 20);

  it('reads tcpdump’s closing statistics', () => {
    expect(parseTcpdumpStats(STATS)).toEqual({ captured: 2, droppedByKernel: 0, droppedByInterface: undefined });
    expect(parseTcpdumpStats(`${STATS}3 packets dropped by interface\n`)?.droppedByInterface).toBe(3);
    expect(parseTcpdumpStats('tcpdump: listening on lo\n')).toBeUndefined();
  });

  it('refuses a capture that died, failed, dropped, printed no statistics, or whose file does not match', () => {
    const empty = STATS.replace('2 packets captured', '0 packets captured');
    expect(checkCapture('c', { diedEarly: false, code: 0, log: empty, file: whole })).toEqual([]);
    expect(() => checkCapture('c', { diedEarly: true, code: 1, log: 'tcpdump: eth9: No such device', file: whole })).toThrow(/died before the capture was stopped.*No such device/);
    expect(() => checkCapture('c', { diedEarly: false, code: 1, log: empty, file: whole })).toThrow(/tcpdump exited 1/);
    expect(() => checkCapture('c', { diedEarly: false, code: null, log: empty, file: whole })).toThrow(/exited by a signal/);
    expect(() => checkCapture('c', { diedEarly: false, code: 0, log: 'listening on lo', file: whole })).toThrow(/no closing statistics/);
    expect(() => checkCapture('c', { diedEarly: false, code: 0, log: empty.replace('0 packets dropped by kernel', '7 packets dropped by kernel'), file: whole })).toThrow(/7 packets dropped by kernel/);
    expect(() => checkCapture('c', { diedEarly: false, code: 0, log: `${empty}1 packet dropped by interface\n`, file: whole })).toThrow(/1 packets dropped by interface/);
    expect(() => checkCapture('c', { diedEarly: false, code: 0, log: STATS, file: whole })).toThrow(/captured 2 packets but the file holds 0/);
    expect(() => checkCapture('c', { diedEarly: false, code: 0, log: empty, file: whole.subarray(0, 20) })).toThrow(/shorter than its 24-byte header/);
  });
});

describe.skipIf(!isRoot || !hasTcpdump)('real tcpdump in a throwaway namespace (needs root)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-capture-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (name: string) => {
    const file = join(dir, `${name}.pcap`);
    const argv = captureArgv('lo', file, { filter: 'icmp' });
    // unshare execs sh, which execs tcpdump: the pid is tcpdump's, and the namespace dies with it.
    const proc = spawnLogged(name, 'unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv], join(dir, `${name}.log`));
    const capture = await startCapture(proc, file);
    const ping = spawnSync('nsenter', [`--net=/proc/${proc.pid}/ns/net`, 'ping', '-c', '3', '-i', '0.2', '127.0.0.1'], { encoding: 'utf8' });
    expect(ping.status, ping.stderr).toBe(0);
    return { proc, capture, file };
  };

  it('a whole capture is read back: every echo request and reply', async () => {
    const { capture } = await start('whole');
    const packets = await capture.stop();
    expect(packets.filter((p) => p.proto === 'icmp' && p.icmpType === 8)).toHaveLength(3);
    expect(packets.filter((p) => p.proto === 'icmp' && p.icmpType === 0)).toHaveLength(3);
  });

  it('tcpdump killed during the capture: stop() throws instead of returning what it had', async () => {
    const { proc, capture } = await start('killed');
    process.kill(proc.pid, 'SIGKILL');
    await proc.exited;
    await expect(capture.stop()).rejects.toThrow(/tcpdump died before the capture was stopped/);
  });

  it('a file cut after tcpdump wrote it fails the capture', async () => {
    const { proc, file } = await start('cut');
    await proc.stop();
    const log = proc.log();
    truncateSync(file, readFileSync(file).length - 3);
    expect(() => checkCapture('cut', { diedEarly: false, code: 0, log, file: readFileSync(file) })).toThrow(/cut off/);
  });
});
