#!/bin/sh
# The extra job (run.sh HOST tests/vm/jobs/extra.sh): `report` on one
# container per engine and `report --all` (guest/report.sh), and the
# rootless Podman boots (guest/boot-rootless.sh). Writes report.tsv,
# boot.tsv (rootless-* rows) and verbs/ to $SYSCTR_OUT; exit 1 if a row
# disagrees.
O=$SYSCTR_OUT L=$SYSCTR_SHARE/lib
h=$(hostname)
echo "=== $h: $(uname -r), init $(cat /proc/1/comm), $(stat -fc %T /sys/fs/cgroup) (extra)"
: >"$O/boot.tsv"
for part in ${EXTRA_PARTS:-report boot-rootless}; do
    echo "=== $part (at $(cut -d' ' -f1 /proc/uptime) s)"
    sh "$L/$part.sh" 2>>"$O/extra.log"
done
echo "=== extra done at $(cut -d' ' -f1 /proc/uptime) s"
rc=0
grep -qs '	DIFFER$' "$O/report.tsv" && rc=1
grep -qs '	DIFFER$' "$O/boot.tsv" && rc=1
exit $rc
