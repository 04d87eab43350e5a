// WebRTC judgement: ICE candidates the renderer gathered; the own address or a LAN address is a leak.
import { describe, expect, it } from 'vitest';
import { judgeWebrtc, parseCandidate, type WebrtcInput } from '../../../app/leaks/webrtc.js';

const OWN = '198.51.100.7';
const VPN = '203.0.113.10';
const mdns = 'candidate:1 1 udp 2122260223 0b1e3f2a-1111-4a2b-9c3d-abcdefabcdef.local 54321 typ host generation 0 ufrag x network-cost 999';
const srflx = (ip: string, raddr = '0.0.0.0') => `candidate:2 1 udp 1686052607 ${ip} 40000 typ srflx raddr ${raddr} rport 0 generation 0`;
const host = (ip: string) => `a=candidate:3 1 udp 2122260223 ${ip} 50000 typ host generation 0`;

const input = (candidates: string[] | undefined, over: Partial<WebrtcInput> = {}): WebrtcInput => ({
  network: 'wireguard',
  candidates,
  own: [OWN, '192.168.1.20'],
  tunnelAddresses: ['10.64.0.2'],
  ...over,
});

describe('parseCandidate', () => {
  it('reads address, type, protocol and the related address, with or without a=', () => {
    expect(parseCandidate(srflx(VPN, '192.168.1.20'))).toEqual({ address: VPN, port: 40000, protocol: 'udp', type: 'srflx', relatedAddress: '192.168.1.20' });
    expect(parseCandidate(host('FD00:0:0::1'))).toMatchObject({ address: 'fd00::1', type: 'host' });
    expect(parseCandidate('candidate:9 1 TCP 1518280447 10.0.0.5 9 typ host tcptype active')).toMatchObject({ protocol: 'tcp', address: '10.0.0.5' });
  });

  it('ignores anything that is not a candidate line', () => {
    expect(parseCandidate('')).toBeUndefined();
    expect(parseCandidate('a=end-of-candidates')).toBeUndefined();
    expect(parseCandidate('candidate:garbage')).toBeUndefined();
  });
});

describe('judgeWebrtc', () => {
  it('no candidates supplied: not_tested, run from the app window', () => {
    const j = judgeWebrtc(input(undefined));
    expect(j.verdict).toBe('not_tested');
    expect(j.summary).toMatch(/app window/);
  });

  it('passes with an mDNS host candidate and the exit as the reflexive address…', () => {
    const j = judgeWebrtc(input([mdns, srflx(VPN)]));
    expect(j.verdict).toBe('passed');
    expect(j.summary).toContain(VPN);
  });

  it('…and leaks when the reflexive address is the own one', () => {
    const j = judgeWebrtc(input([mdns, srflx(OWN)]));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain(`your own address ${OWN}`);
  });

  it('a raw LAN address in a host candidate is a leak…', () => {
    const j = judgeWebrtc(input([host('192.168.7.9'), srflx(VPN)]));
    expect(j.verdict).toBe('leaked');
    expect(j.summary).toContain('your LAN address 192.168.7.9');
  });

  it('…but the tunnel’s own address is not', () => {
    expect(judgeWebrtc(input([host('10.64.0.2'), srflx(VPN)])).verdict).toBe('passed');
  });

  it('the LAN address hidden in raddr of a reflexive candidate is a leak', () => {
    expect(judgeWebrtc(input([srflx(VPN, '192.168.1.20')])).verdict).toBe('leaked');
  });

  it('a private reflexive address (a leak server on a private network, as in the lab) is not a LAN leak', () => {
    expect(judgeWebrtc(input([srflx('10.9.3.2')])).verdict).toBe('passed');
  });

  it('gathered but empty is no evidence: not tested, and the summary says why, never a pass', () => {
    const empty = judgeWebrtc(input([]));
    expect(empty.verdict).toBe('not_tested');
    expect(empty.summary).toBe('WebRTC could not be judged: the window gathered no ICE candidate at all, so nothing shows what a web page would see. Run it again from the app window.');
  });

  it('only lines that are not candidates: not tested either', () => {
    const junk = judgeWebrtc(input(['a=end-of-candidates', 'garbage']));
    expect(junk.verdict).toBe('not_tested');
    expect(junk.summary).toContain('none of the 2 lines it gathered was a candidate');
    expect(junk.evidence['unparsed']).toBe(2);
  });

  it('no tunnel: the own address in a candidate says so', () => {
    expect(judgeWebrtc(input([srflx(OWN)], { network: null })).summary).toMatch(/no tunnel is up/);
  });
});
