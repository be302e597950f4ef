#!/bin/bash
# SPDX-License-Identifier: MIT
# Run libFuzzer targets for a fixed time each, in parallel, on scratch
# copies of their committed corpora, and print one table.
#
#   run.sh [-t SECONDS] [-j JOBS] TARGET...
#
# Binaries: build-fuzz/fuzz-TARGET (make fuzz-build). Findings (crashes,
# leaks, timeouts, out-of-memory) land in build-fuzz/findings/TARGET/;
# any finding makes the exit status 1. New inputs the run finds stay in
# build-fuzz/corpus/TARGET/ (merge the useful ones into tests/fuzz/corpus
# with -merge=1 by hand).
set -uo pipefail
cd "$(dirname "$0")/../.."

secs=60 jobs=2
while getopts "t:j:" o; do
    case $o in
        t) secs=$OPTARG ;;
        j) jobs=$OPTARG ;;
        *) echo "usage: $0 [-t SECONDS] [-j JOBS] TARGET..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-t SECONDS] [-j JOBS] TARGET..." >&2; exit 2; }

out=build-fuzz
one() {
    local t=$1 bin=$out/fuzz-$1 corpus=$out/corpus/$1 found=$out/findings/$1
    rm -rf "$found"
    mkdir -p "$corpus" "$found"
    cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
    # Reproducers seed the run too: a fixed bug must stay fixed.
    cp -n tests/fuzz/regress/"$t"/* "$corpus"/ 2>/dev/null
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
        -print_final_stats=1 -close_fd_mask=2 -artifact_prefix="$found/" "$corpus" \
        > "$out/log-$t.txt" 2>&1
    echo $? > "$out/rc-$t"
}
export -f one
export out secs

printf '%s\n' "$@" | xargs -P "$jobs" -I{} bash -c 'one {}'

status=0
printf '%-10s %12s %8s %8s %10s %9s\n' TARGET EXECS SECONDS CORPUS BYTES FINDINGS
for t in "$@"; do
    log=$out/log-$t.txt
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    tsecs=$(sed -n 's/^stat::.*_time_s\?: *//p' "$log" | tail -1)
    files=$(find "$out/corpus/$t" -type f | wc -l)
    bytes=$(du -sb "$out/corpus/$t" | cut -f1)
    n=$(find "$out/findings/$t" -type f | wc -l)
    rc=$(cat "$out/rc-$t" 2>/dev/null || echo 1)
    [ "$n" = 0 ] && [ "$rc" = 0 ] || status=1
    printf '%-10s %12s %8s %8s %10s %9s\n' "$t" "${execs:-?}" "$secs" "$files" "$bytes" "$n"
    if [ "$n" != 0 ] || [ "$rc" != 0 ]; then
        grep -m3 -E 'ERROR: |SUMMARY: ' "$log" | sed 's/^/    /'
        find "$out/findings/$t" -type f | sed 's/^/    reproducer: /'
    fi
done
[ $status = 0 ] && echo "fuzz: no findings" || echo "fuzz: FINDINGS (see $out/findings, $out/log-*.txt)"
exit $status
