// The reliability suite (issue 12, item 8 and the WebSocket part of the IPC list): `burrow host --web`, the
// browser's front door, under what any web page the person opens can send to loopback (an <img> or a
// fetch to 127.0.0.1): URLs with broken escapes, traversal, oversized and garbage request lines, and
// WebSocket upgrades without the token, with a wrong one, from a foreign Origin, and with a foreign Host
// (DNS rebinding). What a person would check afterwards: it is the same host process, the page still
// loads, and the API still answers with the token (so the refusals above came from the input, not from a
// door that refuses everything). tests/unit/host/front-doors.test.ts covers the same in one process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientProcesses, startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';
import { figuresLine, newFigures } from './reliability-probes.js';

const isRoot = process.getuid?.() === 0;
const figures = newFigures();
// Inside the client namespace: loopback there is the test's own.
const PORT = 47080;

// Reads a JSON list of base64 requests on stdin; sends each on its own connection and prints, per request,
// the first line of the answer (or how the connection failed) as a JSON list.
const RAW_CLIENT = `
const net = require('node:net');
const requests = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const one = (b64) => new Promise((resolve) => {
  const s = net.createConnection(Number(process.argv[1]), '127.0.0.1');
  let out = ''; s.setEncoding('latin1');
  const done = (extra) => { clearTimeout(t); s.destroy(); resolve(out === '' && extra ? extra : out.split('\\r\\n')[0] + (out.includes('root:x:0:0') ? ' PASSWD' : '')); };
  const t = setTimeout(() => done('TIMEOUT'), 3000);
  s.on('data', (d) => { out += d; });
  s.on('close', () => done('CLOSED'));
  s.on('error', (e) => done('ERROR ' + e.code));
  s.on('connect', () => s.write(Buffer.from(b64, 'base64')));
});
(async () => { const answers = []; for (const r of requests) answers.push(await one(r)); process.stdout.write(JSON.stringify(answers)); })();`;

// One WebSocket with the token, one contract call: the API as the browser UI uses it.
const WS_CLIENT = `
const WebSocket = require('ws');
const ws = new WebSocket(process.argv[1], { headers: { Origin: process.argv[2] } });
ws.on('open', () => ws.send(JSON.stringify({ id: 1, method: 'getSnapshot', params: {} })));
ws.on('message', (m) => { process.stdout.write(String(m)); ws.close(); });
ws.on('error', (e) => { process.stdout.write('ERROR ' + e.message); process.exit(0); });
setTimeout(() => { process.stdout.write('TIMEOUT'); process.exit(0); }, 10000).unref();`;

