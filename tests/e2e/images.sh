#!/bin/bash
# Build and cache pristine Debian root filesystems with systemd for the
# end-to-end boot matrix.
#
#   images.sh [-j N] [-f] [SUITE...]   build missing images (default: bookworm trixie sid)
#   images.sh --list                   print "suite<TAB>systemd<TAB>pkg version<TAB>rootfs"
#
# Cache: $SYSCTR_E2E_CACHE (default /var/cache/sysctr-check/e2e)/images/SUITE/
#   rootfs/      the debootstrap result (pristine: boots use an overlay on it)
#   stamp.json   written last; an image without it does not exist
# Builds happen in images/.build-SUITE.XXXX and are renamed into place when
# complete, so an interrupted build never looks like a cached image.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_LOG_TAG=images

usage() { usage_from_header "$0"; exit "${1:-0}"; }

list_images() {
    local d suite
    for d in "$E2E_IMAGES"/*/; do
        suite=$(basename "$d")
        image_ready "$suite" || continue
        jq -r '[.suite, .systemd_version, .systemd_pkg_version, .rootfs] | @tsv' "$(image_stamp "$suite")"
    done
}

# Build one suite.  Serialized per suite with flock so two concurrent
# callers do not both debootstrap it.
build_one() {
    local suite=$1 force=$2 final tmp lock start ver pkgver
    final="$E2E_IMAGES/$suite"
    mkdir -p "$E2E_IMAGES"
    lock="$E2E_IMAGES/.lock-$suite"
    exec {fd}>"$lock"
    flock "$fd"
    if image_ready "$suite" && [[ $force != 1 ]]; then
        log "$suite: cached ($(jq -r .systemd_version "$(image_stamp "$suite")"))"
        return 0
    fi
    tmp=$(mktemp -d "$E2E_IMAGES/.build-$suite.XXXXXX")
    # Remove a partial build on any failure (debootstrap may leave mounts of
    # /proc etc. inside the target when interrupted).
    # shellcheck disable=SC2064
    trap "overlay_down '$tmp' || true" EXIT
    start=$(date +%s)
    log "$suite: debootstrap into $tmp (log: $tmp.log)"
    if ! debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
        "$suite" "$tmp/rootfs" "$E2E_MIRROR" >"$tmp.log" 2>&1; then
        tail -n 20 "$tmp.log" >&2
        die "$suite: debootstrap failed (see $tmp.log)"
    fi
    # Shrink the image: downloaded .debs are not needed.
    rm -f "$tmp"/rootfs/var/cache/apt/archives/*.deb
    ver=$(rootfs_systemd_version "$tmp/rootfs")
    pkgver=$(rootfs_systemd_pkg_version "$tmp/rootfs")
    [[ $ver =~ ^[0-9]+$ ]] || die "$suite: cannot find libsystemd-shared-NNN.so in the image"
    [[ -e $tmp/rootfs/sbin/init || -L $tmp/rootfs/sbin/init ]] || die "$suite: no /sbin/init"
    jq -n --arg suite "$suite" --arg ver "$ver" --arg pkg "$pkgver" \
        --arg rootfs "$final/rootfs" --arg built "$(date -u +%FT%TZ)" \
        --arg mirror "$E2E_MIRROR" --argjson secs "$(($(date +%s) - start))" \
        '{suite: $suite, systemd_version: ($ver|tonumber), systemd_pkg_version: $pkg,
          rootfs: $rootfs, built_at: $built, mirror: $mirror, build_seconds: $secs}' \
        >"$tmp/stamp.json"
    # Atomic publish: move any old copy aside, rename the new one in.
    if [[ -e $final ]]; then
        mv "$final" "$tmp.old"
        rm -rf --one-file-system "$tmp.old"
    fi
    mv "$tmp.log" "$tmp/build.log"
    chmod 755 "$tmp" # mktemp made it 0700
    mv "$tmp" "$final"
    trap - EXIT
    log "$suite: built, systemd $ver ($pkgver) in $(($(date +%s) - start)) s"
}

main() {
    local jobs=2 force=0 suites=() pids=() rc=0 s i
    while (($#)); do
        case $1 in
        -h | --help) usage 0 ;;
        --list) list_images; return 0 ;;
        -j) jobs=$2; shift ;;
        -f | --force) force=1 ;;
        -*) usage 2 ;;
        *) suites+=("$1") ;;
        esac
        shift
    done
    ((${#suites[@]})) || suites=("${E2E_DEFAULT_SUITES[@]}")
    require_root
    ensure_tools debootstrap:debootstrap jq:jq runc:runc
    # Bounded parallel builds (debootstrap is mostly network/IO bound).
    for s in "${suites[@]}"; do
        while (($(jobs -rp | wc -l) >= jobs)); do wait -n || rc=1; done
        (build_one "$s" "$force") &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || rc=1; done
    ((rc == 0)) || die "some images failed to build"
    list_images
}

main "$@"
