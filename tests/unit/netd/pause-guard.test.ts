// Issue 12 item 10: the kill-switch probe pauses a tunnel only while the tunnel policy's rules are in
// place; under open rules, or with the table removed and not put back, pausing would itself be the leak.
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/netd/handlers.js';

function handlersWith(keptKind: string | undefined, check: 'ok' | 'repaired' | 'failed' | 'idle') {
  const paused: string[] = [];
  const handlers = createHandlers({
    firewall: { keptKind, check: () => Promise.resolve(check) },
    tunnels: { pause: (ifname: string) => Promise.resolve(void paused.push(ifname)) },
  } as never);
  return { handlers, paused };
}

const caller = { uid: () => Promise.resolve(0) };

describe('wgPause', () => {
  it.each([
    ['no policy', undefined, 'idle'],
    ['the block policy', 'block', 'ok'],
    ['a tunnel table netd could not put back', 'tunnel', 'failed'],
  ] as const)('refuses under %s', async (_what, kind, check) => {
    const { handlers, paused } = handlersWith(kind, check);
    await expect(handlers.wgPause({ ifname: 'burrow0', maxMs: 1000 }, caller)).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/netd will not pause burrow0/) as unknown });
    expect(paused).toEqual([]);
  });

  it('pauses under the tunnel policy', async () => {
    const { handlers, paused } = handlersWith('tunnel', 'ok');
    await handlers.wgPause({ ifname: 'burrow0', maxMs: 1000 }, caller);
    expect(paused).toEqual(['burrow0']);
  });
});
