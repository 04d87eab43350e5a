// What each leak test checks, said once for the cards. Verdicts always come from the host.
import type { LeakTestKind } from '../../../../app/domain/index.js';

export interface LeakTestInfo {
  title: string;
  checks: string;
  /** Runs only when asked for: it interrupts the tunnel. */
  disruptive?: boolean;
}

export const LEAK_TEST_INFO: Record<LeakTestKind, LeakTestInfo> = {
  exitIp: { title: 'Exit IP', checks: 'The address the leak server sees, compared with the one expected for the network.' },
  dns: { title: 'DNS leak', checks: 'Which resolvers answer your lookups. Any resolver other than the tunnel’s is a leak.' },
  ipv6: { title: 'IPv6 leak', checks: 'An IPv6 request must fail while the tunnel carries only IPv4.' },
  webrtc: { title: 'WebRTC', checks: 'Whether WebRTC in this window reveals your real or LAN address.' },
  outOfTunnel: { title: 'Out-of-tunnel probe', checks: 'Packets to the tunnel endpoint with a short TTL: any answer means traffic can escape.' },
  killSwitch: {
    title: 'Kill-switch probe',
    checks: 'Stops the tunnel for a few seconds while sending, and counts packets that got out.',
    disruptive: true,
  },
};
