// The leak tests (app/leaks): exit IP, DNS, IPv6, WebRTC, out-of-tunnel and kill-switch probes, each a typed
// verdict with its evidence and a sentence a person understands. The host calls runLeakSuite with what it
// knows (LeakContext) and stores the verdicts; the judging functions are pure and exported for tests.
export { runLeakSuite, leakServerProblem, DEFAULT_DEADLINES, DEFAULT_TESTS, type SuiteDeps } from './suite.js';
export { physicalInterfaceFor, parseRouteGet } from './physical-route.js';
export { baselineFromVerdicts } from './baseline.js';
export { createBaselineLearner, newerBaseline, type BaselineLearner } from './learn-baseline.js';
export type { LeakBaseline, LeakContext, LeakSuiteOptions, TunnelInterrupter } from './types.js';
export { judgeExitIp, type ExitIpInput, type ExitObservation } from './exit-ip.js';
export { judgeDns, roleOfResolver, systemResolve, systemResolvers, type DnsInput, type ResolveName, type ResolverRole } from './dns-leak.js';
export { judgeIpv6, type Ipv6Input } from './ipv6-leak.js';
export { judgeWebrtc, parseCandidate, type IceCandidate, type WebrtcInput } from './webrtc.js';
export { judgeOutOfTunnel, parsePing, pingArgv, type HopResult, type OutOfTunnelInput } from './out-of-tunnel.js';
export { judgeKillSwitch, type KillSwitchInput } from './kill-switch.js';
export { canonicalIp, ownAddresses, type LocalAddresses } from './addresses.js';
export type { Judgement } from './judgement.js';
