// The probe's answer: one plain verdict per network and transport, with the evidence that supports it.
// What the words mean is fixed here so the CLI, the renderer and Smart connect read them the same way.
import type { ProbeOutcome, ProbeVerdict } from '../contract/probe.js';

export type { ProbeOutcome, ProbeVerdict };

export function handshakeVerdict(profile: string, target: string, reply: 'response' | 'cookie' | 'none', tries: number, ms: number | undefined): ProbeVerdict {
  if (reply !== 'none') {
    return {
      profile, transport: 'wireguard', target, outcome: 'reachable',
      sentence: `The WireGuard server at ${target} answers handshakes${reply === 'cookie' ? ' (it is busy: it sent a cookie)' : ''}.`,
      evidence: { reply, tries, ms: ms ?? 0 },
    };
  }
  return {
    profile, transport: 'wireguard', target, outcome: 'blocked',
    sentence: `WireGuard handshakes to ${target} go unanswered after ${tries} initiations of 148 bytes: probably DPI or an address block. Try WireGuard over an obfuscating transport, or Tor with a bridge.`,
    evidence: { reply, tries, initiationBytes: 148 },
  };
}

export type TcpOutcome = 'open' | 'refused' | 'timeout' | 'tls-ok' | 'tls-stalled' | 'tls-failed';

export function tcpVerdict(profile: string, transport: string, target: string, tcp: TcpOutcome, detail: string): ProbeVerdict {
  const sentences: Record<TcpOutcome, [ProbeOutcome, string]> = {
    open: ['reachable', `${target} accepts connections (the ${transport} handshake itself is not tried by the probe).`],
    'tls-ok': ['reachable', `${target} completes a TLS handshake: a TLS-looking transport gets through here.`],
    refused: ['unreachable', `${target} refuses connections: the server is down or the port is wrong.`],
    timeout: ['blocked', `Connections to ${target} time out: probably blocked by address or port.`],
    'tls-stalled': ['blocked', `${target} accepts the connection but the TLS handshake gets no answer: probably DPI.`],
    'tls-failed': ['unreachable', `${target} answers but the TLS handshake fails (${detail}).`],
  };
  const [outcome, sentence] = sentences[tcp];
  return { profile, transport, target, outcome, sentence, evidence: { tcp, detail } };
}

const TOR_PHASES: [number, string][] = [
  [0, 'tor has not started connecting'],
  [5, 'no relay or directory authority answers: Tor is probably blocked by address here; try a bridge'],
  [10, 'a relay answers but the TLS handshake with it does not finish: probably DPI of Tor’s TLS; try obfs4 or another transport'],
  [15, 'connected to a relay but no directory information arrives'],
  [25, 'the consensus does not arrive in full: the connection is being throttled or cut'],
  [50, 'relay descriptors stall: the network is slow or partly blocked'],
  [75, 'no circuit can be built: guards or exits may be blocked'],
];

/** Where a Tor bootstrap stalled, in words (progress is tor's "Bootstrapped N%"). */
export function torVerdict(profile: string, transport: string, target: string, progress: number, tag: string | undefined): ProbeVerdict {
  if (progress >= 100) {
    return { profile, transport, target, outcome: 'reachable', sentence: 'Tor bootstraps to 100% here.', evidence: { progress } };
  }
  const phase = [...TOR_PHASES].reverse().find(([at]) => progress >= at)?.[1] ?? TOR_PHASES[0]![1];
  return {
    profile, transport, target, outcome: 'blocked',
    sentence: `Tor stalls at ${progress}%${tag === undefined ? '' : ` (${tag})`}: ${phase}.`,
    evidence: { progress, ...(tag === undefined ? {} : { tag }) },
  };
}
