#!/bin/sh
# delegation.sh (in the VM, root; issue 9 item 5): one container per engine
# and recipe, what `sysctr-check --json container TARGET` says of
# delegation against what root in the container really can do
# (probe-delegation.sh, run with the engine's exec): create a child cgroup,
# move a process into it, enable a controller in cgroup.subtree_control.
# Writes $SYSCTR_OUT/delegation.tsv:
#   name target writable controllers v1 | pred: mkdir move enable v1mkdir v1move
#   | truth: the same | agree
set -u
# shellcheck source=verbs-common.sh
. "$SYSCTR_SHARE/lib/verbs-common.sh"
tsv=$O/delegation.tsv
: >"$tsv"
fresh_root() { rm -rf "$1"; mkdir -p "$(dirname "$1")"; cp -a $B/bb/rootfs "$1"; }

# --- the containers: sleep as PID 1, the engines' defaults and the recipes
# that hand systemd a writable cgroup --------------------------------------
rows=""
add() { rows="$rows$1 $2 $3
"; } # name engine exec-name/target
if docker_up; then
    docker import $B/bb.tar sysctr-bb >>"$C/dg.log" 2>&1
    docker run -d --network none --name sv-dg-docker sysctr-bb /bin/sleep 3600 >>"$C/dg.log" 2>&1 &&
        add docker docker sv-dg-docker
    docker run -d --network none --name sv-dg-docker-cgrw --cgroupns host -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
        sysctr-bb /bin/sleep 3600 >>"$C/dg.log" 2>&1 && add docker-cgns-host-rw docker sv-dg-docker-cgrw
fi
podman import $B/bb.tar sysctr-bb >>"$C/dg.log" 2>&1
podman run -d --network none --name sv-dg-podman sysctr-bb /bin/sleep 3600 >>"$C/dg.log" 2>&1 &&
    add podman podman sv-dg-podman
podman run -d --network none --name sv-dg-podman-sd --systemd=always sysctr-bb /bin/sleep 3600 >>"$C/dg.log" 2>&1 &&
    add podman-systemd-always podman sv-dg-podman-sd
# rootless Podman, the lab user's (verbs-common.sh as_lab)
lab_up
as_lab podman import /home/lab/bb.tar sysctr-bb >>"$C/dg.log" 2>&1
as_lab podman run -d --network none --name sv-dg-rootless sysctr-bb /bin/sleep 3600 >>"$C/dg.log" 2>&1 &&
    add podman-rootless podman-rootless sv-dg-rootless
Lx=/var/lib/lxc/sv-dg-lxc
fresh_root $Lx/rootfs
cat >$Lx/config <<CONF
lxc.include = /usr/share/lxc/config/common.conf
lxc.uts.name = sv-dg-lxc
lxc.rootfs.path = dir:$Lx/rootfs
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.init.cmd = /bin/sleep 3600
CONF
lxc-start -n sv-dg-lxc -o "$C/dg-lxc.log" >>"$C/dg.log" 2>&1 && wait_for 30 lxc-info -n sv-dg-lxc -p -H &&
    add lxc lxc sv-dg-lxc
# systemd-nspawn -b: systemd runs inside (the probe works next to it)
if [ $systemd = yes ]; then
    systemd-run --unit=sv-dg-nspawn -p Delegate=yes systemd-nspawn --quiet --keep-unit \
        --private-network -bD /var/lib/machines/sysctr-sd -M sv-dg-sd >>"$C/dg.log" 2>&1
    wait_for 60 machinectl show sv-dg-sd
    leader=$(machinectl show -p Leader --value sv-dg-sd 2>>"$C/dg.log")
else
    setsid systemd-nspawn --quiet --register=no --keep-unit --private-network -bD /var/lib/machines/sysctr-sd \
        -M sv-dg-sd </dev/null >"$C/dg-nspawn.console" 2>&1 &
    nsp=$!
    wait_for 60 pgrep -P "$nsp"
    leader=$(pgrep -P "$nsp" | head -1)
fi
if [ -n "$leader" ]; then
    wait_for 120 sh -c "nsenter -t $leader -m -p systemctl is-system-running | grep -qE 'running|degraded'"
    add nspawn-b nspawn "$leader"
fi
for rt in runc crun; do
    bd=/run/sv-dg-$rt
    fresh_root $bd/rootfs
    (cd $bd && runc spec && jq '.process.terminal = false | .process.args = ["/bin/sleep", "3600"]' config.json >c.json &&
        mv c.json config.json && $rt run -d sv-dg-$rt </dev/null) >>"$C/dg.log" 2>&1 && add $rt $rt sv-dg-$rt
done
log "delegation: containers up at $(up) s"

# --- the tool, then the truth -----------------------------------------------
st() { jq -r --arg id "$2" '[.checks[]? | select(.id == $id) | .status][0] // "none"' "$1"; }
yn() { case $1 in pass) echo ok ;; skip | none) echo - ;; *) echo no ;; esac; }
word() { case $1 in ok) echo ok ;; -) echo - ;; none) echo none ;; *) echo no ;; esac; }
# agree PRED TRUTH: "-" (no such hierarchy inside) agrees with "no"; a
# "none" (no controller to enable) is not counted.
agree() { [ "$1" = "$2" ] || [ "$2" = none ] || { [ "$2" = - ] && [ "$1" = no ]; }; }
# The controllers systemd would enable: those of cpu memory pids io cpuset
# that the VM's cgroup2 root offers (none on hybrid hosts).
root2=/sys/fs/cgroup; [ "$cgmode" = unified ] || root2=/sys/fs/cgroup/unified
want=""
for x in cpu memory pids io cpuset; do
    grep -qw $x $root2/cgroup.controllers 2>/dev/null && want="$want${want:+ }$x"
