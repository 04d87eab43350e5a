#!/bin/bash
# Burrow's post-remove script: deb postrm (remove, purge, upgrade, failed-upgrade, abort-install,
# abort-upgrade, disappear) and rpm %postun ($1 = how many versions stay installed: 0 on erase, 1 on
# upgrade). It replaces electron-builder's default after-remove (app-builder-lib
# templates/linux/after-remove.tpl) and keeps what that does (the /usr/bin link, the AppArmor profile),
# but only on removal: on an rpm upgrade the old package's %postun runs after the new %post, and removing
# the link there would remove the new package's link.
#
# electron-builder expands dollar-brace macros in this file before packaging: write $VAR, never braces.
set -u

app=/opt/Burrow
executable=burrow-desktop

action=""
if [ $# -gt 0 ]; then action=$1; fi
case "$action" in
  remove | purge | abort-install | disappear | 0) ;;
  *) exit 0 ;;
esac

# --- electron-builder's default steps ---------------------------------------------------------------

if type update-alternatives >/dev/null 2>&1; then
  update-alternatives --remove "$executable" "$app/$executable" || true
else
  rm -f "/usr/bin/$executable"
fi

apparmor_target="/etc/apparmor.d/$executable"
if [ -f "$apparmor_target" ]; then
  if apparmor_status --enabled >/dev/null 2>&1; then
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$apparmor_target" || true
    fi
  fi
  rm -f "$apparmor_target"
fi

# --- netd ---------------------------------------------------------------------------------------------
# The pre-remove script stopped netd and deleted the firewall table; deleting it again costs nothing and
# covers a package built without that script.
if hash nft 2>/dev/null && nft list table inet burrow >/dev/null 2>&1; then
  nft delete table inet burrow || true
fi

rm -f /usr/lib/systemd/system/burrow-netd.service /usr/lib/systemd/system/burrow-early-boot-blocking.service
rm -f /usr/lib/sysusers.d/burrow.conf
rm -rf /usr/lib/burrow
if [ -d /run/systemd/system ]; then systemctl daemon-reload || true; fi

# The lockdown flag (and later tor's data) go with a purge; rpm has no purge, so its erase removes them.
# The group burrow and the users burrow-tor, burrow-nym, burrow-dvpn stay, as Debian policy asks: files may still belong to them.
if [ "$action" = purge ] || [ "$action" = 0 ]; then
  rm -rf /var/lib/burrow
fi

exit 0
