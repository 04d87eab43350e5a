// WireGuard over an obfuscating transport (Shadowsocks, VLESS over WebSocket+TLS): profile parsing and
// the transport helper's plan.
export { splitObfuscation, describeObfuscation, ObfuscationError, SHADOWSOCKS_METHODS, type Obfuscation, type ObfuscationSecret, type ObfuscationType, type SplitProfile } from './parse.js';
export { helperPlan, obfsStartRequest, transportProtocol, CONFIG_PLACEHOLDER, type HelperPlan } from './helpers.js';
