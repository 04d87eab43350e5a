// The reliability suite (issue 12): Burrow's two sockets under hostile input, with a WireGuard tunnel
// connected: netd's (root's hands) and the host's control socket (the contract). Malformed JSON, binary
// bytes, invalid UTF-8, deep nesting, oversized frames with and without a newline, half a message then a
// hang-up, unknown commands, answers and events sent the wrong way, a resume before any pause; and another
// uid (`nobody`) knocking. What a person would check afterwards: both processes are the same processes
// (nothing crashed or restarted), both still answer, the firewall table is exactly as it was (rules, not
// counters), the tunnel still carries traffic, and nothing left the client outside it meanwhile.
// The unit tests cover each server's framing alone (tests/unit/netd/server.test.ts,
// tests/unit/host/control-server.test.ts); this is the same against the real processes together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { echo } from './http.js';
import { startLab, type Lab } from './lab.js';
import { figuresLine, newFigures, NOBODY } from './reliability-probes.js';
import { netdPidIn, strayLines, wireguardFlow } from './strays.js';

const isRoot = process.getuid?.() === 0;
const figures = newFigures();

// Sends the bytes it reads (base64) on stdin on one connection, prints what came back (or the connect error), then exits.
const RAW_CLIENT = `
const s = require('node:net').createConnection(process.argv[1]);
let out = ''; s.setEncoding('utf8');
s.on('data', (d) => { out += d; });
s.on('close', () => { process.stdout.write(out); process.exit(0); });
s.on('error', (e) => { process.stdout.write(out + 'ERROR ' + e.code); process.exit(0); });
const bytes = Buffer.from(require('node:fs').readFileSync(0, 'utf8'), 'base64');
s.on('connect', () => { s.write(bytes); if (process.argv[2] === 'end') s.end(); });
setTimeout(() => { process.stdout.write(out); process.exit(0); }, 1500).unref();`;

const b = (text: string | Buffer): Buffer => (typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

/** Hostile frames both servers get, each on its own connection. */
function fuzzFrames(limit: number): { name: string; bytes: Buffer; end: boolean }[] {
  return [
    { name: 'not JSON', bytes: b('hello netd\n'), end: false },
    { name: 'a blank line', bytes: b('\n\n\n'), end: false },
    { name: 'binary bytes', bytes: Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)), end: true },
    { name: 'invalid UTF-8', bytes: Buffer.concat([b('{"id":1,"method":"'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), b('","params":{}}\n')]), end: false },
    { name: 'deep nesting', bytes: b(`${'['.repeat(Math.floor(limit / 4))}${']'.repeat(Math.floor(limit / 4))}\n`), end: false },
    { name: 'an oversized frame with a newline', bytes: b(`{"id":1,"method":"ping","params":{"x":"${'A'.repeat(limit + 10)}"}}\n`), end: false },
    { name: 'an oversized frame without one', bytes: b('B'.repeat(limit * 2)), end: false },
    { name: 'half a message, then hang up', bytes: b('{"id":7,"method":"pi'), end: true },
    { name: 'an unknown command', bytes: b('{"id":2,"method":"rm -rf /","params":{}}\n'), end: false },
    { name: 'a prototype key', bytes: b('{"id":3,"method":"__proto__","params":{"__proto__":{"admin":true}}}\n'), end: false },
    { name: 'an id that is not a number', bytes: b('{"id":{"a":1},"method":"ping","params":{}}\n'), end: false },
    { name: 'an answer sent to the server', bytes: b('{"id":4,"ok":true,"result":{"cleared":true}}\n'), end: false },
    { name: 'an event sent to the server', bytes: b('{"event":"state","data":{"state":"disconnected","lockedDown":false}}\n'), end: false },
    { name: 'params of the wrong type', bytes: b('{"id":5,"method":"wgStatus","params":["wg0"]}\n'), end: false },
    { name: 'a resume before any pause', bytes: b('{"id":6,"method":"wgResume","params":{"ifname":"burrowzz9"}}\n'), end: false },
    { name: 'the same id twice at once', bytes: b('{"id":8,"method":"nope","params":{}}\n{"id":8,"method":"nope","params":{}}\n'), end: false },
  ];
}

