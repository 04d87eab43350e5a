// WebRTC through Burrow's WireGuard tunnel as the app window gathers it: real Chromium in the lab's client
// namespace runs an RTCPeerConnection against leakd's STUN server, and the candidates it gathered (not
// made-up ones) go to the host's leak test over the contract. Without a tunnel the STUN server sees the
// client's own address and the verdict is "leaked" (the anti-test); through the tunnel it sees the VPN
// server and the verdict is "passed".
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectControl } from '../../app/cli/control-client.js';
import type { LeakVerdict } from '../../app/domain/index.js';
import { launchChromium } from '../ui/support/browser.js';
import { startBurrowInLab, type BurrowInLab } from './burrow-in-lab.js';
import { startLab, type Lab } from './lab.js';

const isRoot = process.getuid?.() === 0;

/** The page script: gather every candidate until gathering completes (or 8 s), as a browser tab would. */
const GATHER = `async (stun) => {
  const pc = new RTCPeerConnection({ iceServers: [{ urls: 'stun:' + stun }] });
  const found = [];
  const done = new Promise((resolve) => {
    pc.onicecandidate = (e) => (e.candidate ? found.push(e.candidate.candidate) : resolve());
    setTimeout(resolve, 8000);
  });
  pc.createDataChannel('probe');
  await pc.setLocalDescription(await pc.createOffer());
  await done;
  pc.close();
  return found;
}`;

interface Gathered {
  candidates: string[];
  srflx: string[];
}

describe.skipIf(!isRoot)('WebRTC candidates gathered by Chromium, judged by the host (needs root: network namespaces)', () => {
  let lab: Lab;
  let burrow: BurrowInLab;
  let browser: Browser;

  const gather = async (): Promise<Gathered> => {
    const page = await browser.newPage();
    try {
      await page.goto(`${lab.leakd.url}/json`);
      const candidates = await page.evaluate<string[]>(`(${GATHER})(${JSON.stringify(lab.leakd.stun)})`);
      const srflx = candidates.filter((c) => / typ srflx /.test(c)).map((c) => c.split(' ')[4] ?? '');
      return { candidates, srflx };
    } finally {
      await page.close();
    }
  };
  const judge = async (candidates: string[]): Promise<LeakVerdict> => {
    const control = await connectControl(burrow.controlSocket);
    try {
      const { verdicts } = await control.client.runLeakTest({ tests: ['webrtc'], webrtcCandidates: candidates });
      const [verdict] = verdicts;
      if (verdict === undefined) throw new Error('the host answered no WebRTC verdict');
      return verdict;
    } finally {
      control.close();
    }
  };

  beforeAll(async () => {
    lab = await startLab({ tor: false });
    burrow = await startBurrowInLab(lab, { name: 'webrtc' });
    expect((await burrow.cli(['profile', 'import', burrow.confFile, '--name', 'lab'])).code).toBe(0);
    expect((await burrow.cli(['settings', 'set', `leakServer=${lab.leakd.url}`])).code).toBe(0);
    // Chromium itself runs in the client namespace; Playwright talks to it over a pipe.
    const wrapper = join(lab.dir, 'chromium-in-client');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lab.namespaces.client} /usr/bin/chromium "$@"\n`);
    chmodSync(wrapper, 0o755);
    browser = await launchChromium([], wrapper);
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await burrow?.stop();
    await lab?.stop();
  });

  it('anti-test: with no tunnel, leakd’s STUN sees the client and the host says WebRTC leaked', async () => {
    const { candidates, srflx } = await gather();
    expect(srflx, candidates.join('\n')).toContain(lab.addresses.client);
    const verdict = await judge(candidates);
    expect(verdict).toMatchObject({ test: 'webrtc', verdict: 'leaked', network: null });
    expect(verdict.summary).toContain(lab.addresses.client);
  });

  it('through Burrow’s WireGuard tunnel, the STUN server sees the VPN server, never the client, and WebRTC passes', async () => {
    expect((await burrow.cliJson<{ state: string }>(['connect', 'lab'], 60_000)).data.state).toBe('connected');
    try {
      const { candidates, srflx } = await gather();
      expect(srflx, candidates.join('\n')).toContain(lab.addresses.vpn);
      expect(candidates.filter((c) => c.includes(lab.addresses.client)), candidates.join('\n')).toEqual([]);
      const verdict = await judge(candidates);
      expect(verdict).toMatchObject({ test: 'webrtc', verdict: 'passed', network: 'wireguard' });
    } finally {
      await burrow.cliJson(['disconnect']);
    }
  });
});
