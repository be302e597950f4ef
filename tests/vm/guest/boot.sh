#!/bin/sh
# boot.sh (in the VM, root; issue 9 item 4, a small sample): boot the
# Debian systemd root on the disk (/var/lib/machines/sysctr-sd, the VM's
# own suite) with Docker's recipe and its default, Podman --systemd=always
# and --systemd=false, systemd-nspawn -b with and without
# --private-users=pick, and LXC with lxc.mount.auto cgroup:mixed (its
# default), cgroup:ro and no cgroup mount (an overlay on the root, so the
# root stays as it is); for each, what
# `sysctr-check --json boot TARGET` predicts for the same recipe with
# `sleep infinity` as the payload (as tests/e2e/docker-matrix.sh does)
# against the truth: `systemctl is-system-running` inside every 3 s, up
# to $BOOT_WAIT s (running -> boots, degraded -> degraded, maintenance or
# "Freezing execution" in the log or no answer in time -> fails (freezes),
# the container exited -> fails (exits)).  Writes $SYSCTR_OUT/boot.tsv:
#   recipe target-of-prediction pred-verdict pred-failure truth-verdict
#   truth-failure truth-detail agree
set -u
# shellcheck source=verbs-common.sh
. "$SYSCTR_SHARE/lib/verbs-common.sh"
tsv=$O/boot.tsv
: >"$tsv"
BOOT_WAIT=${BOOT_WAIT:-150}
SD=/var/lib/machines/sysctr-sd
t0=$(up)
# BOOT_RECIPES (set by the job): only these recipes; no image import
# when none is docker's or podman's.
want() { [ -z "${BOOT_RECIPES:-}" ] || echo " $BOOT_RECIPES " | grep -q " $1"; }
# The image: a tar made here, from the disk (9p is slow under TCG).
if want docker || want podman; then
tar -C $SD --exclude=./usr/share/doc --exclude=./usr/share/man --exclude=./usr/share/locale \
    -cf /var/tmp/sysctr-sd.tar . 2>>"$C/bt.log"
log "boot: tar $(du -h /var/tmp/sysctr-sd.tar | cut -f1) at $(up) s"
docker_up && docker import /var/tmp/sysctr-sd.tar sysctr-sd >>"$C/bt.log" 2>&1
log "boot: docker import done at $(up) s"
podman import /var/tmp/sysctr-sd.tar sysctr-sd >>"$C/bt.log" 2>&1
log "boot: podman import done at $(up) s ($(awk -v a="$(up)" -v b="$t0" 'BEGIN { print int(a - b) }') s with the tar)"
rm -f /var/tmp/sysctr-sd.tar
fi

