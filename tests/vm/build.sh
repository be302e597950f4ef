#!/bin/bash
# Build (once) the bootable disk of a VM host of the lab.
#
#   build.sh [-f] HOST...     build what is missing (-f: rebuild the disk)
#   build.sh --list           the hosts, and which are built
#
# Two cached stages under $SYSCTR_VM_CACHE (default /var/cache/sysctr-check/vm):
#   rootfs/IMAGE/   debootstrap + the engines (slow; shared by the hosts
#                   made from the same image, see hosts.sh)
#   ctr/SUITE/      a minbase systemd root for systemd-nspawn -b inside the VM
#   hosts/HOST/     disk.img (ext4 from mkfs.ext4 -d), vmlinuz, initrd.img,
#                   host.json (written last: a host without it is not built)
# Every stage is built in a .build-* temp dir and renamed when complete, so
# an interrupted build never looks cached.  Root only.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/hosts.sh"

[[ $(id -u) == 0 ]] || vm_die "must run as root (debootstrap, chroot, mkfs)"

# Mounts a chroot needs for apt; undone by chroot_down (also on failure).
chroot_up() {
    local r=$1
    mount -t proc proc "$r/proc"
    mount -t sysfs sys "$r/sys"
    mount --bind /dev "$r/dev"
    mount -t devpts devpts "$r/dev/pts" -o newinstance,ptmxmode=0666
    printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d"
    chmod 755 "$r/usr/sbin/policy-rc.d"
}
chroot_down() {
    local r=$1 m
    rm -f "$r/usr/sbin/policy-rc.d"
    for m in dev/pts dev sys proc; do
        mountpoint -q "$r/$m" && umount -l "$r/$m"
    done
    return 0
}
in_root() {
    local r=$1
    shift
    DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$r" "$@"
}
# Remove a temp build dir, never following into a still-mounted chroot.
cleanup_tmp() {
    local t=$1
    [[ -d $t ]] || return 0
    [[ -d $t/rootfs ]] && chroot_down "$t/rootfs"
    [[ -d $t/root ]] && chroot_down "$t/root"
    rm -rf --one-file-system "$t" "$t.log"
}

