#!/bin/bash
# Turn (configuration knobs, payload, rootfs) into an OCI bundle config.json,
# starting from `runc spec` and editing it with jq.
#
#   gen-bundle.sh --rootfs PATH --out DIR (--config ID | --knobs "k=v ...")
#                 [--configs FILE] [--payload init|sleep|true|probe] [--terminal true|false]
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
knobs_of_config() {
    local id=$1 file=$2
    awk -F'\t' -v id="$id" '
        /^#/ || NF == 0 {next}
        $1 == "id" {for (i = 1; i <= NF; i++) h[i] = $i; next}
        $1 == id {for (i = 2; i <= NF; i++) if (h[i] != "note") printf "%s=%s ", h[i], $i; found=1; exit}
        END {exit !found}' "$file" || die "config $id not found in $file"
}

# This process's hard rlimits as "RLIMIT_NOFILE 20000" lines: runc spec's
# rlimits above them are dropped (raising a hard limit needs
# CAP_SYS_RESOURCE, which this host does not grant).
host_hard_limits() {
    prlimit --pid $$ --noheadings --raw --output RESOURCE,HARD | awk '{print "RLIMIT_" $1, $2}'
}

main() {
    local rootfs='' outdir='' config='' knobs='' configs="$E2E_DIR/configs.tsv"
    local payload=init terminal=false hostname=sc-e2e args=() print_knobs=0 extra_jq='.'
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
    for kv in $knobs; do
        case ${kv%%=*} in
        cg) cg=${kv#*=} ;; cgns) cgns=${kv#*=} ;; caps) caps=${kv#*=} ;;
        run) run=${kv#*=} ;; env) env=${kv#*=} ;; nnp) nnp=${kv#*=} ;;
        *) die "unknown knob $kv" ;;
        esac
    done
    [[ $cg =~ ^(none|v1-ro|v1-rw|v2-ro|v2-rw|host-ro|host-rw|host-rro)$ ]] || die "bad cg=$cg"
    [[ $cgns =~ ^(private|host)$ ]] || die "bad cgns=$cgns"
    [[ $caps =~ ^(runc|docker|dockeradm|all)$ ]] || die "bad caps=$caps"
    [[ $run =~ ^(tmpfs|none)$ ]] || die "bad run=$run"
    [[ $env =~ ^(docker|none)$ ]] || die "bad env=$env"
    [[ $nnp =~ ^(true|false)$ ]] || die "bad nnp=$nnp"

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
        --arg capnames "$capnames" --arg limits "$(host_hard_limits)" '
        def cgmount:
            ({options: ["nosuid", "noexec", "nodev"]}
             + if $cg | startswith("v1-") then {type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime"]}
               elif $cg | startswith("v2-") then {type: "cgroup2", source: "cgroup2", options: ["nosuid", "noexec", "nodev", "relatime"]}
               else {type: "bind", source: "/sys/fs/cgroup", options: ["rbind", "nosuid", "noexec", "nodev"]} end)
            | .destination = "/sys/fs/cgroup"
            | if $cg | endswith("-ro") then .options += ["ro"]
              elif $cg | endswith("-rro") then .options += ["rro"] else . end;
        ($limits | split("\n") | map(select(. != "") | split(" ") | {(.[0]): .[1]}) | add // {}) as $hard
        | ($capnames | split(" ") | map(select(. != ""))) as $capset
        | .process.terminal = $terminal
        | .process.args = $ARGS.positional
        | .process.noNewPrivileges = $nnp
        | .root = {path: $rootfs, readonly: false}
        | .hostname = $hostname
        | .process.env = [.process.env[] | select(startswith("container=") | not)]
        | (if $env != "none" then .process.env += ["container=" + $env] else . end)
        | (if $capnames != "" then .process.capabilities =
              {bounding: $capset, effective: $capset, permitted: $capset} else . end)
        | .mounts = [.mounts[] | if .destination == "/sys/fs/cgroup" then
                         (if $cg == "none" then empty else cgmount end) else . end]
        | (if $run == "tmpfs" then .mounts += [
              {destination: "/run", type: "tmpfs", source: "tmpfs",
               options: ["nosuid", "nodev", "mode=755"]},
              {destination: "/run/lock", type: "tmpfs", source: "tmpfs",
               options: ["nosuid", "nodev", "noexec", "size=5m"]}] else . end)
        | .linux.namespaces = [.linux.namespaces[] | select(.type != "cgroup")]
        | (if $cgns == "private" then .linux.namespaces += [{type: "cgroup"}] else . end)
        | .process.rlimits = [(.process.rlimits // [])[]
              | select(($hard[.type] // "unlimited") as $h
                       | $h == "unlimited" or $h == "-1" or (.hard <= ($h | tonumber)))]
        ' --args "${args[@]}" <"$spec" >"$spec.tmp"
    mv "$spec.tmp" "$spec"
    if [[ $extra_jq != . ]]; then
        jq "$extra_jq" "$spec" >"$spec.tmp"
        mv "$spec.tmp" "$spec"
    fi
    printf '%s\n' "$spec"
}

main "$@"
