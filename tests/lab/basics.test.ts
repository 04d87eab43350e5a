// The lab without Tor: a client behind an ISP, the internet with leakd, a WireGuard provider, a censor.
// Each test checks what a user would check: which address the internet sees, which resolver asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echo, freshLeakName, resolversOf } from './http.js';
import { startLab, type Lab } from './lab.js';
import { findLeftovers } from './leftovers.js';
import { inFlow, strayLines, strays, wireguardFlow } from './strays.js';
import { wgQuickUp } from './wg-quick.js';

const isRoot = process.getuid?.() === 0;

describe.skipIf(!isRoot)('lab without Tor (needs root: network namespaces)', () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await startLab({ tor: false });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('the echo sees the client’s own address without a tunnel (IPv4 and IPv6)', async () => {
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
    expect((await echo(lab, 'client', { v6: true })).ip).toBe(lab.addresses.clientV6);
  });

  it('the DNS-leak endpoint reports the ISP resolver when the client asks through it', async () => {
    const name = await freshLeakName(lab);
    expect(await resolversOf(lab, name)).toEqual([]);
    // Plain system resolution, as any program on the client does it: resolv.conf names the ISP.
    const answer = await lab.exec('client', ['dig', '+short', name]);
    expect(answer.stdout.trim()).toBe(lab.addresses.echo);
    expect(await resolversOf(lab, name)).toEqual([lab.addresses.ispResolver]);
    expect(lab.resolverQueries('isp').filter((q) => q.name === name).map((q) => q.from)).toEqual([lab.addresses.client]);
  });

  it('a query sent to the public resolver is reported as the public resolver', async () => {
    const name = await freshLeakName(lab);
    await lab.exec('client', ['dig', '+short', `@${lab.addresses.publicResolver}`, name]);
    expect(await resolversOf(lab, name)).toEqual([lab.addresses.publicResolver]);
    expect(lab.resolverQueries('isp').some((q) => q.name === name)).toBe(false);
  });

  it('leakd’s STUN server tells the client the address it is seen from', async () => {
    // A Binding request as a browser's WebRTC stack sends it, from a socket in the client namespace.
    const script = `
      const s = require('node:dgram').createSocket('udp4');
      const req = Buffer.alloc(20); req.writeUInt16BE(1, 0); req.writeUInt32BE(0x2112a442, 4);
      require('node:crypto').randomBytes(12).copy(req, 8);
      s.on('message', (m) => { const v = m.subarray(m.indexOf(Buffer.from([0, 0x20])) + 4);
        const ip = [4, 5, 6, 7].map((i, k) => v[i] ^ [0x21, 0x12, 0xa4, 0x42][k]).join('.');
        console.log(ip); s.close(); });
      s.send(req, 3478, process.argv[1]);
      setTimeout(() => process.exit(1), 3000).unref();`;
    const { stdout } = await lab.exec('client', [process.execPath, '-e', script, lab.addresses.echo]);
    expect(stdout.trim()).toBe(lab.addresses.client);
  });

  it('through the lab’s WireGuard .conf set up by hand, the echo sees the VPN server and only the tunnel leaves the client', async () => {
    const conf = lab.wireguard?.clientConf ?? '';
    expect(conf).toMatch(/^PrivateKey = /m);
    const tunnel = [wireguardFlow(lab)];
    const wg = await wgQuickUp(lab, 'client', conf);
    try {
      const capture = await lab.capture('client', lab.interfaces.client);
      const seen = await echo(lab);
      // IPv6 goes through the tunnel too (AllowedIPs ::/0): the echo sees the server's IPv6 address.
      const seen6 = await echo(lab, 'client', { v6: true });
      const packets = await capture.stop();
      expect(seen.ip).toBe(lab.addresses.vpn);
      expect(seen6.ip).toBe(lab.addresses.vpnV6);
      expect(packets.filter((p) => tunnel.some((flow) => inFlow(p, flow))).length).toBeGreaterThan(0);
      expect(strayLines(packets, tunnel)).toEqual([]);
    } finally {
      await wg.down();
    }
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
  });

  it('anti-test: without the tunnel, the same capture and filter count the same requests as strays (IPv4 and IPv6)', async () => {
    const capture = await lab.capture('client', lab.interfaces.client);
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
    expect((await echo(lab, 'client', { v6: true })).ip).toBe(lab.addresses.clientV6);
    const found = strays(await capture.stop(), [wireguardFlow(lab)]);
    expect(found.filter((p) => p.family === 4 && p.dst === lab.addresses.echo).length).toBeGreaterThan(0);
    expect(found.filter((p) => p.family === 6 && p.dst === lab.addresses.echoV6).length).toBeGreaterThan(0);
  });

  it('with the censor dropping WireGuard handshakes, the tunnel never comes up; cleared, it does', async () => {
    await lab.censor.dropWireguardHandshakes();
    const tunnel = await wgQuickUp(lab, 'client', lab.wireguard?.clientConf ?? '');
    try {
      const blocked = await lab.exec('client', ['curl', '-sS', '--max-time', '4', `${lab.leakd.url}/json`], { check: false });
      expect(blocked.code).not.toBe(0);
      const handshakes = await lab.exec('client', ['wg', 'show', tunnel.ifname, 'latest-handshakes']);
      expect(handshakes.stdout.trim().split(/\s+/)[1]).toBe('0');
      expect(await lab.censor.ruleset()).toMatch(/udp length 156 @th,64,32 0x1000000 counter packets [1-9]/);
      await lab.censor.clear();
      expect((await echo(lab)).ip).toBe(lab.addresses.vpn);
    } finally {
      await lab.censor.clear();
      await tunnel.down();
    }
  });

  it('the censor can block an address outright', async () => {
    await lab.censor.block([lab.addresses.echo]);
    try {
      const r = await lab.exec('client', ['curl', '-sS', '--max-time', '3', `${lab.leakd.url}/json`], { check: false });
      expect(r.code).not.toBe(0);
    } finally {
      await lab.censor.clear();
    }
    expect((await echo(lab)).ip).toBe(lab.addresses.client);
  });

  it('stop leaves no namespace, process or file of the run behind', async () => {
    const report = await lab.stop();
    expect(report.survivors).toEqual([]);
    expect(findLeftovers(lab)).toEqual({ namespaces: [], processes: [], files: [] });
  });
});
