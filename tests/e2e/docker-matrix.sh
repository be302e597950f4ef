#!/bin/bash
# Docker in the end-to-end boot matrix: boot real systemd as PID 1 with the
# `docker run` recipes people copy (docker-recipes.tsv), on each image, and
# compare with what `sysctr-check boot docker:NAME` predicts.  Root only.
#
#   docker-matrix.sh [-j N] [--images "bookworm trixie sid"] [--full]
#                    [--only REGEX] [--results FILE] [--timeout SECS]
#                    [--no-predict] [--no-fail] [--fix]
#   docker-matrix.sh --report RESULTS [--no-fail]
#
#   -j N            parallel cases, at most 2 (default 2: 2 cores, and other
#                   people boot containers here too)
#   --images LIST   images (default: bookworm trixie sid)
#   --full          every recipe on every image; default: the rows with
#                   cross=all on every image, the rows with cross=one on
#                   trixie only
#   --only REGEX    only recipe ids matching REGEX
#   --results FILE  JSON lines, one per case (default:
#                   $SYSCTR_E2E_CACHE/runs/docker-<timestamp>/results.jsonl);
#                   the artifacts of each case next to it, in IMAGE/RECIPE/
#   --timeout SECS  no answer from systemctl in SECS (default 45; extended
#                   once by 40 s if systemd prints the "Legacy cgroup v1"
#                   stall message) = "freezes"
#   --no-predict    boot only (no sysctr-check)
#   --no-fail       exit 0 even when a prediction disagrees
#   --fix           predict with `boot --fix` too; then every case whose truth
#                   is fails or degraded is booted again with the flags the
#                   tool proposed (the recipe's, less `remove`, plus `add`),
#                   and the fix table says which came up (a host-side cause
#                   is listed, not booted: it needs another host)
#   --report FILE   boot nothing: print the tables of an earlier run
#
# Truth: `docker run -d --name sc-dk-... --network none FLAGS IMAGE
# /sbin/init`, then every 0.3 s `docker exec NAME systemctl
# is-system-running` and `docker inspect` (State):
#   running -> boots; degraded -> degraded; maintenance -> fails (freezes);
#   the container exits -> fails (exits, with its exit status); no answer in
#   time -> fails (freezes); docker refuses the recipe -> refused (data, not
#   an error of the harness: --privileged here).
# Prediction: the same recipe with `sleep infinity` as the payload, then
# `$SYSCTR_CHECK --json boot docker:NAME` (SYSCTR_CHECK defaults to the
# repository's ./sysctr-check).  A case agrees when .boot.verdict is the
# truth's verdict, .boot.failure (when the tool prints the field) is the
# truth's failure, and for degraded every unit that failed is predicted.
# Recipes that can change the host's cgroup setup (the host tree bound in;
# CAP_SYS_ADMIN with the host cgroupns: lib.sh) boot one at a time, after
# the others, under the host-wide lock, with the host state saved and
# restored around them.  Exits non-zero on any disagreement (unless
# --no-fail) and on errors of the harness.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$E2E_DIR/docker.sh"
E2E_LOG_TAG=docker-matrix

usage() { usage_from_header "$0"; exit "${1:-0}"; }

RECIPES="$E2E_DIR/docker-recipes.tsv"

recipe_field() { # ID FIELD(2=flags,3=cross,4=note)
    awk -F'\t' -v id="$1" -v f="$2" '!/^#/ && $1 == id {print $f; exit}' "$RECIPES"
}

# Can this recipe change the host's cgroup setup (lib.sh: host_affecting)?
# The host's tree bound in (systemd writes into it; with CAP_SYS_ADMIN it
# remounts its tmpfs), or CAP_SYS_ADMIN in the host cgroupns (the default
# on a v1 host: systemd mounts cgroup2 there, which sets the global
# cgroup2 flags).
recipe_host_affecting() {
    local f=" $1 "
    [[ $f == *" -v /sys/fs/cgroup:"* ]] && return 0
    [[ $f == *" --cgroupns=private "* ]] && return 1
    [[ $f == *" --cap-add SYS_ADMIN "* || $f == *" --privileged "* ]]
}

