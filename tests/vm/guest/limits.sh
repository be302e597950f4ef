#!/bin/sh
# limits.sh (in the VM, root; issue 9 item 6): containers with a 256 MiB
# memory limit, a 0.5 CPU quota and cpuset 0 (Docker and Podman --memory
# 256m --cpus 0.5 --cpuset-cpus 0, with and without lxcfs's files bound in;
# LXC lxc.cgroup2.* / lxc.cgroup.* with and without its lxcfs hook;
# systemd-nspawn --property=MemoryMax=256M CPUQuota=50% AllowedCPUs=0),
# `sysctr-check --json limits TARGET`'s predicted free, nproc, lscpu, top,
# uptime against what those tools print inside (probe-limits.sh, run with
# the engine's exec).  Writes $SYSCTR_OUT/limits.tsv:
#   name target key pred truth agree
set -u
# shellcheck source=verbs-common.sh
. "$SYSCTR_SHARE/lib/verbs-common.sh"
tsv=$O/limits.tsv
: >"$tsv"
tools_root
T=$B/tools/rootfs
LIM="--memory 256m --cpus 0.5 --cpuset-cpus 0"
lxcfs_v=""
if [ -f /var/lib/lxcfs/proc/meminfo ]; then
    for f in proc/cpuinfo proc/diskstats proc/loadavg proc/meminfo proc/stat proc/swaps proc/uptime \
        sys/devices/system/cpu/online; do
        [ -e /var/lib/lxcfs/$f ] && lxcfs_v="$lxcfs_v -v /var/lib/lxcfs/$f:/$f:rw"
    done
else log "limits: lxcfs is not running (no /var/lib/lxcfs/proc/meminfo)"; fi
rows=""
add() { rows="$rows$1 $2 $3
"; }
# shellcheck disable=SC2086
if docker_up; then
    docker import $B/tools.tar sysctr-tools >>"$C/lm.log" 2>&1
    docker run -d --network none --name sv-lm-docker $LIM sysctr-tools /bin/sleep 3600 >>"$C/lm.log" 2>&1 &&
        add docker docker sv-lm-docker
    [ -n "$lxcfs_v" ] && docker run -d --network none --name sv-lm-docker-lxcfs $LIM $lxcfs_v sysctr-tools \
        /bin/sleep 3600 >>"$C/lm.log" 2>&1 && add docker-lxcfs docker sv-lm-docker-lxcfs
fi
# shellcheck disable=SC2086
{
    podman import $B/tools.tar sysctr-tools >>"$C/lm.log" 2>&1
    podman run -d --network none --name sv-lm-podman $LIM sysctr-tools /bin/sleep 3600 >>"$C/lm.log" 2>&1 &&
        add podman podman sv-lm-podman
    [ -n "$lxcfs_v" ] && podman run -d --network none --name sv-lm-podman-lxcfs $LIM $lxcfs_v sysctr-tools \
        /bin/sleep 3600 >>"$C/lm.log" 2>&1 && add podman-lxcfs podman sv-lm-podman-lxcfs
}
# LXC: common.conf includes lxcfs's mount hook (00-lxcfs.conf) when lxcfs
# is installed; "lxc.hook.mount =" after it clears the hook.
for v in lxcfs nolxcfs; do
    n=sv-lm-lxc-$v Lx=/var/lib/lxc/sv-lm-lxc-$v
    rm -rf $Lx; mkdir -p $Lx; cp -a $T $Lx/rootfs
    {
        echo "lxc.include = /usr/share/lxc/config/common.conf"
        [ $v = nolxcfs ] && printf 'lxc.hook.mount =\nlxc.hook.post-stop =\n'
        echo "lxc.uts.name = $n"
        echo "lxc.rootfs.path = dir:$Lx/rootfs"
        echo "lxc.net.0.type = empty"
        echo "lxc.apparmor.profile = unconfined"
        echo "lxc.init.cmd = /bin/sleep 3600"
        if [ "$cgmode" = unified ]; then
            printf 'lxc.cgroup2.memory.max = 268435456\nlxc.cgroup2.cpu.max = 50000 100000\nlxc.cgroup2.cpuset.cpus = 0\n'
        else
            printf 'lxc.cgroup.memory.limit_in_bytes = 268435456\nlxc.cgroup.cpu.cfs_quota_us = 50000\n'
            printf 'lxc.cgroup.cpu.cfs_period_us = 100000\nlxc.cgroup.cpuset.cpus = 0\n'
        fi
    } >$Lx/config
    lxc-start -n $n -o "$C/lm-$n.log" >>"$C/lm.log" 2>&1 && wait_for 30 lxc-info -n $n -p -H &&
        add lxc-$v lxc $n
done
if [ $systemd = yes ]; then
    setsid systemd-nspawn --quiet --private-network -D $T -M sv-lm-nspawn --property=MemoryMax=256M \
        --property=CPUQuota=50% --property=AllowedCPUs=0 /bin/sleep 3600 </dev/null >"$C/lm-nspawn.log" 2>&1 &
    if wait_for 60 machinectl show sv-lm-nspawn; then
        add nspawn nspawn "$(machinectl show -p Leader --value sv-lm-nspawn)"
    fi
fi
log "limits: containers up at $(up) s"

# --- predicted against shown ----------------------------------------------
# cpulist "0-2,5" -> "0,1,2,5"
expand() { echo "$1" | awk -F, '{ s = ""; for (i = 1; i <= NF; i++) { n = split($i, r, "-");
    if (n == 2) for (j = r[1]; j <= r[2]; j++) s = s (s == "" ? "" : ",") j; else s = s (s == "" ? "" : ",") $i } print s }'; }
