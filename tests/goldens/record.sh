#!/bin/bash
# Record the golden snapshots: real runc containers from the cached e2e
# images, read by `sysctr-check --record`, so that `--root SNAPSHOT` can
# replay them anywhere (no root, no container) for tests/test-goldens.c.
#
#   sudo tests/goldens/record.sh [--only REGEX] [--out DIR]
#
#   --only REGEX  record only the cases whose name matches (list is
#                 recorded only when every case runs)
#   --out DIR     where the snapshots go (default tests/fixtures/snapshots)
#   SYSCTR_CHECK  the binary (default ./sysctr-check of this tree; copied
#                 first, so a rebuild during the run does not change it)
#
# Root only. Every container runs from a fresh overlay over a pristine
# image (tests/e2e/lib.sh overlay_up), never on the image itself; its
# bundle comes from tests/e2e/gen-bundle.sh with a configuration of
# tests/e2e/configs.tsv; runc runs it on a pty (tests/e2e/ptyrun.py), as
# matrix.sh does. Nothing else runs on the host: the containers are
# read only by sysctr-check, which enters them itself. Teardown (runc kill,
# runc delete, overlay unmount) always runs, in a trap. No configuration
# here is one that changes the host (lib.sh host_affecting refuses them).
#
# For each case, while it runs alone: NAME.json = `--record NAME.json
# --state-root runc=/run/sc-e2e-gold report runc:sc-e2e-gold-NAME`; then,
# while every case runs, list.json = `--record list.json list`. Then
# `make update-expected` turns them into tests/expected/snap-*.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR
source "$SRCDIR/tests/e2e/lib.sh"
E2E_LOG_TAG=goldens

usage() { usage_from_header "$0"; exit "${1:-0}"; }

# Our containers live in a runc state root of their own, so a recording
# holds our state files only, not those of whatever else runs on the host
# (sysctr-check scans every state.json of the root to resolve runc:ID).
# lib.sh's runc_teardown calls `runc`: this function is what it gets.
GOLD_RUNC_ROOT=/run/sc-e2e-gold
runc() { command runc --root "$GOLD_RUNC_ROOT" "$@"; }

# The cases: name, image, configuration (configs.tsv), payload, and a last
# jq edit of config.json ("." for none). Names are the snapshot names.
#  booted     systemd really PID 1 and running: `boot` asks its manager.
#  degraded   systemd really PID 1, degraded (tmp.mount fails, TRUTH.md U2).
#  v2ro       sleep payload, cgroup2 mounted read-only: predicted `fails`
#             (TRUTH.md F2: systemd cannot create its cgroups).
#  v2rw       sleep payload, Docker caps, cgroup2 rw: predicted `degraded`.
#  limits     sleep payload with linux.resources: memory, memory+swap, CPU
#             quota, cpuset, pids, so `limits` has numbers (this host's
#             controllers are v1: runc writes them to the v1 hierarchies).
LIMITS_JQ='.linux.resources = {memory: {limit: 268435456, reservation: 134217728, swap: 402653184},'
LIMITS_JQ+=' cpu: {quota: 50000, period: 100000, cpus: "0", shares: 512}, pids: {limit: 128}}'
CASES=(
    "booted	bookworm	dadm-v2rw-p	init	."
    "degraded	trixie	docker-v2rw-p	init	."
    "v2ro	bookworm	docker-v2ro-p	sleep	."
    "v2rw	trixie	docker-v2rw-p	sleep	."
    "limits	sid	dadm-v2rw-p	sleep	$LIMITS_JQ"
)

# --- state used by the cleanup trap ---------------------------------------
WORK='' CIDS=() RUNNERS=() SCRATCHES=()

# Tear down every container started so far (idempotent).
stop_all() {
    local i
    local -
    set +e
    for i in "${CIDS[@]}"; do
        runc_teardown "$i"
        host_cgroup_remove_container_dirs "$i"
    done
    for i in "${RUNNERS[@]}"; do
        kill "$i" 2>/dev/null
        wait "$i" 2>/dev/null
    done
    for i in "${SCRATCHES[@]}"; do overlay_down "$i"; done
    CIDS=() RUNNERS=() SCRATCHES=()
    return 0
}

cleanup() {
    local rc=$?
    stop_all
    [[ -n $WORK ]] && rm -rf "$WORK"
    rmdir "$GOLD_RUNC_ROOT" 2>/dev/null
    return "$rc"
}