in_dk() { # NAME CMD...: bounded docker exec
    local n=$1
    shift
    timeout "${IN_CT_TIMEOUT:-4}" "$DOCKER" exec "$n" "$@"
}

# Console text without colours, carriage returns or terminal queries, and
# the lines of it that explain a failure (as truth.sh).
clean_console() {
    sed -E -e 's#\x1b\][^\x07\x1b]*(\x07|\x1b\\)##g' -e 's#\x1b\[[0-9;:?!<=>]*[ -/]*[@-~]##g' \
        -e 's/\x1b[()][A-Z0-9]//g' -e 's/\x1b[=>78cM]//g' -e 's/\r//g' "$1" |
        grep -v '^[[:space:]]*$' || true
}
key_messages() {
    grep -E 'Fail|fail|refus|Exiting PID|Freezing|[Uu]nsupported|not supported|Read-only|not permitted|Permission denied|[Cc]annot|Unknown filesystem|[Ww]arning|WARNING|[Ll]egacy|cgroup|Caught|No such|[Ee]rror|not writable|[Tt]aint' |
        grep -v -E '^\[  OK  \]|Deactivated successfully' | awk '!seen[$0]++' | head -n 40 || true
}

# "status exitcode" of a container, or "gone".
dk_state() {
    "$DOCKER" inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$1" 2>/dev/null || echo gone
}

