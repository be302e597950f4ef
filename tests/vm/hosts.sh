# shellcheck shell=bash
# The VM hosts of the lab (sourced by build.sh and run.sh).
#
# A HOST is a bootable disk (hosts/HOST/) made from a rootfs IMAGE
# (rootfs/IMAGE/, the slow debootstrap + apt step, shared by hosts that
# differ only in configuration or kernel command line).
#
# host_config HOST sets:
#   VM_IMAGE    rootfs image the disk is made from
#   VM_SUITE    Debian suite of that image
#   VM_INIT     systemd | openrc
#   VM_CMDLINE  extra kernel command line (picks the cgroup layout for
#               systemd <= 255)
#   VM_RC_CGROUP_MODE  OpenRC rc_cgroup_mode (openrc hosts only)

VM_HOSTS=(trixie-unified bookworm-hybrid bookworm-legacy openrc-unified openrc-hybrid)
# What `make check-vm` runs by default: the hosts whose lab job is known to
# work end to end (README.md).
CHECK_VM_HOSTS=(trixie-unified bookworm-hybrid bookworm-legacy openrc-unified openrc-hybrid)

VM_CACHE=${SYSCTR_VM_CACHE:-/var/cache/sysctr-check/vm}
VM_MIRROR=${SYSCTR_VM_MIRROR:-http://deb.debian.org/debian}
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

host_config() {
    VM_CMDLINE="" VM_RC_CGROUP_MODE=""
    case $1 in
    trixie-unified) VM_IMAGE=trixie-systemd VM_SUITE=trixie VM_INIT=systemd ;;
    bookworm-hybrid)
        VM_IMAGE=bookworm-systemd VM_SUITE=bookworm VM_INIT=systemd
        VM_CMDLINE="systemd.unified_cgroup_hierarchy=0" ;;
    bookworm-legacy)
        VM_IMAGE=bookworm-systemd VM_SUITE=bookworm VM_INIT=systemd
        VM_CMDLINE="systemd.unified_cgroup_hierarchy=0 systemd.legacy_systemd_cgroup_controller=1" ;;
    openrc-unified)
        VM_IMAGE=trixie-openrc VM_SUITE=trixie VM_INIT=openrc VM_RC_CGROUP_MODE=unified ;;
    openrc-hybrid)
        VM_IMAGE=trixie-openrc VM_SUITE=trixie VM_INIT=openrc VM_RC_CGROUP_MODE=hybrid ;;
    *) echo "unknown host '$1' (hosts: ${VM_HOSTS[*]})" >&2; return 1 ;;
    esac
}

# The suites of the systemd roots every host carries for the boot sample
# (ctr/SUITE; the host's own suite is /var/lib/machines/sysctr-sd, the
# others /var/lib/machines/sysctr-sd-SUITE).
VM_CTR_SUITES=(bookworm trixie sid)

# What every image carries besides its init: the engines, and what the
# tool links against (it is built on Debian 12 and runs on newer glibc).
vm_packages() {
    local suite=$1 init=${2:-systemd}
    local p=(linux-image-amd64 initramfs-tools udev kmod e2fsprogs iproute2 procps
        podman runc crun lxc lxcfs systemd-container busybox-static
        libjansson4 libblkid1 jq ca-certificates
        # Debian kernels enable AppArmor; Docker 20.10 (bookworm) refuses to
        # start a container without apparmor_parser to load docker-default.
        apparmor
        # Rootless Podman for the lab user (configure.sh): newuidmap and
        # newgidmap.
        uidmap)
    # systemd hosts: a user bus for rootless Podman's systemd cgroup
    # manager, and the logind session setup for a lingering user's
    # manager (both want systemd-sysv: not on OpenRC).
    [[ $init == systemd ]] && p+=(dbus-user-session)
    if [[ $suite == trixie ]]; then p+=(docker.io docker-cli); else p+=(docker.io); fi
    [[ $init == systemd ]] && p+=(libpam-systemd)
    printf '%s\n' "${p[@]}"
}

# GRUB_CMDLINE_LINUX and GRUB_CMDLINE_LINUX_DEFAULT of DISK's
# /etc/default/grub, as grub-mkconfig joins them (the last assignment
# wins; quotes dropped). Read with debugfs: the disk is not mounted.
grub_cmdline_of() {
    local disk=$1 text l d
    text=$(debugfs -R 'cat /etc/default/grub' "$disk" 2>/dev/null) || text=""
    l=$(printf '%s\n' "$text" | sed -n 's/^[[:space:]]*GRUB_CMDLINE_LINUX=//p' | tail -1)
    d=$(printf '%s\n' "$text" | sed -n 's/^[[:space:]]*GRUB_CMDLINE_LINUX_DEFAULT=//p' | tail -1)
    l=${l#[\"\']} l=${l%[\"\']} d=${d#[\"\']} d=${d%[\"\']}
    printf '%s %s\n' "$l" "$d" | sed 's/^ *//; s/ *$//'
}

vm_log() { printf '%s [vm] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
vm_die() { vm_log "ERROR: $*"; exit 1; }
