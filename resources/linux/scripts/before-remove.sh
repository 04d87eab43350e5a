#!/bin/bash
# Burrow's pre-remove script: deb prerm (remove, upgrade, deconfigure, failed-upgrade) and rpm %preun
# ($1 = how many versions stay installed: 0 on erase, 1 on upgrade). Passed to fpm by electron-builder.yml
# (deb.fpm / rpm.fpm: --before-remove).
#
# On upgrade nothing changes: netd keeps running until the new post-install script restarts it, and the
# firewall stays exactly as it is (fail closed). On removal netd is stopped and Burrow's nftables table is
# deleted, so the person is not left offline by a kill switch nothing can lift any more; a resolv.conf
# netd had rewritten for a tunnel is put back.
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

# netd writes resolv.conf in place and keeps the original here until the tunnel goes down.
saved_resolv=/run/burrow-netd/resolv.conf.orig
if [ -f "$saved_resolv" ]; then
  cat "$saved_resolv" >/etc/resolv.conf && rm -f "$saved_resolv" && echo "Burrow: /etc/resolv.conf restored."
fi
rm -rf /run/burrow-netd /run/burrow

exit 0