# Boot IMAGE with RECIPE for real; writes $art/truth.json.
truth_case() {
    local image=$1 recipe=$2 art=$3 img flags name lock_fd='' host_state='' affecting=false
    local -a fl
    img=$(docker_image "$image")
    # A 4th argument: these flags instead of the recipe's (a fix).
    if (($# > 3)); then flags=$4; else flags=$(recipe_field "$recipe" 2); fi
    read -r -a fl <<<"$flags"
    name="sc-dk-$image-$recipe-$BASHPID"
    docker_track "$name" "$name-t"
    if recipe_host_affecting "$flags"; then
        affecting=true
        exec {lock_fd}>"$SYSCTR_E2E_CACHE/.host-cgroup.lock"
        flock "$lock_fd"
        host_state="$art/host-state"
        host_state_save "$host_state"
    fi
    local t0 t1 outcome='' exit_status=null answer='' last='' st deadline extended=0 docker_err=''
    local settled_at=''
    t0=$(date +%s.%N)
    deadline=$(awk -v t="$t0" -v d="$TIMEOUT" 'BEGIN {printf "%d", t + d}')
    if ! "$DOCKER" run -d --name "$name" --network none "${fl[@]}" "$img" /sbin/init \
        >"$art/run.out" 2>"$art/run.err"; then
        docker_err=$(grep -v '^$' "$art/run.err" | tail -n 3)
        outcome=refused
    fi
    while [[ -z $outcome ]]; do
        st=$(dk_state "$name")
        case $st in
        exited* | dead*)
            outcome=exited exit_status=${st#* }
            break
            ;;
        gone) outcome=refused docker_err="container vanished"; break ;;
        esac
        answer=$(in_dk "$name" systemctl is-system-running 2>/dev/null) || true
        [[ -n $answer ]] && last=$answer
        case $answer in
        degraded | maintenance) outcome=$answer; break ;;
        running)
            # As truth.sh: the first answer may race a start limit.
            if running_settled; then outcome=running; break; fi ;;
        esac
        if ((extended == 0)) && "$DOCKER" logs "$name" 2>&1 | grep -aq -e 'Legacy cgroup v1' -e 'cgroup v1 .*deprecated'; then
            extended=1 deadline=$((deadline + STALL_EXTRA))
        fi
        if (($(date +%s) >= deadline)); then
            if [[ -n $settled_at ]]; then outcome=running; else outcome=hang; fi
            break
        fi
        sleep 0.3
    done
    t1=$(date +%s.%N)

    # Evidence while it is up.
    local failed='[]' u
    if [[ $outcome == running || $outcome == degraded || $outcome == maintenance || $outcome == hang ]]; then
        in_dk "$name" cat /proc/1/cgroup >"$art/pid1-cgroup.txt" 2>/dev/null || true
        # shellcheck disable=SC2016  # awk's own $5, inside the container
        in_dk "$name" awk '$5 ~ /^\/sys\/fs\/cgroup/ {for (i = 7; i <= NF; i++) if ($i == "-") {print $5, $(i + 1), $6, $(i + 3); break}}' \
            /proc/1/mountinfo >"$art/cgroup-mounts.txt" 2>/dev/null || true
        in_dk "$name" systemctl --failed --plain --no-legend --no-pager >"$art/failed.txt" 2>&1 || true
        failed=$(awk '$1 ~ /\./ {print $1}' "$art/failed.txt" | jq -R . | jq -sc .)
        # As truth.sh: failed units read after the answer make it degraded.
        if [[ $outcome == running && $failed != '[]' ]]; then outcome=degraded; fi
        for u in $(jq -r '.[]' <<<"$failed"); do
            {
                echo "### systemctl status $u"
                in_dk "$name" systemctl status --no-pager -l -n 30 "$u" 2>&1 || true
            } >>"$art/failed-status.txt"
        done
        IN_CT_TIMEOUT=8 in_dk "$name" journalctl -b --no-pager -o short-monotonic >"$art/journal.txt" 2>&1 || true
        if [[ $outcome == hang || $outcome == maintenance ]]; then
            {
                echo "last is-system-running: ${last:-<no answer>}"
                in_dk "$name" systemctl list-jobs --no-pager 2>&1 || true
            } >"$art/hang.txt"
        fi
    fi
    # systemd's own words: the console (docker logs: with -t the pty is
    # /dev/console); without -t PID 1 has no console and says nothing
    # there, so a failing boot is run again with -t for its messages.
    local src=none
    if [[ $outcome != refused ]]; then
        "$DOCKER" logs "$name" >"$art/console.raw" 2>&1 || true
        clean_console "$art/console.raw" >"$art/console.log"
        if [[ -s $art/console.log ]]; then
            src="docker logs"
        elif [[ -s $art/journal.txt ]]; then
            src=journal
            # (Less the per-unit "Failed to get cgroup ID ..., ignoring"
            # every host-tree boot logs.)
            grep -E ' (systemd|kernel)\[?[0-9]*\]?: ' "$art/journal.txt" | grep -v 'Failed to get cgroup ID' |
                sed -E 's/^\[[^]]*\] [^ ]+ //' >"$art/console.log" || true
        elif [[ $outcome == exited ]]; then
            "$DOCKER" rm -f "$name" >/dev/null 2>&1 || true
            if "$DOCKER" run -d -t --name "$name-t" --network none "${fl[@]}" "$img" /sbin/init >/dev/null 2>&1; then
                local i
                for ((i = 0; i < 50; i++)); do
                    [[ $(dk_state "$name-t") == exited* ]] && break
                    sleep 0.2
                done
                "$DOCKER" logs "$name-t" >"$art/console-t.raw" 2>&1 || true
                clean_console "$art/console-t.raw" >"$art/console.log"
                src="docker logs of the same recipe with -t"
            fi
        fi
    fi
    "$DOCKER" inspect "$name" >"$art/inspect.json" 2>/dev/null || true
    "$DOCKER" rm -f "$name" "$name-t" >/dev/null 2>&1 || true
    local host_changes=''
    if [[ -n $host_state ]]; then
        host_state_diff "$host_state" >"$host_state.changed"
        host_changes=$(cat "$host_state.changed")
        host_state_restore "$host_state" || log "host state not restored after $image $recipe"
        exec {lock_fd}>&-
    fi

    local verdict failure=null
    case $outcome in
    running) verdict=boots ;;
    degraded) verdict=degraded ;;
    exited) verdict=fails failure='"exits"' ;;
    maintenance | hang) verdict=fails failure='"freezes"' ;;
    refused) verdict=refused ;;
    *) verdict=error ;;
    esac
    local reasons='{}'
    reasons=$(unit_failure_reasons "$art/failed-status.txt")
    jq -nc --arg image "$image" --argjson sd "$(jq .systemd_version "$(image_stamp "$image")")" \
        --arg recipe "$recipe" --arg flags "$flags" --arg outcome "$outcome" --arg verdict "$verdict" \
        --argjson failure "$failure" --argjson exit "$exit_status" --argjson failed "$failed" \
        --argjson reasons "$reasons" --arg last "$last" --arg src "$src" \
        --arg errors "$(key_messages <"$art/console.log" 2>/dev/null)" --arg derr "$docker_err" \
        --arg banner "$(grep -m1 -E '^systemd [0-9]+' "$art/console.log" 2>/dev/null || true)" \
        --argjson dur "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')" \
        --argjson stalled "$extended" --argjson affecting "$affecting" --arg hostchg "$host_changes" \
        --arg cgm "$(cat "$art/cgroup-mounts.txt" 2>/dev/null || true)" \
        --arg pid1cg "$(cat "$art/pid1-cgroup.txt" 2>/dev/null || true)" --arg art "$art" '
        def lines: split("\n") | map(select(. != ""));
        {image: $image, systemd_version: $sd, recipe: $recipe, flags: $flags,
         outcome: $outcome, verdict: $verdict, failure: $failure, exit_status: $exit,
         failed_units: $failed, failed_unit_reasons: $reasons, last_is_system_running: $last,
         errors: ($errors | lines), errors_source: $src, docker_error: $derr, banner: $banner,
         legacy_stall_seen: ($stalled == 1), host_affecting: $affecting,
         host_changes: ($hostchg | lines), cgroup_mounts: ($cgm | lines),
         pid1_cgroup: ($pid1cg | lines), duration_s: $dur, artifacts: $art}' >"$art/truth.json"
}

