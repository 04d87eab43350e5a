// The stored profile read back as typed WireGuard data, with the one check the parser cannot make at
// import time: that the secrets on disk still belong to this profile.
import { BurrowError } from '../../domain/index.js';
import type { StoredProfile } from '../../supervisor/driver.js';
import { configFromRecord, decodeKey, publicKeyFromPrivate, secretsFromRecord, type WireGuardConfig, type WireGuardSecrets } from './config/index.js';

export interface WireGuardProfileData {
  config: WireGuardConfig;
  secrets: WireGuardSecrets;
}

export function loadProfile(profile: StoredProfile): WireGuardProfileData {
  if (profile.network !== 'wireguard') throw new BurrowError('invalid_profile', `${profile.name} is not a WireGuard profile.`);
  const config = configFromRecord(profile.config);
  const secrets = secretsFromRecord(profile.secrets);
  const key = decodeKey(secrets.privateKey);
  if (!key.ok || publicKeyFromPrivate(key.bytes) !== config.interface.publicKey) {
    throw new BurrowError('invalid_profile', `The stored private key of ${profile.name} does not belong to it; import the profile again.`);
  }
  return { config, secrets };
}

/** The configuration alone (no secrets needed): what the firewall is built from. */
export function loadConfig(profile: StoredProfile): WireGuardConfig {
  return configFromRecord(profile.config);
}
