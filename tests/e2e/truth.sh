#!/bin/bash
# Boot ONE (image, configuration) case for real and record what happens.
#
#   truth.sh [--out-dir DIR] [--timeout SECS] [--configs FILE] [--config-json FILE] IMAGE CONFIG_ID
#   --config-json FILE: boot FILE (a config.json, e.g. what `sysctr-check boot
#   --fix --apply-to` wrote) instead of CONFIG_ID's bundle; its root.path is
#   pointed at this boot's overlay, nothing else changes
#   (E2E_SETTLE: seconds a "running" answer must hold before it counts, default 3)
#
# systemd (/sbin/init of the cached IMAGE) runs as PID 1 in a runc
# container whose root is a fresh overlay over the pristine image, with the
# knobs of CONFIG_ID (configs*.tsv).  Prints one JSON object on stdout:
#   image, systemd_version, config, knobs, outcome (running | degraded |
#   maintenance | exited | hang | runc_error), verdict (boots | degraded |
#   fails | error), failure (what failing looks like: "exits" = PID 1
#   exited and the container stopped, see exit_status, 255 = "Exiting PID
#   1..."; "freezes" = PID 1 stays but never comes up: hang or
#   maintenance; null otherwise), exit_status, failed_units (+ failed_unit_reasons),
#   messages (systemd's error lines from its console), cgroup_mounts and
#   pid1_cgroup (when it is alive at the end), host_changes (what the case
#   changed on the host, undone), duration_s, artifacts (dir with
#   console.log, config.json, failed units' status, journal, ...), and
#   with SYSCTR_CHECK=/path/to/sysctr-check, manager: what `sysctr-check
#   boot` read off the booted systemd, and whether it agrees with systemctl.
# Everything is torn down on exit (success, failure, timeout, signal).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_LOG_TAG=truth

usage() { usage_from_header "$0"; exit "${1:-0}"; }

# --- state used by the cleanup trap ------------------------------------
CID='' SCRATCH='' RUNNER_PID='' HOST_STATE='' LOCK_FD=''

cleanup() {
    local rc=$?
    local -   # "set +e" below stays local to this function
    set +e
    if [[ -n $CID ]]; then runc_teardown "$CID"; fi
    if [[ -n $RUNNER_PID ]] && kill -0 "$RUNNER_PID" 2>/dev/null; then
        kill "$RUNNER_PID" 2>/dev/null
        wait "$RUNNER_PID" 2>/dev/null
    fi
    if [[ -n $CID ]]; then host_cgroup_remove_container_dirs "$CID"; fi
    if [[ -n $HOST_STATE ]]; then
        # Evidence first: what this case changed on the host, then undo it.
        host_state_diff "$HOST_STATE" >"$HOST_STATE.changed"
        host_state_restore "$HOST_STATE"
    fi
    if [[ -n $SCRATCH ]]; then overlay_down "$SCRATCH"; fi
    return "$rc"
}

# Container processes as seen from the host: "pid comm state wchan" for
# every process in PID 1's pid namespace (what a hung boot is doing).
container_processes() {
    local pid=$1 ns p
    ns=$(readlink "/proc/$pid/ns/pid" 2>/dev/null) || return 0
    for p in /proc/[0-9]*; do
        [[ $(readlink "$p/ns/pid" 2>/dev/null) == "$ns" ]] || continue
        printf '%s %s %s %s\n' "${p#/proc/}" "$(cat "$p/comm" 2>/dev/null)" \
            "$(awk '/^State:/ {print $2}' "$p/status" 2>/dev/null)" "$(cat "$p/wchan" 2>/dev/null)"
    done
}

# Run a command inside the container's namespaces (not its cgroup: for
# systemctl over /run/systemd/private that does not matter).  Bounded:
# a PID 1 stalled in a sleep does not answer D-Bus.
in_ct() {
    local pid=$1; shift
    timeout "${IN_CT_TIMEOUT:-4}" nsenter -t "$pid" -m -p -u -i -n -- "$@"
}

