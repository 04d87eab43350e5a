// `burrow host --web` as a browser and an attacker meet it: loopback only, token required, foreign
// origins and hosts refused, files outside the renderer never served.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createHost, type Host } from '../../../app/host/create-host.js';
import { parseWebAddress, startWebServer, type WebServer } from '../../../app/host/web-server.js';

let dir: string;
let host: Host;
let web: WebServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'burrow-web-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Burrow</title>');
  writeFileSync(join(dir, 'secret.txt'), 'outside the renderer');
  host = await createHost({ dataDir: join(dir, 'data') });
  web = await startWebServer({ address: '127.0.0.1:0', rendererDir: join(dir, 'renderer'), handlers: host.handlers, log: () => undefined });
  host.onEvent((event, payload) => web.broadcast(event, payload));
  token = new URL(web.url).searchParams.get('token') ?? '';
});
afterAll(async () => {
  await web.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers: { host: `127.0.0.1:${web.port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(query: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/api${query}`, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function ask(ws: WebSocket, message: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const parsed = JSON.parse((data as Buffer).toString("utf8")) as Record<string, unknown>;
      if ('id' in parsed) {
        ws.off('message', onMessage);
        resolve(parsed);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

describe('web server', () => {
  it('serves only on loopback', () => {
    expect(() => parseWebAddress('0.0.0.0:80')).toThrow(/loopback only/);
    expect(() => parseWebAddress('10.0.0.5:80')).toThrow(/loopback only/);
    expect(parseWebAddress('[::1]:7000')).toEqual({ host: '::1', port: 7000 });
  });

  it('prints a URL with a long random token', () => {
    expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('serves the renderer with a strict CSP and nothing outside it', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Burrow</title>');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    expect((await get('/..%2fsecret.txt')).body).not.toContain('outside the renderer');
    expect((await get('/', { host: 'evil.example:80' })).status).toBe(421);
  });

  it('refuses the API without the token, with a wrong token, from a foreign origin or a foreign Host', async () => {
    await expect(openSocket('')).rejects.toThrow('HTTP 401');
    await expect(openSocket('?token=wrong')).rejects.toThrow('HTTP 401');
    await expect(openSocket(`?token=${token}`, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('answers the contract and pushes events with the token from the page origin', async () => {
    const ws = await openSocket(`?token=${token}`, `http://127.0.0.1:${web.port}`);
    expect(await ask(ws, { id: 1, method: 'getSnapshot', params: {} })).toMatchObject({ ok: true, result: { state: { state: 'disconnected' } } });
    const event = new Promise((resolve) => ws.on('message', (data: WebSocket.RawData) => {
      const parsed = JSON.parse((data as Buffer).toString("utf8")) as { event?: string; data?: unknown };
      if (parsed.event === 'settings') resolve(parsed.data);
    }));
    await ask(ws, { id: 2, method: 'updateSettings', params: { lockdown: true } });
    expect(await event).toMatchObject({ lockdown: true });
    expect(await ask(ws, { id: 3, method: 'nope' })).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    ws.close();
  });
});
