// Real-shaped bridge lines (Tor Browser's built-in forms) and profiles for the Tor profile tests.
export const FP = 'CDF2E852BF539B82BD10E27E9115A31734E378C2';
export const CERT = 'qUVQ0srL1JI/vO6V6m/24anYXiJD3QP2HgzUKQtQ7GRqqUvs7P+tG43RtAqdhLOALP7DJQ';
export const OBFS4 = `obfs4 192.95.36.142:443 ${FP} cert=${CERT} iat-mode=1`;
export const SNOWFLAKE =
  'snowflake 192.0.2.3:80 2B280B23E1107BB62ABFC40DDCC8824814F80A72 fingerprint=2B280B23E1107BB62ABFC40DDCC8824814F80A72 url=https://1098762253.rsc.cdn77.org/ fronts=www.cdn77.com,www.phpmyadmin.net ice=stun:stun.antisip.com:3478,stun:stun.epygi.com:3478 utls-imitate=hellorandomizedalpn';
export const WEBTUNNEL =
  'webtunnel [2001:db8:9443:367a:3276:1e74:91c3:7a5a]:443 54BF1146B161573185FBA0299B0DC3A8F7D08080 url=https://d3pyjtpvxs6z0u.cloudfront.net/Exei6xoh1aev8fiethee ver=0.0.1';
export const VANILLA = `198.51.100.7:9001 ${FP}`;

export const AUTHORITY =
  'auth1 orport=9001 no-v2 v3ident=0123456789ABCDEF0123456789ABCDEF01234567 10.20.4.11:9030 89ABCDEF0123456789ABCDEF0123456789ABCDEF';

export const LAB_PROFILE = `# A private Tor network, as the lab runs it
[tor]
Name = Lab network
Mode system
DirAuthority ${AUTHORITY}
DirAuthority auth2 orport=9001 no-v2 v3ident=1123456789ABCDEF0123456789ABCDEF01234567 10.20.4.12:9030 99AB CDEF 0123 4567 89AB CDEF 0123 4567 89AB CDEF
TestingTorNetwork 1
PathsNeededToBuildCircuits 0.67
Bridge ${OBFS4}
`;
