#!/bin/bash
# Run the end-to-end boot matrix: every (image x configuration) case booted
# for real by truth.sh, in parallel (bounded), then a table.
#
#   matrix.sh [-j N] [--images "bookworm trixie sid"] [--configs FILE[:FILE...]]
#             [--only REGEX] [--results FILE] [--predict] [--fix] [--check-configs]
#   matrix.sh --fix-from RESULTS [-j N] [--images "..."] [--only REGEX]
#   matrix.sh --report RESULTS [--images "..."]
#
#   -j N              parallel boots (default 4: boots mostly wait)
#   --configs FILES   the configuration tables, colon-separated (default: lib.sh
#                     E2E_CONFIGS: configs.tsv, configs-axes.tsv, configs-pairwise.tsv);
#                     a table with an "images" column runs each row on those images only
#   --only REGEX      only configuration ids matching REGEX
#   --results FILE    JSON lines, one per case (default: $SYSCTR_E2E_RESULTS,
#                     else $SYSCTR_E2E_CACHE/runs/<timestamp>/results.jsonl);
#                     artifacts of each case next to it
#   --predict         also run the prediction hook for each case (see
#                     predict_case below; needs SYSCTR_CHECK=/path/to/sysctr-check)
#   --fix             then, for every case whose truth is fails or degraded, ask
#                     `sysctr-check boot --fix --bundle` for the smallest change
#                     (--apply-to: the patched config.json), boot that for real
#                     and record whether systemd comes up (fix table; a fix
#                     that does not boot is a failed case)
#   --fix-from RESULTS  the fix step alone, on the truth of an earlier run
#   --check-configs   first verify every configuration starts (check-configs.sh)
#   --report RESULTS  boot nothing: print the table (and the agreement, when
#                     the run has predictions) of an earlier run
# Exits non-zero on errors of its own (a case that could not be run, runc
# refusing a configuration, leftovers), not on systemd failing to boot:
# that is data.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_LOG_TAG=matrix

usage() { usage_from_header "$0"; exit "${1:-0}"; }

# ---------------------------------------------------------------------------
# Sleep-payload variant of a configuration (for the prediction step).
# The same bundle as the truth boot (same knobs, same terminal/console),
# only process.args differ: `sleep infinity` from the image.  State lives in
# files under WORKDIR so start and stop can be called from different places.
# ---------------------------------------------------------------------------

# sleep_container_start IMAGE CONFIG WORKDIR: prints the container id.
sleep_container_start() {
    local image=$1 config=$2 work=$3 cid rootfs pid='' i
    cid="sc-e2e-sleep-$image-$config-$BASHPID"
    mkdir -p "$work"
    printf '%s\n' "$cid" >"$work/cid"
    rootfs=$(overlay_up "$image" "$work/scratch")
    "$E2E_DIR/gen-bundle.sh" --config "$config" --configs "$CONFIGS" --rootfs "$rootfs" \
        --out "$work/scratch/bundle" --payload sleep >/dev/null
    "$E2E_PYTHON" "$E2E_DIR/ptyrun.py" --stderr "$work/runc.stderr" "$work/console.raw" -- \
        runc run --bundle "$work/scratch/bundle" "$cid" </dev/null >/dev/null 2>&1 &
    printf '%s\n' "$!" >"$work/runner_pid"
    for i in $(seq 1 50); do
        pid=$(runc state "$cid" 2>/dev/null | jq -r 'select(.status == "running") | .pid') || true
        [[ -n $pid && $pid != 0 ]] && break
        sleep 0.1
        : "$i"
    done
    [[ -n $pid && $pid != 0 ]] || { log "sleep container $cid did not start: $(cat "$work/runc.stderr" 2>/dev/null)"; return 1; }
    printf '%s\n' "$pid" >"$work/pid"
    printf '%s\n' "$cid"
}

