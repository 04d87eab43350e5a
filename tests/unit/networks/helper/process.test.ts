// The one supervision every helper-driven network uses (app/networks/helper/process.ts): a real child
// process (node itself) with an explicit environment, its lines, its exit once, and the stop sequence:
// the program's own signal, then SIGKILL when it does not go.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HelperProcess, describeExit, runHelper } from '../../../../app/networks/helper/process.js';

const run = (script: string, options: Partial<Parameters<typeof HelperProcess.start>[2]> = {}): HelperProcess =>
  HelperProcess.start(process.execPath, ['-e', script], { env: { PATH: '/usr/bin:/bin', ONLY: 'this' }, ...options });

describe('HelperProcess', () => {
  it('passes only the environment it was given, and reads stdout and stderr as lines (colour codes gone, a last line without newline kept)', async () => {
    const proc = run(`process.stdout.write(JSON.stringify(Object.keys(process.env).sort()) + '\\n'); process.stderr.write('\\u001b[32mgreen\\u001b[0m\\n\\n  \\npartial')`);
    const seen: string[] = [];
    proc.onLine((line) => seen.push(line));
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(seen).toContain('green');
    expect(seen).toContain('partial');
    expect(seen.some((line) => line.trim() === '')).toBe(false);
    const keys = JSON.parse(seen.find((line) => line.startsWith('[')) ?? '[]') as string[];
    expect(keys.filter((key) => key !== 'PWD' && key !== 'SHLVL' && key !== '_')).toEqual(['ONLY', 'PATH']);
    expect(proc.running).toBe(false);
    expect(describeExit(proc.exitInfo)).toBe('exited with code 0');
  });

  it('stops with the program\'s own signal first (SIGINT by default, SIGTERM for tor)', async () => {
    const script = (signal: string): string => `process.on('${signal}', () => { console.log('clean'); process.exit(7); }); console.log('up'); setInterval(() => {}, 1000);`;
    for (const [signal, options] of [['SIGINT', {}], ['SIGTERM', { stopSignal: 'SIGTERM' as const }]] as const) {
      const proc = run(script(signal), options);
      await new Promise<void>((resolve) => proc.onLine((line) => line === 'up' && resolve()));
      await proc.stop(5000);
      expect(proc.exitInfo).toEqual({ code: 7, signal: null });
      expect(proc.recent()).toContain('clean');
    }
  });

  it('kills a program that ignores the stop signal once the grace time is over, and a second stop is harmless', async () => {
    const proc = run(`process.on('SIGINT', () => {}); console.log('up'); setInterval(() => {}, 1000);`);
    await new Promise<void>((resolve) => proc.onLine((line) => line === 'up' && resolve()));
    await proc.stop(300);
    expect(proc.exitInfo).toEqual({ code: null, signal: 'SIGKILL' });
    expect(describeExit(proc.exitInfo)).toBe('was killed by SIGKILL');
    await proc.stop(300);
  });

  it('ownGroup: a child the program left behind (tor restarting a transport as it exits) is gone once stop resolves', async () => {
    // Running, not a zombie (this machine's init may never reap the orphan).
    const alive = (pid: number): boolean => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
      } catch {
        return false;
      }
    };
    // The program starts a child that ignores SIGTERM and would outlive it, prints the child's pid, and exits on SIGTERM.
    const script = `const c = require('child_process').spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
      console.log('child ' + c.pid); process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000);`;
    for (const ownGroup of [true, false]) {
      const proc = run(script, { stopSignal: 'SIGTERM', ownGroup });
      const child = await new Promise<number>((resolve) => proc.onLine((line) => line.startsWith('child ') && resolve(Number(line.slice(6)))));
      await proc.stop(5000);
      // Without its own group the orphan lives on (what the option is for); the test then ends it itself.
      expect(alive(child)).toBe(!ownGroup);
      if (alive(child)) process.kill(child, 'SIGKILL');
    }
  });

  it('a program that cannot start is an exit with a line saying why, not an exception', async () => {
    const proc = HelperProcess.start('/nonexistent/helper', [], { env: {}, startFailure: '[err] could not start tor' });
    expect(await proc.exited).toEqual({ code: null, signal: null });
    expect(proc.recent(1)[0]).toMatch(/^\[err\] could not start tor: .*ENOENT/);
  });

  it('runHelper: output and exit of a one-shot run; a run past its deadline is stopped', async () => {
    const done = await runHelper(process.execPath, ['-e', 'console.log("one"); console.log("two"); process.exit(3)'], { env: {}, timeoutMs: 10_000 });
    expect(done.exit.code).toBe(3);
    expect(done.stdout).toBe('one\ntwo');
    const hung = await runHelper(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: {}, timeoutMs: 200 });
    expect(hung.exit.signal).not.toBeNull();
  });
});
