#!/bin/sh
# The lab job (run.sh HOST tests/vm/jobs/lab.sh): in the VM, the tool's
# host facts against the VM's own files, then one container per engine and
# every target form.  Writes host-facts.{txt,tsv}, targets.tsv,
# containers/, and the tool's outputs to $SYSCTR_OUT.
O=$SYSCTR_OUT L=$SYSCTR_SHARE/lib
echo "=== $(hostname): $(uname -r), init $(cat /proc/1/comm), $(stat -fc %T /sys/fs/cgroup)"
sysctr-check --json host >"$O/host.json" 2>"$O/host.err"; echo "host --json exit $?" >>"$O/host.err"
sysctr-check host >"$O/host.txt" 2>&1
sysctr-check --json --record "$O/host.snapshot.json" host >/dev/null 2>&1
mkdir -p "$O/vm"
cp /proc/self/mountinfo "$O/vm/mountinfo"; cp /proc/cgroups "$O/vm/proc-cgroups"
cat /proc/cmdline >"$O/vm/cmdline"
echo "=== host facts"
sh "$L/host-facts.sh" "$O/host.json" | tee "$O/host-facts.txt"
echo "=== containers"
sh "$L/containers.sh" 2>"$O/containers.log" | tee "$O/containers.txt"
rc=0
grep -q ' DIFFER$' "$O/host-facts.txt" && rc=1
grep -q 'NOT-RESOLVED' "$O/targets.tsv" && rc=1
exit $rc
