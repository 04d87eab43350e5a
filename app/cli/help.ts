// `burrow --help`: every command, one line each.
export const HELP = `burrow — every privacy network behind one switch

Usage: burrow <command> [options]

Host and helpers
  host [--data DIR] [--control PATH] [--web 127.0.0.1:PORT] [--netd PATH]
                               run the host headless (the brain of the app)
  netd [--socket PATH] [--group NAME]
                               run netd, the privileged helper (as root; see burrow netd --help)
  leakd [options]              run Burrow's leak-test server (see burrow leakd --help)

Talking to a running host (all take --json and --control PATH)
  status                       the tunnel state, network, profile, kill switch, lockdown
  profile list                 imported profiles
  profile import FILE [--name NAME] [--network wireguard|tor|nym|dvpn]
                               import a profile (a WireGuard .conf, ...)
  profile remove ID            remove a profile and its secrets
  connect [PROFILE] [--no-wait]
                               connect (or switch) to a profile; waits until connected or failed
  connect --smart [--goal fastest|anonymous]
                               Smart connect: try each way out in turn through the kill switch, starting at what worked here
  disconnect                   disconnect (with lockdown on, traffic stays blocked)
  settings                     show the settings
  settings set KEY=VALUE ...   killSwitch|lockdown|allowLan=on|off, dns=IP[,IP], leakServer=URL [leakServerV6=URL]
  leaktest [--tests a,b]       run the leak tests against the network that is up (killSwitch: only when named)
  compare [--facts]            privacy facts and measured speed, per network
  compare --measure [--profiles ID,ID] [--samples N] [--seconds N] [--method auto|http|iperf3]
          [--iperf3 HOST:PORT] [--no-baseline] [--leaks]
                               Measure all: "No tunnel" first, then each profile in turn through
                               the kill switch, then back
  history [--limit N]          connections, leak verdicts and measurements
  logs [--limit N]             recent log lines
  dvpn identity PROFILE        the Mysterium identity: registration state, balance, what to do next
  dvpn register PROFILE [--wait SECONDS]
                               the free registration (eligibility, then register); --wait: until Registered
  dvpn nodes PROFILE [--country CC]
                               the nodes on offer: country, price per GiB and per hour, quality, latency
  dvpn node PROFILE 0x…|best   use this node from the next connect (best: the best quality within the limits)
  dvpn import-identity PROFILE --keystore FILE
                               use your own identity (its passphrase is read from standard input)
  nym show PROFILE             the mixing delay and cover traffic, with their stated and measured cost
  nym set PROFILE [delay=MS] [cover=on|off]
                               change them (from the next connect)
  probe [PROFILE]              reachability probe: WireGuard handshake answered? bridges reachable? (disconnected only)

Environment: BURROW_DATA (data dir), BURROW_CONTROL (control socket path)
Exit codes: 0 ok, 1 the command failed, 2 usage error, 3 no host reachable
`;
