#!/bin/bash
# Turn (configuration knobs, payload, rootfs) into an OCI bundle config.json,
# starting from `runc spec` and editing it with jq.
#
#   gen-bundle.sh --rootfs PATH --out DIR (--config ID | --knobs "k=v ...")
#                 [--configs FILE[:FILE...]] [--payload init|sleep|true|probe] [--terminal true|false]
#                 [--hostname NAME] [--jq FILTER] [-- CMD ARGS...]
#   --jq FILTER: a last raw edit (used by refused.tsv for specs runc refuses)
#   gen-bundle.sh --print-knobs --config ID      print the knobs of a configuration
#
# Knobs (see configs.tsv):
#   cg    none | v1-ro | v1-rw | v2-ro | v2-rw | host-ro | host-rw | host-rro
#         what is mounted at /sys/fs/cgroup: nothing; runc's "cgroup" type
#         (a tmpfs with the v1 hierarchies on this hybrid host); runc's
#         "cgroup2" type; the host's /sys/fs/cgroup tree (rbind).  Note:
#         "ro" on an rbind only makes the top mount (the host's tmpfs)
#         read-only, the hierarchies under it stay writable; host-rro uses
#         runc's "rro" (recursive read-only, mount_setattr, kernel >= 5.12).
#   cgns  private | host      a cgroup namespace or not
#   caps  runc | docker | dockeradm | all
#         runc spec's 3; Docker's default 14; Docker's + CAP_SYS_ADMIN;
#         every capability in this process's bounding set
#   run   tmpfs | none        tmpfs on /run and /run/lock
#   env   docker | none       container=docker in the environment
#   nnp   true | false        process.noNewPrivileges
# One knob per mount systemd's mount table wants (src/shared/mount-setup.c
# mount_table[], v252 l.64-115, v257 l.79-120; MNT_IN_CONTAINER entries:
# systemd mounts them itself when nothing is there, which needs
# CAP_SYS_ADMIN) and per unit-level mount the images ship, each its own
# axis (configs-axes.tsv, configs-pairwise.tsv).  Absent from a table:
# the default, which is what the older configs.tsv rows always had.
#   proc   proc | none        /proc (runc spec's proc mount; MNT_FATAL)
#   sys    ro | rw | none     /sys (runc spec: sysfs ro; MNT_FATAL)
#   dev    tmpfs | none       /dev (runc spec's tmpfs; systemd's entry is a
#                             devtmpfs, MNT_FATAL).  none + CAP_SYS_ADMIN:
#                             systemd mounts the HOST's devtmpfs (host_affecting)
#   devpts mount | none       /dev/pts (not MNT_FATAL)
#   shm    tmpfs | none       /dev/shm (MNT_FATAL)
#   mqueue mount | none       /dev/mqueue (dev-mqueue.mount, not mount-setup)
#   run    tmpfs | none       tmpfs on /run (MNT_FATAL)
#   lock   tmpfs | none       tmpfs on /run/lock (Docker's recipe; no unit
#                             mounts it); default: as run
#   tmp    none | tmpfs       tmpfs on /tmp (tmp.mount, Debian >= 13)
#   term   true | false       process.terminal (a /dev/console); --terminal overrides
#   rootro false | true       root.readonly
#   userns none | identity    a user namespace, uid/gid 0..65535 -> 0..65535
#                             (capabilities then are the namespace's)
#   seccomp none | docker     Docker's default profile (moby v20.10.24
#                             profiles/seccomp/default.json, the engine on this
#                             host), resolved for this cap set on amd64 the way
#                             the engine does (seccomp/moby-default-20.10.24.json)
# Prints the path of the generated config.json.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
E2E_LOG_TAG=gen-bundle

DOCKER_CAPS=(CAP_CHOWN CAP_DAC_OVERRIDE CAP_FSETID CAP_FOWNER CAP_MKNOD CAP_NET_RAW
    CAP_SETGID CAP_SETUID CAP_SETFCAP CAP_SETPCAP CAP_NET_BIND_SERVICE CAP_SYS_CHROOT
    CAP_KILL CAP_AUDIT_WRITE)
# Capability numbers 0..40 (linux/capability.h), to decode CapBnd.
CAP_NAMES=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
    LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
    SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
    SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
    MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
    CHECKPOINT_RESTORE)

