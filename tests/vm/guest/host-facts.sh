#!/bin/sh
# host-facts.sh TOOL_JSON: what the VM really is, read here from the kernel's
# own files, against what `sysctr-check --json host` (TOOL_JSON) says.
# Prints a table "fact | vm | tool | verdict" (verdict: ok, DIFFER, or
# vm-only when the tool does not report the fact) and writes the same rows
# as TSV to $SYSCTR_OUT/host-facts.tsv.  Exit 1 if any fact differs.
set -u
tj=$1
tsv=${SYSCTR_OUT:-/tmp}/host-facts.tsv
: >"$tsv"
fail=0
t() { jq -r "$1" "$tj" 2>/dev/null; }
# Normalise a list: words, sorted, comma-joined ("-" when empty).
norm() { tr ' ,\n' '\n\n\n' | sed '/^$/d' | sort -u | paste -sd, - | sed 's/^$/-/'; }
row() { # fact vm tool [vm-only]
    v=$2 w=$3
    if [ "${4:-}" = vm-only ]; then verdict=vm-only
    elif [ "$v" = "$w" ]; then verdict=ok
    else verdict=DIFFER; fail=1; fi
    printf '%s\t%s\t%s\t%s\n' "$1" "$v" "$w" "$verdict" >>"$tsv"
}

# --- mode and where cgroup2 is ----------------------------------------------
fs=$(stat -fc %T /sys/fs/cgroup)
v2=""
case $fs in
cgroup2fs) mode=unified v2=/sys/fs/cgroup ;;
tmpfs)
    if [ "$(stat -fc %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
        mode=hybrid v2=/sys/fs/cgroup/unified
    else mode=legacy; fi ;;
*) mode="?($fs)" ;;
esac
row "statfs /sys/fs/cgroup -> mode" "$mode" "$(t .host.cgroup.mode)"
row "cgroup2 path" "${v2:-null}" "$(t '.host.cgroup.v2_path // "null"')"

