#!/bin/sh
# Run by burrow-early-boot-blocking.service (installed as /usr/lib/burrow/early-boot-blocking): when
# lockdown is on, apply Burrow's blocking ruleset before any network comes up.
#
# The lockdown flag is /var/lib/burrow/lockdown, written by netd: present = lockdown on, absent = off. Its
# content is one line, "allow-lan=yes" or "allow-lan=no". The LAN is only opened when the flag says so AND
# the flag is root's and writable by root alone; in every other case everything is blocked (fail closed).
# The rulesets beside this script were rendered at build time by app/firewall, the code netd uses.
set -eu

flag=/var/lib/burrow/lockdown
rules=/usr/lib/burrow

if [ ! -e "$flag" ]; then
  echo "Lockdown is off: nothing to block."
  exit 0
fi

ruleset=block.nft
owner=$(stat -c %u "$flag")
mode=$(stat -c %a "$flag")
# 0$mode reads the mode as octal; 022 are the group- and other-write bits.
if [ "$owner" = 0 ] && [ $((0$mode & 022)) -eq 0 ] && grep -qx 'allow-lan=yes' "$flag"; then
  ruleset=block-allow-lan.nft
fi

echo "Lockdown is on: applying $rules/$ruleset."
exec nft -f "$rules/$ruleset"