# The recipe with a sleep payload, read by sysctr-check; writes
# $art/prediction.json.
predict_case() {
    local image=$1 recipe=$2 art=$3 img flags name st i rc=0
    local -a fl
    img=$(docker_image "$image")
    flags=$(recipe_field "$recipe" 2)
    read -r -a fl <<<"$flags"
    name="sc-dk-sleep-$image-$recipe-$BASHPID"
    docker_track "$name"
    mkdir -p "$art/predict"
    if ! "$DOCKER" run -d --name "$name" --network none "${fl[@]}" "$img" sleep infinity \
        >/dev/null 2>"$art/predict/run.err"; then
        jq -n --rawfile e "$art/predict/run.err" '{refused: true, error: $e, boot: null}' >"$art/prediction.json"
        "$DOCKER" rm -f "$name" >/dev/null 2>&1 || true
        return 0
    fi
    for ((i = 0; i < 50; i++)); do
        st=$(dk_state "$name")
        [[ $st == running* ]] && break
        sleep 0.1
    done
    "$SYSCTR_CHECK" --json --strict boot ${FIX:+--fix} "docker:$name" >"$art/predict/boot.json" 2>"$art/predict/boot.err" || rc=$?
    if ((FIX)); then
        "$SYSCTR_CHECK" boot --fix "docker:$name" >"$art/predict/fix.txt" 2>&1 || true
    fi
    "$DOCKER" rm -f "$name" >/dev/null 2>&1 || true
    jq -n --argjson rc "$rc" --rawfile err "$art/predict/boot.err" --slurpfile b "$art/predict/boot.json" \
        '{refused: false, rc: $rc, error: $err, boot: ($b[0].boot // null)}' >"$art/prediction.json" 2>/dev/null ||
        jq -n --argjson rc "$rc" --rawfile err "$art/predict/boot.err" \
            '{refused: false, rc: $rc, error: $err, boot: null}' >"$art/prediction.json"
    ((rc <= 1))
}

# One case as a background job: predict, then truth (or only one).
run_case() {
    local image=$1 recipe=$2 what=$3 rc=0
    local art="$RUN_DIR/$image/$recipe"
    mkdir -p "$art"
    trap 'docker_cleanup' EXIT
    trap 'exit 143' TERM INT
    if [[ $what != truth ]] && ((PREDICT)); then
        predict_case "$image" "$recipe" "$art" || { log "prediction failed: $image $recipe"; rc=1; }
    fi
    if [[ $what != predict ]]; then
        truth_case "$image" "$recipe" "$art" 2>"$art/truth.log" || { log "truth failed: $image $recipe (see $art/truth.log)"; rc=1; }
    fi
    return "$rc"
}

