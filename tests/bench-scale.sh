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
# Root only (runc); needs busybox-static, jq, hyperfine. Docker is the
# second peer: when dockerd is installed but not running, the e2e helper
# (tests/e2e/docker.sh) starts a private one and stops it on exit
# (SCALE_DOCKER=0: no Docker). SCALE_DOCKER_N busybox Docker containers
# (default 10) run next to the runc ones, so `docker ps` has rows to print
# and `list` has Docker state to read. Every container it starts
# (sc-scale-*) is removed on exit, whatever happens.
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
docker_ok=0 docker_n=0
cleanup() {
    local i
    if [[ $docker_ok == 1 ]]; then
        for ((i = 1; i <= docker_n; i++)); do
            dk rm -f "sc-scale-d$i" >/dev/null 2>&1 || true
        done
        docker_down
    fi
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

if [[ ${SCALE_DOCKER:-1} != 0 ]] && command -v dockerd >/dev/null; then
    export E2E_LOG_TAG=bench-scale
    # shellcheck disable=SC1091  # the e2e helpers, sourced at run time
    source tests/e2e/lib.sh
    # shellcheck disable=SC1091
    source tests/e2e/docker.sh
    docker_up
    docker_ok=1
fi
if [[ $docker_ok == 1 ]]; then
    # The same busybox root as an image; containers without a network.
    tar -C "$work/rootfs" -c . | dk import - sc-scale/busybox:latest >/dev/null
    for ((i = 1; i <= ${SCALE_DOCKER_N:-10}; i++)); do
        dk run -d --network none --name "sc-scale-d$i" sc-scale/busybox:latest \
            /bin/busybox sleep 3600 >/dev/null || { echo "bench-scale: docker run failed" >&2; exit 1; }
        docker_n=$i
    done
fi

declare -A mean rss
printf 'sysctr-check scale block: %s, runs=%s, docker peer: %s\n' "$bin" "$runs" \
    "$([[ $docker_ok == 1 ]] && echo yes || echo 'no (dockerd not running)')"
for n in "${ns[@]}"; do
    start_until "$n"
    target=sc-scale-1
    cmds=("$bin list" "runc list" "$bin report runc:$target" "runc state $target"
        "$bin report --all")
    [[ $docker_ok == 1 ]] && cmds+=("$DOCKER ps")
    echo
    echo "== N=$n runc containers running"
    json=$work/n$n.json
    # report exits 1 when a check fails (busybox has no systemd: none
    # does), which is not a benchmark failure: -i.
    hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$json" "${cmds[@]}"
    while IFS=$'\t' read -r c m; do mean["$n|$c"]=$m; done < <(
        jq -r '.results[] | [.command, .mean] | @tsv' "$json")
    echo "peak RSS (GNU time):"
    rss_cmds=("$bin list" "$bin report runc:$target" "$bin report --all" "runc list" "runc state $target")
    [[ $docker_ok == 1 ]] && rss_cmds+=("$DOCKER ps")
    for c in "${rss_cmds[@]}"; do
        # shellcheck disable=SC2086  # the command line, split as written
        /usr/bin/time -f '%M' -o "$work/rss" $c >/dev/null 2>&1 || true
        rss["$n|$c"]=$(tail -n 1 "$work/rss")
        printf '  %-40s %8d KiB\n' "${c/#$bin/sysctr-check}" "${rss["$n|$c"]}"
    done
done

echo
echo "== summary (mean ms; ratio to the peer in the same run; peak RSS MiB)"
printf '%5s %8s %9s %9s %7s %10s %10s %7s %12s %9s %9s %9s\n' N list "runc list" "docker ps" ratio \
    "report ID" "runc state" ratio "report --all" "per ctr" "RSS all" "RSS list"
for n in "${ns[@]}"; do
    l=${mean["$n|$bin list"]} rl=${mean["$n|runc list"]} dp=${mean["$n|$DOCKER ps"]:-0}
    r=${mean["$n|$bin report runc:sc-scale-1"]} rs=${mean["$n|runc state sc-scale-1"]}
    a=${mean["$n|$bin report --all"]}
    awk -v n="$n" -v l="$l" -v rl="$rl" -v dp="$dp" -v r="$r" -v rs="$rs" -v a="$a" \
        -v ra="${rss["$n|$bin report --all"]}" -v rli="${rss["$n|$bin list"]}" 'BEGIN {
        printf "%5d %8.1f %9.1f %9s %6.2fx %10.1f %10.1f %6.2fx %12.1f %9.2f %9.1f %9.1f\n",
            n, l*1000, rl*1000, (dp > 0 ? sprintf("%.1f", dp*1000) : "-"), l/(rl+dp),
            r*1000, rs*1000, r/rs, a*1000, a*1000/n, ra/1024, rli/1024 }'
done
echo "(list ratio: to runc list + docker ps)"
first=${ns[0]} last=${ns[-1]}
if [[ $first != "$last" ]]; then
    awk -v n0="$first" -v n1="$last" \
        -v r0="${mean["$first|$bin report runc:sc-scale-1"]}" -v r1="${mean["$last|$bin report runc:sc-scale-1"]}" \
        -v l0="${mean["$first|$bin list"]}" -v l1="${mean["$last|$bin list"]}" \
        -v a0="${mean["$first|$bin report --all"]}" -v a1="${mean["$last|$bin report --all"]}" 'BEGIN {
        printf "report ID at N=%d / N=%d: %.2fx; slope per container: list %.3f ms, report --all %.2f ms\n",
            n1, n0, r1/r0, (l1-l0)*1000/(n1-n0), (a1-a0)*1000/(n1-n0) }'
fi
