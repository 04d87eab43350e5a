// Start a real host (in-process) with its control socket in a temp dir, and talk raw JSON lines to it.
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../app/host/create-host.js';
import { startControlServer, type ControlServer } from '../../../app/host/control-server.js';

export interface TestHost {
  host: Host;
  control: ControlServer;
  dir: string;
  close(): Promise<void>;
}

export async function startTestHost(): Promise<TestHost> {
  const dir = mkdtempSync(join(tmpdir(), 'burrow-host-'));
  const host = await createHost({ dataDir: join(dir, 'data') });
  const control = await startControlServer(join(dir, 'host.sock'), host.handlers, () => undefined);
  host.onEvent((event, payload) => control.broadcast(event, payload));
  return {
    host,
    control,
    dir,
    async close() {
      await control.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw line client: send text, collect parsed lines. */
export class LineClient {
  readonly messages: Array<Record<string, unknown>> = [];
  closed = false;
  private buffer = '';
  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        this.messages.push(JSON.parse(this.buffer.slice(0, newline)) as Record<string, unknown>);
        this.buffer = this.buffer.slice(newline + 1);
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }
  static connect(path: string): Promise<LineClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path, () => resolve(new LineClient(socket)));
      socket.once('error', reject);
    });
  }
  send(text: string): void {
    this.socket.write(text);
  }
  async waitFor(predicate: (message: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const started = Date.now();
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      if (Date.now() - started > timeoutMs) throw new Error(`no matching message; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  end(): void {
    this.socket.end();
  }
}
