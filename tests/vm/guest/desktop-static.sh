#!/bin/bash
# A desktop whose resolv.conf is a plain file (no systemd-resolved; NetworkManager told dns=none, as with
# a DHCP client or resolvconf writing the file). Burrow writes it in place and watches it; another
# program's rewrite is adopted as the system's. Then the crash paths (issue 12 item 9): netd killed with
# SIGKILL, netd stopped with SIGTERM, and a hard power-off while connected (two boots of one overlay).
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

boot=$(( $(cat /job/boots 2>/dev/null || echo 0) + 1 ))
echo "$boot" >/job/boots
sync
R boot "$boot"

wait_netd() {
  for _ in $(seq 1 150); do
    [ -S /run/burrow/netd.sock ] && systemctl is-active -q burrow-netd.service && return 0
    sleep 0.4
  done
  return 1
}

if [ "$boot" = 2 ]; then
  # After the power loss: netd started at boot, found the backup in /var/lib/burrow/dns and put it back.
  wait_netd
  R poweroff_conf "$(cat /etc/resolv.conf)"
  R poweroff_backup "$(ls /var/lib/burrow/dns 2>&1)"
  R poweroff_links "$(ip -o link show type wireguard | wc -l)"
  R poweroff_netd_log "$(journalctl -b -u burrow-netd.service -o cat --no-pager | grep -E 'restored|removed' | head -3)"
  R poweroff_resolve "$(resolve "$NAME_POWEROFF")"

  # Removal while netd is dead (killed, then stopped before systemd's restart): nothing would ever start
  # netd again to put the resolver back, so the pre-remove script runs netd's recovery once.
  start_host || exit 1
  burrow connect lab-vpn --json >/dev/null 2>&1
  wait_state connected
  R deadnetd_before_conf "$(head -1 /etc/resolv.conf)"
  kill_host_hard
  # A netd that stays dead: systemd must not bring it back (a restart would restore the resolver at once,
  # and in this slow guest `systemctl kill; systemctl stop` raced the one-second restart).
  install -d /run/systemd/system/burrow-netd.service.d
  printf '[Service]\nRestart=no\n' >/run/systemd/system/burrow-netd.service.d/stay-dead.conf
  systemctl daemon-reload
  systemctl kill -s KILL burrow-netd.service
  for _ in $(seq 1 50); do systemctl is-active -q burrow-netd.service || break; sleep 0.2; done
  R deadnetd_state "$(systemctl is-active burrow-netd.service)"
  R deadnetd_backup "$(ls /var/lib/burrow/dns 2>&1)"
  R deadnetd_remove_rc "$(dpkg -r burrow >/tmp/remove.log 2>&1; echo $?)"
  R deadnetd_remove_log "$(cat /tmp/remove.log)"
  R deadnetd_conf "$(cat /etc/resolv.conf)"
  R deadnetd_links "$(ip -o link show type wireguard | wc -l)"
  R deadnetd_tables "$(nft list tables | grep -c burrow)"
  R deadnetd_resolve "$(resolve "$NAME_REMOVED")"
  exit 0
fi

systemctl disable --now systemd-resolved.service >/dev/null 2>&1
printf '[main]\ndns=none\n' >/etc/NetworkManager/conf.d/90-dns-none.conf
systemctl reload NetworkManager
rm -f /etc/resolv.conf
printf 'nameserver %s\n' "$ISP_RESOLVER" >/etc/resolv.conf
R static_before "$(resolve "$NAME_BEFORE")"

install_burrow
start_host || exit 1
burrow profile import /job/vpn.conf --name 'Lab VPN' >/dev/null 2>&1
R connect "$(burrow connect lab-vpn --json 2>&1)"
wait_state connected
R connected_conf "$(cat /etc/resolv.conf)"
R connected_resolve "$(resolve "$NAME_CONNECTED")"

# A DHCP hook rewrites the file by rename, naming the ISP's resolver again (with one more option).
upstream="$(printf '# written by the DHCP client\nnameserver %s\noptions timeout:2\n' "$ISP_RESOLVER")"
printf '%s\n' "$upstream" >/etc/resolv.conf.new && mv /etc/resolv.conf.new /etc/resolv.conf
sleep 3
R rewrite_conf "$(cat /etc/resolv.conf)"
R rewrite_resolve "$(resolve "$NAME_REWRITE")"

# netd killed outright while connected (the host killed first, so it neither tears down nor reconnects).
kill_host_hard
systemctl kill -s KILL burrow-netd.service
sleep 2
wait_netd
R sigkill_conf "$(cat /etc/resolv.conf)"
R sigkill_links "$(ip -o link show type wireguard | wc -l)"
R sigkill_firewall "$(nft list tables | grep -c 'inet burrow$')"
R sigkill_backup "$(ls /var/lib/burrow/dns 2>&1)"

# netd stopped cleanly (SIGTERM) while connected.
start_host || exit 1
burrow connect lab-vpn --json >/dev/null 2>&1
wait_state connected
R sigterm_connected_conf "$(head -1 /etc/resolv.conf)"
kill_host_hard
systemctl stop burrow-netd.service
R sigterm_conf "$(cat /etc/resolv.conf)"
systemctl start burrow-netd.service
wait_netd

# Connected again, then the power goes: no shutdown, no sync after this point.
start_host || exit 1
burrow connect lab-vpn --json >/dev/null 2>&1
wait_state connected
R poweroff_before_conf "$(head -1 /etc/resolv.conf)"
sync
echo b >/proc/sysrq-trigger
