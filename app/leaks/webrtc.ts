// WebRTC: the renderer gathers ICE candidates against the leak server's STUN server (Chromium's own
// behaviour in the app is what is tested) and hands them to the host; they are judged here. A candidate that
// carries the person's real address, or an address on their LAN, tells any web page where they are.
// Candidates with an mDNS name (`….local`) hide the LAN address and are fine.
import type { NetworkKind } from '../domain/index.js';
import { canonicalIp, ipFamilyOf, ipSet, isPrivateAddress } from './addresses.js';
import { leaked, listOf, notTested, passed, type Judgement } from './judgement.js';

export interface IceCandidate {
  address: string;
  port: number;
  protocol: string;
  type: string;
  relatedAddress?: string;
}

/** Parses `candidate:…` (with or without `a=`); undefined for anything else. */
export function parseCandidate(line: string): IceCandidate | undefined {
  const text = line.trim().replace(/^a=/, '');
  const m = /^candidate:\S+\s+\d+\s+(\S+)\s+\d+\s+(\S+)\s+(\d+)\s+typ\s+(\S+)(.*)$/i.exec(text);
  if (m === null) return undefined;
  const [, protocol = '', address = '', port = '0', type = '', rest = ''] = m;
  const related = /\braddr\s+(\S+)/.exec(rest)?.[1];
  return {
    address: canonicalIp(address),
    port: Number(port),
    protocol: protocol.toLowerCase(),
    type: type.toLowerCase(),
    ...(related !== undefined ? { relatedAddress: canonicalIp(related) } : {}),
  };
}

export interface WebrtcInput {
  network: NetworkKind | null;
  /** Undefined: not gathered (the suite ran outside the app window). */
  candidates: string[] | undefined;
  /** The person's own addresses: baseline and non-tunnel interfaces. */
  own: string[];
  /** The tunnel's own addresses: a host candidate with one of them reveals nothing about the person. */
  tunnelAddresses: string[];
}

export function judgeWebrtc(input: WebrtcInput): Judgement {
  if (input.candidates === undefined) {
    return notTested('WebRTC is judged from the app window, which gathers the candidates: run the tests from there.');
  }
  const parsed = input.candidates.map(parseCandidate).filter((c): c is IceCandidate => c !== undefined);
  const own = ipSet(input.own);
  const tunnel = ipSet(input.tunnelAddresses);
  const exposed = new Map<string, 'your address' | 'a LAN address'>();
  const check = (ip: string | undefined, local: boolean): void => {
    if (ip === undefined || ipFamilyOf(ip) === undefined || tunnel.has(ip)) return;
    if (own.has(ip)) exposed.set(ip, 'your address');
    // A local (host or related) address in a private range is where the machine sits on a LAN; a reflexive
    // or relay address is what the STUN or TURN server saw, which is only a leak if it is the person's own.
    else if (local && isPrivateAddress(ip) && !exposed.has(ip)) exposed.set(ip, 'a LAN address');
  };
  for (const c of parsed) {
    check(c.address, c.type === 'host');
    check(c.relatedAddress, true);
  }
  const evidence: Record<string, unknown> = {
    candidates: parsed.map((c) => ({ type: c.type, protocol: c.protocol, address: c.address, ...(c.relatedAddress !== undefined ? { related: c.relatedAddress } : {}) })),
    unparsed: input.candidates.length - parsed.length,
    exposed: Object.fromEntries(exposed),
  };
  if (exposed.size > 0) {
    const mine = [...exposed].filter(([, why]) => why === 'your address').map(([ip]) => ip);
    const lan = [...exposed].filter(([, why]) => why === 'a LAN address').map(([ip]) => ip);
    const parts = [...(mine.length > 0 ? [`your own address ${listOf(mine)}`] : []), ...(lan.length > 0 ? [`your LAN address ${listOf(lan)}`] : [])];
    const tail = input.network === null ? ' (no tunnel is up)' : ', around the tunnel';
    return leaked(`WebRTC tells any web page ${parts.join(' and ')}${tail}.`, evidence);
  }
  // No candidate at all is no evidence: gathering failed, was blocked, or timed out before the STUN answer.
  // An honest result is "not tested", never a pass (a broken gatherer would otherwise look safe).
  if (parsed.length === 0) {
    const why = input.candidates.length === 0 ? 'the window gathered no ICE candidate at all' : `none of the ${input.candidates.length} lines it gathered was a candidate`;
    return notTested(`WebRTC could not be judged: ${why}, so nothing shows what a web page would see. Run it again from the app window.`, evidence);
  }
  const shown = [...new Set(parsed.filter((c) => ipFamilyOf(c.address) !== undefined).map((c) => c.address))];
  return passed(
    shown.length > 0 ? `WebRTC shows web pages only ${listOf(shown)}, not your own or LAN address.` : 'WebRTC shows web pages no address of yours (only hidden mDNS names).',
    evidence,
  );
}