# sleep_container_stop WORKDIR: kill, delete, unmount, remove.  Idempotent.
sleep_container_stop() {
    local work=$1 cid runner
    [[ -d $work ]] || return 0
    cid=$(cat "$work/cid" 2>/dev/null || true)
    runner=$(cat "$work/runner_pid" 2>/dev/null || true)
    if [[ -n $cid ]]; then
        runc_teardown "$cid" || true
        host_cgroup_remove_container_dirs "$cid"
    fi
    if [[ -n $runner ]]; then
        kill "$runner" 2>/dev/null || true
        wait "$runner" 2>/dev/null || true
    fi
    overlay_down "$work/scratch" || return 1
    rm -f "$work/cid" "$work/runner_pid" "$work/pid"
}

# systemd_bundle_prepare IMAGE CONFIG WORKDIR: the truth boot's bundle
# (payload /sbin/init) on its own overlay, NOT started, for
# `sysctr-check boot --bundle DIR`.  Prints the bundle dir.
systemd_bundle_prepare() {
    local image=$1 config=$2 work=$3 rootfs
    rootfs=$(overlay_up "$image" "$work/bundle-scratch")
    "$E2E_DIR/gen-bundle.sh" --config "$config" --configs "$CONFIGS" --rootfs "$rootfs" \
        --out "$work/bundle-scratch/bundle" --payload init >/dev/null
    printf '%s\n' "$work/bundle-scratch/bundle"
}

# Configuration ids of all the tables, in order.
config_ids() {
    tr : '\n' <<<"$CONFIGS" | xargs awk -F'\t' '!/^#/ && NF && $1 != "id" {print $1}'
}

# "id<TAB>images" for the rows of tables with an "images" column (the
# images a row is restricted to, space- or comma-separated).
config_images() {
    tr : '\n' <<<"$CONFIGS" | xargs awk -F'\t' '
        FNR == 1 {col = 0}
        /^#/ || NF == 0 {next}
        $1 == "id" {for (i = 1; i <= NF; i++) if ($i == "images") col = i; next}
        col {print $1 "\t" $col}'
}

# Does case (image, config) run?  CFG_IMAGES[config] restricts it.
case_selected() {
    local image=$1 config=$2 only
    only=${CFG_IMAGES[$config]:-}
    [[ -z $only ]] && return 0
    [[ " ${only//,/ } " == *" $image "* ]]
}

