#!/bin/bash
# Burrow next to what a desktop already runs: a wg-quick tunnel (a work VPN), the rules a full-tunnel
# wg-quick leaves, Debian's nftables.service, and netd killed by systemd while connected. The tap is
# captured from power-on; M lines split it in time.
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

# A program that keeps talking: TCP to the echo, DNS to the ISP's resolver, ICMP; $1 rounds.
talk() {
  for _ in $(seq 1 "$1"); do
    curl -s -m 1 -o /dev/null "http://$ECHO/json"
    dig +time=1 +tries=1 +short @"$ISP_RESOLVER" "$NAME_NFT" >/dev/null
    ping -c 1 -W 1 "$ECHO" >/dev/null
    sleep 0.1
  done
}

install_burrow
start_host || exit 1
R import_rc "$(burrow profile import /job/vpn.conf --name 'Lab VPN' >/dev/null 2>&1; echo $?)"

# A split-tunnel work VPN brought up by wg-quick: its peer has no endpoint (it sends nothing), its route
# must stay through Burrow's connect and disconnect.
install -d -m 0700 /etc/wireguard
umask 077
cat >/etc/wireguard/wg0.conf <<EOF
[Interface]
PrivateKey = $(wg genkey)
Address = 10.251.0.2/24

[Peer]
PublicKey = $(wg genkey | wg pubkey)
AllowedIPs = 10.251.0.0/24
EOF
umask 022
R wgquick_rc "$(wg-quick up wg0 >/dev/null 2>&1; echo $?)"
# The policy rules a full-tunnel wg-quick (AllowedIPs 0.0.0.0/0, Table auto) writes, with its table 51820
# holding only a route for a prefix nobody uses here: they steer nothing, but a teardown that deletes
# every suppress_prefixlength rule or flushes table 51820 (as Burrow's once did) removes them.
ip -4 route add 10.252.0.0/24 dev wg0 table 51820
ip -4 rule add not fwmark 51820 table 51820
ip -4 rule add table main suppress_prefixlength 0
# Everything but Burrow's own two rules (priorities 25204/25205) and its table.
others() { { ip -4 rule show | grep -Ev '^2520[45]:'; ip -4 route show table 51820; ip -4 route show dev wg0; } | sort | tr '\n' ';'; }
before=$(others)
R others_before "$before"

R connect "$(burrow connect lab-vpn --json 2>&1)"
wait_state connected
R connected_echo "$(echo_ip)"
R others_connected "$(others)"
R disconnect "$(burrow disconnect --json 2>&1)"
wait_state disconnected
R others_after "$(others)"
R wg0_after "$(ip -o link show wg0 >/dev/null 2>&1 && echo up || echo gone)"

# Debian's nftables.service while connected: its config starts with `flush ruleset`. A program keeps
# talking (TCP, UDP DNS, ICMP) through the restart; the wire shows whether anything got out around the
# tunnel while Burrow's table was gone.
burrow connect lab-vpn --json >/dev/null 2>&1
wait_state connected
R nft_conf_flush "$(grep -c '^flush ruleset' /etc/nftables.conf)"
talk 40 &
talker=$!
sleep 1
M nft_restart
R nft_restart_rc "$(systemctl restart nftables.service >/dev/null 2>&1; echo $?)"
back=no
for _ in $(seq 1 100); do
  nft list table inet burrow >/dev/null 2>&1 && { back=yes; break; }
  sleep 0.1
done
R nft_table_back "$back"
wait "$talker"
M nft_done
R nft_echo "$(echo_ip)"
for _ in $(seq 1 50); do
  burrow logs --limit 100 2>/dev/null | grep -q "netd put them back" && break
  sleep 0.2
done
R nft_notice "$(burrow logs --limit 100 2>/dev/null | grep -o "Something removed or changed Burrow's firewall rules.*" | head -1)"
R nft_state "$(burrow status --json 2>/dev/null | grep -o '"state": *"[a-z]*"' | head -1)"

# systemd's own SIGKILL of netd while connected: Restart=always brings it back; the table is there the
# whole time (netd fails closed), and afterwards the link's DNS is the system's or the tunnel's, never
# a half state.
M netd_kill
systemctl kill -s KILL burrow-netd.service
sleep 0.5
R killed_tables "$(nft list tables | grep -c 'inet burrow$')"
for _ in $(seq 1 50); do
  [ "$(systemctl is-active burrow-netd.service)" = active ] && break
  sleep 0.2
done
R netd_back "$(systemctl is-active burrow-netd.service)"
R netd_restarts "$(systemctl show -p NRestarts --value burrow-netd.service)"
# The restarted netd removes the tunnel it finds (it cannot tell a crash's leftovers from a live one);
# the host sees the tunnel lost and reconnects by itself. What the person sees: the echo is the VPN again.
states=""
state=""
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
  now=$(burrow status --json 2>/dev/null | grep -o '"state": *"[a-z]*"' | head -1 | grep -o '[a-z]*"$' | tr -d '"')
  [ "$now" != "$state" ] && states="$states $now"
  state=$now
  [ "$state" = connected ] && [ "$(curl -s -m 3 "http://$ECHO/json" | grep -o "\"ip\":\"$VPN\"")" != "" ] && break
  sleep 0.5
done
R after_kill_states "$states"
R after_kill_echo "$(echo_ip)"
R after_kill_state "$(burrow status --json 2>/dev/null | grep -o '"state": *"[a-z]*"' | head -1)"
R after_kill_status "$(burrow status --json 2>/dev/null | head -c 1500)"
R kill_log "$(burrow logs --limit 80 2>/dev/null | grep -v ' debug ' | tail -n 25)"
R kill_netd_log "$(journalctl -u burrow-netd.service -o cat --no-pager | grep -v '"level":"debug"' | tail -n 20)"
R after_kill_resolve "$(resolve "$NAME_KILL")"
M netd_done
R disconnect2 "$(burrow disconnect --json 2>&1)"
wait_state disconnected
# Anti-test for the wire checks above: disconnected (no kill switch), the same talker's packets are on
# the wire outside the tunnel.
M open_start
talk 10
M open_done
R final_links "$(ip -o link show type wireguard | awk -F': ' '{print $2}' | tr '\n' ' ')"
R final_eth0_dns "$(resolvectl dns eth0)"
R host_log "$(burrow logs --limit 40 2>/dev/null | grep -v ' debug ' | tail -n 15)"
exit 0
