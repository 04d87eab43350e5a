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
  disconnect                   disconnect (with lockdown on, traffic stays blocked)
  settings                     show the settings
  settings set KEY=VALUE ...   killSwitch|lockdown|allowLan=on|off, dns=IP[,IP], leakServer=URL [leakServerV6=URL]
  leaktest [--tests a,b]       run the leak tests against the network that is up (killSwitch: only when named)
  compare [--facts]            privacy facts and measured speed, per network
  compare --measure [--profiles ID,ID] [--samples N] [--seconds N] [--method auto|http|iperf3]
          [--iperf3 HOST:PORT] [--baseline] [--leaks]
                               Measure all: each profile in turn through the kill switch, then back
  history [--limit N]          connections, leak verdicts and measurements
  logs [--limit N]             recent log lines

Environment: BURROW_DATA (data dir), BURROW_CONTROL (control socket path)
Exit codes: 0 ok, 1 the command failed, 2 usage error, 3 no host reachable
`;
