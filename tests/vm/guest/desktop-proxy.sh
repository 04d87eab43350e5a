#!/bin/bash
# System-wide Nym and dVPN on a Debian desktop as installed (NetworkManager + systemd-resolved), the host
# as the desktop user alice: netd (burrow-netd.service, its real sandbox) runs the Nym client and myst as
# burrow-nym and burrow-dvpn itself, since alice's host cannot. The programs are the lab's STAND-INS
# (tests/lab/standins), installed where a person's package would put them; their far ends are in the lab.
# shellcheck source=tests/vm/guest/lib.sh
# shellcheck disable=SC1091 # lib.sh sits beside run.sh on the job disk
. /job/lib.sh

R before_echo "$(echo_ip)"
install_burrow
for program in nym-socks5-client myst; do install -m 0755 "/job/standins/$program" "/usr/local/bin/$program"; done
start_host || exit 1
# The host's own node process (runuser, root's, has the same words in its command line further on).
R host_user "$(ps -o user= -p "$(pgrep -f "^$NODE $BURROW_JS host" | head -1)")"

# Who a running program is, by a piece of its command line.
user_of() { pgrep -f -- "$1" | xargs -r ps -o user:20= -p | sort -u | tr '\n' ' '; }

for net in nym dvpn; do
  R "${net}_import" "$(burrow profile import "/job/$net.conf" >/dev/null 2>&1; echo $?)"
done

# One network: connect its profile, who runs its helper, where programs leave from, whether names resolve,
# then disconnect and count what is left of the helper.
check_network() {
  local net=$1 profile=$2 helper=$3 name=$4
  R "${net}_connect" "$(burrow connect "$profile" --json 2>&1 | tr -d '\n' | head -c 1500)"
  R "${net}_status" "$(burrow status --json 2>&1 | tr -d '\n' | grep -o '"state": \?"[a-z]*"' | head -1)"
  R "${net}_user" "$(user_of "$helper")"
  R "${net}_echo" "$(echo_ip)"
  R "${net}_resolve" "$(resolve "$name")"
  R "${net}_disconnect" "$(burrow disconnect --json 2>&1 | tr -d '\n' | grep -o '"state": \?"[a-z]*"' | head -1)"
  wait_state disconnected
  R "${net}_after" "$(pgrep -fc -- "$helper")"
}
check_network nym mixnet 'nym-socks5-client.mjs --no-banner run' "$NAME_NYM"
check_network dvpn dvpn '/myst.mjs' "$NAME_DVPN"

R after_echo "$(echo_ip)"
R after_resolve "$(resolve "$NAME_AFTER")"
R netd_errors "$(journalctl -u burrow-netd.service -o cat --no-pager | grep -E '"level":"(warn|error)"' | tail -n 8)"
R host_log "$(grep -E 'WARN|ERROR' /tmp/host.log | tail -n 8)"
exit 0
