// Profile text the obfuscation tests share: a provider's WireGuard profile and a Shadowsocks section for it
// (documentation addresses, a throwaway key pair, a password that must never reach a log).
export const WG = `[Interface]
PrivateKey = yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=
Address = 10.64.0.2/32

[Peer]
PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=
Endpoint = 198.51.100.7:51820
AllowedIPs = 0.0.0.0/0
`;
export const SS = `[Obfuscation]
Type = shadowsocks
Server = 198.51.100.8:8388
Method = chacha20-ietf-poly1305
Password = hunter2-not-for-logs
`;
