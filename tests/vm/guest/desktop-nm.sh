#!/bin/bash
# A desktop with NetworkManager alone (no systemd-resolved): NetworkManager writes /etc/resolv.conf itself
# from the DHCP lease (dns=default, rc-manager=file), as Debian without resolved and many older desktops
# do. While connected NetworkManager rewrites the file (a reapply, then a new lease naming other DNS
# servers, as after a roam): netd adopts each rewrite as the system's and keeps the tunnel's resolver on
# top. After the disconnect the file is what NetworkManager now has, not the stale copy from before.
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

systemctl disable --now systemd-resolved.service >/dev/null 2>&1
rm -f /etc/resolv.conf
printf '[main]\ndns=default\nrc-manager=file\n' >/etc/NetworkManager/conf.d/90-dns-file.conf
systemctl restart NetworkManager
con=""
for _ in $(seq 1 100); do
  con=$(nmcli -g GENERAL.CONNECTION device show eth0 2>/dev/null)
  [ -n "$con" ] && grep -q "nameserver $ISP_RESOLVER" /etc/resolv.conf 2>/dev/null && break
  sleep 0.3
done
R nm_connection "$con"
R before_conf "$(cat /etc/resolv.conf 2>&1)"
R before_resolve "$(resolve "$NAME_BEFORE")"

install_burrow
start_host || exit 1
burrow profile import /job/vpn.conf --name 'Lab VPN' >/dev/null 2>&1
R connect "$(burrow connect lab-vpn --json 2>&1)"
wait_state connected
R connected_conf "$(cat /etc/resolv.conf)"
R connected_resolve "$(resolve "$NAME_CONNECTED")"

# NetworkManager rewrites the file from the same lease.
nmcli device reapply eth0 >/dev/null 2>&1
sleep 3
R reapply_conf "$(cat /etc/resolv.conf)"
R reapply_resolve "$(resolve "$NAME_REAPPLY")"

# The ISP's DHCP now names another resolver (the host restarts the lab's DHCP server at this marker);
# the connection is brought up again, as on a roam or a resume, until NetworkManager has the new lease.
M dhcp-change
for _ in $(seq 1 12); do
  sleep 3
  nmcli connection up "$con" >/dev/null 2>&1
  nmcli -g IP4.DNS device show eth0 2>/dev/null | grep -qx "$SECOND_RESOLVER" && break
done
R dhcp_nm_dns "$(nmcli -g IP4.DNS device show eth0 2>&1)"
wait_state connected
sleep 2
R dhcp_state "$(burrow status --json 2>&1 | grep -o '"state": \?"[a-z]*"' | head -1)"
R dhcp_conf "$(cat /etc/resolv.conf)"
R dhcp_backup "$(cat /var/lib/burrow/dns/* 2>&1)"
R dhcp_resolve "$(resolve "$NAME_DHCP")"

R disconnect "$(burrow disconnect --json 2>&1)"
wait_state disconnected
R after_conf "$(cat /etc/resolv.conf)"
R after_resolve "$(resolve "$NAME_AFTER")"
R netd_log "$(journalctl -u burrow-netd.service -o cat --no-pager | grep -v '"level":"debug"' | grep -i dns | tail -n 12)"
exit 0
