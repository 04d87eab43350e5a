// Issue 12 item 5: netd lets out past the kill switch only Burrow's own users. A tor-system or
// socks-redirect policy naming debian-tor's uid (tor@default's), nobody's or any other is refused before
// anything is applied; Burrow's three users are accepted. Before the fix netd applied whatever uid came.
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../../native/netd/handlers.js';
import { burrowUids, checkExemptUid } from '../../../native/netd/exempt-uids.js';
import type { SystemUser } from '../../../native/netd/helper-process.js';
import { SOCKS, TOR, TUNNEL_OBFUSCATED } from '../firewall/policies.js';

const USERS: SystemUser[] = [
  { name: 'debian-tor', uid: 102, gid: 105, group: 'debian-tor' },
  { name: 'nobody', uid: 65534, gid: 65534, group: 'nogroup' },
  { name: 'burrow-tor', uid: 997, gid: 997, group: 'burrow-tor' },
  { name: 'burrow-nym', uid: 996, gid: 996, group: 'burrow-nym' },
  { name: 'burrow-dvpn', uid: 995, gid: 995, group: 'burrow-dvpn' },
  { name: 'burrow-obfs', uid: 994, gid: 994, group: 'burrow-obfs' },
];
const find = (names: readonly string[]): SystemUser | undefined => USERS.find((user) => names.includes(user.name));
const uids = (): Map<number, string> => burrowUids(find);

describe('exempt uids', () => {
  it('knows Burrow’s four users and nothing else', () => {
    expect([...uids().entries()]).toEqual([
      [997, 'burrow-tor'],
      [996, 'burrow-nym'],
      [995, 'burrow-dvpn'],
      [994, 'burrow-obfs'],
    ]);
  });

  it.each([
    ['tor-system for burrow-tor', { ...TOR, torUid: 997 }],
    ['tor-system for burrow-dvpn (dVPN while connecting)', { ...TOR, torUid: 995 }],
    ['socks-redirect for burrow-nym', { ...SOCKS, proxyUid: 996 }],
    ['a tunnel whose transport helper is burrow-obfs', { ...TUNNEL_OBFUSCATED, transport: { ...TUNNEL_OBFUSCATED.transport!, uid: 994 } }],
    ['block (nobody exempt)', { kind: 'block', allowLan: false }],
  ])('accepts %s', (_what, policy) => {
    expect(() => checkExemptUid(policy, uids)).not.toThrow();
  });

  it.each([
    ['tor-system for debian-tor', { ...TOR, torUid: 102 }],
    ['tor-system for nobody', { ...TOR, torUid: 65534 }],
    ['socks-redirect for nobody', { ...SOCKS, proxyUid: 65534 }],
    ['socks-redirect for a person’s uid', { ...SOCKS, proxyUid: 1000 }],
    ['a tunnel whose transport helper is nobody', { ...TUNNEL_OBFUSCATED, transport: { ...TUNNEL_OBFUSCATED.transport!, uid: 65534 } }],
  ])('refuses %s, naming Burrow’s users', (_what, policy) => {
    expect(() => checkExemptUid(policy, uids)).toThrow(/only Burrow's own users \(burrow-tor, burrow-nym, burrow-dvpn, burrow-obfs\)/);
  });

  it('refuses every exempting policy on a machine without Burrow’s users', () => {
    expect(() => checkExemptUid({ ...TOR, torUid: 102 }, () => burrowUids(() => undefined))).toThrow(/uid 102 is none of them/);
  });

  it('applyFirewall refuses before the firewall is touched', async () => {
    const applied: unknown[] = [];
    const handlers = createHandlers({
      firewall: { apply: (policy: unknown) => Promise.resolve(void applied.push(policy)) },
      checkExempt: (policy: unknown) => checkExemptUid(policy, uids),
    } as never);
    await expect(handlers.applyFirewall({ policy: { ...TOR, torUid: 102 } }, { uid: () => Promise.resolve(0) })).rejects.toMatchObject({ code: 'invalid_request' });
    expect(applied).toEqual([]);
    await handlers.applyFirewall({ policy: { ...TOR, torUid: 997 } }, { uid: () => Promise.resolve(0) });
    expect(applied).toHaveLength(1);
  });
});
