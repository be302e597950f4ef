#!/bin/bash
# Boot a lab VM host, run SCRIPT in it as root, collect its output, power off.
#
#   run.sh [-t SECONDS] [-o OUTDIR] [-m MiB] HOST SCRIPT
#
# The VM sees a 9p share (mount_tag host0, at /mnt/share) holding
#   job.sh             SCRIPT (run with sh, cwd = the share)
#   bin/sysctr-check   the binary under test ($SYSCTR_CHECK, default the
#                      repository's ./sysctr-check)
#   lib/               tests/vm/guest/ (helpers for job scripts)
#   out/               $SYSCTR_OUT: what the job writes; copied to OUTDIR
#                      (default: the run dir under $SYSCTR_VM_CACHE/runs)
# The disk is a qcow2 overlay on the cached hosts/HOST/disk.img (the
# image stays pristine; boots are independent).  qemu runs under nice -n 19,
# TCG (nested KVM fails here), one VM at a time (a lock), and is killed
# after SECONDS (default 1500) or on any exit of this script.
# Exit status: the job's, 124 on timeout, 125 if the job never finished.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/hosts.sh"
REPO=$(cd "$VM_DIR/../.." && pwd)

timeout_s=1500 outdir="" mem=4096
while getopts "t:o:m:h" o; do
    case $o in
    t) timeout_s=$OPTARG ;;
    o) outdir=$OPTARG ;;
    m) mem=$OPTARG ;;
    *) sed -n '2,/^set /p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
(($# == 2)) || vm_die "usage: run.sh [-t SECONDS] [-o OUTDIR] HOST SCRIPT"
host=$1 script=$2
host_config "$host"
hd=$VM_CACHE/hosts/$host
[[ -f $hd/host.json ]] || vm_die "$host is not built: tests/vm/build.sh $host"
[[ -f $script ]] || vm_die "no script $script"
bin=${SYSCTR_CHECK:-$REPO/sysctr-check}
[[ -x $bin ]] || vm_die "no binary $bin (make sysctr-check)"
command -v qemu-system-x86_64 >/dev/null && command -v qemu-img >/dev/null ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends qemu-system-x86 qemu-utils >/dev/null

mkdir -p "$VM_CACHE/runs"
run=$(mktemp -d "$VM_CACHE/runs/$host.$(date +%Y%m%d-%H%M%S).XXXX")
chmod 755 "$run"
share=$run/share
mkdir -p "$share/bin" "$share/lib" "$share/out"
cp "$bin" "$share/bin/sysctr-check"
cp "$VM_DIR"/guest/* "$share/lib/"
cp "$script" "$share/job.sh"
jq -c --arg host "$host" '. + {host: $host}' "$hd/host.json" >"$share/host.json"
qemu-img create -q -f qcow2 -F raw -b "$hd/disk.img" "$run/disk.qcow2"

exec {lock}>"$VM_CACHE/.qemu.lock"
flock "$lock"

qpid=""
stop_qemu() {
    [[ -n $qpid ]] && kill -0 "$qpid" 2>/dev/null || return 0
    kill -TERM "$qpid" 2>/dev/null || true
    for _ in 1 2 3 4 5; do kill -0 "$qpid" 2>/dev/null || return 0; sleep 1; done
    kill -KILL "$qpid" 2>/dev/null || true
}
trap stop_qemu EXIT
trap 'exit 130' INT TERM

# The kernel command line GRUB would pass: GRUB_CMDLINE_LINUX and
# GRUB_CMDLINE_LINUX_DEFAULT of the disk's own /etc/default/grub (read with
# debugfs, parsed as text, never sourced), after the lab's root and console.
grub_cmdline=$(grub_cmdline_of "$hd/disk.img")
cmdline="root=LABEL=sysctr-root rw console=ttyS0 $grub_cmdline"
vm_log "$host: kernel command line: $cmdline"
vm_log "$host: boot ($run, timeout ${timeout_s}s)"
t0=$(date +%s)
nice -n 19 qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m "$mem" -smp 2 \
    -display none -monitor none -serial "file:$run/console.log" -no-reboot \
    -kernel "$hd/vmlinuz" -initrd "$hd/initrd.img" -append "$cmdline" \
    -drive "file=$run/disk.qcow2,if=virtio,format=qcow2,cache=unsafe" \
    -virtfs "local,path=$share,mount_tag=host0,security_model=none" \
    -nic none </dev/null >"$run/qemu.log" 2>&1 &
qpid=$!
t_batch="" status=0
while kill -0 "$qpid" 2>/dev/null; do
    if [[ -z $t_batch && -f $share/out/uptime-batch-start ]]; then
        t_batch=$(($(date +%s) - t0))
        vm_log "$host: batch started after ${t_batch}s"
    fi
    if (($(date +%s) - t0 > timeout_s)); then
        vm_log "$host: timeout after ${timeout_s}s, killing qemu (console: $run/console.log)"
        status=124
        stop_qemu
        break
    fi
    sleep 2
done
wait "$qpid" 2>/dev/null || true
qpid=""
t_total=$(($(date +%s) - t0))
if ((status == 0)); then
    if [[ -f $share/out/job.rc ]]; then status=$(cat "$share/out/job.rc"); else status=125; fi
fi
jq -n --arg host "$host" --argjson wall "$t_total" --arg batch "${t_batch:-}" \
    --arg up_batch "$(cat "$share/out/uptime-batch-start" 2>/dev/null)" \
    --arg up_job "$(cat "$share/out/uptime-job-start" 2>/dev/null)" \
    --arg up_end "$(cat "$share/out/uptime-job-end" 2>/dev/null)" --argjson status "$status" \
    '{host: $host, status: $status, wall_seconds: $wall, host_seconds_to_batch: $batch,
      guest_uptime_batch_start: $up_batch, guest_uptime_job_start: $up_job,
      guest_uptime_job_end: $up_end}' >"$share/out/run.json"
cp "$run/console.log" "$share/out/console.log" 2>/dev/null || true
rm -f "$run/disk.qcow2"
if [[ -n $outdir ]]; then
    mkdir -p "$outdir"
    cp -a "$share/out/." "$outdir/"
else
    outdir=$share/out
fi
vm_log "$host: done in ${t_total}s, job status $status, output in $outdir"
exit "$status"
