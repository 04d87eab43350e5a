#!/bin/bash
# A desktop with NetworkManager alone (no systemd-resolved): NetworkManager writes /etc/resolv.conf itself
# from the DHCP lease (dns=default, rc-manager=file), as Debian without resolved and many older desktops
# do. netd gives NetworkManager the tunnel's resolver as its global DNS over D-Bus, and NetworkManager
# writes it, also when it rewrites the file (a reapply, then a new lease naming other DNS servers, as after
# a roam). After the disconnect the file is what NetworkManager now has, not a stale copy. NetworkManager
# keeps global DNS across restarts, so the crash paths matter: netd killed while connected, and a hard
# power-off while connected (two boots of one overlay).
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

boot=$(( $(cat /job/boots 2>/dev/null || echo 0) + 1 ))
echo "$boot" >/job/boots
sync
R boot "$boot"

# After a power loss NetworkManager starts with the global DNS it saved; netd, which may start first,
# puts the system's back once NetworkManager answers.
if [ "$boot" = 2 ]; then
  for _ in $(seq 1 150); do
    systemctl is-active -q burrow-netd.service && [ ! -e /var/lib/burrow/dns/backup.json ] && grep -q "nameserver $SECOND_RESOLVER" /etc/resolv.conf && break
    sleep 0.4
  done
  R poweroff_global "$(nm_global_dns)"
  R poweroff_conf "$(cat /etc/resolv.conf)"
  R poweroff_backup "$(ls /var/lib/burrow/dns 2>&1)"
  R poweroff_netd_log "$(journalctl -b -u burrow-netd.service -o cat --no-pager | grep -E 'restored|not answering' | head -3)"
  R poweroff_resolve "$(resolve "$NAME_POWEROFF")"
  exit 0
fi

con=$(nm_writes_resolv_conf)
R nm_connection "$con"
R before_conf "$(cat /etc/resolv.conf 2>&1)"
R before_resolve "$(resolve "$NAME_BEFORE")"

install_burrow
start_host || exit 1
burrow profile import /job/vpn.conf --name 'Lab VPN' >/dev/null 2>&1
R connect "$(burrow connect lab-vpn --json 2>&1)"
wait_state connected
R connected_conf "$(cat /etc/resolv.conf)"
R connected_global "$(nm_global_dns)"
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
R dhcp_resolve "$(resolve "$NAME_DHCP")"

R disconnect "$(burrow disconnect --json 2>&1)"
wait_state disconnected
R after_conf "$(cat /etc/resolv.conf)"
R after_global "$(nm_global_dns)"
R after_resolve "$(resolve "$NAME_AFTER")"
R netd_log "$(journalctl -u burrow-netd.service -o cat --no-pager | grep -v '"level":"debug"' | grep -i dns | tail -n 12)"

# netd killed outright while connected (the host first, so it neither tears down nor reconnects):
# systemd restarts netd, which finds the backup and clears NetworkManager's global DNS.
burrow connect lab-vpn --json >/dev/null 2>&1
wait_state connected
R sigkill_before_conf "$(cat /etc/resolv.conf)"
kill_host_hard
systemctl kill -s KILL burrow-netd.service
sleep 2
for _ in $(seq 1 100); do
  systemctl is-active -q burrow-netd.service && [ ! -e /var/lib/burrow/dns/backup.json ] && break
  sleep 0.3
done
R sigkill_global "$(nm_global_dns)"
R sigkill_conf "$(cat /etc/resolv.conf)"
R sigkill_backup "$(ls /var/lib/burrow/dns 2>&1)"

# Connected again, then the power goes: no shutdown, nothing written after the sync.
start_host || exit 1
burrow connect lab-vpn --json >/dev/null 2>&1
wait_state connected
R poweroff_before_global "$(nm_global_dns)"
R poweroff_before_saved "$(grep -c "$PUBLIC_RESOLVER" /var/lib/NetworkManager/NetworkManager-intern.conf 2>&1)"
sync
echo b >/proc/sysrq-trigger