# truth ENGINE NAME: poll until systemd answers, the container exits or the time is up
truth() {
    eng=$1 n=$2 i=0 s="" v="" fl="" d=""
    while [ $i -lt "$BOOT_WAIT" ]; do
        if [ "$eng" = lxc ]; then
            [ "$(lxc-info -n "$n" -s -H 2>/dev/null)" = RUNNING ] || { v=fails fl=exits d="lxc: $(lxc-info -n "$n" -s -H 2>&1)"; break; }
            grep -qs 'Freezing execution' "$C/bt-${n#sv-bt-}.console" && { v=fails fl=freezes d="Freezing execution"; break; }
            s=$(lxc-attach -n "$n" -- systemctl is-system-running 2>/dev/null)
        elif [ "$eng" = nspawn ]; then
            systemctl is-active -q "$n" || { v=fails fl=exits d="unit $(systemctl show -p Result --value "$n")"; break; }
            lead=$(machinectl show -p Leader --value "${n#sv-bt-}" 2>/dev/null)
            # -a: its user namespace too (--private-users), where host
            # root is nobody and systemd's private socket refuses it;
            # nsenter skips a user namespace that is ours.
            s=$([ -n "$lead" ] && nsenter -t "$lead" -a systemctl is-system-running 2>/dev/null)
            journalctl -u "$n" --no-pager -q 2>/dev/null | grep -q 'Freezing execution' && { v=fails fl=freezes d="Freezing execution"; break; }
        else
            if [ "$($eng inspect -f '{{.State.Running}}' "$n" 2>/dev/null)" != true ]; then
                v=fails fl=exits d="exit $($eng inspect -f '{{.State.ExitCode}}' "$n" 2>/dev/null)"; break
            fi
            $eng logs "$n" 2>&1 | grep -q 'Freezing execution' && { v=fails fl=freezes d="Freezing execution"; break; }
            s=$($eng exec "$n" systemctl is-system-running 2>/dev/null)
        fi
        case $s in
        running) v=boots d="running after ${i} s"; break ;;
        degraded) v=degraded d="degraded after ${i} s: $(
            if [ "$eng" = nspawn ]; then nsenter -t "$lead" -a systemctl --failed --no-legend --plain 2>/dev/null
            elif [ "$eng" = lxc ]; then lxc-attach -n "$n" -- systemctl --failed --no-legend --plain 2>/dev/null
            else $eng exec "$n" systemctl --failed --no-legend --plain 2>/dev/null; fi | awk '{print $1}' | paste -sd, -)"; break ;;
        maintenance) v=fails fl=freezes d="maintenance"; break ;;
        esac
        sleep 3; i=$((i + 3))
    done
    [ -n "$v" ] || { v=fails fl=freezes d="no answer in ${BOOT_WAIT} s (last: ${s:-none})"; }
    echo "$v	${fl:--}	$d"
}
# lxc_up NAME CGROUP-MOUNT INIT...: an LXC container on an overlay of the
# root (its writes go to the container's delta0), with lxc.mount.auto's
# cgroup part CGROUP-MOUNT (mixed, ro, rw; none: no cgroup mount), its
# console in $C/bt-RECIPE.console (what truth() greps).
lxc_up() {
    _ln=$1 _lc=$2; shift 2
    _ld=/var/lib/lxc/$_ln
    rm -rf "$_ld"; mkdir -p "$_ld/delta0"
    _la="proc:mixed sys:mixed"
    [ "$_lc" = none ] || _la="$_la cgroup:$_lc"
    cat >"$_ld/config" <<LXC
lxc.include = /usr/share/lxc/config/common.conf
lxc.mount.auto =
lxc.mount.auto = $_la
lxc.uts.name = $_ln
lxc.rootfs.path = overlay:$SD:$_ld/delta0
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.console.logfile = $C/bt-${_ln#sv-bt-}.console
lxc.init.cmd = $*
LXC
    lxc-start -n "$_ln" -o "$C/bt-${_ln#sv-bt-}.lxc.log" >>"$C/bt.log" 2>&1 &&
        wait_for 30 lxc-info -n "$_ln" -p -H
    # The payload, not lxc's own init, is what the prediction reads.
    _lp=$(lxc-info -n "$_ln" -p -H 2>/dev/null)
    [ -n "$_lp" ] && [ "$1" != /sbin/init ] && wait_for 30 sh -c "[ \"\$(cat /proc/$_lp/comm)\" = sleep ]"
    return 0
}
lxc_down() {
    lxc-stop -k -n "$1" >/dev/null 2>&1
    rm -rf "/var/lib/lxc/$1"
}
case_() { # RECIPE ENGINE FLAGS...
    rc=$1 eng=$2; shift 2
    want "$rc" || return 0
    p=sv-bt-$rc-p n=sv-bt-$rc f=$C/bt-$rc.json
    if [ "$eng" = lxc ]; then
        lxc_up "$p" "$1" /usr/bin/sleep infinity
        tg=lxc:$p
    elif [ "$eng" = nspawn ]; then
        # The last recipe's nspawn may still hold the root's lock ("Directory
        # tree ... is currently busy": bookworm-legacy, 14:14).
        wait_for 60 sh -c '! pgrep -x systemd-nspawn'
        systemd-run --unit=$p -p Delegate=yes systemd-nspawn --quiet --keep-unit --private-network \
            -D $SD -M ${p#sv-bt-} "$@" /usr/bin/sleep infinity >>"$C/bt.log" 2>&1
        wait_for 60 machinectl show ${p#sv-bt-}
        # The leader registers before it drops capabilities and execs the
        # payload: read it after (trixie-unified, 07:35: 41 caps read at
        # registration, 27 a moment later).
        lead=$(machinectl show -p Leader --value ${p#sv-bt-} 2>/dev/null)
        wait_for 30 sh -c "[ \"\$(cat /proc/$lead/comm)\" = sleep ]"
        tg=machine:${p#sv-bt-}
    else
        # shellcheck disable=SC2068
        $eng run -d --network none --name $p $@ $IMG /usr/bin/sleep infinity >>"$C/bt.log" 2>&1
        tg=$eng:$p
    fi
    [ "$eng" = nspawn ] && journalctl -u $p --no-pager >"$C/bt-$rc.pred.log" 2>&1
    sysctr-check --json boot "$tg" >"$f" 2>"$f.err"
    pv=$(jq -r '.boot.verdict // "error"' "$f" 2>/dev/null) pf=$(jq -r '.boot.failure // "-"' "$f" 2>/dev/null)
    [ -n "$pv" ] || pv="error: $(head -c 60 "$f.err")"
    sysctr-check boot "$tg" >"$C/bt-$rc.txt" 2>&1
    # The bundle the engine left for its OCI runtime (Docker: containerd's
    # task dir; Podman: userdata): `boot --bundle` predicts from its
    # config.json alone, on this host.
    bpv=""
    case $eng in
    docker)
        # A system containerd's, or the one dockerd starts itself
        # (openrc-unified: no containerd service).
        id=$(docker inspect -f '{{.Id}}' $p 2>/dev/null)
        for bd in /run/containerd/io.containerd.runtime.v2.task/moby/$id \
                  /run/docker/containerd/daemon/io.containerd.runtime.v2.task/moby/$id; do
            [ -f "$bd/config.json" ] && break
        done ;;
    podman) bd=/var/lib/containers/storage/overlay-containers/$(podman inspect -f '{{.Id}}' $p 2>/dev/null)/userdata ;;
    *) bd="" ;;
    esac
    if [ -n "$bd" ] && [ -f "$bd/config.json" ]; then
        sysctr-check --json boot --bundle "$bd" >"$C/bt-$rc.bundle.json" 2>"$C/bt-$rc.bundle.err"
        bpv=$(jq -r '.boot.verdict // "error"' "$C/bt-$rc.bundle.json" 2>/dev/null)
        bpf=$(jq -r '.boot.failure // "-"' "$C/bt-$rc.bundle.json" 2>/dev/null)
        [ -n "$bpv" ] || bpv="error: $(head -c 60 "$C/bt-$rc.bundle.err")"
    fi
    if [ "$eng" = lxc ]; then
        lxc_down "$p"
        lxc_up "$n" "$1" /sbin/init
    elif [ "$eng" = nspawn ]; then
        machinectl terminate ${p#sv-bt-} >/dev/null 2>&1; wait_for 30 sh -c "! systemctl is-active -q $p"
        wait_for 60 sh -c '! pgrep -x systemd-nspawn'
        systemd-run --unit=$n -p Delegate=yes systemd-nspawn --quiet --keep-unit --private-network \
            -bD $SD -M ${n#sv-bt-} "$@" >>"$C/bt.log" 2>&1
    else
        $eng rm -f $p >/dev/null 2>&1
        # shellcheck disable=SC2068
        $eng run -d --network none --name $n $@ $IMG /sbin/init >>"$C/bt.log" 2>&1
    fi
    tr_=$(truth "$eng" "$n")
    tv=$(echo "$tr_" | cut -f1)
    ok=DIFFER; [ "$pv" = "$tv" ] && ok=ok
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rc" "$tg" "$pv" "$pf" "$tr_" "$ok" >>"$tsv"
    if [ -n "$bpv" ]; then
        ok=DIFFER; [ "$bpv" = "$tv" ] && ok=ok
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$rc/bundle" "bundle:$bd" "$bpv" "$bpf" "$tr_" "$ok" >>"$tsv"
    fi
    if [ "$eng" = lxc ]; then
        lxc_down "$n"
    elif [ "$eng" = nspawn ]; then
        journalctl -u $n --no-pager >"$C/bt-$rc.console" 2>&1
        machinectl terminate ${n#sv-bt-} >/dev/null 2>&1; wait_for 30 sh -c "! systemctl is-active -q $n"
    else
        $eng logs $n >"$C/bt-$rc.console" 2>&1
        $eng rm -f $n >/dev/null 2>&1
    fi
    log "boot: $rc: predicted $pv, truth $tv at $(up) s"
}
IMG=sysctr-sd
if docker info >/dev/null 2>&1; then
    case_ docker-recipe docker --tmpfs /run --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroupns host
    case_ docker-default docker
fi
case_ podman-systemd-always podman --systemd=always
case_ podman-systemd-false podman --systemd=false
if [ $systemd = yes ]; then
    case_ nspawn-b nspawn
    # A user namespace, the root mapped by an idmapped mount: the files
    # of the root stay as they are for the recipes after it.
    case_ nspawn-b-userns nspawn --private-users=pick --private-users-ownership=map
fi
if command -v lxc-start >/dev/null; then
    case_ lxc-cgroup-mixed lxc mixed
    case_ lxc-cgroup-ro lxc ro
    case_ lxc-cgroup-none lxc none
fi
# The other suites' roots (configure.sh: /var/lib/machines/sysctr-sd-SUITE):
# Docker's recipe and default from an image imported here, Podman
# --systemd=always on the root itself (--rootfs DIR:O, an overlay: no
# import), systemd-nspawn -b and LXC's default.  Recipe names end in
# -SUITE.
own=$SD
for sd in /var/lib/machines/sysctr-sd-*; do
    [ -d "$sd" ] || continue
    s=${sd##*/sysctr-sd-} SD=$sd
    if docker info >/dev/null 2>&1 && { want "docker-recipe-$s" || want "docker-default-$s"; }; then
        tar -C "$SD" -cf /var/tmp/sysctr-sd.tar . 2>>"$C/bt.log" &&
            docker import /var/tmp/sysctr-sd.tar "sysctr-sd-$s" >>"$C/bt.log" 2>&1
        rm -f /var/tmp/sysctr-sd.tar
        log "boot: docker import of $s done at $(up) s"
        IMG=sysctr-sd-$s
        case_ "docker-recipe-$s" docker --tmpfs /run --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:rw --cgroupns host
        case_ "docker-default-$s" docker
    fi
    IMG="--rootfs $SD:O"
    case_ "podman-systemd-always-$s" podman --systemd=always
    [ $systemd = yes ] && case_ "nspawn-b-$s" nspawn
    command -v lxc-start >/dev/null && case_ "lxc-cgroup-mixed-$s" lxc mixed
done
SD=$own IMG=sysctr-sd
echo "--- boot ($(. /etc/os-release; echo "$PRETTY_NAME") host; its own suite's systemd root, and -SUITE: that suite's; predicted with sleep infinity, booted with /sbin/init)"
awk -F'\t' 'BEGIN { printf "%-30s | %-18s | %-18s | %-50s | %s\n", "recipe", "tool predicts", "truth", "detail", "agree" }
    { printf "%-30s | %-18s | %-18s | %-50s | %s\n", $1, $3 ($4 != "-" ? " (" $4 ")" : ""), $5 ($6 != "-" ? " (" $6 ")" : ""), substr($7, 1, 50), $8 }' "$tsv"
echo "boot: $(awk -F'\t' '$8 == "ok"' "$tsv" | wc -l) / $(wc -l <"$tsv") recipes agree"
exit 0