view() { # JSON RESOURCE TOOL FIELD
    jq -r --arg r "$2" --arg t "$3" --arg f "$4" \
        '[.limits.resources[]? | select(.resource == $r) | .views[]? | select(.tool == $t) | .[$f]][0] // "-" | tostring' "$1"
}
printf '%s' "$rows" | while read -r name eng cn; do
    [ -n "$name" ] || continue
    case $eng in nspawn) tg=$cn ;; *) tg=$eng:$cn ;; esac
    f=$C/lm-$name.json
    sysctr-check --json limits "$tg" >"$f" 2>"$f.err"
    ex "$eng" "$cn" "$L/probe-limits.sh" >"$C/lm-$name.probe" 2>&1
    hup=$(up)
    got() { sed -n "s/^$1 //p" "$C/lm-$name.probe" | head -1; }
    r=cpu; [ "$(view "$f" cpu nproc value)" = - ] && r=cpuset
    for k in free swap nproc lscpu lscpu-online cpuinfo top uptime; do
        case $k in
        free) p=$(view "$f" memory free value) ;;
        swap) p=$(view "$f" swap free value) ;;
        lscpu-online) p=$(expand "$(view "$f" $r lscpu-online text)") ;;
        uptime) p=$(jq -r '.limits.uptime.verdict // "-"' "$f")
            case $p in hidden) p=host ;; visible) p=container ;; esac ;;
        *) p=$(view "$f" $r $k value) ;;
        esac
        [ -n "$p" ] || p=-
        t=$(got "$k")
        case $k in
        lscpu-online) [ "$t" = - ] || t=$(expand "$t") ;;
        uptime) # the host's (within 5 s of the VM's uptime) or the container's own
            t=$(awk -v i="$t" -v h="$hup" 'BEGIN { if (i == "") print "?"; else if (h - i < 5 && i - h < 5) print "host"; else print "container" }') ;;
        esac
        ok=DIFFER
        if [ "$t" = - ] || [ -z "$t" ]; then ok=no-tool
        elif [ "$p" = "$t" ]; then ok=ok
        elif [ "$k" = free ] && awk -v a="$p" -v b="$t" 'BEGIN { exit !(a > 0 && (a - b) / a < 0.01 && (b - a) / a < 0.01) }'; then ok=ok
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$tg" "$k" "$p" "${t:--}" "$ok" >>"$tsv"
    done
done
echo "--- limits (256 MiB, 0.5 CPU, cpuset 0; predicted / shown inside)"
awk -F'\t' '{ key[$1] = key[$1] sprintf(" %s %s/%s%s", $3, $4, $5, $6 == "ok" ? "" : ($6 == "no-tool" ? "(n/a)" : "(!)"));
    if ($6 != "no-tool") { n[$1]++; if ($6 == "ok") a[$1]++ } if (!($1 in seen)) { seen[$1] = 1; order[++m] = $1 } }
    END { for (i = 1; i <= m; i++) { c = order[i]; printf "%-20s | %2d/%-2d |%s\n", c, a[c], n[c], key[c] } }' "$tsv"
echo "limits: $(awk -F'\t' '$6 == "ok"' "$tsv" | wc -l) / $(awk -F'\t' '$6 != "no-tool"' "$tsv" | wc -l) values agree"

docker rm -f sv-lm-docker sv-lm-docker-lxcfs >/dev/null 2>&1
podman rm -f sv-lm-podman sv-lm-podman-lxcfs >/dev/null 2>&1
for v in lxcfs nolxcfs; do lxc-stop -k -n sv-lm-lxc-$v >/dev/null 2>&1; done
machinectl terminate sv-lm-nspawn >/dev/null 2>&1
exit 0