# Stage 1: rootfs/IMAGE.
build_image() {
    local image=$1 suite=$2 init=$3 final tmp start t1 r pkgs
    final=$VM_CACHE/rootfs/$image
    mapfile -t pkgs < <(vm_packages "$suite" "$init")
    [[ $init == openrc ]] && pkgs=(sysvinit-core openrc "${pkgs[@]}")
    # Cached if built with the same package list (hosts.sh).
    if [[ -f $final/stamp.json ]]; then
        if [[ $(jq -r '.packages // [] | join(" ")' "$final/stamp.json") == "${pkgs[*]}" ]]; then
            vm_log "$image: rootfs cached"
            return 0
        fi
        vm_log "$image: package list changed, rebuilding"
    fi
    mkdir -p "$VM_CACHE/rootfs"
    tmp=$(mktemp -d "$VM_CACHE/rootfs/.build-$image.XXXXXX")
    # shellcheck disable=SC2064
    trap "cleanup_tmp '$tmp'" EXIT
    r=$tmp/rootfs
    start=$(date +%s)
    local include=dbus
    # debootstrap would pick sysv-rc for sysvinit-core, which conflicts
    # with openrc: the init comes in the apt step for OpenRC images.
    [[ $init == systemd ]] && include=systemd,systemd-sysv,dbus
    vm_log "$image: debootstrap $suite (log: $tmp.log)"
    debootstrap --variant=minbase --include="$include" "$suite" "$r" "$VM_MIRROR" \
        >"$tmp.log" 2>&1 || { tail -20 "$tmp.log" >&2; vm_die "$image: debootstrap failed"; }
    t1=$(date +%s)
    vm_log "$image: apt-get install ${pkgs[*]}"
    chroot_up "$r"
    {
        in_root "$r" apt-get update -q
        # Second try: a package whose configure step fails the first time
        # (bookworm: golang-github-containers-common under podman) is
        # usually fine once its dependencies are configured.
        in_root "$r" apt-get install -y -q --no-install-recommends "${pkgs[@]}" ||
            { in_root "$r" dpkg --configure -a; in_root "$r" apt-get install -y -q -f --no-install-recommends "${pkgs[@]}"; } &&
            in_root "$r" apt-get clean
    } >>"$tmp.log" 2>&1 || { chroot_down "$r"; tail -30 "$tmp.log" >&2; vm_die "$image: apt-get failed"; }
    chroot_down "$r"
    ls "$r"/boot/vmlinuz-* >/dev/null 2>&1 || vm_die "$image: no kernel in /boot"
    ls "$r"/boot/initrd.img-* >/dev/null 2>&1 || vm_die "$image: no initrd in /boot"
    rm -rf "$r"/var/lib/apt/lists/*_Packages "$r"/var/cache/apt/*.bin
    jq -n --arg image "$image" --arg suite "$suite" --arg init "$init" \
        --argjson debootstrap_s "$((t1 - start))" --argjson apt_s "$(($(date +%s) - t1))" \
        --arg size "$(du -sh "$r" | cut -f1)" --arg built "$(date -u +%FT%TZ)" \
        --arg pkgs "${pkgs[*]}" \
        '{image: $image, suite: $suite, init: $init, debootstrap_seconds: $debootstrap_s,
          apt_seconds: $apt_s, size: $size, built_at: $built,
          packages: ($pkgs | split(" "))}' >"$tmp/stamp.json"
    if [[ -e $final ]]; then mv "$final" "$tmp.old" && rm -rf --one-file-system "$tmp.old"; fi
    mv "$tmp.log" "$tmp/build.log"
    chmod 755 "$tmp"
    mv "$tmp" "$final"
    trap - EXIT
    vm_log "$image: built in $(($(date +%s) - start)) s ($(jq -r .size "$final/stamp.json"))"
}

# Stage 1b: ctr/SUITE, the systemd root that systemd-nspawn -b boots in
# the VM.  The e2e matrix's pristine image of the same suite is the same
# thing (tests/e2e/images.sh): copy it when present.
build_ctr() {
    local suite=$1 final tmp e2e
    final=$VM_CACHE/ctr/$suite
    [[ -f $final/stamp.json ]] && return 0
    mkdir -p "$VM_CACHE/ctr"
    tmp=$(mktemp -d "$VM_CACHE/ctr/.build-$suite.XXXXXX")
    # shellcheck disable=SC2064
    trap "cleanup_tmp '$tmp'" EXIT
    e2e=${SYSCTR_E2E_CACHE:-/var/cache/sysctr-check/e2e}/images/$suite
    if [[ -f $e2e/stamp.json ]]; then
        vm_log "ctr/$suite: copy of $e2e/rootfs"
        cp -a "$e2e/rootfs" "$tmp/rootfs"
    else
        vm_log "ctr/$suite: debootstrap"
        debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus "$suite" \
            "$tmp/rootfs" "$VM_MIRROR" >"$tmp.log" 2>&1 || vm_die "ctr/$suite: debootstrap failed"
        rm -f "$tmp"/rootfs/var/cache/apt/archives/*.deb
    fi
    echo "{\"suite\": \"$suite\"}" >"$tmp/stamp.json"
    chmod 755 "$tmp"
    mv "$tmp" "$final"
    trap - EXIT
}

# Stage 2: hosts/HOST, configured copy of the image -> ext4 disk.
build_host() {
    local host=$1 force=$2 final tmp r start kver
    host_config "$host"
    final=$VM_CACHE/hosts/$host
    build_image "$VM_IMAGE" "$VM_SUITE" "$VM_INIT"
    local s
    for s in "${VM_CTR_SUITES[@]}"; do build_ctr "$s"; done
    # The disk is cached while what it is made from is the same: the image,
    # the guest scripts, the host's configuration.
    local key
    key=$(cat "$VM_CACHE/rootfs/$VM_IMAGE/stamp.json" "$VM_DIR/guest/configure.sh" \
        "$VM_DIR/guest/batch.sh" <(declare -p VM_IMAGE VM_SUITE VM_INIT VM_CMDLINE VM_RC_CGROUP_MODE VM_CTR_SUITES) |
        sha256sum | cut -c1-16)
    if [[ -f $final/host.json && $force != 1 ]]; then
        if [[ $(jq -r '.inputs // ""' "$final/host.json") == "$key" ]]; then
            vm_log "$host: cached"
            return 0
        fi
        vm_log "$host: image or guest scripts changed, rebuilding the disk"
    fi
    mkdir -p "$VM_CACHE/hosts"
    tmp=$(mktemp -d "$VM_CACHE/hosts/.build-$host.XXXXXX")
    # shellcheck disable=SC2064
    trap "cleanup_tmp '$tmp'" EXIT
    start=$(date +%s)
    r=$tmp/root
    vm_log "$host: copy rootfs/$VM_IMAGE and configure"
    cp -a "$VM_CACHE/rootfs/$VM_IMAGE/rootfs" "$r"
    "$VM_DIR/guest/configure.sh" "$r" "$host" "$VM_INIT" "$VM_RC_CGROUP_MODE" "$VM_CACHE/ctr" "$VM_CMDLINE" "$VM_SUITE" "${VM_CTR_SUITES[*]}"
    kver=$(basename "$(ls -d "$r"/lib/modules/*/ | sort -V | tail -1)")
    cp "$r/boot/vmlinuz-$kver" "$tmp/vmlinuz"
    cp "$r/boot/initrd.img-$kver" "$tmp/initrd.img"
    local t1
    t1=$(date +%s)
    vm_log "$host: mkfs.ext4 -d ($(du -sh "$r" | cut -f1))"
    mkfs.ext4 -q -F -L sysctr-root -d "$r" "$tmp/disk.img" 8G
    local mkfs_s=$(($(date +%s) - t1))
    rm -rf --one-file-system "$r"
    jq -n --arg host "$host" --arg image "$VM_IMAGE" --arg suite "$VM_SUITE" --arg init "$VM_INIT" \
        --arg cmdline "$VM_CMDLINE" --arg rc "$VM_RC_CGROUP_MODE" --arg kernel "$kver" \
        --argjson mkfs_s "$mkfs_s" --argjson total_s "$(($(date +%s) - start))" \
        --arg disk_used "$(du -h "$tmp/disk.img" | cut -f1)" --arg built "$(date -u +%FT%TZ)" --arg key "$key" \
        '{host: $host, image: $image, suite: $suite, init: $init, cmdline: $cmdline,
          rc_cgroup_mode: $rc, kernel: $kernel, mkfs_seconds: $mkfs_s,
          disk_build_seconds: $total_s, disk_allocated: $disk_used, built_at: $built, inputs: $key}' \
        >"$tmp/host.json"
    chmod 755 "$tmp"
    if [[ -e $final ]]; then mv "$final" "$tmp.old" && rm -rf --one-file-system "$tmp.old"; fi
    mv "$tmp" "$final"
    trap - EXIT
    vm_log "$host: disk built in $(($(date +%s) - start)) s"
}

main() {
    local force=0 h
    case ${1:-} in
    --list)
        for h in "${VM_HOSTS[@]}"; do
            if [[ -f $VM_CACHE/hosts/$h/host.json ]]; then echo "$h	built"; else echo "$h	-"; fi
        done
        return 0 ;;
    -f) force=1; shift ;;
    -h|--help|"") sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
    esac
    for t in debootstrap:debootstrap jq:jq mkfs.ext4:e2fsprogs; do
        command -v "${t%%:*}" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${t#*:}" >/dev/null
    done
    mkdir -p "$VM_CACHE"
    exec {lock}>"$VM_CACHE/.build.lock"
    flock "$lock"
    for h in "$@"; do build_host "$h" "$force"; done
}
main "$@"
