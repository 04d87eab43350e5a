// Sample wg-quick files shaped like the ones providers hand out. The keys were made with `wg genkey` for these
// tests only; PUBLIC is what `wg pubkey` printed for PRIVATE.
export const CLIENT = {
  privateKey: '2LLcz2HMkgTZZ3lXrqzpuPlnRHocpwc9rJOAjsicY08=',
  publicKey: 'J189qpPLmlDTHp1akDK7EB4z9IY6nwxCyyK9dH8saUg=',
};
export const SERVER = {
  privateKey: 'gEgErJ3nOlv7dLXdJblHfegWPt/7NhXOWbhhkZwaHWA=',
  publicKey: '27CrCvoMBbnaToSM0s3L3GeL+WX6qdeSUS40ThSwwh8=',
};
export const SERVER2 = {
  privateKey: 'mFWUWwiiiMTySUPb+3vVuqNjm6WBxQsueMiuQX5otF0=',
  publicKey: 'u5Ra7ZXVOBqz3IMLnmXkhEoCHOyayo7YauRSs4WLNE0=',
};
export const PSK = 'wpC0oaTE1ngjXenBEjZPnVza6ASXyND3VDDUtNtz1uA=';

/** As Mullvad's configuration generator writes it (comma lists without spaces, `::0/0`). */
export const MULLVAD_CONF = `[Interface]
# Device: Happy Otter
PrivateKey = ${CLIENT.privateKey}
Address = 10.66.1.2/32,fc00:bbbb:bbbb:bb01::3:102/128
DNS = 10.64.0.1

[Peer]
PublicKey = ${SERVER.publicKey}
AllowedIPs = 0.0.0.0/0,::0/0
Endpoint = 185.65.135.224:51820
`;

/** As the wg-quick(8) man page and a self-hosted server write it: CRLF, odd key case, PSK, two peers. */
export const WG_QUICK_CONF = [
  '# my home server',
  '[Interface]',
  'privatekey = ' + CLIENT.privateKey,
  'Address = 10.200.100.8/24',
  'Address = fd42:42:42::8/64',
  'DNS = 10.200.100.1, home.example',
  'MTU = 1420',
  'ListenPort = 21841',
  'FwMark = 0xca6c',
  'Table = auto',
  'SaveConfig = false',
  '',
  '[Peer]',
  'PublicKey = ' + SERVER.publicKey,
  'PresharedKey = ' + PSK,
  'Endpoint = vpn.example.com:51820   # resolved at connect time',
  'AllowedIPs = 0.0.0.0/0, ::/0',
  'PersistentKeepalive = 25',
  '',
  '[peer]',
  'PublicKey = ' + SERVER2.publicKey,
  'Endpoint = [2001:db8::7]:51821',
  'AllowedIPs = 10.200.200.0/24',
  'PersistentKeepalive = off',
  '',
].join('\r\n');
