// Run by wg-routing-coexist.test.ts inside `unshare -n` (a private network namespace that dies with this
// process): a wg-quick-style tunnel's rules and table 51820 are set up first, then Burrow's tunnel routing
// goes up and down through netd's real code and the real `ip` and `nft`. Prints what is left, as JSON.
import { execFileSync } from 'node:child_process';
import { BURROW_WG_FWMARK } from '../../../app/contract/index.js';
import { runTool } from '../../../native/netd/exec.js';
import { bringUp, BURROW_TABLE, planRoutes, tearDownRouting } from '../../../native/netd/wireguard/routing.js';

const ip = (...args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
ip('link', 'set', 'lo', 'up');
// veth pairs stand in for the two WireGuard links (this kernel may lack both wireguard and dummy).
for (const dev of ['wg0', 'burrow0']) {
  ip('link', 'add', dev, 'type', 'veth', 'peer', 'name', `${dev}p`);
  ip('link', 'set', `${dev}p`, 'up');
}
ip('link', 'set', 'wg0', 'up');
// What `wg-quick up wg0` leaves for AllowedIPs = 0.0.0.0/0 (wg-quick's defaults: table = fwmark = 51820).
ip('route', 'add', 'default', 'dev', 'wg0', 'table', '51820');
ip('rule', 'add', 'not', 'fwmark', '51820', 'table', '51820');
ip('rule', 'add', 'table', 'main', 'suppress_prefixlength', '0');
const before = { rules: ip('-4', 'rule'), table51820: ip('route', 'show', 'table', '51820') };

await bringUp(runTool, { ifname: 'burrow0', addresses: ['10.64.0.2/32'], mtu: 1420, fwmark: BURROW_WG_FWMARK, table: BURROW_TABLE, plan: planRoutes(['0.0.0.0/0']) });
const up = { rules: ip('-4', 'rule'), burrowTable: ip('route', 'show', 'table', String(BURROW_TABLE)), nft: execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }) };
await tearDownRouting(runTool, 'burrow0', BURROW_TABLE);
const down = {
  rules: ip('-4', 'rule'),
  table51820: ip('route', 'show', 'table', '51820'),
  burrowTable: ip('route', 'show', 'table', String(BURROW_TABLE)),
  nft: execFileSync('nft', ['list', 'tables'], { encoding: 'utf8' }),
};
process.stdout.write(JSON.stringify({ before, up, down }));
