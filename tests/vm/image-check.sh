#!/bin/bash
# Issue 15's proof: `host --image` on each lab host's disk, against the
# same disk booted. For each HOST: mount hosts/HOST/disk.img read-only,
# run `sysctr-check --json host --image` (and --strict, for its exit
# code) on it, boot it with jobs/image.sh (run.sh), and compare field by
# field: mode, cgroup2 path and controllers, where each controller is,
# init system and version, kernel and command line, each engine's cgroup
# driver and cgroupns mode, lxcfs, user@.service delegation.
#
#   image-check.sh [-n] [-o DIR] [HOST...]   default: every host of hosts.sh
#     -n   do not boot: compare with the last run's output in DIR/HOST/vm
#
# Output in DIR/HOST (default build/vm-image/HOST): image.json, image.txt,
# strict.rc, vm/ (the run), compare.tsv; a table per host on stdout.
# Exit 1 if any field differs. Root only (loop mount, qemu).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/hosts.sh"
REPO=$(cd "$VM_DIR/../.." && pwd)
out=$REPO/build/vm-image boot=1
while getopts "no:" o; do
    case $o in
    n) boot=0 ;;
    o) out=$OPTARG ;;
    *) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
(($#)) || set -- "${VM_HOSTS[@]}"
bin=${SYSCTR_CHECK:-$REPO/sysctr-check}
mkdir -p "$out"
cp "$bin" "$out/sysctr-check"
export SYSCTR_CHECK=$out/sysctr-check

mnt=""
cleanup() { [[ -n $mnt ]] && { mountpoint -q "$mnt" && umount "$mnt"; rmdir "$mnt"; }; return 0; }
trap cleanup EXIT

# Sorted, comma-joined words ("-" when none).
norm() { tr ' ,\n' '\n\n\n' | sed '/^$/d' | sort -u | paste -sd, - | sed 's/^$/-/'; }

compare_host() {
    local h=$1 d=$out/$1 p t tsv bad=0
    p=$d/image.json t=$d/vm/host.json tsv=$d/compare.tsv
    : >"$tsv"
    pj() { jq -r "$1" "$p" 2>/dev/null; }
    tj() { jq -r "$1" "$t" 2>/dev/null; }
    truth() { awk -F'\t' -v k="$1" '$1 == k { print $2; exit }' "$d/vm/truth.tsv" 2>/dev/null; }
    row() { # field predicted booted
        local v=ok
        [[ "$2" == "$3" ]] || { v=DIFFER; bad=$((bad + 1)); }
        printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$v" >>"$tsv"
    }
    row "cgroup mode" "$(pj .image.cgroup.mode)" "$(tj .host.cgroup.mode)"
    row "cgroup2 path" "$(pj '.image.cgroup.v2_path // "-"')" "$(tj '.host.cgroup.v2_path // "-"')"
    row "cgroup2 root controllers" "$(pj '.image.cgroup.v2_controllers[]?' | norm)" \
        "$(tj '.host.cgroup.v2.controllers[]?' | norm)"
    local names n
    names=$( { pj '.image.cgroup.controllers[] | select(.where != "absent") | .name'
               tj '.host.cgroup.controllers[] | select(.where != "absent") | .name'; } | sort -u)
    for n in $names; do
        row "controller $n" \
            "$(pj ".image.cgroup.controllers[] | select(.name == \"$n\") | .where + (if .where == \"v1\" then \" \" + .mountpoint else \"\" end)" | head -1)" \
            "$(tj ".host.cgroup.controllers[] | select(.name == \"$n\") | .where + (if .where == \"v1\" then \" \" + .v1_mountpoint else \"\" end)" | head -1)"
    done
    row "init system" "$(pj .image.init.system.value)" "$(tj .host.init.system)"
    if [[ $(pj .image.init.system.value) == systemd ]]; then
        local sv
        sv=$(truth systemd.version | sed -n 's/.*(\(.*\)).*/\1/p')
        row "systemd version" "$(pj .image.init.systemd_version.value)" "${sv:--}"
    fi
    row "kernel" "$(pj '.image.kernels[0].release')" "$(truth kernel)"
    # The cgroup-relevant words of the command line (host.c's list).
    row "cmdline cgroup params" "$(pj '.image.boot.cmdline_params[] | .key + (if .value then "=" + .value else "" end)' | norm)" \
        "$(tj '.host.kernel.cmdline_params[] | .key + (if .value then "=" + .value else "" end)' | norm)"
    eng() { pj ".image.engines[] | select(.name == \"$1\") | .$2.value // \"-\""; }
    if [[ $(pj '.image.engines[] | select(.name == "docker") | .installed') == true ]]; then
        row "docker cgroup driver" "$(eng docker cgroup_driver)" "$(truth docker.cgroup_driver)"
        local ns
        ns=$(truth docker.cgroupns)
        [[ -z $ns || $ns == - || $ns == "<no value>" ]] && ns=$(truth docker.cgroupns_seen)
        row "docker cgroupns" "$(eng docker cgroupns)" "${ns:--}"
        row "docker runtime" "$(eng docker runtime)" "$(truth docker.runtime)"
    fi
    if [[ $(pj '.image.engines[] | select(.name == "podman") | .installed') == true ]]; then
        row "podman cgroup driver" "$(eng podman cgroup_driver)" "$(truth podman.cgroup_driver)"
        row "podman cgroupns" "$(eng podman cgroupns)" "$(truth podman.cgroupns_seen)"
        row "podman runtime" "$(eng podman runtime)" "$(truth podman.runtime)"
    fi
    local lx
    lx=$(pj '.image.lxcfs.enabled.value // "no"')
    row "lxcfs running" "$([[ $lx == yes ]] && echo active || echo inactive)" "$(truth lxcfs.active)"
    if [[ $(pj .image.init.system.value) == systemd ]]; then
        row "user@.service Delegate=" "$(pj '.image.rootless.delegate.value // ""' | norm)" \
            "$(truth delegate | sed 's/^yes //; s/^no //' | norm)"
    fi
    printf '\n===== %s: host --image %s, --strict exit %s\n' "$h" \
        "$(jq -r '.summary | "\(.fail) fail, \(.warn) warn"' "$p" 2>/dev/null)" \
        "$(cat "$d/strict.rc")"
    printf '%-28s | %-34s | %-34s | %s\n' field "host --image (predicted)" "booted VM" verdict
    while IFS=$'\t' read -r f a b v; do
        printf '%-28s | %-34s | %-34s | %s\n' "$f" "$a" "$b" "$v"
    done <"$tsv"
    printf '%s: %d fields, %d differ\n' "$h" "$(wc -l <"$tsv")" "$bad"
    return $((bad > 0))
}

rc=0
for h in "$@"; do
    host_config "$h"
    hd=$VM_CACHE/hosts/$h
    [[ $boot == 0 ]] || "$VM_DIR/build.sh" "$h"
    [[ -f $hd/disk.img ]] || vm_die "$h is not built"
    d=$out/$h
    mkdir -p "$d"
    mnt=$(mktemp -d /tmp/sysctr-image.XXXXXX)
    # noload: no journal replay, nothing written to the image.
    mount -o ro,loop,noload "$hd/disk.img" "$mnt"
    "$SYSCTR_CHECK" --json host --image "$mnt" >"$d/image.json" 2>"$d/image.err" || true
    "$SYSCTR_CHECK" host --image "$mnt" >"$d/image.txt" 2>&1 || true
    st=0
    "$SYSCTR_CHECK" --strict --json host --image "$mnt" >/dev/null 2>&1 || st=$?
    echo "$st" >"$d/strict.rc"
    umount "$mnt" && rmdir "$mnt" && mnt=""
    # The image's root is the mount point: the paths in the JSON say so.
    if [[ $boot == 1 ]]; then
        rm -rf "$d/vm"
        "$VM_DIR/run.sh" -t 1200 -o "$d/vm" "$h" "$VM_DIR/jobs/image.sh" || echo "$h: run.sh exit $?"
    fi
    compare_host "$h" || rc=1
done
exit $rc