const upgrade = (path: string, extra = '', host = `127.0.0.1:${PORT}`): string =>
  `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;
const get = (path: string, host = `127.0.0.1:${PORT}`): string => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;

describe.skipIf(!isRoot)('the --web host under hostile requests (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let token: string;

  const hostPid = (): number | undefined => clientProcesses(lab).find((p) => /burrow\.mjs host\b/.test(p.cmdline))?.pid;
  const send = async (requests: readonly string[]): Promise<string[]> => {
    const input = JSON.stringify(requests.map((r) => Buffer.from(r, 'latin1').toString('base64')));
    const { stdout } = await lab.exec('client', [process.execPath, '-e', RAW_CLIENT, String(PORT)], { timeoutMs: 60_000, input });
    return JSON.parse(stdout) as string[];
  };
  const apiAnswer = async (origin = `http://127.0.0.1:${PORT}`): Promise<string> =>
    (await lab.exec('client', [process.execPath, '-e', WS_CLIENT, `ws://127.0.0.1:${PORT}/api?token=${token}`, origin], { check: false, timeoutMs: 20_000 })).stdout;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'rel-web', hostArgs: ['--web', `127.0.0.1:${PORT}`] });
    const printed = await burrow.host!.waitForLog(/Burrow web UI: http:\/\/127\.0\.0\.1:\d+\/\?token=([A-Za-z0-9_-]+)/, 15_000);
    token = printed[1] ?? '';
    expect(token).not.toBe('');
  });
  afterAll(async () => {
    await burrow?.stop();
    await lab?.stop();
    console.log(figuresLine('web front door', figures));
  });

  it('anti-test: with the token the page loads and the API answers (the door is open to its own UI)', async () => {
    figures.cases++;
    const [page] = await send([get('/')]);
    expect(page).toMatch(/^HTTP\/1\.1 200 /);
    expect(await apiAnswer()).toMatch(/^\{"id":1,"ok":true,"result":\{"state":\{"state":"disconnected"/);
  });

  it('URLs a web page can send get an error status, never a dropped connection; the same host still serves the page', async () => {
    figures.cases++;
    const pid = hostPid();
    expect(pid).toBeGreaterThan(0);
    // Each answer: an HTTP status (not a reset, not a hang) and never the file it reached for.
    const error = /^HTTP\/1\.[01] 4\d\d /;
    const hostile: Record<string, [string, RegExp]> = {
      'a truncated escape (used to end the host)': [get('/%E0%A4%A'), / 400 /],
      'a lone percent': [get('/%'), / 400 /],
      'half an escape': [get('/a%2'), / 400 /],
      'an escaped NUL': [get('/%00'), / 400 /],
      'traversal with escaped slashes': [get('/..%2f..%2f..%2f..%2fetc%2fpasswd'), error],
      // The URL parser takes the dots away: /etc/passwd, a client-side route, so the page itself.
      'traversal with dots': [get('/../../../../etc/passwd'), /^HTTP\/1\.1 (200 OK|4\d\d .*)$/],
      'a foreign Host (DNS rebinding)': [get('/', `rebind.example:${PORT}`), / 421 /],
      'an oversized URL': [get(`/${'A'.repeat(70_000)}`), / 431 /],
      'a garbage request line': ['\u0000\u0001\u00ff GARBAGE\r\n\r\n', / 400 /],
    };
    const answers = await send(Object.values(hostile).map(([request]) => request));
    figures.faults += answers.length;
    Object.entries(hostile).forEach(([name, [, status]], i) => {
      expect({ name, answer: answers[i] }).toEqual({ name, answer: expect.stringMatching(status) as unknown });
      expect({ name, answer: answers[i] }).not.toEqual({ name, answer: expect.stringMatching(/PASSWD/) as unknown });
    });
    expect(hostPid()).toBe(pid);
    expect((await send([get('/')]))[0]).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('WebSocket upgrades without the token, with a wrong one, from a foreign Origin or Host are refused; the API still answers', async () => {
    figures.cases++;
    const pid = hostPid();
    const hostile: Record<string, [string, RegExp]> = {
      'a truncated escape': [upgrade('/%E0%A4%A'), / 400 /],
      'no token': [upgrade('/api'), / 401 /],
      'a wrong token': [upgrade(`/api?token=${'x'.repeat(token.length)}`), / 401 /],
      'the token of another length': [upgrade('/api?token=short'), / 401 /],
      'a foreign Origin with the right token': [upgrade(`/api?token=${token}`, 'Origin: http://evil.example\r\n'), / 403 /],
      'a foreign Host with the right token (DNS rebinding)': [upgrade(`/api?token=${token}`, '', `rebind.example:${PORT}`), / 421 /],
      'another path': [upgrade(`/other?token=${token}`), / 404 /],
    };
    const answers = await send(Object.values(hostile).map(([request]) => request));
    figures.faults += answers.length;
    Object.entries(hostile).forEach(([name, [, status]], i) => {
      expect({ name, answer: answers[i] }).toEqual({ name, answer: expect.stringMatching(status) as unknown });
    });
    // A real browser from another site: refused with the token too.
    expect(await apiAnswer('http://evil.example')).toMatch(/^ERROR .*403/);
    expect(hostPid()).toBe(pid);
    expect(await apiAnswer()).toMatch(/^\{"id":1,"ok":true,/);
    expect(burrow.host!.log()).toMatch(/Refused a WebSocket connection: foreign origin http:\/\/evil\.example/);
  });
});
