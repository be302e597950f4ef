#!/bin/bash
# Configure a copy of a VM rootfs into a bootable lab host (build.sh stage 2).
#   configure.sh ROOT HOST INIT RC_CGROUP_MODE CTR_DIR CMDLINE SUITE "SUITES"
# (CTR_DIR/S/rootfs: the minbase systemd root of suite S; SUITE the host's.)
# Runs on the build machine, on the copy: never on an image in the cache.
set -euo pipefail
r=$1 host=$2 init=$3 rcmode=$4 ctr=$5 cmdline=${6:-} suite=${7:-} suites=${8:-}
here=$(cd "$(dirname "$0")" && pwd)
[[ -d $r/etc && $r != / ]] || { echo "configure.sh: bad root '$r'" >&2; exit 1; }

echo "$host" >"$r/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 %s\n' "$host" >"$r/etc/hosts"
echo "LABEL=sysctr-root / ext4 rw,errors=remount-ro 0 1" >"$r/etc/fstab"
# The boot loader's configuration, as on a real Debian host: the kernel
# command line of the host (hosts.sh VM_CMDLINE) lives in the image, and
# run.sh boots with what this file says (the lab passes -append itself:
# no GRUB runs, its configuration is read from the disk).
mkdir -p "$r/etc/default"
cat >"$r/etc/default/grub" <<GRUB
# Written by tests/vm/guest/configure.sh for $host
GRUB_DEFAULT=0
GRUB_TIMEOUT=5
GRUB_DISTRIBUTOR=\`lsb_release -i -s 2> /dev/null || echo Debian\`
GRUB_CMDLINE_LINUX_DEFAULT="quiet"
GRUB_CMDLINE_LINUX="$cmdline"
GRUB
# Console login as root without a password (debugging with run.sh -i).
chroot "$r" passwd -d root >/dev/null

# No network in the VM: Docker must not want a bridge or iptables, LXC no
# lxcbr0, containers no network.
mkdir -p "$r/etc/docker"
echo '{"iptables": false, "ip6tables": false, "bridge": "none"}' >"$r/etc/docker/daemon.json"
[[ -d $r/etc/default ]] && echo 'USE_LXC_BRIDGE="false"' >"$r/etc/default/lxc-net"
mkdir -p "$r/etc/lxc"
printf 'lxc.net.0.type = empty\nlxc.apparmor.profile = unconfined\n' >"$r/etc/lxc/default.conf"

# Test containers, on the disk (9p is slow under TCG):
#   /var/lib/sysctr-vm/bb/rootfs  busybox root (docker/podman import, runc,
#                                 crun bundles, LXC)
#   /var/lib/sysctr-vm/bb.tar     the same, for docker/podman import
#   /var/lib/machines/sysctr-sd   minbase systemd root of the host's suite
#                                 (systemd-nspawn -b, the boot sample)
#   /var/lib/machines/sysctr-sd-S the same of each other suite S (boot.sh)
v=$r/var/lib/sysctr-vm
mkdir -p "$v/bb/rootfs"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,var}
bb=$(ls "$r"/usr/bin/busybox "$r"/bin/busybox 2>/dev/null | head -1)
[[ -n $bb ]] || { echo "configure.sh: no busybox in the image" >&2; exit 1; }
cp "$bb" "$v/bb/rootfs/bin/busybox"
chroot "$v/bb/rootfs" /bin/busybox --install -s /bin
ln -sf ../bin/busybox "$v/bb/rootfs/sbin/init"
echo "root:x:0:0:root:/root:/bin/sh" >"$v/bb/rootfs/etc/passwd"
echo "root:x:0:" >"$v/bb/rootfs/etc/group"
tar -C "$v/bb/rootfs" -cf "$v/bb.tar" .
mkdir -p "$r/var/lib/machines"
cp -a "$ctr/$suite/rootfs" "$r/var/lib/machines/sysctr-sd"
echo sysctr-sd >"$r/var/lib/machines/sysctr-sd/etc/hostname"
for s in $suites; do
    [[ $s == "$suite" ]] && continue
    cp -a "$ctr/$s/rootfs" "$r/var/lib/machines/sysctr-sd-$s"
    rm -rf "$r/var/lib/machines/sysctr-sd-$s"/usr/share/{doc,man,locale}
    echo "sysctr-sd-$s" >"$r/var/lib/machines/sysctr-sd-$s/etc/hostname"
done

# An unprivileged user with subordinate IDs, for rootless Podman
# (containers.sh): useradd gives it 65536 of each (login.defs SUB_*_COUNT).
# On systemd hosts it lingers: logind starts user@1000.service at boot,
# with /run/user/1000, as it does for a user with a session.
chroot "$r" useradd -m -u 1000 -s /bin/sh lab
grep -q '^lab:' "$r/etc/subuid" || echo 'lab:100000:65536' >>"$r/etc/subuid"
grep -q '^lab:' "$r/etc/subgid" || echo 'lab:100000:65536' >>"$r/etc/subgid"
if [[ $init == systemd ]]; then
    mkdir -p "$r/var/lib/systemd/linger"
    : >"$r/var/lib/systemd/linger/lab"
fi
# The busybox image in the user's home, for `podman import` as the user.
install -o 1000 -g 1000 -m 0644 "$v/bb.tar" "$r/home/lab/bb.tar"

# The batch job: mount the 9p share, run its job.sh, power off.
install -m 0755 "$here/batch.sh" "$r/usr/local/sbin/sysctr-vm-batch"
case $init in
systemd)
    cat >"$r/etc/systemd/system/sysctr-vm-batch.service" <<'UNIT'
[Unit]
Description=sysctr-check lab: run the job from the 9p share, then power off
After=multi-user.target

[Service]
# simple, not oneshot: the boot must finish (is-system-running) while the
# job runs.
Type=simple
ExecStart=/usr/local/sbin/sysctr-vm-batch
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=multi-user.target
UNIT
    mkdir -p "$r/etc/systemd/system/multi-user.target.wants"
    ln -sf /etc/systemd/system/sysctr-vm-batch.service \
        "$r/etc/systemd/system/multi-user.target.wants/sysctr-vm-batch.service"
    # A unit that does not stop must not hold the power-off for systemd's
    # default 90 s (bookworm-legacy did, after the lab job).
    mkdir -p "$r/etc/systemd/system.conf.d"
    printf '[Manager]\nDefaultTimeoutStopSec=10s\n' >"$r/etc/systemd/system.conf.d/sysctr-vm.conf"
    # Nothing periodic during a batch run.
    for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
        ln -sf /dev/null "$r/etc/systemd/system/$u"
    done
    ;;
openrc)
    # Debian's openrc ships no "local" service (local.d): its default
    # runlevel has the rc.local script, which runs /etc/rc.local last.
    printf '#!/bin/sh\nsetsid /usr/local/sbin/sysctr-vm-batch </dev/null >/dev/console 2>&1 &\nexit 0\n' \
        >"$r/etc/rc.local"
    chmod 755 "$r/etc/rc.local"
    [[ -e $r/etc/runlevels/default/rc.local ]] || chroot "$r" rc-update add rc.local default >/dev/null
    if grep -q '^#\?rc_cgroup_mode=' "$r/etc/rc.conf"; then
        sed -i "s/^#\?rc_cgroup_mode=.*/rc_cgroup_mode=\"$rcmode\"/" "$r/etc/rc.conf"
    else
        echo "rc_cgroup_mode=\"$rcmode\"" >>"$r/etc/rc.conf"
    fi
    # A serial console login.
    grep -q ttyS0 "$r/etc/inittab" || echo 'T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100' >>"$r/etc/inittab"
    ;;
esac
