# shellcheck shell=bash
# Shared by every job: the lab's facts (job.env), result lines for the host, and Burrow as a user runs it
# (the .deb's netd under systemd; the headless host and the CLI as the desktop user alice, with the Node
# that Electron would carry).
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C
# shellcheck disable=SC1091
. /job/job.env

# One result per line: "R name value" (value on one line). The host's test asserts on these.
R() {
  local name=$1
  shift
  printf 'R %s %s\n' "$name" "$(printf '%s' "$*" | tr '\n\r' '  ')"
}
note() { printf 'N %s\n' "$*"; }
# A marker: the host notes when it first saw it (to split a capture in time).
M() { printf 'M %s\n' "$1"; }

NODE=/job/bin/node
BURROW_JS=/job/app/burrow.mjs
ALICE_RUN=/run/alice
burrow() {
  runuser -u alice -- env HOME=/home/alice XDG_RUNTIME_DIR=$ALICE_RUN "$NODE" "$BURROW_JS" "$@" --control $ALICE_RUN/burrow/host.sock
}

install_burrow() {
  local out
  out=$(dpkg -i /job/burrow.deb 2>&1)
  R dpkg_rc $?
  note "$out"
  useradd -m -G burrow -s /bin/bash alice
  install -d -o alice -g alice -m 0700 $ALICE_RUN
}

start_host() {
  # /run is a tmpfs: after a reboot the user's runtime directory is made again (logind would).
  install -d -o alice -g alice -m 0700 $ALICE_RUN
  runuser -u alice -- env HOME=/home/alice XDG_RUNTIME_DIR=$ALICE_RUN "$NODE" "$BURROW_JS" host \
    --data /home/alice/burrow-data --control $ALICE_RUN/burrow/host.sock --netd /run/burrow/netd.sock >/tmp/host.log 2>&1 &
  # shellcheck disable=SC2034 # used by the job scripts that source this file
  HOST_PID=$!
  for _ in $(seq 1 300); do
    grep -q 'Burrow host ready' /tmp/host.log && return 0
    sleep 0.2
  done
  note "host did not start: $(tail -5 /tmp/host.log)"
  return 1
}

# The host dies as in a crash (SIGKILL of its node process, not runuser's): a host stopped gracefully takes
# its tunnel down first, and then netd has nothing left to recover.
kill_host_hard() {
  pkill -KILL -u alice -f 'burrow.mjs host'
  wait "$HOST_PID" 2>/dev/null
  return 0
}

# NetworkManager alone writes /etc/resolv.conf from the lease (dns=default, rc-manager=file; no resolved),
# as Debian without resolved and many older desktops have it. Prints the connection's name once NM has
# written the ISP's resolver.
nm_writes_resolv_conf() {
  local con=""
  systemctl disable --now systemd-resolved.service >/dev/null 2>&1
  rm -f /etc/resolv.conf
  printf '[main]\ndns=default\nrc-manager=file\n' >/etc/NetworkManager/conf.d/90-dns-file.conf
  systemctl restart NetworkManager
  for _ in $(seq 1 100); do
    con=$(nmcli -g GENERAL.CONNECTION device show eth0 2>/dev/null)
    [ -n "$con" ] && grep -q "nameserver $ISP_RESOLVER" /etc/resolv.conf 2>/dev/null && break
    sleep 0.3
  done
  printf '%s' "$con"
}

# NetworkManager's global DNS, as busctl prints it (netd sets it while connected on an NM-only desktop).
nm_global_dns() {
  busctl --system --json=short get-property org.freedesktop.NetworkManager /org/freedesktop/NetworkManager \
    org.freedesktop.NetworkManager GlobalDnsConfiguration 2>&1
}

# A name resolved through glibc (nsswitch decides the path); prints the addresses or "FAILED".
resolve() {
  getent ahostsv4 "$1" | awk '{print $1}' | sort -u | tr '\n' ' ' | grep . || echo FAILED
}

# The address leakd's echo sees for this machine.
echo_ip() {
  curl -s -m 10 "http://$ECHO/json" | sed -n 's/.*"ip":"\([^"]*\)".*/\1/p' | grep . || echo FAILED
}

wait_state() {
  local want=$1
  for _ in $(seq 1 150); do
    burrow status --json 2>/dev/null | grep -Eq "\"state\": ?\"$want\"" && return 0
    sleep 0.4
  done
  return 1
}
