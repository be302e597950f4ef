#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark: sysctr-check against the tools people run for the same
# questions, in one hyperfine run, so that the numbers are ratios on the
# same machine at the same moment (never absolute thresholds in a test).
#
#   tests/bench.sh [BINARY]        (default ./sysctr-check; root for the
#                                   container part, which starts a busybox
#                                   container under runc and removes it)
# Prints hyperfine's table and the peak RSS of each sysctr-check command.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-./sysctr-check}")
[[ -x $bin ]] || { echo "bench: $bin is not built (make)" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "bench: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

host_cmds=("$bin host" "$bin --json host" "findmnt -t cgroup,cgroup2" "systemd-detect-virt" "lscpu")
ctr_cmds=()
dir='' id=''
cleanup() {
    if [[ -n $id ]]; then runc kill "$id" KILL 2>/dev/null || true; runc delete -f "$id" 2>/dev/null || true; fi
    if [[ -n $dir ]]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

if [[ $(id -u) == 0 ]] && command -v runc >/dev/null && [[ -x /bin/busybox ]]; then
    dir=$(mktemp -d /tmp/sc-bench.XXXXXX)
    mkdir -p "$dir/rootfs/bin" "$dir/rootfs/proc" "$dir/rootfs/sys" "$dir/rootfs/dev" "$dir/rootfs/etc"
    cp /bin/busybox "$dir/rootfs/bin/"
    for a in sh sleep cat; do ln -s busybox "$dir/rootfs/bin/$a"; done
    (cd "$dir" && runc spec && jq '.process.args = ["sleep", "3600"] | .process.terminal = false' config.json >c && mv c config.json)
    id=sc-bench-$$
    runc run -d --bundle "$dir" "$id" >/dev/null 2>&1 </dev/null
    pid=$(runc state "$id" | jq -r .pid)
    ctr_cmds=("$bin container $id" "$bin limits $id" "$bin boot $id" "$bin report $id"
        "runc state $id" "nsenter -t $pid -m -p cat /proc/self/mountinfo")
else
    echo "bench: container part skipped (needs root, runc and busybox-static)" >&2
fi

hyperfine -N --warmup 5 --runs 50 "${host_cmds[@]}" "${ctr_cmds[@]}"

[[ -x /usr/bin/time ]] || { echo "bench: no /usr/bin/time (apt-get install time): no RSS" >&2; exit 0; }
rss=$(mktemp)
trap 'cleanup; rm -f "$rss"' EXIT
echo
echo "peak RSS (GNU time, max of 5 runs):"
for c in "${host_cmds[@]:0:2}" "${ctr_cmds[@]:0:4}"; do
    max=0
    for _ in 1 2 3 4 5; do
        # shellcheck disable=SC2086  # the command line, split as written
        /usr/bin/time -f '%M' -o "$rss" $c >/dev/null 2>&1 || true
        kb=$(tail -n 1 "$rss")
        ((kb > max)) && max=$kb
    done
    printf '  %-60s %6d KiB\n' "${c/#$bin/sysctr-check}" "$max"
done
