#!/bin/bash
# A Debian desktop as installed: NetworkManager with systemd-resolved (resolv.conf is resolved's stub).
# Burrow from its .deb; kernel WireGuard; DNS through the tunnel while connected, the system's own after.
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

R kernel "$(uname -r)"
R resolv_conf_link "$(readlink /etc/resolv.conf)"
R before_echo "$(echo_ip)"
R before_resolve "$(resolve "$NAME_BEFORE")"
R before_dns_status "$(resolvectl status eth0 2>&1 | head -20)"
R before_dig_isp "$(dig +time=3 +tries=1 +short @"$ISP_RESOLVER" "$NAME_BEFORE" 2>&1)"
R before_dig_stub "$(dig +time=3 +tries=1 @127.0.0.53 "$NAME_BEFORE" 2>&1 | grep -E 'status|ANSWER SECTION' -A1 | head -4)"

install_burrow
R netd_active "$(systemctl is-active burrow-netd.service)"
R netd_user "$(ps -o user= -p "$(systemctl show -p MainPID --value burrow-netd.service)")"
R netd_caps "$(systemctl show -p CapabilityBoundingSet --value burrow-netd.service)"
# Strict reverse-path filtering, as ufw sets it: the endpoint's replies must still arrive (netd gives them
# the tunnel's mark back from conntrack, as wg-quick does).
sysctl -qw net.ipv4.conf.all.rp_filter=1 net.ipv4.conf.eth0.rp_filter=1
R rp_filter "$(sysctl -n net.ipv4.conf.all.rp_filter)"
start_host || exit 1
R import_rc "$(burrow profile import /job/vpn.conf --name 'Lab VPN' >/dev/null 2>&1; echo $?)"
connect=$(burrow connect lab-vpn --json 2>&1)
R connect "$connect"
wait_state connected
R status "$(burrow status --json 2>&1)"
R wg_module "$(lsmod | awk '$1 == "wireguard" {print "loaded"}')"
ifname=$(ip -o link show type wireguard | awk -F': ' '{print $2}' | head -1)
R wg_link "$ifname"
R wg_link_kind "$(ip -d -o link show dev "$ifname" | grep -o 'wireguard' | head -1)"
R wg_handshake "$(wg show "$ifname" latest-handshakes | awk '{print $2}')"
R wireguard_go "$(pgrep -c wireguard-go)"
R connected_echo "$(echo_ip)"
R resolved_link_dns "$(resolvectl dns "$ifname")"
R resolved_link_domain "$(resolvectl domain "$ifname")"
R connected_resolve "$(resolve "$NAME_CONNECTED")"

systemctl restart systemd-resolved
sleep 2
R restarted_link_dns "$(resolvectl dns "$ifname")"
R after_resolved_restart "$(resolve "$NAME_RESOLVED_RESTART")"

nmcli device reapply eth0 >/dev/null 2>&1
sleep 3
R after_reapply "$(resolve "$NAME_REAPPLY")"

# The ISP's DHCP now names another resolver (the host restarts the lab's DHCP server at this marker); the
# connection is brought up again, as on a roam or a resume, until NetworkManager has handed resolved the
# new lease's server for eth0. The tunnel link's `~.` still takes every name.
M dhcp-change
con=$(nmcli -g GENERAL.CONNECTION device show eth0 2>/dev/null)
for _ in $(seq 1 12); do
  sleep 3
  nmcli connection up "$con" >/dev/null 2>&1
  resolvectl dns eth0 2>/dev/null | grep -q "$SECOND_RESOLVER" && break
done
wait_state connected
sleep 2
R dhcp_eth0_dns "$(resolvectl dns eth0 2>&1)"
R dhcp_link_dns "$(resolvectl dns "$ifname" 2>&1)"
R dhcp_resolve "$(resolve "$NAME_DHCP")"

# Fedora's way: glibc asks resolved over its own socket, never resolv.conf.
cp /etc/nsswitch.conf /tmp/nsswitch.conf
sed -i 's/^hosts:.*/hosts:          files resolve [!UNAVAIL=return] dns/' /etc/nsswitch.conf
R nss_resolve "$(resolve "$NAME_NSS_RESOLVE")"
cp /tmp/nsswitch.conf /etc/nsswitch.conf

R disconnect "$(burrow disconnect --json 2>&1)"
wait_state disconnected
R after_link_dns "$(resolvectl dns eth0)"
R after_links "$(ip -o link show type wireguard | wc -l)"
R after_echo "$(echo_ip)"
R after_resolve "$(resolve "$NAME_AFTER")"
R netd_log "$(journalctl -u burrow-netd.service -o cat --no-pager | grep -v '"level":"debug"' | tail -n 30)"

# Upgrade while connected (the same package again: prerm upgrade, postinst restarts netd): the firewall
# table stays through it. Then removal: the table goes, the link's DNS is the system's.
burrow connect lab-vpn --json >/dev/null 2>&1
wait_state connected
R upgrade_rc "$(dpkg -i /job/burrow.deb >/dev/null 2>&1; echo $?)"
R upgrade_tables "$(nft list tables | grep -c 'inet burrow$')"
R upgrade_netd "$(systemctl is-active burrow-netd.service)"
kill "$HOST_PID" 2>/dev/null
wait "$HOST_PID" 2>/dev/null
R remove_rc "$(dpkg -r burrow >/dev/null 2>&1; echo $?)"
R remove_tables "$(nft list tables | grep -c burrow)"
R remove_links "$(ip -o link show type wireguard | wc -l)"
R remove_link_dns "$(resolvectl dns eth0)"
R remove_resolve "$(resolve "$NAME_REMOVED")"
exit 0
