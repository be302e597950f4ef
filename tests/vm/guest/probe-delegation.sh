# shellcheck shell=sh disable=SC2046
# probe-delegation.sh: runs INSIDE a container (sh -s, busybox or dash, as
# the container's root, in its cgroup).  What really works: in the cgroup
# the container's PID 1 is in (its parent when PID 1 is a systemd in
# init.scope), create a child cgroup, move every process of the cgroup and
# this shell into it, then enable each controller of $want (the caller's
# list; default cgroup.controllers) in cgroup.subtree_control (what systemd
# does at boot).  Prints
#   v2 MKDIR MOVE ENABLE DIR     (cgroup2, the unified hierarchy)
#   v1 MKDIR MOVE - HIERARCHIES  (every v1 hierarchy mounted inside)
# each field ok, no:<error>, none (no controller to enable) or - (no such
# hierarchy inside).
oneword() { tr ' \n\t' '___' | sed 's/_*$//' | cut -c1-60; }
# mount LINE FSTYPE [SUPER]: "root mountpoint" of the first such mount
mnt_of() {
    awk -v fs="$1" -v sup="$2" '{ for (i = 7; i <= NF; i++) if ($i == "-") break
        if ($(i + 1) == fs && (sup == "" || index("," $(i + 3) ",", "," sup ","))) { print $4, $5; exit } }' /proc/self/mountinfo
}
# dir ROOT MNT PATH: where cgroup PATH is under a mount of ROOT at MNT
dir_of() {
    r=$1 m=$2 p=$3
    [ "$r" = / ] && { echo "${m%/}$p" | sed 's:/$::'; return; }
    case $p in "$r" | "$r"/*) echo "${m%/}${p#"$r"}" | sed 's:/$::' ;; *) return 1 ;; esac
}
probe() { # KIND DIR: mkdir, move, enable under DIR
    k=$1 d=$2 c=$2/sysctr-probe
    if err=$(mkdir "$c" 2>&1); then mk=ok; elif [ -d "$c" ]; then mk=ok; else mk="no:$(echo "$err" | sed 's/.*: //' | oneword)"; fi
    # a v1 cpuset child starts with no CPUs and no memory nodes (ENOSPC on
    # move): give it the parent's, as every cpuset user does
    for x in cpus mems; do
        [ -f "$c/cpuset.$x" ] && [ -z "$(cat "$c/cpuset.$x")" ] && cat "$d/cpuset.$x" >"$c/cpuset.$x" 2>/dev/null
    done
    # this shell first: the helpers forked after it are in the child too
    mv=ok
    for p in $$ $(cat "$d/cgroup.procs" 2>/dev/null); do
        [ -d "/proc/$p" ] || continue
        err=$({ echo "$p" >"$c/cgroup.procs"; } 2>&1) ||
            { mv="no:$(echo "$err" | sed 's/.*: //' | oneword)"; break; }
    done
    en=-
    if [ "$k" = v2 ]; then
        # $want (set by the caller): the controllers of cpu memory pids io
        # cpuset the host's root offers, the ones systemd would enable;
        # without it, those of cgroup.controllers
        ctl=${want-$(cat "$d/cgroup.controllers" 2>/dev/null)}
        en=none bad=""
        for x in $ctl; do
            err=$({ echo "+$x" >"$d/cgroup.subtree_control"; } 2>&1) && continue
            bad="$bad${bad:+,}$x"
            e=$(echo "$err" | sed 's/.*: //' | oneword)
        done
        if [ -n "$bad" ]; then en="no:$bad:$e"; elif [ -n "$ctl" ]; then en=ok; fi
    fi
    printf '%s %s %s %s %s\n' "$k" "$mk" "$mv" "$en" "$d"
}
p2=$(sed -n 's/^0:://p' /proc/1/cgroup)
set -- $(mnt_of cgroup2)
if [ $# != 2 ] || [ -z "$p2" ]; then
    echo "v2 - - - not-mounted"
elif d=$(dir_of "$1" "$2" "$p2") && [ -d "$d" ]; then
    case $d in */init.scope) d=${d%/init.scope} ;; esac
    probe v2 "$d"
else
    echo "v2 no:not-visible no:not-visible no:not-visible $2"
fi
# v1: every hierarchy of /proc/1/cgroup that is mounted inside (name=systemd
# and the controllers), as delegation.v1 judges them: "ok" when mkdir and
# move work in all, else the first that fails; "-" when none is mounted.
v1m=- v1v=- v1d=not-mounted
while IFS=: read -r _ ctl p1; do
    [ -n "$ctl" ] || continue
    set -- $(mnt_of cgroup "${ctl%%,*}")
    [ $# = 2 ] || continue
    if d=$(dir_of "$1" "$2" "$p1") && [ -d "$d" ]; then
        case $d in */init.scope) d=${d%/init.scope} ;; esac
        set -- $(probe v1 "$d")
        m=$2 v=$3
    else m=no:not-visible v=no:not-visible; fi
    [ "$v1m" = - ] && v1m=ok v1v=ok v1d=
    v1d="$v1d${v1d:+,}$ctl"
    [ "$v1m" = ok ] && [ "$m" != ok ] && v1m="$m:$ctl"
    [ "$v1v" = ok ] && [ "$v" != ok ] && v1v="$v:$ctl"
done </proc/1/cgroup
echo "v1 $v1m $v1v - $v1d"