run_phase() {
    local jobs=$1 item image recipe what
    shift
    for item in "$@"; do
        while (($(jobs -rp | wc -l) >= jobs)); do wait -n || ERRORS=$((ERRORS + 1)); done
        IFS=: read -r image recipe what <<<"$item"
        [[ $what == predict ]] || { DONE=$((DONE + 1)); log "[$DONE/$TOTAL] $image $recipe"; }
        run_case "$image" "$recipe" "$what" &
    done
    while (($(jobs -rp | wc -l) > 0)); do wait -n || ERRORS=$((ERRORS + 1)); done
}

# Merge truth and prediction into one JSON line per case.
merge_case() {
    local art=$1 p='null'
    [[ -s $art/prediction.json ]] && p=$(cat "$art/prediction.json")
    jq -c --argjson p "$p" '
        ($p.boot // null) as $b
        | . + {predicted: (if $p == null then null
                           else {verdict: ($b.verdict // (if $p.refused then "refused" else null end)),
                                 failure_present: ($b != null and ($b | has("failure"))),
                                 failure: ($b.failure // null),
                                 failing_units: ($b.failing_units // []),
                                 rules: ([$b.rules[]? | .id] // []),
                                 rc: ($p.rc // null), error: ($p.error // "")} end)}
        | .predicted as $q
        | .agree = (if .verdict == "refused" then ($q == null or $q.verdict == "refused")
                    elif $q == null or $q.verdict == null then false
                    else ($q.verdict == .verdict)
                         and ((($q.failure_present | not)) or $q.failure == .failure)
                         and (.verdict != "degraded" or ((.failed_units - $q.failing_units) | length == 0))
                    end)' "$art/truth.json"
}

# The recipe's flags with a fix applied: each `remove` item dropped (with
# its argument, for a flag that takes one: --cap-drop ALL), each `add`
# item appended.
fixed_flags() {
    local flags=$1 fixj=$2 r skip=0 tok
    local -a fl out=() rm=()
    read -r -a fl <<<"$flags"
    mapfile -t rm < <(jq -r '.remove[]' <<<"$fixj")
    for tok in "${fl[@]}"; do
        if ((skip)); then skip=0; continue; fi
        for r in "${rm[@]}"; do
            if [[ $tok == "$r" ]]; then
                case $tok in --cap-drop | --cap-add | -v | -e | --tmpfs | --security-opt) skip=1 ;; esac
                continue 2
            fi
        done
        out+=("$tok")
    done
    local -a add
    read -r -a add <<<"$(jq -r '.add | join(" ")' <<<"$fixj")"
    printf '%s ' "${out[@]}" "${add[@]}"
}

# Boot the fixed flags of each fails/degraded case; writes
# $RUN_DIR/fix/IMAGE/RECIPE/truth.json and prints the fix table.
run_fix() {
    local results=$1 image recipe flags fixj nf shared=() exclusive=() item
    mkdir -p "$RUN_DIR/fix"
    while IFS=$'\t' read -r image recipe; do
        fixj=$(jq -c '.boot.fix.changes[0] // empty' "$RUN_DIR/$image/$recipe/predict/boot.json" 2>/dev/null) || true
        [[ -n $fixj ]] || continue
        jq -e '.runtime == "docker" and .expected_verdict == "boots" and (.host | length == 0)' <<<"$fixj" >/dev/null || continue
        flags=$(recipe_field "$recipe" 2)
        nf=$(fixed_flags "$flags" "$fixj")
        mkdir -p "$RUN_DIR/fix/$image/$recipe"
        printf '%s\n' "$nf" >"$RUN_DIR/fix/$image/$recipe/flags"
        if recipe_host_affecting "$nf"; then exclusive+=("$image/$recipe"); else shared+=("$image/$recipe"); fi
    done < <(jq -r 'select(.verdict == "fails" or .verdict == "degraded") | [.image, .recipe] | @tsv' "$results")
    log "fix: booting ${#shared[@]} fixed recipes, then ${#exclusive[@]} one at a time"
    fix_one() {
        local i=${1%%/*} r=${1#*/}
        trap 'docker_cleanup' EXIT
        truth_case "$i" "$r" "$RUN_DIR/fix/$i/$r" "$(cat "$RUN_DIR/fix/$i/$r/flags")" 2>"$RUN_DIR/fix/$i/$r/truth.log"
    }
    for item in "${shared[@]}"; do
        while (($(jobs -rp | wc -l) >= 2)); do wait -n || ERRORS=$((ERRORS + 1)); done
        fix_one "$item" &
    done
    while (($(jobs -rp | wc -l) > 0)); do wait -n || ERRORS=$((ERRORS + 1)); done
    for item in "${exclusive[@]}"; do fix_one "$item" || ERRORS=$((ERRORS + 1)); done
    : >"$RUN_DIR/fix-rows.jsonl"
    while IFS=$'\t' read -r image recipe; do
        local b="$RUN_DIR/fix/$image/$recipe/truth.json"
        jq -c --slurpfile b <(if [[ -s $b ]]; then cat "$b"; else echo null; fi) \
            --arg nf "$(cat "$RUN_DIR/fix/$image/$recipe/flags" 2>/dev/null)" '
            (.boot.fix // {}) as $f | ($f.changes[0] // null) as $c
            | {image: $i, recipe: $r, truth: $t, predicted: .boot.verdict, host_side: ($f.host_side // false),
               add: ($c.add // []), remove: ($c.remove // []), host: ($c.host // []),
               grants: ($c.grants // []), rank: ($c.rank // null), expected: ($c.expected_verdict // null),
               flags: $nf, booted: ($b[0].verdict // null), failed_units: ($b[0].failed_units // [])}' \
            --arg i "$image" --arg r "$recipe" --arg t "$(jq -r --arg i "$image" --arg r "$recipe" 'select(.image == $i and .recipe == $r) | .verdict' "$results")" \
            "$RUN_DIR/$image/$recipe/predict/boot.json" >>"$RUN_DIR/fix-rows.jsonl" 2>/dev/null || true
    done < <(jq -r 'select(.verdict == "fails" or .verdict == "degraded") | [.image, .recipe] | @tsv' "$results")
    print_fix_table "$RUN_DIR/fix-rows.jsonl" | tee "$RUN_DIR/fix-table.txt"
    ! grep -q 'DID NOT BOOT' "$RUN_DIR/fix-table.txt"
}

print_fix_table() {
    jq -rs '
        def cell: if .host_side then "host-side: " + (.host | join("; "))
            elif (.add | length) + (.remove | length) == 0 then "none (predicted \(.predicted))"
            elif .booted == null then "not booted (expected \(.expected))"
            elif .booted == "boots" then "boots"
            else "DID NOT BOOT: \(.booted)\(if .booted == "degraded" then "(" + (.failed_units | join(",")) + ")" else "" end)" end;
        (["image", "recipe", "truth", "fix: add; remove", "rank", "booted"] | @tsv),
        (.[] | [.image, .recipe, .truth, ((.add | join(" ")) + (if (.remove | length) > 0 then "; remove " + (.remove | join(" ")) else "" end)), (.rank // "-" | tostring), cell] | @tsv)
        ' "$1" | column -t -s $'\t' -L | sed 's/[[:space:]]*$//'
    echo
    jq -rs '
        def proposed: map(select(.host_side | not) | select((.add | length) + (.remove | length) > 0));
        (group_by(.image)[] | .[0].image as $i | proposed as $p
         | "\($i): fixes that work / fixes proposed: \($p | map(select(.booted == "boots")) | length) / \($p | length); host-side \(map(select(.host_side)) | length); none proposed \(map(select((.host_side | not) and (.add | length) + (.remove | length) == 0)) | length); of \(length) fails/degraded cases"),
        (proposed as $p | "docker block: fixes that work / fixes proposed: \($p | map(select(.booted == "boots")) | length) / \($p | length)")
        ' "$1"
}

print_report() {
    local results=$1
    jq -rs '
        def short(u): u | map(sub("\\.(service|socket|mount)$"; "")) | join(",");
        def t: if .verdict == "degraded" then "degraded(" + short(.failed_units) + ")"
               elif .verdict == "fails" then "fails/" + .failure + (if .exit_status != null then "=" + (.exit_status | tostring) else "" end)
               else .verdict end;
        def p: .predicted as $q | if $q == null then "-"
               elif $q.verdict == "degraded" then "degraded(" + short($q.failing_units) + ")"
               elif $q.verdict == "fails" then "fails/" + (if $q.failure_present then ($q.failure // "null") else "?" end)
               else ($q.verdict // "none") end;
        (group_by(.image)[] | .[0].image as $i | .[0].systemd_version as $v
         | "== \($i) (systemd \($v)): \(map(select(.agree)) | length) agree, \(map(select(.agree | not)) | length) disagree, of \(length)",
           (["recipe", "truth", "predicted", "agree"] | @tsv),
           (.[] | [.recipe, t, p, (if .verdict == "refused" then "refused" elif .agree then "ok" else "DISAGREE" end)] | @tsv),
           ""),
        "counts: \(length) cases; boots \(map(select(.verdict == "boots")) | length), degraded \(map(select(.verdict == "degraded")) | length), fails \(map(select(.verdict == "fails")) | length) (exits \(map(select(.failure == "exits")) | length), freezes \(map(select(.failure == "freezes")) | length)), refused \(map(select(.verdict == "refused")) | length)",
        "agreement: \(map(select(.agree and .verdict != "refused")) | length) agree, \(map(select(.agree | not)) | length) disagree (refused cases not counted)"
        ' "$results" | awk -F'\t' 'NF > 1 {printf "  %-22s %-52s %-40s %s\n", $1, $2, $3, $4; next} {print}'
}

main() {
    local jobs=2 images=() only='' results='' report='' full=0 nofail=0
    PREDICT=1 FIX='' TIMEOUT=${SYSCTR_E2E_TIMEOUT:-45} STALL_EXTRA=${SYSCTR_E2E_STALL_EXTRA:-40}
    while (($#)); do
        case $1 in
        -j) jobs=$2; shift ;;
        --images) read -r -a images <<<"$2"; shift ;;
        --full) full=1 ;;
        --only) only=$2; shift ;;
        --results) results=$2; shift ;;
        --timeout) TIMEOUT=$2; shift ;;
        --no-predict) PREDICT=0 ;;
        --no-fail) nofail=1 ;;
        --fix) FIX=1 ;;
        --report) report=$2; shift ;;
        -h | --help) usage 0 ;;
        *) usage 2 ;;
        esac
        shift
    done
    ((jobs >= 1 && jobs <= 2)) || die "-j: 1 or 2"
    if [[ -n $report ]]; then
        print_report "$report"
        ((nofail)) || ! jq -se 'any(.[]; .agree | not)' "$report" >/dev/null
        return
    fi
    require_root
    ensure_tools jq:jq dockerd:docker.io containerd:containerd
    ((${#images[@]})) || images=("${E2E_DEFAULT_SUITES[@]}")
    if ((PREDICT)); then
        SYSCTR_CHECK=${SYSCTR_CHECK:-$E2E_DIR/../../sysctr-check}
        [[ -x $SYSCTR_CHECK ]] || die "no sysctr-check at $SYSCTR_CHECK: build it, or set SYSCTR_CHECK"
    fi
    local t0
    t0=$(date +%s)
    "$E2E_DIR/images.sh" "${images[@]}" >/dev/null
    trap 'docker_cleanup; docker_down' EXIT
    trap 'log "interrupted"; kill $(jobs -p) 2>/dev/null; wait; exit 130' INT TERM
    docker_up
    local image
    for image in "${images[@]}"; do docker_image "$image" >/dev/null; done

    results=${results:-$SYSCTR_E2E_CACHE/runs/docker-$(date +%Y%m%d-%H%M%S)/results.jsonl}
    RUN_DIR=$(dirname "$(realpath -m "$results")")
    mkdir -p "$RUN_DIR"
    : >"$results"
    # The host's cgroup setup, before and after, read under the host-wide
    # lock: another run's host-affecting case (matrix.sh's too) may be
    # changing it right now, and restoring under its feet would break it.
    local before="$RUN_DIR/.host-state-before" lock_fd
    exec {lock_fd}>"$SYSCTR_E2E_CACHE/.host-cgroup.lock"
    flock "$lock_fd"
    host_state_save "$before"
    flock -u "$lock_fd"
    if "$DOCKER" ps -aq --filter name='^sc-dk-' | grep -q .; then
        die "leftover sc-dk-* containers: $("$DOCKER" ps -a --filter name='^sc-dk-' --format '{{.Names}}' | tr '\n' ' ')"
    fi

    # The cases: (image, recipe); host-affecting truths in phase 2.
    local cases=() phase1=() phase2=() r cross flags
    # (A record separator that is not whitespace: read would merge the
    # empty flags of "base" with the next field.)
    while IFS=$'\x1f' read -r r flags cross; do
        [[ -z $only || $r =~ $only ]] || continue
        for image in "${images[@]}"; do
            ((full)) || [[ $cross == all || $image == trixie ]] || continue
            cases+=("$image:$r")
            if recipe_host_affecting "$flags"; then
                phase1+=("$image:$r:predict")
                phase2+=("$image:$r:truth")
            else
                phase1+=("$image:$r:both")
            fi
        done
    done < <(awk -F'\t' -v OFS=$'\x1f' '!/^#/ && NF && $1 != "id" {print $1, $2, $3}' "$RECIPES")
    ((${#cases[@]})) || die "no recipe selected"
    TOTAL=${#cases[@]} DONE=0 ERRORS=0
    log "${#cases[@]} cases (${#phase2[@]} host-affecting, one at a time after the others), $jobs at a time; results: $results"
    local t1
    t1=$(date +%s)
    run_phase "$jobs" "${phase1[@]}"
    log "phase 1: $(($(date +%s) - t1)) s"
    t1=$(date +%s)
    ((${#phase2[@]} == 0)) || run_phase 1 "${phase2[@]}"
    log "phase 2: $(($(date +%s) - t1)) s"

    local c errors=$ERRORS
    for c in "${cases[@]}"; do
        if [[ -s $RUN_DIR/${c%%:*}/${c#*:}/truth.json ]]; then
            merge_case "$RUN_DIR/${c%%:*}/${c#*:}" >>"$results"
        else
            log "no result for $c"
            errors=$((errors + 1))
        fi
    done
    if "$DOCKER" ps -aq --filter name='^sc-dk-' | grep -q .; then log "LEFTOVER containers"; errors=$((errors + 1)); fi
    local changed
    flock "$lock_fd"
    changed=$(host_state_diff "$before")
    if [[ -n $changed ]]; then
        log "WARNING: the host's cgroup setup changed during the run:"
        printf '%s\n' "$changed" | tee "$RUN_DIR/host-state.changed" >&2
        host_state_restore "$before" || true
        errors=$((errors + 1))
    fi
    flock -u "$lock_fd"
    print_report "$results" | tee "$RUN_DIR/agreement.txt"
    jq -rs 'map(.duration_s) | "boot durations: min \(min) s, median \(sort | .[length/2|floor]) s, max \(max) s"' "$results"
    if [[ -n $FIX ]] && ((PREDICT)); then
        ERRORS=0
        run_fix "$results" || errors=$((errors + 1))
        errors=$((errors + ERRORS))
    fi
    log "docker block wall time: $(($(date +%s) - t0)) s; results: $results"
    ((errors == 0)) || die "$errors error(s) of the harness"
    if ((PREDICT && !nofail)) && jq -se 'any(.[]; .agree | not)' "$results" >/dev/null; then
        die "predictions disagree with the boots (see the table)"
    fi
}

main "$@"
