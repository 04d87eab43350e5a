#!/bin/bash
# Lockdown across a real reboot: boot 1 installs Burrow and turns lockdown on, then reboots; the host
# captures the guest's wire from before the second power-on. Boot 2: the early-boot unit has blocked
# everything before the network came up; nothing gets out until the user connects, then the VPN works.
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

boot=$(( $(cat /job/boots 2>/dev/null || echo 0) + 1 ))
echo "$boot" >/job/boots
sync
R boot "$boot"

if [ "$boot" = 1 ]; then
  R open_echo "$(echo_ip)"
  install_burrow
  start_host || exit 1
  burrow profile import /job/vpn.conf --name 'Lab VPN' >/dev/null 2>&1
  R lockdown_set "$(burrow settings set lockdown=on --json 2>&1 | tr -d ' ' | grep -o '"lockdown":[a-z]*' | head -1)"
  R flag "$(cat /var/lib/burrow/lockdown 2>&1)"
  kill "$HOST_PID"
  sync
  exit 100
fi

R early_unit "$(systemctl show -p ActiveState --value burrow-early-boot-blocking.service)"
R early_log "$(journalctl -b -u burrow-early-boot-blocking.service -o cat --no-pager | tail -2)"
R tables "$(nft list tables)"
R lease "$(ip -4 -o addr show dev eth0 | awk '{print $4}')"
M probes
R blocked_echo "$(echo_ip)"
R blocked_dig "$(dig +time=2 +tries=1 +short @"$ISP_RESOLVER" "$NAME_BLOCKED" 2>&1 | head -1)"
R blocked_ping "$(ping -c 1 -W 2 "$ECHO" >/dev/null 2>&1 && echo reached || echo blocked)"
M connect
start_host || exit 1
R connect "$(burrow connect lab-vpn --json 2>&1 | tr -d '\n' | grep -o '"state": *"[a-z]*"' | head -1)"
wait_state connected
R connected_echo "$(echo_ip)"
M finished
exit 0