# start_case NAME IMAGE CONFIG PAYLOAD JQ: starts the container
# sc-e2e-gold-NAME and waits until runc says it runs.
start_case() {
    local name=$1 image=$2 config=$3 payload=$4 jqf=$5 cid scratch rootfs pid='' i knobs
    cid=sc-e2e-gold-$name
    knobs=$("$E2E_DIR/gen-bundle.sh" --print-knobs --config "$config")
    ! host_affecting "$knobs" || die "$name: $config changes the host; not for goldens"
    ! runc state "$cid" >/dev/null 2>&1 || die "$cid exists already (runc delete -f $cid)"
    scratch=$E2E_SCRATCH/$cid
    [[ ! -e $scratch ]] || die "$scratch exists (left by an earlier run?)"
    mkdir -p "$E2E_SCRATCH"
    SCRATCHES+=("$scratch")
    rootfs=$(overlay_up "$image" "$scratch")
    "$E2E_DIR/gen-bundle.sh" --config "$config" --rootfs "$rootfs" --out "$scratch/bundle" \
        --payload "$payload" --terminal true --hostname "gold-$name" --jq "$jqf" >/dev/null
    CIDS+=("$cid")
    "$E2E_PYTHON" "$E2E_DIR/ptyrun.py" --stderr "$WORK/$name.stderr" "$WORK/$name.console" -- \
        runc --root "$GOLD_RUNC_ROOT" run --bundle "$scratch/bundle" "$cid" </dev/null >/dev/null 2>&1 &
    RUNNERS+=("$!")
    for i in $(seq 1 100); do
        pid=$(runc state "$cid" 2>/dev/null | jq -r 'select(.status == "running") | .pid') || true
        [[ -n $pid && $pid != 0 ]] && break
        sleep 0.1
        : "$i"
    done
    [[ -n $pid && $pid != 0 ]] || die "$cid did not start: $(cat "$WORK/$name.stderr" 2>/dev/null)"
    log "$name: $image $config ($payload) runs as $cid, PID $pid"
}

# The state systemd's manager reports (boot.now), or "".
manager_state() {
    "$BIN" --state-root "runc=$GOLD_RUNC_ROOT" --json boot "runc:$1" 2>/dev/null |
        jq -r 'first(.. | objects | select(has("system_state")) | .system_state // empty)' 2>/dev/null || true
}

# wait_booted CID: until the manager is out of "initializing"/"starting"
# (45 s at most, as truth.sh), then a second more for late unit failures.
wait_booted() {
    local cid=$1 i s=''
    for i in $(seq 1 150); do
        s=$(manager_state "$cid")
        [[ -n $s && $s != initializing && $s != starting ]] && break
        sleep 0.3
        : "$i"
    done
    [[ -n $s && $s != initializing && $s != starting ]] || die "$cid: systemd did not come up (state '${s:-none}')"
    sleep 1
    log "$cid: systemd is $(manager_state "$cid")"
}

# record FILE ARGS...: --record to a temp file, then into place (replaced).
record() {
    local out=$1 rc=0
    shift
    rm -f "$WORK/rec.json"
    "$BIN" --state-root "runc=$GOLD_RUNC_ROOT" --record "$WORK/rec.json" "$@" >/dev/null || rc=$?
    ((rc <= 1)) || die "sysctr-check $* exited $rc"
    [[ -s $WORK/rec.json ]] || die "sysctr-check $*: no snapshot"
    mv "$WORK/rec.json" "$out"
    log "recorded $(basename "$out") ($(stat -c %s "$out") bytes): $*"
}

# Each case's report is recorded while it runs alone (a snapshot holds
# every state file of the runc root: one each, not all of them), then all
# run at once for list.
main() {
    local only='' out="$SRCDIR/tests/fixtures/snapshots" c name image config payload jqf
    local sel=()
    while (($#)); do
        case $1 in
        --only) only=$2; shift ;;
        --out) out=$2; shift ;;
        -h | --help) usage 0 ;;
        *) usage 2 ;;
        esac
        shift
    done
    require_root
    ensure_tools runc:runc jq:jq
    WORK=$(mktemp -d)
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    BIN=$WORK/sysctr-check
    cp "${SYSCTR_CHECK:-$SRCDIR/sysctr-check}" "$BIN"
    mkdir -p "$out"
    [[ -z $(command runc --root "$GOLD_RUNC_ROOT" list -q 2>/dev/null) ]] ||
        die "containers left in $GOLD_RUNC_ROOT (runc --root $GOLD_RUNC_ROOT list)"

    for c in "${CASES[@]}"; do
        IFS=$'\t' read -r name image config payload jqf <<<"$c"
        [[ -z $only || $name =~ $only ]] || continue
        image_ready "$image" || die "image $image not built (tests/e2e/images.sh $image)"
        sel+=("$c")
    done
    ((${#sel[@]} > 0)) || die "no case matches '$only'"

    for c in "${sel[@]}"; do
        IFS=$'\t' read -r name image config payload jqf <<<"$c"
        start_case "$name" "$image" "$config" "$payload" "$jqf"
        [[ $payload != init ]] || wait_booted "sc-e2e-gold-$name"
        record "$out/$name.json" report "runc:sc-e2e-gold-$name"
        stop_all
    done
    [[ -z $only ]] || return 0
    for c in "${sel[@]}"; do
        IFS=$'\t' read -r name image config payload jqf <<<"$c"
        start_case "$name" "$image" "$config" "$payload" "$jqf"
    done
    for c in "${sel[@]}"; do
        IFS=$'\t' read -r name image config payload jqf <<<"$c"
        [[ $payload != init ]] || wait_booted "sc-e2e-gold-$name"
    done
    record "$out/list.json" list
}

main "$@"
