#!/bin/bash
# Verify that every configuration in configs.tsv is startable by runc on this
# host with a trivial payload (`sh -c 'echo ...'`, on a pty, with the
# configuration's own console knob), and that
# every spec in refused.tsv is really refused by runc (and why).
#
#   check-configs.sh [--image SUITE] [--configs FILE[:FILE...]] [--refused FILE] [-j N]
#
# Prints one line per configuration: "ok ID", "REFUSED ID: runc's error",
# and exits non-zero if a configuration of configs.tsv does not start or a
# spec of refused.tsv does start.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_LOG_TAG=check-configs

usage() { usage_from_header "$0"; exit "${1:-0}"; }

# Start one spec with the probe payload; print runc's output and status.
# $1 image, $2 config id, $3 configs file, $4 extra jq edit.
probe_one() {
    local image=$1 config=$2 configs=$3 edit=$4 cid scratch rootfs rc=0 outp
    cid="sc-e2e-probe-$config-$BASHPID"
    scratch="$E2E_SCRATCH/$cid"
    # shellcheck disable=SC2064  # expand now: these are this call's paths
    trap "runc_teardown '$cid'; host_cgroup_remove_container_dirs '$cid'; overlay_down '$scratch'; trap - RETURN" RETURN
    rootfs=$(overlay_up "$image" "$scratch")
    "$E2E_DIR/gen-bundle.sh" --config "$config" --configs "$configs" --rootfs "$rootfs" \
        --out "$scratch/bundle" --payload probe --jq "$edit" >/dev/null
    # On a pty, as truth.sh runs it: the term knob decides the console.
    timeout 30 "$E2E_PYTHON" "$E2E_DIR/ptyrun.py" --stderr "$scratch/err.log" "$scratch/out.log" -- \
        runc run --bundle "$scratch/bundle" "$cid" </dev/null >/dev/null 2>&1 || rc=$?
    outp=$(cat "$scratch/out.log" "$scratch/err.log" 2>/dev/null || true)
    printf '%s\n%s\n' "$rc" "$outp"
}

main() {
    local image=bookworm configs="$E2E_CONFIGS" refused="$E2E_DIR/refused.tsv" bad=0
    while (($#)); do
        case $1 in
        --image) image=$2; shift ;;
        --configs) configs=$2; shift ;;
        --refused) refused=$2; shift ;;
        -h | --help) usage 0 ;;
        *) usage 2 ;;
        esac
        shift
    done
    require_root
    image_ready "$image" || "$E2E_DIR/images.sh" "$image" >/dev/null
    mkdir -p "$E2E_SCRATCH"
    local id res rc outp base edit why
    while read -r id; do
        res=$(probe_one "$image" "$id" "$configs" .)
        rc=$(head -n1 <<<"$res") outp=$(tail -n +2 <<<"$res")
        if [[ $rc == 0 && $outp == *sc-e2e-probe-ok* ]]; then
            echo "ok $id"
        else
            echo "FAILED $id (rc=$rc): $(grep -o 'msg=.*' <<<"$outp" | head -n1)"
            bad=1
        fi
    done < <(tr : '\n' <<<"$configs" | xargs awk -F'\t' '!/^#/ && NF && $1 != "id" {print $1}')
    while IFS=$'\t' read -r id base edit why; do
        res=$(probe_one "$image" "$base" "$configs" "$edit")
        rc=$(head -n1 <<<"$res") outp=$(tail -n +2 <<<"$res")
        if [[ $rc != 0 && $outp != *sc-e2e-probe-ok* ]]; then
            echo "REFUSED $id: $(grep -o 'msg=.*' <<<"$outp" | head -n1)  [$why]"
        else
            echo "UNEXPECTEDLY STARTED $id"
            bad=1
        fi
    done < <(awk -F'\t' '!/^#/ && NF && $1 != "id"' "$refused")
    return "$bad"
}

main "$@"
