#!/bin/sh
# boot-rootless.sh (in the VM, root; issue 9 items 3-4): the systemd root
# of the host's suite booted by rootless Podman as the lab user
# (verbs-common.sh as_lab: the lab user's podman, its state under
# /run/user/1000 and its home): `--systemd=always` and `--systemd=false`,
# predicted by `sysctr-check --json boot podman:NAME` (run as root) with
# `sleep infinity` as the payload, against the truth with /sbin/init:
# `systemctl is-system-running` through the lab user's `podman exec`,
# every 3 s up to $BOOT_WAIT s, as boot.sh does.  Appends to
# $SYSCTR_OUT/boot.tsv (recipes rootless-*), the same columns as boot.sh.
set -u
# shellcheck source=verbs-common.sh
. "$SYSCTR_SHARE/lib/verbs-common.sh"
tsv=$O/boot.tsv
BOOT_WAIT=${BOOT_WAIT:-150}
SD=/var/lib/machines/sysctr-sd
lab_up
# The image, imported by the user (its own c/storage, its subordinate IDs).
tar -C $SD --exclude=./usr/share/doc --exclude=./usr/share/man --exclude=./usr/share/locale \
    -cf /home/lab/sd.tar . 2>>"$C/bl.log" && chown 1000:1000 /home/lab/sd.tar
as_lab podman import /home/lab/sd.tar sysctr-sd >>"$C/bl.log" 2>&1
rm -f /home/lab/sd.tar
log "boot-rootless: podman import (the lab user) done at $(up) s"

truth() { # NAME
    n=$1 i=0 s="" v="" fl="" d=""
    while [ $i -lt "$BOOT_WAIT" ]; do
        if [ "$(as_lab podman inspect -f '{{.State.Running}}' "$n" 2>/dev/null)" != true ]; then
            v=fails fl=exits d="exit $(as_lab podman inspect -f '{{.State.ExitCode}}' "$n" 2>/dev/null)"; break
        fi
        as_lab podman logs "$n" 2>&1 | grep -q 'Freezing execution' && { v=fails fl=freezes d="Freezing execution"; break; }
        s=$(as_lab podman exec "$n" systemctl is-system-running 2>/dev/null)
        case $s in
        running) v=boots d="running after ${i} s"; break ;;
        degraded) v=degraded d="degraded after ${i} s: $(as_lab podman exec "$n" systemctl --failed --no-legend --plain 2>/dev/null | awk '{print $1}' | paste -sd, -)"; break ;;
        maintenance) v=fails fl=freezes d="maintenance"; break ;;
        esac
        sleep 3; i=$((i + 3))
    done
    [ -n "$v" ] || { v=fails fl=freezes d="no answer in ${BOOT_WAIT} s (last: ${s:-none})"; }
    echo "$v	${fl:--}	$d"
}
case_() { # RECIPE FLAGS...
    rc=$1; shift
    p=sv-bl-$rc-p n=sv-bl-$rc f=$C/bl-$rc.json
    # shellcheck disable=SC2068
    as_lab podman run -d --network none --name $p $@ sysctr-sd /usr/bin/sleep infinity >>"$C/bl.log" 2>&1
    sysctr-check --json boot "podman:$p" >"$f" 2>"$f.err"
    sysctr-check boot "podman:$p" >"$C/bl-$rc.txt" 2>&1
    pv=$(jq -r '.boot.verdict // "error"' "$f" 2>/dev/null) pf=$(jq -r '.boot.failure // "-"' "$f" 2>/dev/null)
    [ -n "$pv" ] || pv="error: $(head -c 60 "$f.err")"
    # The bundle Podman left: the user's userdata.
    bd=/home/lab/.local/share/containers/storage/overlay-containers/$(as_lab podman inspect -f '{{.Id}}' $p 2>/dev/null)/userdata
    bpv=""
    if [ -f "$bd/config.json" ]; then
        sysctr-check --json boot --bundle "$bd" >"$C/bl-$rc.bundle.json" 2>"$C/bl-$rc.bundle.err"
        bpv=$(jq -r '.boot.verdict // "error"' "$C/bl-$rc.bundle.json" 2>/dev/null)
        bpf=$(jq -r '.boot.failure // "-"' "$C/bl-$rc.bundle.json" 2>/dev/null)
    fi
    as_lab podman rm -f $p >/dev/null 2>&1
    # shellcheck disable=SC2068
    as_lab podman run -d --network none --name $n $@ sysctr-sd /sbin/init >>"$C/bl.log" 2>&1
    tr_=$(truth "$n")
    tv=$(echo "$tr_" | cut -f1)
    ok=DIFFER; [ "$pv" = "$tv" ] && ok=ok
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "rootless-$rc" "podman:$p" "$pv" "$pf" "$tr_" "$ok" >>"$tsv"
    if [ -n "$bpv" ]; then
        ok=DIFFER; [ "$bpv" = "$tv" ] && ok=ok
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "rootless-$rc/bundle" "bundle:$bd" "$bpv" "$bpf" "$tr_" "$ok" >>"$tsv"
    fi
    as_lab podman logs $n >"$C/bl-$rc.console" 2>&1
    as_lab podman rm -f $n >/dev/null 2>&1
    log "boot-rootless: $rc: predicted $pv, truth $tv at $(up) s"
}
case_ podman-systemd-always --systemd=always
case_ podman-systemd-false --systemd=false
echo "--- boot, rootless Podman (the lab user)"
grep '^rootless-' "$tsv" | awk -F'\t' '{ printf "%-36s | %-18s | %-18s | %-50s | %s\n", $1, $3 ($4 != "-" ? " (" $4 ")" : ""), $5 ($6 != "-" ? " (" $6 ")" : ""), substr($7, 1, 50), $8 }'
exit 0
