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
#   tests/bench-scale.sh [--runs R] [--compare OLD_BINARY] [BINARY] [N...]
#
# --compare times a second build of sysctr-check (say, main's before a
# change) in the same hyperfine runs: before and after on one machine
# at one moment, which a shared, loaded machine needs.
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
old=''
while [[ ${1:-} == --* ]]; do
    case $1 in
    --runs) runs=$2; shift 2 ;;
    --compare) old=$(realpath "$2"); shift 2 ;;
    *) echo "bench-scale: unknown option $1" >&2; exit 2 ;;
    esac
done
bin=$(realpath "${1:-./sysctr-check}")
bins=("$bin")
[[ -n $old ]] && bins+=("$old")
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
docker_ok=0 docker_n=0 DOCKER=${DOCKER:-docker}
cleanup() {
    local i
    if [[ $docker_ok == 1 ]]; then
        for ((i = 1; i <= docker_n; i++)); do
            dk rm -f "sc-scale-d$i" >/dev/null 2>&1 || true
        done
        docker_down
    fi
    runc_remove
    rm -rf "$work"
}
runc_remove() {
    local i
    for ((i = 1; i <= started; i++)); do
        runc kill "sc-scale-$i" KILL >/dev/null 2>&1 || true
    done
    for ((i = 1; i <= started; i++)); do
        runc delete -f "sc-scale-$i" >/dev/null 2>&1 || true
    done
    started=0
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

declare -A mean rss cpu
# time_cmds KEY CMD...: one hyperfine run of the commands (report exits 1
# when a check fails, and busybox has no systemd: -i), then each one's
# peak RSS; mean[KEY|CMD], cpu[KEY|CMD] (user + system), rss[KEY|CMD].
time_cmds() {
    local key=$1 c json=$work/$1.json
    shift
    hyperfine -N -i --warmup 2 --runs "$runs" --export-json "$json" "$@"
    while IFS=$'\t' read -r c m u; do mean["$key|$c"]=$m cpu["$key|$c"]=$u; done < <(
        jq -r '.results[] | [.command, .mean, .user + .system] | @tsv' "$json")
    echo "peak RSS (GNU time):"
    for c in "$@"; do
        # shellcheck disable=SC2086  # the command line, split as written
        /usr/bin/time -f '%M' -o "$work/rss" $c >/dev/null 2>&1 || true
        rss["$key|$c"]=$(tail -n 1 "$work/rss")
        printf '  %-60s %8d KiB\n' "$c" "${rss["$key|$c"]}"
    done
}
printf 'sysctr-check scale block: %s, runs=%s, docker peer: %s\n' "$bin" "$runs" \
    "$([[ $docker_ok == 1 ]] && echo yes || echo 'no (dockerd not running)')"
for n in "${ns[@]}"; do
    start_until "$n"
    target=sc-scale-1
    cmds=("runc list" "runc state $target")
    [[ $docker_ok == 1 ]] && cmds+=("$DOCKER ps")
    for b in "${bins[@]}"; do
        cmds+=("$b list" "$b report runc:$target" "$b report --all")
    done
    echo
    echo "== N=$n runc containers running"
    time_cmds "$n" "${cmds[@]}"
done

echo
echo "== summary (mean ms; ratio to the peer in the same run; peak RSS MiB)"
[[ -n $old ]] && echo "new: $bin; old: $old"
printf '%5s %4s %8s %9s %9s %7s %10s %10s %7s %12s %9s %9s %9s\n' N "" list "runc list" "docker ps" ratio \
    "report ID" "runc state" ratio "report --all" "per ctr" "RSS all" "RSS list"
for n in "${ns[@]}"; do
    for b in "${bins[@]}"; do
        label=new
        [[ $b == "$old" ]] && label=old
        l=${mean["$n|$b list"]} rl=${mean["$n|runc list"]} dp=${mean["$n|$DOCKER ps"]:-0}
        r=${mean["$n|$b report runc:sc-scale-1"]} rs=${mean["$n|runc state sc-scale-1"]}
        a=${mean["$n|$b report --all"]}
        awk -v n="$n" -v lb="$label" -v l="$l" -v rl="$rl" -v dp="$dp" -v r="$r" -v rs="$rs" -v a="$a" \
            -v ra="${rss["$n|$b report --all"]}" -v rli="${rss["$n|$b list"]}" 'BEGIN {
            printf "%5d %4s %8.1f %9.1f %9s %6.2fx %10.1f %10.1f %6.2fx %12.1f %9.2f %9.1f %9.1f\n",
                n, lb, l*1000, rl*1000, (dp > 0 ? sprintf("%.1f", dp*1000) : "-"), l/(rl+dp),
                r*1000, rs*1000, r/rs, a*1000, a*1000/n, ra/1024, rli/1024 }'
    done
done
echo "(list ratio: to runc list + docker ps)"
# Wall time on a loaded machine is mostly waiting for a CPU; the CPU time
# (user + system, children included) is what each command costs.
echo "CPU ms (user + system): report ID / runc state; list / runc list + docker ps; report --all"
for n in "${ns[@]}"; do
    for b in "${bins[@]}"; do
        awk -v n="$n" -v lb="$([[ $b == "$old" ]] && echo old || echo new)" \
            -v r="${cpu["$n|$b report runc:sc-scale-1"]}" -v rs="${cpu["$n|runc state sc-scale-1"]}" \
            -v l="${cpu["$n|$b list"]}" -v rl="${cpu["$n|runc list"]}" -v dp="${cpu["$n|$DOCKER ps"]:-0}" \
            -v a="${cpu["$n|$b report --all"]}" 'BEGIN {
            printf "%5d %4s %8.1f / %-8.1f %6.2fx %9.1f / %-9.1f %6.2fx %10.1f\n",
                n, lb, r*1000, rs*1000, r/rs, l*1000, (rl+dp)*1000, l/(rl+dp), a*1000 }'
    done
