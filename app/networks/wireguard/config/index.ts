// WireGuard configuration: wg-quick import, typed config with secrets apart, and the UAPI request.
export { parseWireGuardConfig, type ParseOptions } from './parse.js';
export { parseWireGuardProfile, summarize, secretsToRecord, secretsFromRecord, configFromRecord, presharedKeyName } from './profile.js';
export { toUapiConfig, type UapiOptions } from './uapi.js';
export { decodeKey, keyToHex, publicKeyFromPrivate, KEY_BYTES } from './keys.js';
export { MAX_CONFIG_BYTES } from './lines.js';
export { formatEndpoint } from './values.js';
export * from './types.js';