# --- cgroup2 root ---------------------------------------------------------------
if [ -n "$v2" ]; then
    row "cgroup2 cgroup.controllers" "$(norm <"$v2/cgroup.controllers")" \
        "$(t '.host.cgroup.v2.controllers[]?' | norm)"
    row "cgroup2 root cgroup.subtree_control" "$(norm <"$v2/cgroup.subtree_control")" \
        "$(t '.host.cgroup.v2.subtree_control[]?' | norm)"
    # Down the tree, where delegation shows (.host.cgroup.v2.tree): every
    # child of the root, and under user.slice each user-UID.slice and its
    # user@UID.service.
    for f in "$v2"/*/cgroup.subtree_control "$v2"/user.slice/user-*.slice/cgroup.subtree_control \
             "$v2"/user.slice/user-*.slice/user@*.service/cgroup.subtree_control; do
        [ -f "$f" ] || continue
        d=${f#"$v2"}; d=${d%/cgroup.subtree_control}
        row "subtree_control $d" "$(norm <"$f")" \
            "$(t "[.host.cgroup.v2.tree[] | select(.path == \"$d\")] | if length == 0 then \"absent\"
                  else (.[0].subtree_control // [\"unread\"]) | join(\" \") end" | norm)"
    done
fi

# --- mounts: nsdelegate, memory_recursiveprot, v1 hierarchies -----------------------
# mountinfo: fields after " - " are fstype, source, super options.
mi=/proc/self/mountinfo
if [ -n "$v2" ]; then
    sopt=$(awk -v mp="$v2" '$5 == mp { for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup2") print $(i+3) }' $mi | tail -1)
    for o in nsdelegate memory_recursiveprot; do
        case ",$sopt," in *",$o,"*) vv=true ;; *) vv=false ;; esac
        row "cgroup2 mount option $o" "$vv" \
            "$(t ".host.cgroup.mounts[] | select(.mountpoint == \"$v2\") | .$( [ $o = nsdelegate ] && echo nsdelegate || echo memory_recursiveprot)" | tail -1)"
    done
fi
# v1: mountpoint and what the hierarchy is (controllers, name=), not the
# other options (xattr, ...).  Mountpoints hold commas: one per line.
ctl=" $(awk '!/^#/ { printf "%s ", $1 }' /proc/cgroups) "
row "v1 hierarchies (mountpoint=controllers)" \
    "$(awk -v ctl="$ctl" '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup") { n = split($(i+3), o, ","); s = "";
        for (k = 1; k <= n; k++) if (index(ctl, " " o[k] " ") || o[k] ~ /^name=/) s = s (s ? "+" : "") o[k]; print $5 "=" s } }' $mi | sort -u | paste -sd' ' - | sed 's/^$/-/')" \
    "$(t '.host.cgroup.mounts[] | select(.version == 1) | .mountpoint + "=" + ([.controllers[]] + (if .name then ["name=" + .name] else [] end) | join("+"))' | sort -u | paste -sd' ' - | sed 's/^$/-/')"

# --- /proc/cgroups: one row per controller ------------------------------------------
v2c=""
[ -n "$v2" ] && v2c=" $(cat "$v2/cgroup.controllers") "
while read -r name hier num enabled; do
    case $name in \#*) continue ;; esac
    case $name in blkio) v2n=io ;; *) v2n=$name ;; esac
    case "$v2c" in *" $v2n "*) avail=true ;; *) avail=false ;; esac
    if [ "$enabled" = 0 ]; then where=disabled
    elif [ "$hier" -gt 0 ]; then
        if awk -v c="$name" '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "cgroup" && ("," $(i+3) ",") ~ ("," c ",")) f = 1 } END { exit !f }' $mi
        then where=v1; else where=v1_unmounted; fi
    elif [ "$avail" = true ]; then where=v2
    else where=unbound; fi
    row "/proc/cgroups $name (where hier enabled v2)" "$where $hier $enabled $avail" \
        "$(t ".host.cgroup.controllers[] | select(.name == \"$name\") | \"\(.where) \(.hierarchy_id) \(if .enabled == true then 1 elif .enabled == false then 0 else .enabled end) \(.v2_available)\"")"
done </proc/cgroups

# --- kernel cgroup files ----------------------------------------------------------
row "/sys/kernel/cgroup/features" "$(norm </sys/kernel/cgroup/features 2>/dev/null)" \
    "$(t '.host.cgroup.features[]?' | norm)"
row "/sys/kernel/cgroup/delegate" "$(norm </sys/kernel/cgroup/delegate 2>/dev/null)" \
    "$(t '.host.cgroup.delegate[]?' | norm)"

# --- init ------------------------------------------------------------------------
comm=$(cat /proc/1/comm)
if [ -d /run/systemd/system ]; then sys=systemd run=yes
elif [ -d /run/openrc ]; then sys=openrc run=no
else sys=other run=no; fi
row "PID 1 comm" "$comm" "$(t .host.init.pid1_name)"
row "init system (/run/systemd/system, /run/openrc)" "$sys" "$(t .host.init.system)"
row "systemd running" "$run" "$(t .host.init.systemd_running)"
if [ "$sys" = systemd ]; then
    for u in user@.service user@0.service; do
        row "$u Delegate / DelegateControllers" \
            "$(systemctl show "$u" -p Delegate --value 2>/dev/null) / $(systemctl show "$u" -p DelegateControllers --value 2>/dev/null | norm)" \
            "-" vm-only
    done
    row "systemd version" "$(systemctl --version | awk 'NR == 1 { print $2 }')" "-" vm-only
fi

# --- the rest ------------------------------------------------------------------------
row "uname -r" "$(uname -r)" "$(t .host.kernel.release)"
dv=$(systemd-detect-virt -c 2>/dev/null || true)
row "systemd-detect-virt -c" "${dv:-none}" "$(t .host.container.detect_virt)"
row "lxcfs mountpoints (fuse.lxcfs)" \
    "$(awk '{ for (i = 7; $i != "-"; i++); if ($(i+1) == "fuse.lxcfs") print $5 }' $mi | norm)" \
    "$(t '.host.lxcfs.mountpoints[]? | if type == "object" then .mountpoint // .path else . end' | norm)"
# v1: memsw files in the memory hierarchy's root. cgroup2: memory.swap.max
# in a child, which exists only when memory is enabled for the children
# (root subtree_control); otherwise the files cannot tell.
if [ -d /sys/fs/cgroup/memory ]; then
    if [ -f /sys/fs/cgroup/memory/memory.memsw.limit_in_bytes ]; then sw=yes; else sw=no; fi
elif [ -n "$v2" ] && grep -qw memory "$v2/cgroup.subtree_control"; then
    if ls "$v2"/*/memory.swap.max >/dev/null 2>&1; then sw=yes; else sw=no; fi
else sw=unknown; fi
row "swap accounting (memsw / memory.swap.max)" "$sw" "$(t .host.cgroup.swap_accounting.state)"

# --- print --------------------------------------------------------------------------
awk -F'\t' 'BEGIN { printf "%-48s | %-34s | %-34s | %s\n", "fact", "vm", "tool", "verdict" }
    { printf "%-48s | %-34s | %-34s | %s\n", $1, $2, $3, $4 }' "$tsv"
n_ok=$(awk -F'\t' '$4 == "ok"' "$tsv" | wc -l)
n_bad=$(awk -F'\t' '$4 == "DIFFER"' "$tsv" | wc -l)
echo "host facts: $n_ok agree, $n_bad differ"
exit $fail
