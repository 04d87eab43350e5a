#!/bin/bash
# Burrow's pre-remove script: deb prerm (remove, upgrade, deconfigure, failed-upgrade) and rpm %preun
# ($1 = how many versions stay installed: 0 on erase, 1 on upgrade). Passed to fpm by electron-builder.yml
# (deb.fpm / rpm.fpm: --before-remove).
#
# On upgrade nothing changes: netd keeps running until the new post-install script restarts it, and the
# firewall stays exactly as it is (fail closed). On removal netd is stopped and Burrow's nftables table is
# deleted, so the person is not left offline by a kill switch nothing can lift any more; netd puts the
# resolver configuration it replaced for a tunnel back as it stops.
set -u

action=""
if [ $# -gt 0 ]; then action=$1; fi
case "$action" in
  remove | deconfigure | 0) ;;
  *) exit 0 ;;
esac

if [ -d /run/systemd/system ]; then
  # netd takes its tunnels down when it stops; the table stays until we delete it below.
  systemctl stop burrow-netd.service burrow-early-boot-blocking.service || true
fi
systemctl disable burrow-netd.service burrow-early-boot-blocking.service 2>/dev/null || true

if hash nft 2>/dev/null && nft list table inet burrow >/dev/null 2>&1; then
  nft delete table inet burrow && echo "Burrow: firewall table inet burrow removed."
fi

# netd puts the system's resolver back itself when it stops (SIGTERM, above); its backup lives in
# /var/lib/burrow/dns until then. A netd that was not running (crashed until systemd gave up) left it
# replaced: after removal no netd would ever start again to put it back, so run its recovery once now.
if [ -f /var/lib/burrow/dns/backup.json ] && [ -x /opt/Burrow/resources/netd/burrow-netd ]; then
  if /opt/Burrow/resources/netd/burrow-netd --recover-only; then
    echo "Burrow: the resolver configuration netd had replaced was put back."
  fi
fi
if [ -f /var/lib/burrow/dns/backup.json ]; then
  echo "Burrow: netd left a saved resolver configuration in /var/lib/burrow/dns; check /etc/resolv.conf." >&2
fi
rm -rf /run/burrow-netd /run/burrow

exit 0
