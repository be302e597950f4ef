# shellcheck shell=bash
# Common helpers for the end-to-end scripts (sourced, not executed).
#
# Everything here is about *our own* test containers: the cache of pristine
# root filesystems, per-boot overlay mounts, and runc bundles.  Nothing
# here ever runs systemd outside a runc container whose root is an overlay.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export E2E_DIR

# Cache of pristine images and scratch space: outside the repository.
SYSCTR_E2E_CACHE=${SYSCTR_E2E_CACHE:-/var/cache/sysctr-check/e2e}
export SYSCTR_E2E_CACHE
E2E_IMAGES="$SYSCTR_E2E_CACHE/images"
# These are used by the scripts that source this file.
# shellcheck disable=SC2034
{
# Per-boot scratch (overlay upper/work dirs, bundles, logs).
E2E_SCRATCH=${SYSCTR_E2E_SCRATCH:-$SYSCTR_E2E_CACHE/scratch}
# The configuration tables (colon-separated; ids are unique across them):
# the sweeps, one knob at a time, all pairs (pairwise.py writes the last two).
E2E_CONFIGS=${SYSCTR_E2E_CONFIGS:-$E2E_DIR/configs.tsv:$E2E_DIR/configs-axes.tsv:$E2E_DIR/configs-pairwise.tsv}
# The suites the matrix covers by default.
E2E_DEFAULT_SUITES=(bookworm trixie sid)
E2E_MIRROR=${SYSCTR_E2E_MIRROR:-http://deb.debian.org/debian}
# The system python (a pyenv shim on PATH costs ~0.4 s per start).
if [[ -x /usr/bin/python3 ]]; then E2E_PYTHON=/usr/bin/python3; else E2E_PYTHON=python3; fi
}

# Scripts set E2E_LOG_TAG to name themselves in log lines.
E2E_LOG_TAG=${E2E_LOG_TAG:-e2e}

# Print the comment block at the top of a script (its usage text).
usage_from_header() {
    awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$1"
}

log() { printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "$E2E_LOG_TAG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

require_root() {
    [[ $(id -u) -eq 0 ]] || die "must run as root (runc, mount, debootstrap)"
}

# Install missing host tools with apt-get (only when root, only if absent).
# $@: pairs "command:package".
ensure_tools() {
    local pair cmd pkg missing=()
    for pair in "$@"; do
        cmd=${pair%%:*} pkg=${pair#*:}
        command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    require_root
    log "installing missing tools: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Path of a built image's root filesystem (pristine; never boot on it).
image_rootfs() { printf '%s/%s/rootfs\n' "$E2E_IMAGES" "$1"; }
image_stamp() { printf '%s/%s/stamp.json\n' "$E2E_IMAGES" "$1"; }
image_ready() { [[ -f $(image_stamp "$1") && -d $(image_rootfs "$1") ]]; }

# systemd version of an image root, without running anything from it:
# libsystemd-shared-NNN.so (v231+), leading digits only.
rootfs_systemd_version() {
    local root=$1 f
    f=$(find "$root/lib/systemd" "$root/usr/lib/systemd" "$root"/usr/lib/*-linux-*/systemd \
        -maxdepth 1 -name 'libsystemd-shared-*.so' 2>/dev/null | head -n1 || true)
    [[ -n $f ]] || { echo unknown; return 0; }
    f=${f##*/libsystemd-shared-}
    printf '%s\n' "${f%%[!0-9]*}"
}

# Full Debian package version of systemd in an image (from the dpkg db).
rootfs_systemd_pkg_version() {
    awk '/^Package: /{p=$2} p=="systemd" && /^Version: /{print $2; exit}' \
        "$1/var/lib/dpkg/status"
}

# Is something mounted exactly at $1?  (/proc/self/mountinfo)
is_mounted() {
    local target
    target=$(realpath -m "$1")
    awk -v t="$target" '$5 == t {found=1} END {exit !found}' /proc/self/mountinfo
}

# Mount an overlay over a pristine image: lower = image (read-only use),
# upper/work in a per-boot scratch dir.  $1 = suite, $2 = scratch dir.
# Prints the merged root path.
overlay_up() {
    local suite=$1 dir=$2 lower
    lower=$(image_rootfs "$suite")
    [[ -d $lower ]] || die "image $suite not built (run images.sh $suite)"
    mkdir -p "$dir/upper" "$dir/work" "$dir/rootfs"
    mount -t overlay overlay \
        -o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/work" "$dir/rootfs"
    # Safety: never hand a path on the host root to runc as a container root.
    is_mounted "$dir/rootfs" || die "overlay not mounted at $dir/rootfs"
    printf '%s\n' "$dir/rootfs"
}

# Unmount everything under the scratch dir (lazily if busy) and remove it.
overlay_down() {
    local dir=$1 m
    [[ -n $dir && -d $dir ]] || return 0
    # Deepest mounts first.
    while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done < <(awk -v d="$(realpath -m "$dir")/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    if awk -v d="$(realpath -m "$dir")/" 'index($5, d) == 1 {f=1} END {exit !f}' /proc/self/mountinfo; then
        log "WARNING: mounts remain under $dir; not removing it"
        return 1
    fi
    rm -rf --one-file-system "$dir"
}

# --- host state our containers can change ----------------------------------
# Measured, not guessed (see TRUTH.md): a container systemd can change the
# HOST's cgroup setup in three ways, all undone after each such case:
#  1. host tree bind-mounted (rbind; in runc 1.1 "ro" only applies to the
#     top tmpfs, the hierarchies stay writable): it creates cgroups in the
#     host's hierarchies (at their ROOT with a private cgroupns) and mount
#     point dirs/symlinks on the host's /sys/fs/cgroup tmpfs;
#  2. same, with CAP_SYS_ADMIN: it remounts that tmpfs
#     "ro,size=4m,nr_inodes=1k" -- MS_REMOUNT changes the shared superblock;
#  3. host cgroupns + CAP_SYS_ADMIN: it mounts cgroup2 in the initial cgroup
#     namespace, which sets the GLOBAL cgroup2 root flags (nsdelegate,
#     memory_recursiveprot, ...) to its mount options.  nsdelegate then makes
#     later boots fail ("Failed to create /init.scope control group: No such
#     file or directory") -- results became order-dependent until restored.
#     runc's own "cgroup2" mount with a host cgroupns does the same (it
#     clears them: runc mounts without nsdelegate), whatever the caps.
#  4. nothing on /dev + CAP_SYS_ADMIN (knob dev=none): systemd mounts a
#     devtmpfs, which is the HOST's /dev (one superblock), and dev_setup()
#     adds symlinks to it (/dev/core); pairwise.py never combines dev=none
#     with CAP_SYS_MODULE (tmpfiles-setup-dev would chmod host nodes).
# Such cases run one at a time (host_affecting), with save/restore around.

# Does a configuration (knobs "cg=.. cgns=.. caps=..") touch host state?
host_affecting() {
    local knobs=" $1 "
    [[ $knobs == *" cg=host-"* ]] && return 0
    [[ $knobs == *" dev=none "* && ($knobs == *" caps=all "* || $knobs == *" caps=dockeradm "*) ]] && return 0
    [[ $knobs == *" cgns=host "* ]] || return 1
    [[ $knobs == *" cg=v2-"* || $knobs == *" caps=all "* || $knobs == *" caps=dockeradm "* ]]
}

# The same question for a config.json (a `boot --fix` patched copy, whose
# knobs are not a table row): the host's tree bound in; no /dev mount and
# CAP_SYS_ADMIN; or the host cgroupns with a cgroup2 mount or CAP_SYS_ADMIN.
host_affecting_config() {
    jq -e '
        ([.mounts[]? | select(.destination == "/sys/fs/cgroup")] | last) as $cg
        | ((.process.capabilities.effective // []) | index(["CAP_SYS_ADMIN"]) != null) as $adm
        | ([.linux.namespaces[]? | select(.type == "cgroup" and (has("path") | not))] | length > 0) as $cgns
        | ($cg != null and $cg.source == "/sys/fs/cgroup")
          or ($adm and ([.mounts[]? | select(.destination == "/dev")] | length == 0))
          or (($cgns | not) and ($adm or ($cg != null and $cg.type == "cgroup2")))' "$1" >/dev/null
}

# Does runc itself, starting any payload with these knobs, change host
# state?  Yes for cgroup2 + host cgroupns (its cgroup2 mount resets the
# global cgroup2 flags); the other host_affecting cases need systemd.
host_affecting_runtime() {
    local knobs=" $1 "
    [[ $knobs == *" cgns=host "* && $knobs == *" cg=v2-"* ]]
}

# List cgroup dirs and symlinks, skipping runc containers' own cgroups
# (sc-e2e-*, removed by runc delete) and the host supervisor's tree.
host_cgroup_snapshot() {
    # find exits 1 when a cgroup goes away under it (another container
    # torn down meanwhile): with pipefail and set -e that killed the
    # caller's host_state_save half-way (the fix boots saw it, 3 times).
    { find /sys/fs/cgroup \( -name 'sc-e2e-*' -o -name process_api \) -prune -o \
        \( -type d -o -type l \) -print 2>/dev/null || true; } | LC_ALL=C sort
}

# Entries new since snapshot $1 that a container's systemd could have
# created: entries directly on the tmpfs (hierarchy mount points), and unit
# cgroups (*.slice, *.scope, ...) new at a hierarchy's root, with what is
# under them.  Other new cgroups (another user's containers) are left alone.
host_cgroup_new_entries() {
    local before=$1 p rest first
    while read -r p; do
        rest=${p#/sys/fs/cgroup/}
        if [[ $rest == */* ]]; then
            rest=${rest#*/}
            first=${rest%%/*}
            [[ $first =~ \.(slice|scope|service|socket|mount|swap)$ ]] || continue
            grep -qxF "${p%"/$rest"}/$first" "$before" && continue
        fi
        printf '%s\n' "$p"
    done < <(LC_ALL=C comm -13 "$before" <(host_cgroup_snapshot))
}

# Symlinks directly in the host's /dev (a devtmpfs): "path -> target".
host_dev_links() {
    { find /dev -maxdepth 1 -type l -printf '%p -> %l\n' 2>/dev/null || true; } | LC_ALL=C sort
}

# Super options of the mount at $1 ("rw,mode=755", "rw,nsdelegate").
mount_super_opts() {
    awk -v mp="$1" '$5 == mp {for (i = 7; i <= NF; i++) if ($i == "-") {print $(i + 3); exit}}' \
        /proc/self/mountinfo
}

# The host's cgroup2 mount point (hybrid: /sys/fs/cgroup/unified).
host_cgroup2_mountpoint() {
    awk '{for (i = 7; i <= NF; i++) if ($i == "-") {if ($(i + 1) == "cgroup2") {print $5; exit} else break}}' \
        /proc/self/mountinfo
}

# Save what a case may change into files $1.{tree,tmpfs,cg2}.
host_state_save() {
    local p=$1 cg2
    host_cgroup_snapshot >"$p.tree"
    host_dev_links >"$p.dev"
    awk '{print $1, $2}' /proc/cgroups >"$p.proc-cgroups"
    mount_super_opts /sys/fs/cgroup >"$p.tmpfs"
    cg2=$(host_cgroup2_mountpoint)
    if [[ -n $cg2 ]]; then printf '%s\t%s\n' "$cg2" "$(mount_super_opts "$cg2")" >"$p.cg2"; else : >"$p.cg2"; fi
}

# Print what differs from the saved state (empty: nothing).
host_state_diff() {
    local p=$1 mp opts
    [[ $(mount_super_opts /sys/fs/cgroup) == "$(cat "$p.tmpfs")" ]] ||
        echo "/sys/fs/cgroup tmpfs: $(cat "$p.tmpfs") -> $(mount_super_opts /sys/fs/cgroup)"
    if [[ -s $p.cg2 ]]; then
        IFS=$'\t' read -r mp opts <"$p.cg2"
        [[ $(mount_super_opts "$mp") == "$opts" ]] || echo "cgroup2 $mp: $opts -> $(mount_super_opts "$mp")"
    fi
    # Controllers bound to v1 hierarchies (a container mounting net_cls or
    # hugetlb in the initial cgroupns binds them while it lives).
    diff "$p.proc-cgroups" <(awk '{print $1, $2}' /proc/cgroups) | sed -n 's/^> /\/proc\/cgroups now: /p'
    host_cgroup_new_entries "$p.tree" | sed 's/^/new: /'
    [[ ! -f $p.dev ]] || LC_ALL=C comm -13 "$p.dev" <(host_dev_links) | sed 's/^/new in \/dev: /'
}

# Undo the changes; returns 1 (with a warning) if something stays changed.
host_state_restore() {
    local p=$1 now before mp opts pages i e
    [[ -f $p.tree ]] || return 0
    # 1. The tmpfs first (read-only, its new directories cannot go).  tmpfs
    # shows size/nr_inodes only when not the default (half the RAM pages,
    # for both): pass the defaults explicitly when absent.  --options-mode
    # ignore: mount(8) would otherwise merge in the current (bad) options.
    before=$(cat "$p.tmpfs") now=$(mount_super_opts /sys/fs/cgroup)
    if [[ -n $before && $now != "$before" ]]; then
        log "host /sys/fs/cgroup tmpfs changed ($before -> $now): restoring"
        pages=$(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 4 / 2))
        opts=$before
        [[ ,$opts, == *,size=* ]] || opts+=",size=$((pages * 4))k"
        [[ ,$opts, == *,nr_inodes=* ]] || opts+=",nr_inodes=$pages"
        mount --options-mode ignore -o "remount,$opts" /sys/fs/cgroup || true
    fi
    # 2. The global cgroup2 root flags: a remount in the initial cgroupns
    # sets them to exactly the options given.
    if [[ -s $p.cg2 ]]; then
        IFS=$'\t' read -r mp opts <"$p.cg2"
        now=$(mount_super_opts "$mp")
        if [[ $now != "$opts" ]]; then
            log "host cgroup2 ($mp) options changed ($opts -> $now): restoring"
            mount --options-mode ignore -o "remount,$opts" "$mp" || true
        fi
    fi
    # 3. New cgroups and mount point dirs, deepest first (rmdir only: a
    # populated cgroup cannot be removed by accident).
    while read -r e; do
        if [[ -L $e ]]; then
            rm -f "$e"
        else
            for i in 1 2 3 4 5; do
                rmdir "$e" 2>/dev/null && break
                sleep 0.2
            done
            : "$i"
        fi
    done < <(host_cgroup_new_entries "$p.tree" | LC_ALL=C sort -r)
    # 4. Symlinks a container's systemd added to the host's devtmpfs.
    if [[ -f $p.dev ]]; then
        while read -r e; do rm -f "${e%% -> *}"; done < <(LC_ALL=C comm -13 "$p.dev" <(host_dev_links))
    fi
    # 5. v1 hierarchies created by a dead container go away once empty.
    for i in 1 2 3 4 5 6 7 8 9 10; do
        diff -q "$p.proc-cgroups" <(awk '{print $1, $2}' /proc/cgroups) >/dev/null && break
        sleep 0.2
    done
    now=$(host_state_diff "$p")
    [[ -z $now ]] || { log "WARNING: host state still differs: $now"; return 1; }
}

# Safety net: a container's own cgroup dirs left behind in any hierarchy.
host_cgroup_remove_container_dirs() {
    local cid=$1 d
    [[ $cid == sc-e2e-* ]] || return 0
    while read -r d; do
        find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || true
        [[ -e $d ]] && log "WARNING: leftover cgroup $d"
    done < <(find /sys/fs/cgroup -mindepth 2 -maxdepth 3 -type d -name "$cid" 2>/dev/null)
    return 0
}

# Stop and delete a runc container, ignoring "does not exist".
runc_teardown() {
    local id=$1
    [[ -n $id ]] || return 0
    runc kill "$id" KILL >/dev/null 2>&1 || true
    # Give the kernel a moment to reap, then force-delete.
    local i
    for i in 1 2 3 4 5 6 7 8 9 10; do
        runc delete -f "$id" >/dev/null 2>&1 || true
        runc state "$id" >/dev/null 2>&1 || return 0
        sleep 0.2
        : "$i"
    done
    log "WARNING: container $id still present after teardown"
    return 1
}

# From `systemctl status` outputs (### systemctl status UNIT headers), one
# JSON object: each failed unit -> how its process died and the last line
# of its own log that says why. $1 = the file.
unit_failure_reasons() {
    [[ -s $1 ]] || { echo '{}'; return 0; }
    awk '
        /^### systemctl status / {u = $4; next}
        u == "" {next}
        /(Main PID|Process):.*\(code=/ && !(u in st) {match($0, /\(code=[^)]*\)/); st[u] = substr($0, RSTART + 1, RLENGTH - 2)}
        /^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9] / {
            l = $0; sub(/^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]+ [^ ]+ /, "", l)
            if (l !~ /Starting|Started|Failed with result|Main process exited|Failed to start|Scheduled restart|Deactivated|repeated too quickly|Stopp|Finished|Mounting|Mounted|Listening|for more information|may have more information/) lg[u] = l
        }
        END {
            for (k in st) printf "%s\t%s%s\n", k, st[k], (k in lg ? "; " lg[k] : "")
            for (k in lg) if (!(k in st)) printf "%s\t%s\n", k, lg[k]
        }' "$1" | jq -R 'split("\t") | {(.[0]): .[1]}' | jq -sc 'add // {}'
}

# "running" is not yet the steady state: a unit that fails and restarts
# (Restart=always: getty@tty1 on the host's devtmpfs, R31; console-getty,
# R34) reaches its start limit a moment later and the system is degraded
# for good. Call on each "running" answer; true once the first one has held
# for E2E_SETTLE seconds (3). Keeps its clock in the caller's settled_at
# (a local of the caller, empty at first).
running_settled() {
    if [[ -z $settled_at ]]; then
        settled_at=$(awk -v t="$(date +%s.%N)" -v d="${E2E_SETTLE:-3}" 'BEGIN {printf "%.1f", t + d}')
        return 1
    fi
    awk -v n="$(date +%s.%N)" -v s="$settled_at" 'BEGIN {exit !(n >= s)}'
}
