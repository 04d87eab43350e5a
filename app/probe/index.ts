// Reachability probe (OONI-style, but for the paths Burrow can take): verdicts per profile and transport.
export { probeProfiles, type ProbeOptions } from './probe-profiles.js';
export { probeHandshake, buildInitiation, classifyReply, type HandshakeProbeResult } from './wireguard-handshake.js';
export { probeTcp, type TcpProbe } from './tcp-reach.js';
export { handshakeVerdict, tcpVerdict, torVerdict, type ProbeVerdict, type ProbeOutcome } from './verdict.js';
