// What system-wide mode rests on, one table for the host and netd: the users whose packets the kill switch
// lets out, and the loopback ports every other program's traffic is redirected into.
//
// Users: every uid the firewall exempts is Burrow's own and runs nothing else. `debian-tor` also runs the
// distribution's tor@default and `nobody` half the system; exempting either would let those out too. The
// package creates these users (resources/linux/sysusers.d/burrow.conf); when one is missing, system-wide
// mode refuses to start rather than borrow another uid.
//
// Ports: below 1024, so only root can bind them. On an unprivileged port a local user who binds it first
// receives every other user's redirected TCP and DNS. tor and redsocks bind them while still root and then
// drop to their own user; netd binds the DNS stub itself.

/** Burrow's own system users, by what runs under them. */
export const BURROW_USERS = { tor: 'burrow-tor', nym: 'burrow-nym', dvpn: 'burrow-dvpn', obfs: 'burrow-obfs' } as const;
export type BurrowUserRole = keyof typeof BURROW_USERS;
export type BurrowUserName = (typeof BURROW_USERS)[BurrowUserRole];
export const BURROW_USER_NAMES: readonly BurrowUserName[] = Object.values(BURROW_USERS);

/** What each is, as resources/linux/sysusers.d/burrow.conf declares it (a home it never gets, no login). */
const USER_FACTS: Record<BurrowUserName, { home: string; comment: string }> = {
  'burrow-tor': { home: '/var/lib/burrow/tor', comment: 'Burrow system-wide Tor' },
  'burrow-nym': { home: '/var/lib/burrow/nym', comment: 'Burrow system-wide Nym' },
  'burrow-dvpn': { home: '/var/lib/burrow/dvpn', comment: 'Burrow system-wide dVPN' },
  // WireGuard's transport helper (ss-tunnel, v2ray), which netd starts for an [Obfuscation] profile.
  'burrow-obfs': { home: '/var/lib/burrow/obfs', comment: 'Burrow WireGuard transport' },
};

/** useradd's arguments for one, the same account the package makes. */
export function createUserArgs(name: BurrowUserName): string[] {
  const facts = USER_FACTS[name];
  return ['--system', '--user-group', '--home-dir', facts.home, '--no-create-home', '--shell', '/usr/sbin/nologin', '--comment', facts.comment, name];
}

/** How to create one by hand (what the package's post-install script does without systemd-sysusers). */
export function createUserCommand(name: BurrowUserName): string {
  return `useradd ${createUserArgs(name)
    .map((arg) => (arg.includes(' ') ? `"${arg}"` : arg))
    .join(' ')}`;
}

/** The sentence for a missing user: what runs under it, and the command that creates it. */
export function missingUserMessage(name: BurrowUserName, what: string): string {
  return `${what} runs as ${name}, Burrow's own user, and this machine has no such user. Reinstalling Burrow creates it, or as root: ${createUserCommand(name)}`;
}

/**
 * The loopback ports (127.0.0.1) system-wide mode redirects into; all privileged, all distinct, none that
 * a common service binds (53 and 853 are resolvers', 953 is BIND's rndc).
 */
export const SYSTEM_PORTS = { torTransPort: 904, torDnsPort: 905, redirectPort: 906, dnsStubPort: 907 } as const;
