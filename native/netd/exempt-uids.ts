// Which uids a firewall policy may let out past the kill switch: only Burrow's own users (burrow-tor,
// burrow-nym, burrow-dvpn, burrow-obfs; app/contract/system-wide.ts), looked up on this machine. A policy exempting any
// other uid — debian-tor, which the distribution's tor@default runs as, nobody, a person's own uid — is
// refused before anything is applied, so the table stays as it was (fail closed) and no request can turn
// a shared uid into a hole in the kill switch.
import { BURROW_USER_NAMES } from '../../app/contract/index.js';
import { BurrowError } from '../../app/domain/index.js';
import { validateFirewallPolicy } from '../../app/firewall/index.js';
import { findSystemUser, type SystemUser } from './helper-process.js';

/** The uid a policy lets out on its own, if any. */
export function exemptUidOf(input: unknown): number | undefined {
  const policy = validateFirewallPolicy(input);
  if (policy.kind === 'tor-system') return policy.torUid;
  if (policy.kind === 'socks-redirect') return policy.proxyUid;
  if (policy.kind === 'tunnel') return policy.transport?.uid;
  return undefined;
}

/** The uids of Burrow's users that exist here. */
export function burrowUids(find: (names: readonly string[]) => SystemUser | undefined = findSystemUser): Map<number, string> {
  const uids = new Map<number, string>();
  for (const name of BURROW_USER_NAMES) {
    const user = find([name]);
    if (user !== undefined) uids.set(user.uid, name);
  }
  return uids;
}

/** Throws (invalid_request) when `input` exempts a uid that is not one of Burrow's users. */
export function checkExemptUid(input: unknown, uids: () => Map<number, string> = burrowUids): void {
  const uid = exemptUidOf(input);
  if (uid === undefined || uids().has(uid)) return;
  throw new BurrowError(
    'invalid_request',
    `netd lets only Burrow's own users (${BURROW_USER_NAMES.join(', ')}) out past the kill switch, and uid ${uid} is none of them on this machine; the firewall stays as it was.`,
    { uid },
  );
}