describe.skipIf(!isRoot)('reliability: netd’s and the host’s sockets fuzzed while connected (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;

  const send = async (socket: string, bytes: Buffer, end: boolean, asNobody = false): Promise<string> =>
    (await lab.exec('client', [...(asNobody ? NOBODY : []), process.execPath, '-e', RAW_CLIENT, socket, end ? 'end' : 'keep'], { check: false, timeoutMs: 15_000, input: bytes.toString('base64') })).stdout;
  /** The table's rules as text, without the counters' numbers (they move with any traffic). */
  const rules = async (): Promise<string> => (await lab.exec('client', ['nft', 'list', 'table', 'inet', 'burrow'])).stdout.replace(/packets \d+ bytes \d+/g, 'packets N bytes N');
  const hostPid = (): number | undefined => clientProcesses(lab).find((p) => /burrow\.mjs host\b/.test(p.cmdline))?.pid;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-ipc' });
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
    console.log(figuresLine('IPC fuzz', figures));
  });

  for (const target of ['netd', 'host'] as const) {
    it(`${target}: every hostile frame gets an error or a hang-up; the same process still answers, the rules and the tunnel are untouched`, async () => {
      figures.cases++;
      const socket = target === 'netd' ? burrow.netdSocket : burrow.controlSocket;
      const pid = target === 'netd' ? netdPidIn(lab) : hostPid();
      expect(pid).toBeGreaterThan(0);
      const before = await rules();
      const capture = await lab.capture('client', lab.interfaces.client);
      const answers: Record<string, string> = {};
      for (const frame of fuzzFrames(target === 'netd' ? 64 * 1024 : 1024 * 1024)) {
        answers[frame.name] = await send(socket, frame.bytes, frame.end);
        figures.faults++;
      }
      // No frame was taken for a successful command, except the resume of nothing: an idempotent no-op.
      const resume = 'a resume before any pause';
      for (const [name, answer] of Object.entries(answers)) if (name !== resume) expect({ name, ok: /"ok":true/.test(answer) }).toEqual({ name, ok: false });
      if (target === 'netd') expect(answers[resume]).toMatch(/"ok":true.*"paused":false|"ok":false/);
      expect(answers['an unknown command']).toMatch(/"ok":false/);
      expect(answers['an oversized frame with a newline']).toMatch(/"ok":false|^$/);
      // Still the same process, still answering.
      expect(target === 'netd' ? netdPidIn(lab) : hostPid()).toBe(pid);
      if (target === 'netd') expect(await burrow.netdRaw('{"id":9,"method":"ping","params":{}}\n', 2000)).toMatch(/"ok":true.*"pid":/);
      else expect((await burrow.cliJson<{ state: string }>(['status'])).data.state).toBe('connected');
      expect(await rules()).toBe(before);
      expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
      const found = strayLines(await capture.stop(), [wireguardFlow(lab)]);
      figures.leaked += found.length;
      expect(found).toEqual([]);
    });
  }

  it('another uid (nobody) is refused by both sockets (their permissions: netd’s is root’s, 0600) and changes nothing', async () => {
    figures.cases++;
    const before = await rules();
    for (const socket of [burrow.netdSocket, burrow.controlSocket]) {
      const answer = await send(socket, b('{"id":1,"method":"clearFirewall","params":{}}\n{"id":2,"method":"disconnect","params":{}}\n'), false, true);
      expect({ socket, answer }).toEqual({ socket, answer: expect.stringMatching(/^ERROR E(ACCES|PERM|CONNREFUSED)$/) as unknown });
    }
    expect(await rules()).toBe(before);
    expect((await burrow.cliJson<{ state: string }>(['status'])).data.state).toBe('connected');
  });

  it('anti-test: the same raw client, as root, does reach netd and changes the rules (so “untouched” above could have failed)', async () => {
    figures.cases++;
    const before = await rules();
    // A real command through the same client: clearFirewall takes the table away.
    expect(await send(burrow.netdSocket, b('{"id":1,"method":"clearFirewall","params":{}}\n'), false)).toMatch(/"ok":true/);
    const after = await lab.exec('client', ['nft', 'list', 'table', 'inet', 'burrow'], { check: false });
    expect(after.code === 0 ? after.stdout.replace(/packets \d+ bytes \d+/g, 'packets N bytes N') : '').not.toBe(before);
    // Back as the host holds it: a real policy change makes it apply again.
    await burrow.cliJson(['disconnect']);
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
    expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
  });
});
