// The Tor control-port client: the only way Burrow talks to a tor process it runs.
export { TorControlClient } from './client.js';
export type { ConfAssignment, ConfEntry, ConnectOptions, TorSignal } from './client.js';
export type { ConnectionOptions, ControlEndpoint } from './connection.js';
export {
  chooseAuthMethod,
  createControlPassword,
  hashControlPassword,
  parseProtocolInfo,
  CONTROLLER_TO_SERVER_KEY,
  SERVER_TO_CONTROLLER_KEY,
} from './auth.js';
export type { AuthMethod, AuthOptions, ProtocolInfo } from './auth.js';
export { TorControlError } from './errors.js';
export { parseBootstrapProgress, parseCircuitLine, parseCircuitPath, parseCircuitStatus, parseEvent, parseStreamLine, TYPED_EVENTS } from './events.js';
export type {
  BootstrapProgress,
  CircuitEvent,
  CircuitHop,
  CircuitInfo,
  ConfChangedEvent,
  OtherEvent,
  SignalEvent,
  StatusEvent,
  StreamEvent,
  StreamInfo,
  TorEvent,
} from './events.js';
export { assertSafeArgument, quoteString } from './quote.js';
export { DEFAULT_REPLY_LIMITS, ReplyParser } from './reply-parser.js';
export type { ControlReply, ReplyLimits, ReplyLine } from './reply-parser.js';