done
first=${ns[0]} last=${ns[-1]}
if [[ $first != "$last" ]]; then
    for b in "${bins[@]}"; do
        awk -v n0="$first" -v n1="$last" -v lb="$([[ $b == "$old" ]] && echo old || echo new)" \
            -v r0="${mean["$first|$b report runc:sc-scale-1"]}" -v r1="${mean["$last|$b report runc:sc-scale-1"]}" \
            -v l0="${mean["$first|$b list"]}" -v l1="${mean["$last|$b list"]}" \
            -v a0="${mean["$first|$b report --all"]}" -v a1="${mean["$last|$b report --all"]}" 'BEGIN {
            printf "%s: report ID at N=%d / N=%d: %.2fx; slope per container: list %.3f ms, report --all %.2f ms\n",
                lb, n1, n0, r1/r0, (l1-l0)*1000/(n1-n0), (a1-a0)*1000/(n1-n0) }'
    done
fi

# ---- the Docker series: N Docker containers and no runc ones -------------------
# Keeps exactly n busybox Docker containers, sc-scale-d1..dn, running.
docker_until() {
    local want=$1 i
    for ((i = docker_n; i > want; i--)); do
        dk rm -f "sc-scale-d$i" >/dev/null 2>&1 || true
    done
    ((docker_n > want)) && docker_n=$want
    if ((docker_n < want)); then
        i=$docker_n
        docker_n=$want # what cleanup removes, started or not
        seq $((i + 1)) "$want" | xargs -P 4 -I{} "$DOCKER" run -d --network none \
            --name "sc-scale-d{}" sc-scale/busybox:latest /bin/busybox sleep 3600 >/dev/null ||
            { echo "bench-scale: docker run failed" >&2; exit 1; }
    fi
    i=$(dk ps -q --filter 'name=^sc-scale-d' | wc -l)
    ((i == want)) || { echo "bench-scale: $i Docker containers running, not $want" >&2; exit 1; }
}
if [[ $docker_ok == 1 && ${SCALE_DOCKER_SERIES:-1} != 0 ]]; then
    runc_remove
    for n in "${ns[@]}"; do
        docker_until "$n"
        target=sc-scale-d1
        cmds=("$DOCKER ps" "$DOCKER inspect $target")
        for b in "${bins[@]}"; do
            cmds+=("$b list" "$b report docker:$target" "$b report --all")
        done
        echo
        echo "== N=$n Docker containers running (no runc ones)"
        time_cmds "d$n" "${cmds[@]}"
    done
    echo
    echo "== Docker series summary (mean ms; ratio to the peer in the same run; CPU ms; peak RSS MiB)"
    printf '%5s %4s %8s %9s %7s %10s %12s %7s %12s %9s %10s %9s\n' N "" list "docker ps" ratio \
        "report ID" "docker insp" ratio "report --all" "per ctr" "CPU --all" "RSS all"
    for n in "${ns[@]}"; do
        for b in "${bins[@]}"; do
            awk -v n="$n" -v lb="$([[ $b == "$old" ]] && echo old || echo new)" \
                -v l="${mean["d$n|$b list"]}" -v dp="${mean["d$n|$DOCKER ps"]}" \
                -v r="${mean["d$n|$b report docker:sc-scale-d1"]}" -v di="${mean["d$n|$DOCKER inspect sc-scale-d1"]}" \
                -v a="${mean["d$n|$b report --all"]}" -v ac="${cpu["d$n|$b report --all"]}" \
                -v ra="${rss["d$n|$b report --all"]}" 'BEGIN {
                printf "%5d %4s %8.1f %9.1f %6.2fx %10.1f %12.1f %6.2fx %12.1f %9.2f %10.1f %9.1f\n",
                    n, lb, l*1000, dp*1000, l/dp, r*1000, di*1000, r/di, a*1000, a*1000/n, ac*1000, ra/1024 }'
        done
    done
    if [[ $first != "$last" ]]; then
        for b in "${bins[@]}"; do
            awk -v n0="$first" -v n1="$last" -v lb="$([[ $b == "$old" ]] && echo old || echo new)" \
                -v r0="${mean["d$first|$b report docker:sc-scale-d1"]}" -v r1="${mean["d$last|$b report docker:sc-scale-d1"]}" \
                -v l0="${mean["d$first|$b list"]}" -v l1="${mean["d$last|$b list"]}" \
                -v a0="${mean["d$first|$b report --all"]}" -v a1="${mean["d$last|$b report --all"]}" 'BEGIN {
                printf "%s: report docker:ID at N=%d / N=%d: %.2fx; slope per container: list %.3f ms, report --all %.2f ms\n",
                    lb, n1, n0, r1/r0, (l1-l0)*1000/(n1-n0), (a1-a0)*1000/(n1-n0) }'
        done
    fi
elif [[ ${SCALE_DOCKER_SERIES:-1} != 0 ]]; then
    echo
    echo "== Docker series: skipped (dockerd is not installed here)"
fi
uptime
