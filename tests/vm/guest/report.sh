#!/bin/sh
# report.sh (in the VM, root; issue 9): `sysctr-check report` on one
# container per engine (sleep as PID 1, the busybox root) and `report
# --all`.  For each target the report must say what the verbs it joins
# say on their own: its boot verdict that of `boot TARGET`, each check of
# `container TARGET` and `limits TARGET` with the same status, and its
# exit status that of its own summary.exit_code.  `report --all` must
# report every container `list` shows.  The JSON is validated against the
# schema on the build machine (check-extra.sh).  Writes $SYSCTR_OUT/report.tsv:
#   target exit summary-exit boot(report/verb) checks-differing agree
set -u
# shellcheck source=verbs-common.sh
. "$SYSCTR_SHARE/lib/verbs-common.sh"
tsv=$O/report.tsv
: >"$tsv"
R=$O/report
mkdir -p "$R"
fresh_root() { rm -rf "$1"; mkdir -p "$(dirname "$1")"; cp -a $B/bb/rootfs "$1"; }

tgs=""
if docker_up; then
    docker import $B/bb.tar sysctr-bb >>"$R/up.log" 2>&1
    docker run -d --network none --name sv-rp-docker sysctr-bb /bin/sleep 3600 >>"$R/up.log" 2>&1 &&
        tgs="$tgs docker:sv-rp-docker"
fi
podman import $B/bb.tar sysctr-bb >>"$R/up.log" 2>&1
podman run -d --network none --name sv-rp-podman sysctr-bb /bin/sleep 3600 >>"$R/up.log" 2>&1 &&
    tgs="$tgs podman:sv-rp-podman"
lab_up
as_lab podman import /home/lab/bb.tar sysctr-bb >>"$R/up.log" 2>&1
as_lab podman run -d --network none --name sv-rp-rootless sysctr-bb /bin/sleep 3600 >>"$R/up.log" 2>&1 &&
    tgs="$tgs podman:sv-rp-rootless"
Lx=/var/lib/lxc/sv-rp-lxc
fresh_root $Lx/rootfs
cat >$Lx/config <<CONF
lxc.include = /usr/share/lxc/config/common.conf
lxc.uts.name = sv-rp-lxc
lxc.rootfs.path = dir:$Lx/rootfs
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.init.cmd = /bin/sleep 3600
CONF
lxc-start -n sv-rp-lxc -o "$R/lxc.log" >>"$R/up.log" 2>&1 && wait_for 30 lxc-info -n sv-rp-lxc -p -H &&
    tgs="$tgs lxc:sv-rp-lxc"
for rt in runc crun; do
    bd=/run/sv-rp-$rt
    fresh_root $bd/rootfs
    (cd $bd && runc spec && jq '.process.terminal = false | .process.args = ["/bin/sleep", "3600"]' config.json >c.json &&
        mv c.json config.json && $rt run -d sv-rp-$rt </dev/null) >>"$R/up.log" 2>&1 && tgs="$tgs $rt:sv-rp-$rt"
done
log "report: containers up at $(up) s:$tgs"

# checks of VERB-JSON whose status differs in REPORT-JSON (or is missing)
differ() {
    jq -r -n --slurpfile r "$1" --slurpfile v "$2" \
        '[$v[0].checks[]? | . as $x | select(([$r[0].checks[]? | select(.id == $x.id) | .status][0]) != $x.status) | .id] | join(",")'
}
for tg in $tgs; do
    f=$R/$(echo "$tg" | tr ':' '_')
    sysctr-check --json report "$tg" >"$f.report.json" 2>"$f.report.err"
    rc=$?
    sysctr-check report "$tg" >"$f.report.txt" 2>&1
    sysctr-check --json boot "$tg" >"$f.boot.json" 2>"$f.boot.err"
    sysctr-check --json container "$tg" >"$f.container.json" 2>"$f.container.err"
    sysctr-check --json limits "$tg" >"$f.limits.json" 2>"$f.limits.err"
    sx=$(jq -r '.summary.exit_code // "none"' "$f.report.json" 2>/dev/null)
    rv=$(jq -r '.boot.verdict // "none"' "$f.report.json" 2>/dev/null)
    bv=$(jq -r '.boot.verdict // "none"' "$f.boot.json" 2>/dev/null)
    d=$( { differ "$f.report.json" "$f.container.json"; differ "$f.report.json" "$f.limits.json"; } | paste -sd, - | sed 's/^,*//; s/,*$//; s/,,*/,/g')
    ok=ok
    [ "$rc" = "$sx" ] && [ "$rv" = "$bv" ] && [ "$rv" != none ] && [ -z "$d" ] || ok=DIFFER
    printf '%s\t%s\t%s\t%s/%s\t%s\t%s\n' "$tg" "$rc" "$sx" "$rv" "$bv" "${d:--}" "$ok" >>"$tsv"
done
# report --all: every container list shows
sysctr-check --json report --all >"$R/all.json" 2>"$R/all.err"
arc=$?
sysctr-check --json list >"$R/list.json" 2>>"$R/all.err"
nl=$(jq '.containers | length' "$R/list.json" 2>/dev/null)
na=$(jq '.containers | length' "$R/all.json" 2>/dev/null)
ax=$(jq -r '.summary.exit_code // "none"' "$R/all.json" 2>/dev/null)
ok=ok
[ "$arc" = "$ax" ] && [ -n "$nl" ] && [ "$nl" = "$na" ] || ok=DIFFER
printf '%s\t%s\t%s\t%s/%s\t%s\t%s\n' "--all" "$arc" "$ax" "${na:-?}" "${nl:-?}" "-" "$ok" >>"$tsv"

echo "--- report (exit vs summary.exit_code; boot verdict report/boot verb; checks of container and limits that differ)"
awk -F'\t' 'BEGIN { printf "%-24s | %-4s | %-7s | %-18s | %-24s | %s\n", "target", "exit", "summary", "boot (report/verb)", "checks that differ", "agree" }
    { printf "%-24s | %-4s | %-7s | %-18s | %-24s | %s\n", $1, $2, $3, $4, substr($5, 1, 24), $6 }' "$tsv"
echo "report: $(awk -F'\t' '$6 == "ok"' "$tsv" | wc -l) / $(wc -l <"$tsv") agree (--all: containers in report / in list)"

docker rm -f sv-rp-docker >/dev/null 2>&1
podman rm -f sv-rp-podman >/dev/null 2>&1
as_lab podman rm -f sv-rp-rootless >/dev/null 2>&1
lxc-stop -k -n sv-rp-lxc >/dev/null 2>&1
for rt in runc crun; do $rt delete -f sv-rp-$rt >/dev/null 2>&1; done
exit 0
