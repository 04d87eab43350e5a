// Mutants: deliberate breakages of the judges and of the kill switch, each paired with the lab tests that
// must fail because of it (issue 17: "each anti-test fails when its own filter or firewall is broken").
// A judge that still passes with its mutant applied could never have seen a leak; a kill-switch test that
// still passes with the firewall opened was not looking at the wire. run.ts applies one mutant at a time to
// a throw-away worktree and runs its tests there.

/** One textual change: `find` must occur exactly once in `file` (a mutant that no longer applies is an error). */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

/** A test that must fail under the mutant (by a part of its title), and the failure it must fail with (not some other breakage). */
export interface MustFail {
  title: string;
  because: RegExp;
}

/** A lab test file, the tests in it to run (vitest `-t`, a pattern; all when absent), and those that must fail. */
export interface Expectation {
  file: string;
  only?: string;
  /** Extra environment for the run (a shorter version of a long test). */
  env?: Record<string, string>;
  mustFail: MustFail[];
}

export interface Mutant {
  name: string;
  /** The kind of evidence it breaks, in the note's words. */
  kind: string;
  what: string;
  edits: Edit[];
  expect: Expectation[];
}

/** vitest's words when a count of strays that must be above zero is zero. */
const GREATER_THAN_ZERO = /expected 0 to be greater than 0/;
/** …when a list of stray packets that must be empty is not (the packets are in the message). */
const STRAYS_SEEN = /to deeply equal \[\]/;
/** …when a verdict that must be "leaked" came out "passed" (compared alone, or as a field of the verdict). */
const SAID_PASSED = /'passed' to be 'leaked'|to match object \{ test: 'webrtc'/;

export const MUTANTS: Mutant[] = [
  {
    name: 'blind-judge',
    kind: 'packet capture (tcpdump on the client NIC) judged by strays()',
    what: 'strays() forgives every packet: the judge every capture assertion uses sees nothing.',
    edits: [
      {
        file: 'tests/lab/strays.ts',
        find: 'return packets.filter((p) => !isLinkTraffic(p) && !allowed.some((flow) => inFlow(p, flow)));',
        replace: 'return packets.filter((p) => !isLinkTraffic(p) && !allowed.some((flow) => inFlow(p, flow))).slice(0, 0);',
      },
    ],
    expect: [
      { file: 'tests/lab/basics.test.ts', only: 'anti-test', mustFail: [{ title: 'anti-test: without the tunnel', because: GREATER_THAN_ZERO }] },
      { file: 'tests/lab/wireguard-killswitch.test.ts', only: 'anti-test', mustFail: [{ title: 'anti-test: connected, with Burrow’s table deleted', because: GREATER_THAN_ZERO }] },
      {
        file: 'tests/lab/tor-system.test.ts',
        // The anti-test lifts the rules of a connected system-wide Tor: the connect comes first.
        only: 'connects; during bootstrap|anti-test',
        mustFail: [{ title: 'anti-test: with Burrow’s table deleted', because: GREATER_THAN_ZERO }],
      },
    ],
  },
  {
    name: 'open-firewall',
    kind: 'the kill switch itself (netd applies and verifies the table, but its last rules accept)',
    what: 'The output and input chains end in accept instead of reject/drop: the table is there, and it holds nothing back.',
    edits: [
      {
        file: 'app/firewall/rules-common.ts',
        find: 'export const rejectOut = (): string[] => [`counter name "${COUNTERS.blockedOut}" ${REJECT}`];',
        replace: 'export const rejectOut = (): string[] => [`counter name "${COUNTERS.blockedOut}" accept`];',
      },
      {
        file: 'app/firewall/rules-common.ts',
        find: 'export const dropIn = (): string[] => [`counter name "${COUNTERS.blockedIn}" drop`];',
        replace: 'export const dropIn = (): string[] => [`counter name "${COUNTERS.blockedIn}" accept`];',
      },
    ],
    expect: [
      // Not wireguard-killswitch's "wireguard-go killed under load", nor reliability-link-changes: with this
      // mutant both still pass (runs at 643daae and 0dbd1b6). netd's unreachable guard route in the tunnel's
      // table holds those cases by itself (sockets bound to the NIC meet it too), and DNS to the ISP is still
      // refused by its own rule. The firewall's evidence comes from where no route holds: the blocked states,
      // and system-wide Tor, whose only tunnel is the firewall's redirect.
      {
        file: 'tests/lab/reliability-system-helpers.test.ts',
        only: 'tor stopped \\(SIGSTOP\\) under load',
        mustFail: [{ title: 'tor stopped (SIGSTOP) under load', because: STRAYS_SEEN }],
      },
      {
        file: 'tests/lab/reliability-blocked-states.test.ts',
        only: 'WireGuard, its handshakes dropped',
        mustFail: [{ title: 'WireGuard, its handshakes dropped by DPI', because: STRAYS_SEEN }],
      },
    ],
  },
  {
    name: 'blind-verdict',
    kind: "Burrow's own leak tests (their verdicts, from leakd's echo, resolver log and STUN)",
    what: 'Every "leaked" judgement comes out as "passed": the dashboard would never show a leak.',
    edits: [
      {
        file: 'app/leaks/judgement.ts',
        find: "({ verdict: 'leaked', summary, evidence })",
        replace: "({ verdict: 'passed', summary, evidence })",
      },
    ],
    expect: [
      {
        file: 'tests/lab/leaks-wireguard.test.ts',
        only: 'anti-test',
        mustFail: [
          { title: 'anti-test: the resolver switched back', because: SAID_PASSED },
          { title: 'anti-test: a split tunnel', because: SAID_PASSED },
        ],
      },
      { file: 'tests/lab/webrtc-chromium.test.ts', only: 'anti-test', mustFail: [{ title: 'anti-test: with no tunnel', because: SAID_PASSED }] },
    ],
  },
  {
    name: 'plain-standins',
    kind: 'whole-packet capture searched for a marker (the switching suite)',
    what: "The stand-ins' sealing keeps its framing but not its cipher: Nym's frames and myst's streams cross the wire in plaintext.",
    edits: [
      {
        file: 'tests/lab/standins/seal.ts',
        find: 'return Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);',
        replace: 'return Buffer.concat([nonce, plaintext, Buffer.alloc(TAG_BYTES)]);',
      },
      {
        file: 'tests/lab/standins/seal.ts',
        find: 'return Buffer.concat([decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);',
        replace: 'return sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);',
      },
    ],
    expect: [
      {
        file: 'tests/lab/reliability-switching.test.ts',
        env: { BURROW_SWITCHES: '8' },
        mustFail: [{ title: 'switches in a row', because: /the marker in plaintext on the wire/ }],
      },
    ],
  },
  {
    name: 'unguarded-web-door',
    kind: 'the --web host under hostile URLs (issue 12 item 8)',
    what: 'requestTarget lets new URL and decodeURIComponent throw again: one bad escape from any web page ends the host.',
    edits: [
      {
        file: 'app/host/web-server.ts',
        find: '  } catch {\n    return undefined;\n  }\n}',
        replace: '  } catch (error) {\n    throw error;\n  }\n}',
      },
    ],
    expect: [
      {
        file: 'tests/lab/reliability-web.test.ts',
        mustFail: [
          // A named request whose answer is not the status it must get.
          { title: 'URLs a web page can send', because: /to deeply equal \{/ },
          { title: 'WebSocket upgrades', because: /to deeply equal \{ name: 'a truncated escape'/ },
        ],
      },
    ],
  },
];