# Console text without colours, carriage returns or terminal queries.
clean_console() {
    sed -E -e 's#\x1b\][^\x07\x1b]*(\x07|\x1b\\)##g' -e 's#\x1b\[[0-9;:?!<=>]*[ -/]*[@-~]##g' \
        -e 's/\x1b[()][A-Z0-9]//g' -e 's/\x1b[=>78cM]//g' -e 's/\r//g' "$1" |
        grep -v '^[[:space:]]*$' || true
}

# The lines that explain a failure (not the whole log): errors, warnings,
# refusals, failed units.  Deduplicated, in order, at most 40.
key_messages() {
    grep -E 'Fail|fail|refus|Exiting PID|Freezing|[Uu]nsupported|not supported|Read-only|not permitted|Permission denied|[Cc]annot|Unknown filesystem|[Ww]arning|WARNING|[Ll]egacy|cgroup|Caught|No such|[Ee]rror|not writable|[Tt]aint' |
        grep -v -E '^\[  OK  \]|Deactivated successfully' | awk '!seen[$0]++' | head -n 40 || true
}

main() {
    local out_dir='' timeout=${SYSCTR_E2E_TIMEOUT:-45} stall_extra=${SYSCTR_E2E_STALL_EXTRA:-40}
    local configs=$E2E_CONFIGS config_json=''
    while (($#)); do
        case $1 in
        --out-dir) out_dir=$2; shift ;;
        --config-json) config_json=$(realpath "$2"); shift ;;
        --timeout) timeout=$2; shift ;;
        --configs) configs=$2; shift ;;
        -h | --help) usage 0 ;;
        -*) usage 2 ;;
        *) break ;;
        esac
        shift
    done
    (($# == 2)) || usage 2
    local image=$1 config=$2
    require_root
    image_ready "$image" || die "image $image is not built: run images.sh $image"
    out_dir=${out_dir:-$SYSCTR_E2E_CACHE/runs/single}
    local art="$out_dir/$image/$config"
    # Fresh artifacts, but keep a prediction made for this case (matrix.sh).
    mkdir -p "$art"
    find "$art" -mindepth 1 -maxdepth 1 ! -name predict ! -name prediction.json -exec rm -rf {} +

    local knobs sdver
    knobs=$("$E2E_DIR/gen-bundle.sh" --print-knobs --config "$config" --configs "$configs")
    sdver=$(jq -r .systemd_version "$(image_stamp "$image")")

    trap cleanup EXIT
    trap 'exit 130' INT TERM

    # Cases that can change the host's cgroup setup (see lib.sh) run one at
    # a time, host-wide, and put the host back as they found it.
    local affecting=1
    if [[ -n $config_json ]]; then
        host_affecting_config "$config_json" || affecting=0
    else
        host_affecting "$knobs" || affecting=0
    fi
    if ((affecting)); then
        exec {LOCK_FD}>"$SYSCTR_E2E_CACHE/.host-cgroup.lock"
        flock "$LOCK_FD"
        HOST_STATE="$art/host-state"
        host_state_save "$HOST_STATE"
    fi

    CID="sc-e2e-$image-$config${config_json:+-fix}-$$"
    SCRATCH="$E2E_SCRATCH/$CID"
    mkdir -p "$E2E_SCRATCH"
    local rootfs
    rootfs=$(overlay_up "$image" "$SCRATCH")
    "$E2E_DIR/gen-bundle.sh" --config "$config" --configs "$configs" --rootfs "$rootfs" \
        --out "$SCRATCH/bundle" --payload init >/dev/null
    if [[ -n $config_json ]]; then
        jq --arg r "$rootfs" '.root.path = $r' "$config_json" >"$SCRATCH/bundle/config.json"
    fi
    cp "$SCRATCH/bundle/config.json" "$art/config.json"

    # Foreground runc on its own pty: it copies the container's
    # /dev/console to console.raw and exits with PID 1's exit status.
    local t0 t1
    t0=$(date +%s.%N)
    "$E2E_PYTHON" "$E2E_DIR/ptyrun.py" --stderr "$art/runc.stderr" --status "$art/exit_status" \
        "$art/console.raw" -- runc run --bundle "$SCRATCH/bundle" "$CID" </dev/null &
    RUNNER_PID=$!

    local deadline extended=0 pid='' answer='' last_answer='' outcome='' exit_status=null now
    local settled_at=''
    deadline=$(awk -v t="$t0" -v d="$timeout" 'BEGIN {printf "%d", t + d}')
    while :; do
        if ! kill -0 "$RUNNER_PID" 2>/dev/null; then
            local rc=0
            wait "$RUNNER_PID" || rc=$?
            RUNNER_PID=''
            exit_status=$rc
            if grep -q 'level=error' "$art/runc.stderr" 2>/dev/null; then outcome=runc_error; else outcome=exited; fi
            break
        fi
        if [[ -z $pid ]]; then
            pid=$(runc state "$CID" 2>/dev/null | jq -r '.pid // empty') || true
            [[ $pid == 0 ]] && pid=''
        fi
        if [[ -n $pid ]]; then
            answer=$(in_ct "$pid" systemctl is-system-running 2>/dev/null) || true
            [[ -n $answer ]] && last_answer=$answer
            case $answer in
            degraded | maintenance) outcome=$answer; break ;;
            running)
                # The first answer may race a unit's start limit (lib.sh).
                if running_settled; then outcome=running; break; fi ;;
            esac
        fi
        now=$(date +%s)
        # systemd 256.x/257 on a v1/hybrid layout is said to print a CRIT
        # message and sleep 30 s: a stall, not a hang, so extend once.  (Not
        # seen with 257.13 in a container: no message, no stall; kept as a
        # guard for other 256/257 builds.)
        if ((extended == 0)) && grep -aq -e 'Legacy cgroup v1' -e 'cgroup v1 .*deprecated' "$art/console.raw" 2>/dev/null; then
            extended=1
            deadline=$((deadline + stall_extra))
        fi
        if ((now >= deadline)); then
            if [[ -n $settled_at ]]; then outcome=running; else outcome=hang; fi
            break
        fi
        sleep 0.3
    done
    t1=$(date +%s.%N)

    # Evidence while the container is still up.
    local failed='[]' manager_check=null
    if [[ $outcome == running || $outcome == degraded || $outcome == maintenance || $outcome == hang ]] && [[ -n $pid ]]; then
        local u
        # What systemd ended up with: cgroup mounts as PID 1 sees them, and
        # its own cgroup (read from the host: no need to enter).
        awk '$5 ~ /^\/sys\/fs\/cgroup/ {for (i = 7; i <= NF; i++) if ($i == "-") {print $5, $(i + 1), $6, $(i + 3); break}}' \
            "/proc/$pid/mountinfo" >"$art/cgroup-mounts.txt" 2>/dev/null || true
        cat "/proc/$pid/cgroup" >"$art/pid1-cgroup.txt" 2>/dev/null || true
        in_ct "$pid" systemctl --failed --plain --no-legend --no-pager >"$art/failed.txt" 2>&1 || true
        failed=$(awk '$1 ~ /\./ {print $1}' "$art/failed.txt" | jq -R . | jq -sc .)
        # Failed units read after the answer: the system is degraded now,
        # whatever is-system-running said a moment ago (a unit that hits
        # its start limit later than E2E_SETTLE: sid/ax-sys-rw).
        if [[ $outcome == running && $failed != '[]' ]]; then outcome=degraded; fi
        # What sysctr-check reads off the running systemd (its manager, over
        # /run/systemd/private) must be what systemctl says: the state
        # (before or after, it may move on) and the failed units.
        if [[ -x ${SYSCTR_CHECK:-} && $outcome != hang ]]; then
            "$SYSCTR_CHECK" --json boot "$pid" >"$art/manager.json" 2>"$art/manager.stderr" || true
            local after
            after=$(in_ct "$pid" systemctl is-system-running 2>/dev/null) || true
            in_ct "$pid" systemctl --failed --plain --no-legend --no-pager >"$art/failed-after.txt" 2>&1 || true
            manager_check=$(jq -c --arg before "$outcome" --arg after "$after" --argjson failed "$failed" \
                --argjson failed_after "$(awk '$1 ~ /\./ {print $1}' "$art/failed-after.txt" | jq -R . | jq -sc .)" '
                .boot.manager as $m
                | {system_state: $m.system_state, failed_units: $m.failed_units, errno: $m.errno,
                   systemctl: [$before, $after],
                   agrees: ($m != null and $m.errno == null
                            and ([$before, $after] | index([$m.system_state]) != null)
                            and (($m.failed_units | sort) == ($failed | sort)
                                 or ($m.failed_units | sort) == ($failed_after | sort)))}' \
                "$art/manager.json" 2>/dev/null) || manager_check='{"agrees": false, "error": "no JSON from sysctr-check"}'
        fi
        for u in $(jq -r '.[]' <<<"$failed"); do
            {
                echo "### systemctl status $u"
                in_ct "$pid" systemctl status --no-pager -l -n 30 "$u" 2>&1 || true
            } >>"$art/failed-status.txt"
        done
        IN_CT_TIMEOUT=8 in_ct "$pid" journalctl -b --no-pager -o short-monotonic >"$art/journal.txt" 2>&1 || true
        if [[ $outcome == hang || $outcome == maintenance ]]; then
            {
                echo "last is-system-running: ${last_answer:-<no answer>}"
                echo "### systemctl list-jobs"
                in_ct "$pid" systemctl list-jobs --no-pager 2>&1 || true
                echo "### processes (pid comm state wchan)"
                container_processes "$pid"
            } >"$art/hang.txt"
        fi
    fi
    # Tear down now (the trap does it again harmlessly) so durations and
    # leftovers are accounted to this case.
    cleanup || true
    CID='' SCRATCH='' HOST_STATE=''

    clean_console "$art/console.raw" >"$art/console.log"
    [[ -s $art/exit_status && $outcome == exited ]] && exit_status=$(cat "$art/exit_status")
    local verdict failure=null
    case $outcome in
    running) verdict=boots ;;
    degraded) verdict=degraded ;;
    maintenance | exited | hang) verdict=fails ;;
    *) verdict=error ;;
    esac
    case $outcome in
    exited) failure='"exits"' ;;
    maintenance | hang) failure='"freezes"' ;;
    esac
    local unit_reasons='{}'
    unit_reasons=$(unit_failure_reasons "$art/failed-status.txt")
    jq -nc --arg image "$image" --argjson sd "$sdver" \
        --arg sdpkg "$(jq -r .systemd_pkg_version "$(image_stamp "$image")")" \
        --arg config "$config" --arg knobs "$knobs" --arg outcome "$outcome" \
        --arg verdict "$verdict" --argjson failure "$failure" --argjson exit "${exit_status:-null}" \
        --argjson failed "$failed" --argjson reasons "$unit_reasons" \
        --arg last "$last_answer" --argjson manager "$manager_check" \
        --arg messages "$(key_messages <"$art/console.log")" \
        --arg runcerr "$(grep -o 'msg=.*' "$art/runc.stderr" 2>/dev/null | head -n 5 || true)" \
        --arg banner "$(grep -m1 -E '^systemd [0-9]+' "$art/console.log" || true)" \
        --argjson dur "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')" \
        --argjson stalled "$extended" --arg art "$art" \
        --arg hostchg "$(cat "$art/host-state.changed" 2>/dev/null || true)" \
        --arg cgmounts "$(cat "$art/cgroup-mounts.txt" 2>/dev/null || true)" \
        --arg pid1cg "$(cat "$art/pid1-cgroup.txt" 2>/dev/null || true)" '
        {image: $image, systemd_version: $sd, systemd_pkg_version: $sdpkg, config: $config,
         knobs: ($knobs | split(" ") | map(select(. != "") | split("=") | {(.[0]): .[1]}) | add),
         outcome: $outcome, verdict: $verdict, failure: $failure, exit_status: $exit,
         failed_units: $failed, failed_unit_reasons: $reasons,
         last_is_system_running: $last, manager: $manager,
         messages: ($messages | split("\n") | map(select(. != ""))),
         runc_errors: ($runcerr | split("\n") | map(select(. != ""))),
         banner: $banner, legacy_stall_seen: ($stalled == 1),
         cgroup_mounts: ($cgmounts | split("\n") | map(select(. != ""))),
         pid1_cgroup: ($pid1cg | split("\n") | map(select(. != ""))),
         host_changes: ($hostchg | split("\n") | map(select(. != ""))),
         duration_s: $dur, artifacts: $art}' | tee "$art/result.json"
}

main "$@"