usage() { usage_from_header "$0"; exit "${1:-0}"; }

# Every capability this process may grant: runc fails with EPERM on a
# capability outside the bounding set (here: CAP_SYS_RESOURCE).
host_caps() {
    local bnd i
    bnd=$((16#$(awk '/^CapBnd:/ {print $2}' /proc/self/status)))
    for i in "${!CAP_NAMES[@]}"; do
        if (((bnd >> i) & 1)); then printf 'CAP_%s\n' "${CAP_NAMES[$i]}"; fi
    done
}

# Look a configuration up in the table: prints "cg=.. cgns=.. ...".
# FILES: one table or several, colon-separated (ids are unique across them).
knobs_of_config() {
    local id=$1 files=() f
    IFS=: read -r -a files <<<"$2"
    for f in "${files[@]}"; do
        awk -F'\t' -v id="$id" '
            /^#/ || NF == 0 {next}
            $1 == "id" {for (i = 1; i <= NF; i++) h[i] = $i; next}
            $1 == id {for (i = 2; i <= NF; i++) if (h[i] != "note" && h[i] != "images") printf "%s=%s ", h[i], $i; found=1; exit}
            END {exit !found}' "$f" && return 0
    done
    die "config $id not found in $2"
}

# This process's hard rlimits as "RLIMIT_NOFILE 20000" lines: runc spec's
# rlimits above them are dropped (raising a hard limit needs
# CAP_SYS_RESOURCE, which this host does not grant).
host_hard_limits() {
    prlimit --pid $$ --noheadings --raw --output RESOURCE,HARD | awk '{print "RLIMIT_" $1, $2}'
}

main() {
    local rootfs='' outdir='' config='' knobs='' configs="$E2E_DIR/configs.tsv"
    local payload=init terminal='' hostname=sc-e2e args=() print_knobs=0 extra_jq='.'
    while (($#)); do
        case $1 in
        --rootfs) rootfs=$2; shift ;;
        --out) outdir=$2; shift ;;
        --print-knobs) print_knobs=1 ;;
        --config) config=$2; shift ;;
        --knobs) knobs=$2; shift ;;
        --configs) configs=$2; shift ;;
        --payload) payload=$2; shift ;;
        --terminal) terminal=$2; shift ;;
        --hostname) hostname=$2; shift ;;
        --jq) extra_jq=$2; shift ;;
        -h | --help) usage 0 ;;
        --) shift; args=("$@"); break ;;
        *) usage 2 ;;
        esac
        shift
    done
    [[ -n $config || -n $knobs ]] || usage 2
    [[ -n $knobs ]] || knobs=$(knobs_of_config "$config" "$configs")
    if ((print_knobs)); then printf '%s\n' "${knobs% }"; return 0; fi
    [[ -n $rootfs && -n $outdir ]] || usage 2

    local cg='' cgns='' caps='' run='' env='' nnp='' kv
    local proc=proc sys=ro dev=tmpfs devpts=mount shm=tmpfs mqueue=mount lock='' tmp=none
    local term=true rootro=false userns=none seccomp=none
    for kv in $knobs; do
        case ${kv%%=*} in
        cg) cg=${kv#*=} ;; cgns) cgns=${kv#*=} ;; caps) caps=${kv#*=} ;;
        run) run=${kv#*=} ;; env) env=${kv#*=} ;; nnp) nnp=${kv#*=} ;;
        proc) proc=${kv#*=} ;; sys) sys=${kv#*=} ;; dev) dev=${kv#*=} ;;
        devpts) devpts=${kv#*=} ;; shm) shm=${kv#*=} ;; mqueue) mqueue=${kv#*=} ;;
        lock) lock=${kv#*=} ;; tmp) tmp=${kv#*=} ;; term) term=${kv#*=} ;;
        rootro) rootro=${kv#*=} ;; userns) userns=${kv#*=} ;; seccomp) seccomp=${kv#*=} ;;
        *) die "unknown knob $kv" ;;
        esac
    done
    [[ -n $lock ]] || lock=$run
    [[ -n $terminal ]] || terminal=$term
    [[ $cg =~ ^(none|v1-ro|v1-rw|v2-ro|v2-rw|host-ro|host-rw|host-rro)$ ]] || die "bad cg=$cg"
    [[ $cgns =~ ^(private|host)$ ]] || die "bad cgns=$cgns"
    [[ $caps =~ ^(runc|docker|dockeradm|all)$ ]] || die "bad caps=$caps"
    [[ $run =~ ^(tmpfs|none)$ ]] || die "bad run=$run"
    [[ $env =~ ^(docker|none)$ ]] || die "bad env=$env"
    [[ $nnp =~ ^(true|false)$ ]] || die "bad nnp=$nnp"
    [[ $proc =~ ^(proc|none)$ ]] || die "bad proc=$proc"
    [[ $sys =~ ^(ro|rw|none)$ ]] || die "bad sys=$sys"
    [[ $dev =~ ^(tmpfs|none)$ ]] || die "bad dev=$dev"
    [[ $devpts =~ ^(mount|none)$ ]] || die "bad devpts=$devpts"
    [[ $shm =~ ^(tmpfs|none)$ ]] || die "bad shm=$shm"
    [[ $mqueue =~ ^(mount|none)$ ]] || die "bad mqueue=$mqueue"
    [[ $lock =~ ^(tmpfs|none)$ ]] || die "bad lock=$lock"
    [[ $tmp =~ ^(tmpfs|none)$ ]] || die "bad tmp=$tmp"
    [[ $term =~ ^(true|false)$ ]] || die "bad term=$term"
    [[ $rootro =~ ^(true|false)$ ]] || die "bad rootro=$rootro"
    [[ $userns =~ ^(none|identity)$ ]] || die "bad userns=$userns"
    [[ $seccomp =~ ^(none|docker)$ ]] || die "bad seccomp=$seccomp"

    if ((${#args[@]} == 0)); then
        case $payload in
        init) args=(/sbin/init) ;;
        sleep) args=(/bin/sleep infinity) ;;
        true) args=(/bin/true) ;;
        # Trivial payload that proves the container really started.
        probe) args=(/bin/sh -c 'echo sc-e2e-probe-ok') ;;
        *) die "bad payload $payload" ;;
        esac
    fi

    mkdir -p "$outdir"
    local spec="$outdir/config.json" tmpd
    tmpd=$(mktemp -d)
    (cd "$tmpd" && runc spec)
    mv "$tmpd/config.json" "$spec"
    rmdir "$tmpd"

    local capnames=''
    case $caps in
    runc) ;; # keep runc spec's set untouched
    docker) capnames="${DOCKER_CAPS[*]}" ;;
    dockeradm) capnames="${DOCKER_CAPS[*]} CAP_SYS_ADMIN" ;;
    all) capnames=$(host_caps | tr '\n' ' ') ;;
    esac

    # One jq pass (each jq start costs ~40 ms, and the matrix makes three
    # bundles per case).  The cgroup mount replaces runc spec's read-only
    # "cgroup" entry in place: mount order matters, it must follow /sys.
    jq --arg rootfs "$(realpath "$rootfs")" --arg hostname "$hostname" \
        --argjson terminal "$terminal" --argjson nnp "$nnp" \
        --arg cg "$cg" --arg cgns "$cgns" --arg run "$run" --arg env "$env" \
        --arg capnames "$capnames" --arg limits "$(host_hard_limits)" \
        --arg proc "$proc" --arg sys "$sys" --arg dev "$dev" --arg devpts "$devpts" \
        --arg shm "$shm" --arg mqueue "$mqueue" --arg lock "$lock" --arg tmp "$tmp" \
        --argjson rootro "$rootro" --arg userns "$userns" \
        --slurpfile seccomp "$E2E_DIR/seccomp/moby-default-20.10.24.json" --arg secmode "$seccomp" '
        def cgmount:
            ({options: ["nosuid", "noexec", "nodev"]}
             + if $cg | startswith("v1-") then {type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime"]}
               elif $cg | startswith("v2-") then {type: "cgroup2", source: "cgroup2", options: ["nosuid", "noexec", "nodev", "relatime"]}
               else {type: "bind", source: "/sys/fs/cgroup", options: ["rbind", "nosuid", "noexec", "nodev"]} end)
            | .destination = "/sys/fs/cgroup"
            | if $cg | endswith("-ro") then .options += ["ro"]
              elif $cg | endswith("-rro") then .options += ["rro"] else . end;
        # moby seccomp profile -> OCI linux.seccomp for this cap set on
        # amd64 (moby profiles/seccomp/seccomp_linux.go setupSeccomp: a rule
        # needs all its includes.caps and none of its excludes.caps; arches
        # filter on the native one; minKernel <= this kernel).
        def moby_to_oci($caps):
            . as $p
            | {defaultAction: $p.defaultAction,
               architectures: ([$p.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
                                | .architecture, .subArchitectures[]]),
               syscalls: [$p.syscalls[]
                   | select(((.includes.caps // []) - $caps) == [])
                   | select(((.excludes.caps // []) | map(. as $c | $caps | index([$c]) != null) | any) | not)
                   | select((.includes.arches // ["amd64"]) | index(["amd64"]) != null)
                   | select((.excludes.arches // []) | index(["amd64"]) == null)
                   | {names, action} + (if .errnoRet then {errnoRet} else {} end)
                     + (if .args then {args} else {} end)]};
        ($limits | split("\n") | map(select(. != "") | split(" ") | {(.[0]): .[1]}) | add // {}) as $hard
        | ($capnames | split(" ") | map(select(. != ""))) as $capset
        | .process.terminal = $terminal
        | .process.args = $argv
        | .process.noNewPrivileges = $nnp
        | .root = {path: $rootfs, readonly: $rootro}
        | .hostname = $hostname
        | .process.env = [.process.env[] | select(startswith("container=") | not)]
        | (if $env != "none" then .process.env += ["container=" + $env] else . end)
        | (if $capnames != "" then .process.capabilities =
              {bounding: $capset, effective: $capset, permitted: $capset} else . end)
        | .mounts = [.mounts[] | if .destination == "/sys/fs/cgroup" then
                         (if $cg == "none" then empty else cgmount end) else . end]
        | .mounts = [.mounts[]
              | select(.destination != "/proc" or $proc != "none")
              | select(.destination != "/sys" or $sys != "none")
              | select(.destination != "/dev" or $dev != "none")
              | select(.destination != "/dev/pts" or $devpts != "none")
              | select(.destination != "/dev/shm" or $shm != "none")
              | select(.destination != "/dev/mqueue" or $mqueue != "none")
              | if .destination == "/sys" and $sys == "rw" then .options -= ["ro"] else . end]
        | (if $run == "tmpfs" then .mounts += [
              {destination: "/run", type: "tmpfs", source: "tmpfs",
               options: ["nosuid", "nodev", "mode=755"]}] else . end)
        | (if $lock == "tmpfs" then .mounts += [
              {destination: "/run/lock", type: "tmpfs", source: "tmpfs",
               options: ["nosuid", "nodev", "noexec", "size=5m"]}] else . end)
        | (if $tmp == "tmpfs" then .mounts += [
              {destination: "/tmp", type: "tmpfs", source: "tmpfs",
               options: ["nosuid", "nodev", "mode=1777"]}] else . end)
        | (if $userns == "identity" then
              .linux.namespaces += [{type: "user"}]
              | .linux.uidMappings = [{containerID: 0, hostID: 0, size: 65536}]
              | .linux.gidMappings = [{containerID: 0, hostID: 0, size: 65536}]
           else . end)
        | (if $secmode == "docker" then .process.capabilities.bounding as $b
              | .linux.seccomp = ($seccomp[0] | moby_to_oci($b)) else . end)
        | .linux.namespaces = [.linux.namespaces[] | select(.type != "cgroup")]
        | (if $cgns == "private" then .linux.namespaces += [{type: "cgroup"}] else . end)
        | .process.rlimits = [(.process.rlimits // [])[]
              | select(($hard[.type] // "unlimited") as $h
                       | $h == "unlimited" or $h == "-1" or (.hard <= ($h | tonumber)))]
        ' --argjson argv "$(printf '%s\n' "${args[@]}" | jq -Rnc '[inputs]')" <"$spec" >"$spec.tmp"
    mv "$spec.tmp" "$spec"
    if [[ $extra_jq != . ]]; then
        jq "$extra_jq" "$spec" >"$spec.tmp"
        mv "$spec.tmp" "$spec"
    fi
    printf '%s\n' "$spec"
}

main "$@"
