# shellcheck shell=sh
# probe-delegation.sh: runs INSIDE a container (sh -s, busybox or dash, as
# the container's root, in its cgroup).  What really works: in the cgroup
# the container's PID 1 is in (its parent when PID 1 is a systemd in
# init.scope), create a child cgroup, move every process of the cgroup and
# this shell into it, then enable each controller of $want (the caller's
# list; default cgroup.controllers) in cgroup.subtree_control (what systemd
# does at boot).  Prints
#   v2 MKDIR MOVE ENABLE DIR     (cgroup2, the unified hierarchy)
#   v1 MKDIR MOVE - DIR          (the name=systemd hierarchy, if mounted)
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
p1=$(sed -n 's/^[0-9]*:name=systemd://p' /proc/1/cgroup)
set -- $(mnt_of cgroup name=systemd)
if [ $# != 2 ] || [ -z "$p1" ]; then
    echo "v1 - - - not-mounted"
elif d=$(dir_of "$1" "$2" "$p1") && [ -d "$d" ]; then
    case $d in */init.scope) d=${d%/init.scope} ;; esac
    probe v1 "$d"
else
    echo "v1 no:not-visible no:not-visible no:not-visible $2"
fi
