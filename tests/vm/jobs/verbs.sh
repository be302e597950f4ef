#!/bin/sh
# The verbs job (run.sh HOST tests/vm/jobs/verbs.sh; check.sh runs it after
# jobs/lab.sh, in its own boot): delegation proven (guest/delegation.sh),
# limits against free/nproc/lscpu/top/uptime inside (guest/limits.sh), and
# on the hosts of $BOOT_HOSTS (or with a file boot-all in the share) the
# boot sample (guest/boot.sh).  Writes delegation.tsv, limits.tsv,
# boot.tsv and verbs/ to $SYSCTR_OUT; exit 1 if a row disagrees.
O=$SYSCTR_OUT L=$SYSCTR_SHARE/lib
BOOT_HOSTS="trixie-unified bookworm-hybrid bookworm-legacy openrc-unified"
h=$(hostname)
echo "=== $h: $(uname -r), init $(cat /proc/1/comm), $(stat -fc %T /sys/fs/cgroup) (verbs)"
# VERBS_PARTS (a line set before this script, in a generated job): a subset
for part in ${VERBS_PARTS:-delegation limits boot}; do
    if [ $part = boot ] && ! echo " $BOOT_HOSTS " | grep -q " $h " && [ ! -f "$SYSCTR_SHARE/boot-all" ]; then
        echo "=== boot: not on $h (BOOT_HOSTS: $BOOT_HOSTS)"; continue
    fi
    echo "=== $part (at $(cut -d' ' -f1 /proc/uptime) s)"
    sh "$L/$part.sh" 2>>"$O/verbs.log"
done
echo "=== verbs done at $(cut -d' ' -f1 /proc/uptime) s"
rc=0
awk -F'\t' '$13 == "DIFFER" { bad = 1 } END { exit !bad }' "$O/delegation.tsv" 2>/dev/null && rc=1
grep -qs '	DIFFER$' "$O/limits.tsv" && rc=1
grep -qs '	DIFFER$' "$O/boot.tsv" && rc=1
exit $rc