# ===========================================================================
# PREDICTION: the same configuration with a sleep payload, probed from the
# host by `sysctr-check boot TARGET` (it enters the container itself), and
# `sysctr-check boot --bundle` on the systemd bundle, before anything runs.
# Writes $art/prediction.json.
# ===========================================================================
predict_case() {
    local image=$1 config=$2 art=$3 work cid pid bundle rc=0
    work="$art/predict"
    mkdir -p "$work"
    # shellcheck disable=SC2064  # expand now: this case's paths
    trap "sleep_container_stop '$work'; overlay_down '$work/bundle-scratch'; trap - RETURN" RETURN
    cid=$(sleep_container_start "$image" "$config" "$work") || return 1
    pid=$(cat "$work/pid") || return 1
    bundle=$(systemd_bundle_prepare "$image" "$config" "$work") || return 1
    [[ -x ${SYSCTR_CHECK:-} ]] || die "--predict needs SYSCTR_CHECK=/path/to/sysctr-check"
    # Exit 0 (boots), 1 (degraded with --strict, or fails) are verdicts;
    # anything else is an error of the tool.
    local r1=0 r2=0
    "$SYSCTR_CHECK" --json --strict boot "runc:$cid" >"$work/live.json" 2>"$work/live.err" || r1=$?
    "$SYSCTR_CHECK" --json --strict boot --bundle "$bundle" >"$work/bundle.json" 2>"$work/bundle.err" || r2=$?
    ((r1 <= 1 && r2 <= 1)) || rc=1
    jq -n --arg cid "$cid" --argjson pid "$pid" --argjson r1 "$r1" --argjson r2 "$r2" \
        --rawfile e1 "$work/live.err" --rawfile e2 "$work/bundle.err" \
        --slurpfile live "$work/live.json" --slurpfile bundle "$work/bundle.json" \
        '{container: $cid, pid: $pid,
          live: {rc: $r1, error: $e1, boot: ($live[0].boot // null)},
          bundle: {rc: $r2, error: $e2, boot: ($bundle[0].boot // null)}}' \
        >"$art/prediction.json" || rc=1
    return "$rc"
}

# Agreement: a case passes when the live and the bundle predictions both
# give the true verdict and, for degraded, name every unit that failed.
# Prints the table (configuration x image: truth / live / bundle) and a
# summary line; returns non-zero on any disagreement or missing prediction.
print_agreement() {
    local results=$1
    shift
    local images
    images=$(printf '%s\n' "$@" | jq -R . | jq -sc .)
    # The predictions go through a file: together they exceed ARG_MAX.
    local preds="$RUN_DIR/predictions.json"
    for c in $(jq -r .config "$results" | awk '!s[$0]++'); do
        for i in "$@"; do
            f="$RUN_DIR/$i/$c/prediction.json"
            if [[ -s $f ]]; then
                jq -c --arg i "$i" --arg c "$c" '{image: $i, config: $c,
                    live: {boot: .live.boot}, bundle: {boot: .bundle.boot}}' "$f"
            fi
        done
    done | jq -sc . >"$preds"
    # Cases whose truth varies from boot to boot (unstable.tsv).
    local unstable="$RUN_DIR/unstable.json"
    awk -F'\t' '!/^#/ && NF >= 3 {print $1 "/" $2 "\t" $3}' "$E2E_DIR/unstable.tsv" 2>/dev/null |
        jq -Rn '[inputs | split("\t") | {(.[0]): (.[1] | split(","))}] | add // {}' >"$unstable"
    jq -rs --argjson images "$images" --slurpfile predsf "$preds" --slurpfile unstf "$unstable" '
        def units(b): (b.failing_units // []);
        # .boot.failure ("exits", "freezes" or null): compared when the
        # tool prints the key at all.
        def failure_ok(t; b): (b | has("failure") | not) or b.failure == t.failure;
        def ok(t; b): b != null and b.verdict == t.verdict
            and (t.verdict != "degraded" or ((t.failed_units // []) - units(b) | length == 0))
            and failure_ok(t; b);
        def fcell(b): if b == null then "missing" elif (b | has("failure")) then (b.failure // "-") else "n/a" end;
        def short(b): if b == null then "missing"
            elif b.verdict == "degraded" then "degraded(" + (units(b) | map(sub("\\.(service|socket|mount)$"; "")) | join(",")) + ")"
            else b.verdict end;
        ($predsf[0]) as $preds
        | (reduce $preds[] as $p ({}; .[$p.config][$p.image] = $p)) as $pr
        | (reduce .[] as $r ({}; .[$r.config][$r.image] = $r)) as $by
        | (reduce .[] as $r ([]; if index([$r.config]) then . else . + [$r.config] end)) as $cfgs
        | [ $cfgs[] as $c | $images[] as $i | $by[$c][$i] as $t | $pr[$c][$i] as $p
            | { c: $c, i: $i, t: $t, live: ($p.live.boot // null), bundle: ($p.bundle.boot // null) }
            | select(.t != null or .live != null or .bundle != null)
            | ($unstf[0][$i + "/" + $c] // null) as $u
            | . + { pass: (.t != null and ok(.t; .live) and ok(.t; .bundle)) }
            | . + { unstable: ((.pass | not) and $u != null and .t != null
                               and (.t.verdict as $tv | (.live.verdict // "") as $lv
                                    | (.bundle.verdict // "") as $bv
                                    | ($u | index($tv)) != null and ($u | index($lv)) != null
                                      and ($u | index($bv)) != null)) }
            | .pass = (.pass or .unstable) ] as $rows
        | (["config", "image", "truth", "live", "bundle", "failure:truth", "live", "bundle", "agree"] | @tsv),
          ($rows[] | [.c, .i, (.t.verdict + (if .t.verdict == "degraded" then "(" + (.t.failed_units | map(sub("\\.(service|socket|mount)$"; "")) | join(",")) + ")" else "" end)),
                      short(.live), short(.bundle),
                      ((.t.failure // "-") + (if .t.failure == "exits" then "(" + (.t.exit_status | tostring) + ")" else "" end)),
                      fcell(.live), fcell(.bundle), (if .unstable then "unstable" elif .pass then "ok" else "DISAGREE" end)] | @tsv),
          "",
          "\($rows | map(select(.pass)) | length) passed (\($rows | map(select(.unstable)) | length) of them unstable, tests/e2e/unstable.tsv), \($rows | map(select(.pass | not)) | length) failed"
        ' "$results" | column -t -s $'\t' -L | sed 's/[[:space:]]*$//' >"$RUN_DIR/agreement.txt"
    cat "$RUN_DIR/agreement.txt"
    grep -q ' 0 failed$' "$RUN_DIR/agreement.txt"
}

# The running systemd, read by sysctr-check (boot TARGET on the booted
# container: the manager's state over /run/systemd/private) against what
# systemctl said. Every case that came up must have been read and agree.
print_manager_agreement() {
    jq -rs '
        [.[] | select(.verdict == "boots" or .verdict == "degraded")] as $up
        | ($up | map(select(.manager.agrees != true))) as $bad
        | ($bad[] | "DISAGREE \(.image) \(.config): systemctl \(.manager.systemctl // [] | join("/")) \(.failed_units), sysctr-check \(.manager.system_state // "-") \(.manager.failed_units // []) \(.manager.errno // .manager.error // "")"),
          "running systemd read by sysctr-check: \($up | length - ($bad | length)) agree with systemctl, \($bad | length) do not (of \($up | length) cases that came up)"
        ' "$1" | tee "$RUN_DIR/manager-agreement.txt"
    grep -q ', 0 do not ' "$RUN_DIR/manager-agreement.txt"
}

# ===========================================================================
# FIX: the change the tool proposes, booted. For a case whose truth is fails
# or degraded: the truth's bundle (not started), `boot --fix --bundle
# --apply-to`, then truth.sh on the patched config.json. Writes
# $RUN_DIR/fix-proposed/IMAGE/CONFIG/{fix.json,fix.txt,config.json} (the
# tool's answer, and the patched copy) and, when it proposed a change,
# $RUN_DIR/fix/IMAGE/CONFIG.json (the boot, its artifacts next to it).
# ===========================================================================
fix_propose() {
    local image=$1 config=$2 art bundle rc=0
    art="$RUN_DIR/fix-proposed/$image/$config"
    mkdir -p "$art"
    # shellcheck disable=SC2064  # expand now: this case's paths
    trap "overlay_down '$art/bundle-scratch'; trap - RETURN" RETURN
    bundle=$(systemd_bundle_prepare "$image" "$config" "$art") || return 1
    rm -f "$art/config.json"
    "$SYSCTR_CHECK" --json boot --fix --bundle "$bundle" --apply-to "$art/config.json" \
        >"$art/fix.json" 2>"$art/fix.err" || rc=$?
    ((rc <= 1)) || { log "fix: sysctr-check exit $rc on $image $config: $(head -c 300 "$art/fix.err")"; return 1; }
    # The same answer in text, for the report's examples.
    "$SYSCTR_CHECK" boot --fix --bundle "$bundle" >"$art/fix.txt" 2>&1 || true
}

fix_boot() {
    local image=$1 config=$2 art
    art="$RUN_DIR/fix/$image/$config"
    trap 'exit 143' TERM INT
    mkdir -p "$RUN_DIR/fix/$image"
    "$E2E_DIR/truth.sh" --out-dir "$RUN_DIR/fix" --configs "$CONFIGS" \
        --config-json "$RUN_DIR/fix-proposed/$image/$config/config.json" "$image" "$config" \
        >"$art.json" 2>"$art.log" ||
        { log "fix: truth.sh failed: $image $config (see $art.log)"; return 1; }
}

# run_fix_jobs JOBS FN CASE...: FN IMAGE CONFIG for each "image/config", JOBS at a time.
run_fix_jobs() {
    local jobs=$1 fn=$2 item
    shift 2
    for item in "$@"; do
        while (($(jobs -rp | wc -l) >= jobs)); do wait -n || ERRORS=$((ERRORS + 1)); done
        "$fn" "${item%%/*}" "${item#*/}" &
    done
    while (($(jobs -rp | wc -l) > 0)); do wait -n || ERRORS=$((ERRORS + 1)); done
}

# The fix step over RESULTS (the truth of a run): propose, boot, tabulate.
run_fix() {
    local results=$1 jobs=$2 item cases=() shared=() exclusive=() t1
    t1=$(date +%s)
    mkdir -p "$RUN_DIR/fix" "$RUN_DIR/fix-proposed"
    while read -r item; do cases+=("$item"); done < <(jq -r --arg only "$ONLY" '
        select(.verdict == "fails" or .verdict == "degraded")
        | select($only == "" or (.config | test($only))) | "\(.image)/\(.config)"' "$results")
    log "fix: ${#cases[@]} cases whose truth is fails or degraded"
    run_fix_jobs "$jobs" fix_propose "${cases[@]}"
    for item in "${cases[@]}"; do
        [[ -s $RUN_DIR/fix-proposed/$item/config.json ]] || continue
        # Only a change of the container, expected to boot, is booted.
        jq -e '.boot.fix.changes[0] | .expected_verdict == "boots" and (.host | length == 0)' \
            "$RUN_DIR/fix-proposed/$item/fix.json" >/dev/null || continue
        if host_affecting_config "$RUN_DIR/fix-proposed/$item/config.json"; then
            exclusive+=("$item")
        else
            shared+=("$item")
        fi
    done
    log "fix: booting ${#shared[@]} fixes $jobs at a time, then ${#exclusive[@]} one at a time"
    run_fix_jobs "$jobs" fix_boot "${shared[@]}"
    run_fix_jobs 1 fix_boot "${exclusive[@]}"
    log "fix: $(($(date +%s) - t1)) s"
    print_fix_table "$results" | tee "$RUN_DIR/fix-table.txt"
    ! grep -q 'DID NOT BOOT' "$RUN_DIR/fix-table.txt"
}

# One row per fails/degraded case: truth, the change proposed (its ids),
# what it grants at most, and what booting it gave; then per image the
# fixes that work / fixes proposed.
print_fix_table() {
    local results=$1 item rows="$RUN_DIR/fix-rows.jsonl"
    : >"$rows"
    jq -c 'select(.verdict == "fails" or .verdict == "degraded") | {image, config, verdict}' "$results" |
        while read -r item; do
            local i c f b
            i=$(jq -r .image <<<"$item") c=$(jq -r .config <<<"$item")
            f="$RUN_DIR/fix-proposed/$i/$c/fix.json" b="$RUN_DIR/fix/$i/$c.json"
            [[ -s $f ]] || continue
            jq -c --argjson t "$item" --slurpfile b <(if [[ -s $b ]]; then cat "$b"; else echo null; fi) '
                (.boot.fix // {}) as $f | ($f.changes[0] // null) as $c
                | {image: $t.image, config: $t.config, truth: $t.verdict,
                   predicted: .boot.verdict, host_side: ($f.host_side // false),
                   changes: ($c.changes // []), grants: ($c.grants // []), rank: ($c.rank // null),
                   expected: ($c.expected_verdict // null), n_ops: ($c.patch // [] | length),
                   booted: ($b[0].verdict // null), failed_units: ($b[0].failed_units // [])}' "$f"
        done >>"$rows"
    jq -rs '
        def cell: if .host_side then "host-side"
            elif (.changes | length) == 0 then "none (predicted \(.predicted))"
            elif .booted == null then "not booted (expected \(.expected))"
            elif .booted == "boots" then "boots"
            else "DID NOT BOOT: \(.booted)\(if .booted == "degraded" then "(" + (.failed_units | join(",")) + ")" else "" end)" end;
        (["image", "config", "truth", "fix (changes)", "rank", "booted"] | @tsv),
        (.[] | [.image, .config, .truth, (.changes | join("+")), (.rank // "-" | tostring), cell] | @tsv)
        ' "$rows" | column -t -s $'\t' -L | sed 's/[[:space:]]*$//'
    echo
    jq -rs '
        def proposed: map(select(.host_side | not) | select((.changes | length) > 0));
        (group_by(.image)[] | .[0].image as $i | proposed as $p
         | "\($i): fixes that work / fixes proposed: \($p | map(select(.booted == "boots")) | length) / \($p | length); host-side \(map(select(.host_side)) | length); none proposed \(map(select((.host_side | not) and (.changes | length) == 0)) | length); of \(length) fails/degraded cases"),
        (proposed as $p | "runc block: fixes that work / fixes proposed: \($p | map(select(.booted == "boots")) | length) / \($p | length)"),
        (proposed | group_by(.rank)[] | "  rank \(.[0].rank) (grants at most: \(map(.grants[]) | map(select(startswith("nothing") | not)) | unique | join("; ") | if . == "" then "nothing" else . end)): \(map(select(.booted == "boots")) | length) / \(length)")
        ' "$rows"
}

# One case, as a background job: WHAT = both | predict | truth
# (prediction first, then the truth boot; or only one of them).
run_case() {
    local image=$1 config=$2 what=$3
    local case_dir="$RUN_DIR/$image/$config" rc=0
    mkdir -p "$case_dir"
    # If this job is stopped (TERM from stop_jobs), the prediction's sleep
    # container must still go away.
    # shellcheck disable=SC2064  # expand now: this case's paths
    trap "sleep_container_stop '$case_dir/predict'; overlay_down '$case_dir/predict/bundle-scratch'" EXIT
    trap 'exit 143' TERM INT
    if [[ $what != truth ]]; then
        predict_case "$image" "$config" "$case_dir" || { log "prediction failed: $image $config"; rc=1; }
    fi
    if [[ $what != predict ]] && ! "$E2E_DIR/truth.sh" --out-dir "$RUN_DIR" --configs "$CONFIGS" \
        "$image" "$config" >"$case_dir.json" 2>"$case_dir.log"; then
        log "truth.sh failed: $image $config (see $case_dir.log)"
        rc=1
    fi
    return "$rc"
}

# Table: configuration x image -> verdict (exit status / failed units).
print_table() {
    local results=$1
    shift
    jq -rs --argjson images "$(printf '%s\n' "$@" | jq -R . | jq -sc .)" '
        def cell: if . == null then "-"
            elif .verdict == "boots" then "boots"
            elif .verdict == "degraded" then "degraded(" + (.failed_units | map(sub("\\.service$"; "")) | join(",")) + ")"
            elif .outcome == "exited" then "fails:exit=" + (.exit_status | tostring)
            else "fails:" + .outcome end;
        (reduce .[] as $r ({}; .[$r.config][$r.image] = $r)) as $by
        | (reduce .[] as $r ([]; if index([$r.config]) then . else . + [$r.config] end)) as $cfgs
        | (["config"] + $images | @tsv),
          ($cfgs[] as $c | [$c] + ($images | map($by[$c][.] | cell)) | @tsv)
        ' "$results" | column -t -s $'\t'
}

# On interruption: TERM the running cases (truth.sh tears its case down on
# TERM; a prediction's RETURN trap does the same), then wait for them.
stop_jobs() {
    local j
    log "interrupted; stopping the running cases"
    for j in $(jobs -p); do
        pkill -TERM -P "$j" 2>/dev/null || true
        kill -TERM "$j" 2>/dev/null || true
    done
    wait || true
}

# run_phase JOBS "IMAGES" CONFIG:WHAT...: run the cases, JOBS at a time.
# Images are interleaved so slow and fast boots share the slots.
run_phase() {
    local jobs=$1 images item image
    read -r -a images <<<"$2"
    shift 2
    for item in "$@"; do
        for image in "${images[@]}"; do
            case_selected "$image" "${item%:*}" || continue
            while (($(jobs -rp | wc -l) >= jobs)); do
                wait -n || ERRORS=$((ERRORS + 1))
            done
            if [[ ${item#*:} == predict ]]; then
                log "[prediction] $image ${item%:*}"
            else
                DONE=$((DONE + 1))
                log "[$DONE/$TOTAL] $image ${item%:*}"
            fi
            run_case "$image" "${item%:*}" "${item#*:}" &
        done
    done
    while (($(jobs -rp | wc -l) > 0)); do wait -n || ERRORS=$((ERRORS + 1)); done
}

main() {
    local jobs=4 images=() only='' results=${SYSCTR_E2E_RESULTS:-} check=0 report='' fix=0 fix_from=''
    PREDICT=0
    CONFIGS=$E2E_CONFIGS
    while (($#)); do
        case $1 in
        -j) jobs=$2; shift ;;
        --images) read -r -a images <<<"$2"; shift ;;
        --configs) CONFIGS=$2; shift ;;
        --only) only=$2; shift ;;
        --results) results=$2; shift ;;
        --predict) PREDICT=1 ;;
        --fix) fix=1 ;;
        --fix-from) fix_from=$2; shift ;;
        --check-configs) check=1 ;;
        --report) report=$2; shift ;;
        -h | --help) usage 0 ;;
        *) usage 2 ;;
        esac
        shift
    done
    ((${#images[@]})) || images=("${E2E_DEFAULT_SUITES[@]}")
    ONLY=$only
    if ((fix)) || [[ -n $fix_from ]]; then
        [[ -x ${SYSCTR_CHECK:-} ]] || die "--fix needs SYSCTR_CHECK=/path/to/sysctr-check"
    fi
    if [[ -n $fix_from ]]; then
        require_root
        [[ -s $fix_from ]] || die "$fix_from: no results"
        RUN_DIR=$(dirname "$(realpath -m "$fix_from")")
        ERRORS=0
        local rc=0
        run_fix "$fix_from" "$jobs" || rc=1
        ((ERRORS == 0 && rc == 0)) || die "fix: $ERRORS error(s); a fix that did not boot counts as one"
        return 0
    fi
    if [[ -n $report ]]; then
        [[ -s $report ]] || die "$report: no results"
        RUN_DIR=$(dirname "$(realpath -m "$report")")
        print_table "$report" "${images[@]}"
        if compgen -G "$RUN_DIR/*/*/prediction.json" >/dev/null; then
            print_agreement "$report" "${images[@]}" || return 1
        fi
        if jq -se 'any(.[]; .manager != null)' "$report" >/dev/null; then
            print_manager_agreement "$report" || return 1
        fi
        return 0
    fi
    require_root
    ensure_tools runc:runc jq:jq debootstrap:debootstrap nsenter:util-linux python3:python3
    local t0
    t0=$(date +%s)
    "$E2E_DIR/images.sh" "${images[@]}" >/dev/null
    if ((check)); then "$E2E_DIR/check-configs.sh" --configs "$CONFIGS" >&2; fi

    results=${results:-$SYSCTR_E2E_CACHE/runs/$(date +%Y%m%d-%H%M%S)/results.jsonl}
    RUN_DIR=$(dirname "$(realpath -m "$results")")
    mkdir -p "$RUN_DIR" "$E2E_SCRATCH"
    : >"$results"
    export SYSCTR_E2E_CACHE

    # Baseline: the host's cgroup setup must look the same afterwards.
    local state_before="$RUN_DIR/.host-state-before"
    host_state_save "$state_before"
    if runc list -q 2>/dev/null | grep -q '^sc-e2e-'; then die "leftover sc-e2e-* containers: $(runc list -q 2>/dev/null | grep '^sc-e2e-' | tr '\n' ' ')"; fi

    # Split the configurations: those that can change the host's cgroup
    # setup (lib.sh: host_affecting) run afterwards, one at a time, so that
    # no other case (nor a prediction) sees their transient host changes.
    local cfgs=() shared=() exclusive=() c cim image
    declare -gA CFG_IMAGES=()
    while IFS=$'\t' read -r c cim; do CFG_IMAGES[$c]=$cim; done < <(config_images)
    while read -r c; do
        [[ -z $only || $c =~ $only ]] || continue
        cfgs+=("$c")
        if host_affecting "$("$E2E_DIR/gen-bundle.sh" --print-knobs --config "$c" --configs "$CONFIGS")"; then
            exclusive+=("$c")
        else
            shared+=("$c")
        fi
    done < <(config_ids)
    ((${#cfgs[@]})) || die "no configuration selected"

    # On interruption: stop the jobs (each tears its own case down).
    trap 'stop_jobs; exit 130' INT TERM

    # Phase 1 (parallel): the other configurations, and the predictions of
    # host-affecting ones whose sleep container is harmless (it is runc that
    # acts for cgroup2 + host cgroupns: those stay in phase 2).
    # Phase 2 (one at a time): the host-affecting truth boots.
    local phase1=() phase2=() knobs
    for c in "${shared[@]}"; do
        if ((PREDICT)); then phase1+=("$c:both"); else phase1+=("$c:truth"); fi
    done
    for c in "${exclusive[@]}"; do
        knobs=$("$E2E_DIR/gen-bundle.sh" --print-knobs --config "$c" --configs "$CONFIGS")
        if ((PREDICT)) && ! host_affecting_runtime "$knobs"; then
            phase1+=("$c:predict")
            phase2+=("$c:truth")
        elif ((PREDICT)); then
            phase2+=("$c:both")
        else
            phase2+=("$c:truth")
        fi
    done
    TOTAL=0 ERRORS=0 DONE=0
    for c in "${cfgs[@]}"; do
        for image in "${images[@]}"; do case_selected "$image" "$c" && TOTAL=$((TOTAL + 1)); done
    done
    log "${#cfgs[@]} configurations x ${#images[@]} images = $TOTAL cases: ${#shared[@]} configurations $jobs at a time, then ${#exclusive[@]} one at a time; results: $results"
    local t1
    t1=$(date +%s)
    run_phase "$jobs" "${images[*]}" "${phase1[@]}"
    log "phase 1: $(($(date +%s) - t1)) s"
    t1=$(date +%s)
    run_phase 1 "${images[*]}" "${phase2[@]}"
    log "phase 2: $(($(date +%s) - t1)) s"
    local errors=$ERRORS image

    # Collect in table order.
    for c in "${cfgs[@]}"; do
        for image in "${images[@]}"; do
            case_selected "$image" "$c" || continue
            if [[ -s $RUN_DIR/$image/$c.json ]]; then
                cat "$RUN_DIR/$image/$c.json" >>"$results"
            else
                log "no result for $image $c"
                errors=$((errors + 1))
            fi
        done
    done
    local bad
    bad=$(jq -r 'select(.verdict == "error") | "\(.image) \(.config): \(.runc_errors | join("; "))"' "$results")
    if [[ -n $bad ]]; then
        log "runc could not start these cases: $bad"
        errors=$((errors + 1))
    fi

    # Leftovers: containers, mounts, host cgroup changes.
    if runc list -q 2>/dev/null | grep -q '^sc-e2e-'; then log "LEFTOVER containers"; errors=$((errors + 1)); fi
    if grep -q " $(realpath -m "$E2E_SCRATCH")/" /proc/self/mountinfo; then log "LEFTOVER mounts"; errors=$((errors + 1)); fi
    local changed
    changed=$(host_state_diff "$state_before")
    if [[ -n $changed ]]; then
        log "WARNING: the host's cgroup setup changed during the run:"
        printf '%s\n' "$changed" | tee "$RUN_DIR/host-state.changed" >&2
        host_state_restore "$state_before" || true
        errors=$((errors + 1))
    fi

    print_table "$results" "${images[@]}" | tee "$RUN_DIR/table.txt"
    if ((PREDICT)); then
        print_agreement "$results" "${images[@]}" || errors=$((errors + 1))
        print_manager_agreement "$results" || errors=$((errors + 1))
    fi
    jq -rs 'map(.duration_s) | "boot durations: min \(min) s, median \(sort | .[length/2|floor]) s, max \(max) s"' "$results"
    if ((fix)); then
        ERRORS=0
        run_fix "$results" "$jobs" || errors=$((errors + 1))
        errors=$((errors + ERRORS))
    fi
    log "total wall time: $(($(date +%s) - t0)) s; results: $results"
    ((errors == 0)) || die "$errors error(s)"
}

main "$@"
