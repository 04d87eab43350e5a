// The lab's public face for tests, the demo and the lab CLI.
export { startLab, type Lab, type LabOptions, type SpawnOptions } from './lab.js';
export { LAB_NAMESPACES, TOR_NODES, type LabAddresses, type LabInterfaces, type LabNamespace, type TorNode } from './addresses.js';
export type { Censor } from './censor.js';
export type { Capture, CaptureOptions } from './capture.js';
export type { Packet } from './pcap.js';
export type { ExecOptions, ExecResult, LabProcess } from './process.js';
export type { ResolverName, ResolverQuery } from './resolvers.js';
export type { TeardownReport } from './teardown.js';
export type { ConsensusRelay, TorNetwork } from './tor-network.js';
export type { WireguardServer } from './wireguard-server.js';
export { startTorClient, type TorClient, type TorClientOptions } from './tor-client.js';
export { parseWgQuickConf, wgQuickUp, type WgQuickConf, type WgQuickTunnel } from './wg-quick.js';
export { curlJson, echo, freshLeakName, resolversOf, type EchoReply } from './http.js';
export { cleanupLeftovers, listNamespaces } from './teardown.js';
