#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark, scale block (make bench-scale): a busy node. For N busybox
# runc containers running (default N = 1 100 500), one hyperfine run per N
# times, side by side with the peers in the same run:
#   sysctr-check list          vs  runc list (and docker ps, when Docker runs)
#   sysctr-check report ID     vs  runc state ID
#   sysctr-check report --all  (every container in one run)
# then prints the per-container cost and its slope between the Ns, and the
# peak RSS of each sysctr-check command at each N. Ratios, never absolute
# thresholds: the same machine at the same moment.
#
#   tests/bench-scale.sh [--runs R] [BINARY] [N...]
#
# Root only (runc); needs busybox-static, jq, hyperfine. Every container
# it starts (sc-scale-*) is removed on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
if [[ ${1:-} == --runs ]]; then runs=$2; shift 2; fi
bin=$(realpath "${1:-./sysctr-check}")
shift || true
ns=("$@")
((${#ns[@]})) || ns=(1 100 500)
[[ -x $bin ]] || { echo "bench-scale: $bin is not built (make)" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "bench-scale: needs root (runc)" >&2; exit 2; }
for t in runc jq hyperfine; do
    command -v $t >/dev/null || { echo "bench-scale: needs $t" >&2; exit 2; }
done
[[ -x /bin/busybox ]] || { echo "bench-scale: needs busybox-static" >&2; exit 2; }

work=$(mktemp -d /tmp/sc-scale.XXXXXX)
started=0
cleanup() {
    local i
    for ((i = 1; i <= started; i++)); do
        runc kill "sc-scale-$i" KILL >/dev/null 2>&1 || true
    done
    for ((i = 1; i <= started; i++)); do
        runc delete -f "sc-scale-$i" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# One read-only busybox root shared by every container.
mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev"
cp /bin/busybox "$work/rootfs/bin/"
ln -s busybox "$work/rootfs/bin/sleep"
(cd "$work" && runc spec && jq '.process.args = ["sleep", "3600"] | .process.terminal = false
    | .root.readonly = true' config.json >c && mv c config.json)
mkdir -p "$work/b"

start_until() {
    local want=$1 i
    for ((i = started + 1; i <= want; i++)); do
        mkdir -p "$work/b/$i"
        jq --arg r "$work/rootfs" '.root.path = $r' "$work/config.json" >"$work/b/$i/config.json"
        runc run -d --bundle "$work/b/$i" "sc-scale-$i" >/dev/null 2>&1 </dev/null ||
            { echo "bench-scale: runc run sc-scale-$i failed" >&2; exit 1; }
        started=$i
    done
}

docker_ok=0
if command -v docker >/dev/null && docker info >/dev/null 2>&1; then docker_ok=1; fi

declare -A mean
printf 'sysctr-check scale block: %s, runs=%s, docker peer: %s\n' "$bin" "$runs" \
    "$([[ $docker_ok == 1 ]] && echo yes || echo 'no (dockerd not running)')"
for n in "${ns[@]}"; do
    start_until "$n"
    target=sc-scale-1
    cmds=("$bin list" "runc list" "$bin report runc:$target" "runc state $target"
        "$bin report --all")
    [[ $docker_ok == 1 ]] && cmds+=("docker ps")
    echo
    echo "== N=$n runc containers running"
    json=$work/n$n.json
    # report exits 1 when a check fails (busybox has no systemd: none
    # does), which is not a benchmark failure: -i.
    hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$json" "${cmds[@]}"
    while IFS=$'\t' read -r c m; do mean["$n|$c"]=$m; done < <(
        jq -r '.results[] | [.command, .mean] | @tsv' "$json")
    echo "peak RSS (GNU time):"
    for c in "$bin list" "$bin report runc:$target" "$bin report --all"; do
        # shellcheck disable=SC2086  # the command line, split as written
        /usr/bin/time -f '%M' -o "$work/rss" $c >/dev/null 2>&1 || true
        printf '  %-40s %8d KiB\n' "${c/#$bin/sysctr-check}" "$(tail -n 1 "$work/rss")"
    done
done

echo
echo "== summary (mean ms; ratio to the peer in the same run)"
printf '%6s %12s %12s %8s %16s %12s %8s %14s %12s\n' N list "runc list" ratio "report ID" "runc state" ratio "report --all" "per ctr"
for n in "${ns[@]}"; do
    l=${mean["$n|$bin list"]} rl=${mean["$n|runc list"]}
    r=${mean["$n|$bin report runc:sc-scale-1"]} rs=${mean["$n|runc state sc-scale-1"]}
    a=${mean["$n|$bin report --all"]}
    awk -v n="$n" -v l="$l" -v rl="$rl" -v r="$r" -v rs="$rs" -v a="$a" 'BEGIN {
        printf "%6d %12.1f %12.1f %7.2fx %16.1f %12.1f %7.2fx %14.1f %12.2f\n",
            n, l*1000, rl*1000, l/rl, r*1000, rs*1000, r/rs, a*1000, a*1000/n }'
done
first=${ns[0]} last=${ns[-1]}
if [[ $first != "$last" ]]; then
    awk -v n0="$first" -v n1="$last" \
        -v r0="${mean["$first|$bin report runc:sc-scale-1"]}" -v r1="${mean["$last|$bin report runc:sc-scale-1"]}" \
        -v l0="${mean["$first|$bin list"]}" -v l1="${mean["$last|$bin list"]}" 'BEGIN {
        printf "report ID at N=%d / N=%d: %.2fx; list slope: %.3f ms per container\n",
            n1, n0, r1/r0, (l1-l0)*1000/(n1-n0) }'
fi
