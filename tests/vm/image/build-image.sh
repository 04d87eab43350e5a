#!/usr/bin/env bash
# Builds the VM suite's Debian 12 desktop-like guest from Debian's own packages (shared/VM.md): systemd,
# systemd-resolved, NetworkManager, nftables, wireguard-tools, tor, the libraries Burrow's .deb depends on,
# and Debian's cloud kernel (it has the wireguard module) with an initramfs. Nothing comes from anywhere
# but the machine's apt sources.
#
# The result is cached by the hash of its inputs (this script and guest-files/): a second run prints the
# cached directory at once. Output, on stdout, one line: the image directory with vmlinuz, initrd.img and
# rootfs.img (raw ext4, no partition table; boot it with -snapshot or an overlay, never write to it).
#
#   tests/vm/image/build-image.sh [CACHE_ROOT]       (default /var/cache/burrow-vm)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${1:-/var/cache/burrow-vm}
suite=bookworm
kernel_abi=6.1.0-47-cloud-amd64
kernel_pkg=linux-image-$kernel_abi-unsigned
# Everything the guest runs: a desktop's network stack, the test tools, and the .deb's Depends (so that
# `dpkg -i` installs Burrow offline, as apt would after fetching them).
packages=(
  systemd-resolved network-manager libnss-resolve
  wireguard-tools nftables iproute2 iputils-ping dnsutils curl tcpdump tor redsocks procps psmisc
  initramfs-tools "$kernel_pkg"
  libgtk-3-0 libnotify4 libnss3 libxss1 libxtst6 xdg-utils libatspi2.0-0 libuuid1 libsecret-1-0
)

hash=$( { cat "$0"; find "$here/guest-files" -type f -print0 | sort -z | xargs -0 cat; printf '%s\n' "${packages[@]}"; } | sha256sum | cut -c1-16)
out=$cache_root/$hash
if [ -f "$out/ready" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9
if [ -f "$out/ready" ]; then echo "$out"; exit 0; fi

work=$(mktemp -d "$cache_root/.build-XXXXXX")
rootfs=$work/rootfs
cleanup() {
  for m in proc sys dev/pts dev; do umount -l "$rootfs/$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "build-image: $*" >&2; }
mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${mirror:-http://deb.debian.org/debian}

log "debootstrap $suite from $mirror"
debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,libpam-systemd,udev,kmod "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log" >&2; exit 1; }

if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  cp /etc/apt/sources.list.d/debian.sources "$rootfs/etc/apt/sources.list.d/"
  rm -f "$rootfs/etc/apt/sources.list"
fi
mount -t proc proc "$rootfs/proc"
mount -t sysfs sys "$rootfs/sys"
mount --bind /dev "$rootfs/dev"
mount --bind /dev/pts "$rootfs/dev/pts"
cp /etc/resolv.conf "$rootfs/etc/resolv.conf.build" 2>/dev/null || true
rm -f "$rootfs/etc/resolv.conf"
cp -L /etc/resolv.conf "$rootfs/etc/resolv.conf"

in_root() { chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive LANG=C PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
log "apt-get install ${#packages[@]} packages"
in_root apt-get update -q >"$work/apt.log" 2>&1 || { tail -20 "$work/apt.log" >&2; exit 1; }
# Kernel postinst hooks must not try to install a boot loader.
printf 'do_symlinks = no\nno_symlinks = yes\nlink_in_boot = no\n' >"$rootfs/etc/kernel-img.conf"
in_root apt-get install -y -q --no-install-recommends "${packages[@]}" >>"$work/apt.log" 2>&1 || { tail -30 "$work/apt.log" >&2; exit 1; }
in_root apt-get clean

# systemd-resolved's package makes resolv.conf its stub symlink; the copy above was only for apt.
ln -sf ../run/systemd/resolve/stub-resolv.conf "$rootfs/etc/resolv.conf"
rm -f "$rootfs/etc/resolv.conf.build"

log "guest configuration"
cp -a "$here/guest-files/." "$rootfs/"
echo burrow-vm >"$rootfs/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 burrow-vm\n::1 localhost\n' >"$rootfs/etc/hosts"
printf '/dev/vda / ext4 rw,errors=remount-ro 0 1\n' >"$rootfs/etc/fstab"
# glibc asks DNS through resolv.conf (Debian's default); the suite switches to nss-resolve per case.
sed -i 's/^hosts:.*/hosts:          files dns/' "$rootfs/etc/nsswitch.conf"
in_root passwd -d root >/dev/null
in_root systemctl enable burrow-vm-job.service >/dev/null 2>&1
# What a cloud image would not run in a 20-second life: timers, the distribution's own tor.
for unit in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer man-db.timer tor.service systemd-timesyncd.service; do
  in_root systemctl disable "$unit" >/dev/null 2>&1 || true
  in_root systemctl mask "$unit" >/dev/null 2>&1 || true
done
in_root systemctl unmask tor.service >/dev/null 2>&1 || true
in_root systemctl disable tor.service >/dev/null 2>&1 || true

for m in dev/pts dev sys proc; do umount -l "$rootfs/$m"; done

mkdir -p "$work/image"
cp "$rootfs/boot/vmlinuz-$kernel_abi" "$work/image/vmlinuz"
cp "$rootfs/boot/initrd.img-$kernel_abi" "$work/image/initrd.img"
log "ext4 image"
truncate -s 3G "$work/image/rootfs.img"
mkfs.ext4 -q -F -L burrow-vm -d "$rootfs" "$work/image/rootfs.img"
echo "$hash" >"$work/image/ready"
rm -rf "$out"
mv "$work/image" "$out"
# Older builds are someone's stale inputs: keep only this one.
find "$cache_root" -mindepth 1 -maxdepth 1 -type d ! -name "$hash" ! -name '.build-*' -exec rm -rf {} +
echo "$out"