done
{ echo "want='$want'"; cat "$L/probe-delegation.sh"; } >"$C/probe-delegation.sh"
printf '%s' "$rows" | while read -r name eng cn; do
    [ -n "$name" ] || continue
    case $eng in nspawn) tg=$cn ;; podman-rootless) tg=podman:$cn ;; *) tg=$eng:$cn ;; esac
    f=$C/dg-$name.json
    sysctr-check --json container "$tg" >"$f" 2>"$f.err"
    w=$(st "$f" delegation.writable) k=$(st "$f" delegation.controllers) v=$(st "$f" delegation.v1)
    o=$(st "$f" delegation.owner) t=$(st "$f" delegation.cgroup-type)
    # pred: v2 mkdir and move need the cgroup writable from inside (owner,
    # type and mount: delegation.writable); enable also its controllers
    # delegated; v1 (every v1 hierarchy mounted inside): delegation.v1
    pm=$(yn "$w")
    [ "$o" = fail ] || [ "$t" = fail ] && pm=no
    pe=$pm
    [ "$pm" = ok ] && [ "$k" != pass ] && pe=no
    [ "$k" = info ] && pe=none # hybrid: no controller on cgroup2
    pv=$(yn "$v")
    # info: cgroup2 on /sys/fs/cgroup inside, the v1 hierarchies beside
    # it are not judged (FINDINGS D4): nothing to compare
    [ "$v" = info ] && pv=none
    ex "$eng" "$cn" "$C/probe-delegation.sh" >"$C/dg-$name.probe" 2>&1
    # shellcheck disable=SC2046
    set -- $(grep '^v2 ' "$C/dg-$name.probe") ; tm=${2:-?} tv=${3:-?} te=${4:-?}
    # shellcheck disable=SC2046
    set -- $(grep '^v1 ' "$C/dg-$name.probe") ; t1m=${2:-?} t1v=${3:-?}
    n=0 a=0
    for pair in "$pm $(word "$tm")" "$pm $(word "$tv")" "$pe $(word "$te")" "$pv $(word "$t1m")" "$pv $(word "$t1v")"; do
        # shellcheck disable=SC2086
        set -- $pair
        # not counted: nothing to enable (either side), no hierarchy on both
        [ "$2" = none ] || [ "$1" = none ] && continue
        [ "$1" = - ] && [ "$2" = - ] && continue
        n=$((n + 1)); agree "$1" "$2" && a=$((a + 1))
    done
    verdict=ok; [ $a = $n ] || verdict=DIFFER
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$tg" \
        "w=$w c=$k v1=$v o=$o" "$pm" "$pe" "$pv" "$tm" "$tv" "$te" "$t1m" "$t1v" "$a/$n" "$verdict" \
        "$(jq -r '.container.cgroup2.path // "-"' "$f" 2>/dev/null)" "$(head -c 80 "$f.err" | tr '\n\t' '  ')" >>"$tsv"
done
echo "--- delegation (tool: delegation.writable/controllers/v1/owner; pred/truth: v2 mkdir+move, v2 enable, v1 mkdir+move)"
awk -F'\t' 'BEGIN { printf "%-22s | %-32s | %-13s | %-44s | %-5s | %s\n", "container", "tool says", "pred mv en v1", "truth: v2 mkdir / move / enable | v1 mkdir / move", "agree", "" }
    { printf "%-22s | %-32s | %-3s %-3s %-4s | %-44s | %-5s | %s\n", $1, $3, $4, $5, $6, substr($7 " / " $8 " / " $9 " | " $10 " / " $11, 1, 44), $12, $13 }' "$tsv"
echo "delegation: $(awk -F'\t' '$13 == "ok"' "$tsv" | wc -l) / $(wc -l <"$tsv") containers agree"

docker rm -f sv-dg-docker sv-dg-docker-cgrw >/dev/null 2>&1
podman rm -f sv-dg-podman sv-dg-podman-sd >/dev/null 2>&1
as_lab podman rm -f sv-dg-rootless >/dev/null 2>&1
lxc-stop -k -n sv-dg-lxc >/dev/null 2>&1
machinectl terminate sv-dg-sd >/dev/null 2>&1; [ -n "${nsp:-}" ] && kill "$nsp" 2>/dev/null
# Gone before the boot part starts its own on the same root (its lock:
# "Directory tree ... is currently busy", bookworm-hybrid 14:19).
wait_for 60 sh -c '! pgrep -x systemd-nspawn'
for rt in runc crun; do $rt delete -f sv-dg-$rt >/dev/null 2>&1; done
exit 0
