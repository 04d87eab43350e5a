#!/bin/bash
# System-wide Tor on a Debian desktop as installed (NetworkManager + systemd-resolved; with DESKTOP=nm,
# NetworkManager alone writing resolv.conf): netd runs as burrow-netd.service under its real sandbox and
# starts tor itself (tor drops to its own user); every program's TCP goes to tor's TransPort and every DNS
# query, resolved's included, to its DNSPort.
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

if [ "${DESKTOP:-resolved}" = nm ]; then
  R nm_connection "$(nm_writes_resolv_conf)"
  R before_conf "$(cat /etc/resolv.conf)"
fi
R before_echo "$(echo_ip)"
install_burrow
start_host || exit 1
R import_rc "$(burrow profile import /job/tor.conf --name 'Tor system' >/dev/null 2>&1; echo $?)"
# tor under an emulated CPU: the bootstrap takes a while; the connect returns once it settled.
connect=$(burrow connect tor-system --json 2>&1 | tr -d '\n')
R connect "$connect"
R status "$(burrow status --json 2>&1 | tr -d '\n' | grep -o '"state": \?"[a-z]*"' | head -1)"
R tor_users "$(ps -o user= -C tor | sort -u | tr '\n' ' ')"
R tor_parent "$(ps -o comm= -p "$(ps -o ppid= -C tor | head -1 | tr -d ' ')")"
R connected_echo "$(echo_ip)"
R connected_resolve "$(resolve "$NAME_TOR")"
R connected_conf "$(cat /etc/resolv.conf)"
R connected_global "$(nm_global_dns)"
# What each path answers, for a failure's message: tor's DNSPort itself, resolved's stub, the ISP's
# resolver (redirected to tor by the firewall), and resolved's view.
R dig_torport "$(dig +time=5 +tries=1 +short -p 905 @127.0.0.1 "$NAME_TOR" 2>&1 | tr '\n' ' ')"
R dig_stub "$(dig +time=5 +tries=1 @127.0.0.53 "$NAME_TOR" 2>&1 | grep -E 'status|^[a-z].*IN' | tr '\n' ' ')"
R dig_isp "$(dig +time=5 +tries=1 +short @"$ISP_RESOLVER" "$NAME_TOR" 2>&1 | tr '\n' ' ')"
R resolved_status "$(resolvectl status 2>&1 | head -24)"
R resolved_log "$(journalctl -u systemd-resolved -o cat --no-pager | tail -n 8)"
R resolve_again "$(resolve "$NAME_TOR")"
R netd_errors "$(journalctl -u burrow-netd.service -o cat --no-pager | grep -E '"level":"(warn|error)"' | tail -n 8)"
R host_log "$(grep -E 'WARN|ERROR' /tmp/host.log | tail -n 8)"

R disconnect "$(burrow disconnect --json 2>&1 | tr -d '\n' | grep -o '"state": \?"[a-z]*"' | head -1)"
wait_state disconnected
R after_tor "$(pgrep -c -x tor)"
R after_echo "$(echo_ip)"
R after_resolve "$(resolve "$NAME_AFTER")"
R after_conf "$(cat /etc/resolv.conf)"
R after_global "$(nm_global_dns)"
exit 0
