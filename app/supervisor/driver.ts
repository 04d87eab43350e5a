// The interface every network's driver implements (after IVPN's Process): the supervisor owns the state;
// a driver only does the work and reports what happened.
import type { ConnectionDetails, ErrorInfo, NetworkKind, ParsedProfile, Progress } from '../domain/index.js';

/**
 * Each network's importer for profile files, declared here beside the driver so that networks/ need not
 * know the host that composes them (the host's profile-import.ts picks among the parsers).
 */
export interface ProfileParser {
  network: NetworkKind;
  /** Whether this text looks like a profile of this network (cheap, no validation). */
  detect(text: string, fileName?: string): boolean;
  /** Validate and parse; throws BurrowError('invalid_profile', ...) with a line number where it can. */
  parse(text: string, fileName?: string): ParsedProfile;
}

export interface StoredProfile {
  id: string;
  name: string;
  network: NetworkKind;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

export interface DriverSession {
  /** Aborted when the user disconnects or switches while the driver works. */
  signal: AbortSignal;
  progress(progress: Progress): void;
  /** After connect resolved: the tunnel broke (helper died, handshake stale). */
  lost(cause: ErrorInfo): void;
  /** Fresh details while connected (new circuit, exit address). */
  update(details: ConnectionDetails): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

export interface DriverAvailability {
  available: boolean;
  reason?: string;
}

export interface TunnelStats {
  bytesIn: number;
  bytesOut: number;
  /** Seconds since the last handshake or keep-alive proof, where the network has one. */
  lastProofAgeSeconds?: number;
}

export interface NetworkDriver {
  readonly network: NetworkKind;
  availability(): Promise<DriverAvailability>;
  /** Work that needs no network: validate the profile, write config files, find helpers. */
  prepare(profile: StoredProfile): Promise<void>;
  /** Resolves once traffic flows through the tunnel; rejects with a BurrowError on failure. */
  connect(profile: StoredProfile, session: DriverSession): Promise<ConnectionDetails>;
  /** Tear down everything connect made; safe to call in any state, twice. */
  disconnect(): Promise<void>;
  status(): Promise<'down' | 'connecting' | 'up'>;
  stats(): Promise<TunnelStats>;
}
