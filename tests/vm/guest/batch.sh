#!/bin/sh
# sysctr-vm-batch (in the VM): mount the 9p share, run its job.sh as root
# with SYSCTR_OUT=<share>/out, then power off.  Without a job.sh the VM
# stays up (interactive use).
share=/mnt/share
out=$share/out
up() { cut -d' ' -f1 /proc/uptime; }
poweroff_now() {
    sync
    if [ -d /run/systemd/system ]; then systemctl poweroff; else poweroff; fi
}
mkdir -p $share
modprobe 9pnet_virtio 2>/dev/null
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=1048576,cache=none host0 $share; then
    echo "sysctr-vm-batch: cannot mount the 9p share host0"
    poweroff_now
    exit 1
fi
[ -f $share/job.sh ] || { echo "sysctr-vm-batch: no job.sh, staying up"; exit 0; }
mkdir -p $out
up >$out/uptime-batch-start
if [ -d /run/systemd/system ]; then
    systemctl is-system-running --wait >$out/is-system-running 2>&1
    systemctl --failed --no-legend --plain >$out/failed-units 2>&1
elif command -v rc-status >/dev/null; then
    rc-status -a >$out/rc-status 2>&1
fi
up >$out/uptime-job-start
echo "sysctr-vm-batch: job.sh starts at $(up) s"
# The job's output goes to job.log and to the console (run.sh's console.log).
( cd $share && SYSCTR_SHARE=$share SYSCTR_OUT=$out PATH=$share/bin:$PATH sh $share/job.sh
  echo $? >$out/job.rc ) 2>&1 | tee $out/job.log
up >$out/uptime-job-end
echo "sysctr-vm-batch: job.sh exited $(cat $out/job.rc) at $(up) s, powering off"
umount $share
poweroff_now
