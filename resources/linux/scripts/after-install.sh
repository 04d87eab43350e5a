#!/bin/bash
# Burrow's post-install script: deb postinst (configure, abort-*) and rpm %post ($1 = 1 install, 2+ upgrade).
# It replaces electron-builder's default after-install (app-builder-lib templates/linux/after-install.tpl)
# and keeps everything that does: the /usr/bin link through update-alternatives, chrome-sandbox's mode,
# the MIME and desktop databases, the AppArmor profile. Then it installs netd's units and users.
#
# electron-builder expands dollar-brace macros in this file before packaging: write $VAR, never braces.
# Paths are literal and checked against electron-builder.yml by tests/unit/packaging.
set -u

app=/opt/Burrow
executable=burrow-desktop
resources=$app/resources
booted=no
if [ -d /run/systemd/system ]; then booted=yes; fi

# --- electron-builder's default steps ---------------------------------------------------------------

if type update-alternatives >/dev/null 2>&1; then
  # Remove a previous link that does not go through update-alternatives.
  if [ -L "/usr/bin/$executable" ] && [ -e "/usr/bin/$executable" ] && [ "$(readlink "/usr/bin/$executable")" != "/etc/alternatives/$executable" ]; then
    rm -f "/usr/bin/$executable"
  fi
  update-alternatives --install "/usr/bin/$executable" "$executable" "$app/$executable" 100 || ln -sf "$app/$executable" "/usr/bin/$executable"
else
  ln -sf "$app/$executable" "/usr/bin/$executable"
fi

# SUID chrome-sandbox only where the kernel offers no working user namespaces.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true 2>/dev/null; }; then
  chmod 4755 "$app/chrome-sandbox" || true
else
  chmod 0755 "$app/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then
  update-mime-database /usr/share/mime || true
fi

if hash update-desktop-database 2>/dev/null; then
  update-desktop-database /usr/share/applications || true
fi

# AppArmor profile (Ubuntu 24+ restricts unprivileged user namespaces to profiled programs). Skipped where
# the running AppArmor cannot parse it (Ubuntu 22.04 has no abi/4.0) and in a chroot.
if apparmor_status --enabled >/dev/null 2>&1; then
  apparmor_source="$resources/apparmor-profile"
  apparmor_target="/etc/apparmor.d/$executable"
  if apparmor_parser --skip-kernel-load --debug "$apparmor_source" >/dev/null 2>&1; then
    cp -f "$apparmor_source" "$apparmor_target"
    if ! { [ -x /usr/bin/ischroot ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$apparmor_target"
    fi
  else
    echo "Skipping the installation of the AppArmor profile as this version of AppArmor does not seem to support the bundled profile"
  fi
fi

# --- netd: units, users, the early-boot blocker -----------------------------------------------------
# Copied out of /opt rather than linked: systemd reads unit files before /opt (possibly its own mount) is
# there, and the early-boot blocker runs before local mounts are guaranteed.

install -D -m 0644 "$resources/linux/systemd/burrow-netd.service" /usr/lib/systemd/system/burrow-netd.service
install -D -m 0644 "$resources/linux/systemd/burrow-early-boot-blocking.service" /usr/lib/systemd/system/burrow-early-boot-blocking.service
install -D -m 0644 "$resources/linux/sysusers.d/burrow.conf" /usr/lib/sysusers.d/burrow.conf
install -D -m 0755 "$resources/linux/scripts/early-boot-blocking.sh" /usr/lib/burrow/early-boot-blocking
install -D -m 0644 "$resources/netd/block.nft" /usr/lib/burrow/block.nft
install -D -m 0644 "$resources/netd/block-allow-lan.nft" /usr/lib/burrow/block-allow-lan.nft

if hash systemd-sysusers 2>/dev/null; then
  systemd-sysusers /usr/lib/sysusers.d/burrow.conf
else
  getent group burrow >/dev/null || groupadd --system burrow
  # The same users as sysusers.d/burrow.conf: every uid netd exempts from the kill switch is one of these.
  add_user() {
    getent passwd "burrow-$1" >/dev/null ||
      useradd --system --user-group --home-dir "/var/lib/burrow/$1" --no-create-home --shell /usr/sbin/nologin --comment "Burrow $2" "burrow-$1"
  }
  add_user tor "system-wide Tor"
  add_user nym "system-wide Nym"
  add_user dvpn "system-wide dVPN"
  add_user obfs "WireGuard transport"
fi

# Whoever installed the package through sudo or pkexec may use netd after logging in again; anyone else is
# added by hand (resources/linux/README.md). Only regular accounts, never root or system users.
installer=$(printenv SUDO_USER || true)
if [ -z "$installer" ]; then
  pkexec_uid=$(printenv PKEXEC_UID || true)
  if [ -n "$pkexec_uid" ]; then installer=$(getent passwd "$pkexec_uid" | cut -d: -f1); fi
fi
if [ -n "$installer" ] && installer_uid=$(id -u "$installer" 2>/dev/null) && [ "$installer_uid" -ge 1000 ] && [ "$installer_uid" -ne 65534 ]; then
  if ! id -nG "$installer" | tr ' ' '\n' | grep -qx burrow; then
    usermod -a -G burrow "$installer" && echo "Burrow: added $installer to the group burrow (log out and in again to use system-wide mode)."
  fi
else
  echo "Burrow: to use system-wide mode, add your account to the group burrow: sudo usermod -aG burrow \"\$USER\", then log out and in."
fi

# Enabling works without a running systemd (chroots, image builds); starting needs one.
if [ "$booted" = yes ]; then systemctl daemon-reload || true; fi
systemctl enable burrow-netd.service burrow-early-boot-blocking.service || echo "Burrow: could not enable netd's units; see systemctl status burrow-netd."
if [ "$booted" = yes ]; then
  # A first install starts netd; an upgrade restarts it on the new binary. The firewall table is left as it
  # is either way: netd never clears it by itself.
  systemctl restart burrow-netd.service || echo "Burrow: netd did not start; see journalctl -u burrow-netd."
fi

exit 0
