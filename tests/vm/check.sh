#!/bin/bash
# make check-vm: build (if needed) and run the lab job on each VM host, one
# VM at a time, and print its tables.
#
#   check.sh [-o DIR] [HOST...]    default hosts: $CHECK_VM_HOSTS (hosts.sh)
#   VM_JOBS="lab verbs"            the jobs per host (default both; each boots
#                                  the VM once): jobs/lab.sh, jobs/verbs.sh
#
# Output per host in DIR/HOST (default build/vm/HOST). A host fails when a
# fact differs or a target does not resolve, unless tests/vm/known.tsv
# lists it (a finding of FINDINGS.md not fixed yet: shown as "known").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/hosts.sh"
REPO=$(cd "$VM_DIR/../.." && pwd)
out=$REPO/build/vm
if [[ ${1:-} == -o ]]; then out=$2; shift 2; fi
(($#)) || set -- "${CHECK_VM_HOSTS[@]}"
known=$VM_DIR/known.tsv
# The binary under test is copied first: a rebuild during the run must
# not change it.
mkdir -p "$out"
cp "${SYSCTR_CHECK:-$REPO/sysctr-check}" "$out/sysctr-check"
export SYSCTR_CHECK=$out/sysctr-check
summary=()
rc=0
# VM_JOBS: "lab verbs" (default: both, each in its own boot), or one of them.
jobs=${VM_JOBS:-lab verbs}
# A TSV with "-" in its empty fields (read with IFS=tab joins empty ones).
nonempty() { awk -F'\t' -v OFS='\t' '{ for (i = 1; i <= NF; i++) if ($i == "") $i = "-"; print }' "$1" 2>/dev/null; }
is_known() { grep -qxF "$1	$2	$3" <(cut -f1-3 "$known" 2>/dev/null); }
# The verbs job (jobs/verbs.sh) in its own boot: delegation, limits, boot
# tables; a row that disagrees is NEW unless known.tsv lists it (kinds
# delegation NAME, limits NAME:KEY, boot RECIPE).
verbs_host() {
    local h=$1 d=$out/$1/verbs st=0 t0 part
    t0=$(date +%s)
    rm -rf "$d"
    "$VM_DIR/run.sh" -t 2400 -o "$d" "$h" "$VM_DIR/jobs/verbs.sh" || st=$?
    printf -- '----- %s verbs (%s s, job exit %s)\n' "$h" "$(($(date +%s) - t0))" "$st"
    for part in delegation limits boot; do
        sed -n "/^--- $part/,/^$part:/p" "$d/job.log" 2>/dev/null
        grep -q "^=== $part: not on" "$d/job.log" 2>/dev/null && sed -n "/^=== $part: not on/p" "$d/job.log"
    done
    [[ -s $d/delegation.tsv && -s $d/limits.tsv ]] || { echo "no delegation.tsv or limits.tsv (see $d/console.log)"; bad=$((bad + 1)); }
    while IFS=$'\t' read -r name _ _ _ _ _ _ _ _ _ _ _ verdict _; do
        [[ $verdict == DIFFER ]] || continue
        if is_known "$h" delegation "$name"; then nknown=$((nknown + 1))
        else bad=$((bad + 1)); echo "NEW: delegation $name disagrees"; fi
    done < <(nonempty "$d/delegation.tsv")
    while IFS=$'\t' read -r name _ key pred truth verdict; do
        [[ $verdict == DIFFER ]] || continue
        if is_known "$h" limits "$name:$key"; then nknown=$((nknown + 1))
        else bad=$((bad + 1)); echo "NEW: limits $name $key: predicted $pred, shown $truth"; fi
    done < <(nonempty "$d/limits.tsv")
    while IFS=$'\t' read -r recipe _ pred _ truth _ _ verdict; do
        [[ $verdict == DIFFER ]] || continue
        if is_known "$h" boot "$recipe"; then nknown=$((nknown + 1))
        else bad=$((bad + 1)); echo "NEW: boot $recipe: predicted $pred, truth $truth"; fi
    done < <(nonempty "$d/boot.tsv")
}
for h in "$@"; do
    "$VM_DIR/build.sh" "$h"
    rm -rf "${out:?}/$h"
    t0=$(date +%s)
    st=0
    bad=0 nknown=0
    if [[ " $jobs " != *" lab "* ]]; then
        mkdir -p "$out/$h"
        verbs_host "$h"
        summary+=("$h: $([[ $bad == 0 ]] && echo ok || echo FAILED) ($bad new, $nknown known; verbs $(jq -r '"boot to job \(.guest_uptime_job_start) s, run \(.wall_seconds) s"' "$out/$h/verbs/run.json" 2>/dev/null))")
        ((bad == 0)) || rc=1
        continue
    fi
    "$VM_DIR/run.sh" -o "$out/$h" "$h" "$VM_DIR/jobs/lab.sh" || st=$?
    printf '\n===== %s (%s s, job exit %s)\n' "$h" "$(($(date +%s) - t0))" "$st"
    if [[ -f $out/$h/host-facts.tsv ]]; then
        sed -n '/^=== host facts/,/^host facts:/p' "$out/$h/job.log" | sed 1d
        while IFS=$'\t' read -r fact _ _ verdict; do
            [[ $verdict == DIFFER ]] || continue
            if grep -qxF "$h	fact	$fact" <(cut -f1-3 "$known" 2>/dev/null); then
                nknown=$((nknown + 1))
            else bad=$((bad + 1)); echo "NEW: $fact differs"; fi
        done <"$out/$h/host-facts.tsv"
    else echo "no host-facts.tsv (see $out/$h/console.log)"; bad=1; fi
    if [[ -f $out/$h/targets.tsv ]]; then
        sed -n '/^--- targets/,/^targets:/p' "$out/$h/job.log" | sed 1d
        while IFS=$'\t' read -r target _ _ _ verdict _ cg; do
            kind=${target%%:*}
            [[ $verdict == ok ]] && [[ $cg == ok || $cg == - ]] && continue
            # The lab could not start the engine: a lab failure, not the tool's.
            [[ $verdict == engine-not-running ]] && kind="engine:$kind"
            if grep -qxF "$h	target	$kind" <(cut -f1-3 "$known" 2>/dev/null); then
                nknown=$((nknown + 1))
            elif [[ $kind == engine:* ]]; then bad=$((bad + 1)); echo "LAB: $target: the lab could not start ${kind#engine:} (containers/ in the output)"
            else bad=$((bad + 1)); echo "NEW: $target: $verdict $cg"; fi
        done <"$out/$h/targets.tsv"
    else echo "no targets.tsv (see $out/$h/console.log)"; bad=1; fi
    runs="lab $(jq -r '"boot to job \(.guest_uptime_job_start) s, run \(.wall_seconds) s"' "$out/$h/run.json" 2>/dev/null)"
    if [[ " $jobs " == *" verbs "* ]]; then
        verbs_host "$h"
        runs+="; verbs $(jq -r '"boot to job \(.guest_uptime_job_start) s, run \(.wall_seconds) s"' "$out/$h/verbs/run.json" 2>/dev/null)"
    fi
    summary+=("$h: $([[ $bad == 0 ]] && echo ok || echo FAILED) ($bad new, $nknown known; $runs)")
    ((bad == 0)) || rc=1
done
printf '\n'
printf '%s\n' "${summary[@]}"
exit $rc
