#!/bin/sh
# containers.sh (in the VM, root): start one container per engine from the
# busybox root on the disk (/var/lib/sysctr-vm) and the systemd root for
# nspawn (/var/lib/machines/sysctr-sd), run `sysctr-check list`, and resolve
# every target form with `sysctr-check --json container TARGET`.
# Prints a table "target | engine says pid | tool runtime id pid | exit |
# verdict" and writes it as TSV to $SYSCTR_OUT/targets.tsv.  Exit 1 if a
# target that the engine runs did not resolve to the engine's PID.
set -u
O=${SYSCTR_OUT:-/tmp/sysctr-out}
mkdir -p "$O/containers"
C=$O/containers
B=/var/lib/sysctr-vm
tsv=$O/targets.tsv
: >"$tsv"
log() { echo "containers: $*" >&2; }
up() { cut -d' ' -f1 /proc/uptime; }
systemd=no
[ -d /run/systemd/system ] && systemd=yes
# wait_for SECONDS CMD...: poll CMD every second.
wait_for() {
    n=$1; shift
    while [ "$n" -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 1; n=$((n - 1)); done
    return 1
}
fresh_root() { rm -rf "$1"; mkdir -p "$(dirname "$1")"; cp -a $B/bb/rootfs "$1"; }
oci_bundle() { # DIR: runc spec, busybox root, `sleep 3600`, no terminal
    fresh_root "$1/rootfs"
    (cd "$1" && runc spec)
    jq '.process.terminal = false | .process.args = ["/bin/sleep", "3600"]' "$1/config.json" >"$1/c.json" &&
        mv "$1/c.json" "$1/config.json"
}
declare_pid() {
    set -- "$1" "$( [ "${2:-0}" = 0 ] || echo "$2")"
    echo "$2" >"$C/$1.pid"
    log "$1: pid ${2:-none} at $(up) s"
    [ -n "$2" ] && cat "/proc/$2/cgroup" >"$C/$1.proc-cgroup" 2>&1
}

# --- docker ---------------------------------------------------------------------
if command -v dockerd >/dev/null; then
    if [ $systemd = yes ]; then systemctl start docker; else rc-service docker start; fi >"$C/docker.start" 2>&1
    if wait_for 180 docker info; then
        docker import $B/bb.tar sysctr-bb >"$C/docker.import" 2>&1
        docker run -d --network none --name sysctr-docker sysctr-bb /bin/sleep 3600 >"$C/docker.run" 2>&1
        declare_pid docker "$(docker inspect -f '{{.State.Pid}}' sysctr-docker 2>>"$C/docker.run")"
        docker inspect sysctr-docker >"$C/docker.inspect" 2>&1
        docker info >"$C/docker.info" 2>&1
    else declare_pid docker ""; log "docker: engine did not come up"; fi
fi
# --- podman (rootful) -------------------------------------------------------------
podman import $B/bb.tar sysctr-bb >"$C/podman.import" 2>&1
podman run -d --network none --name sysctr-podman sysctr-bb /bin/sleep 3600 >"$C/podman.run" 2>&1
declare_pid podman "$(podman inspect -f '{{.State.Pid}}' sysctr-podman 2>>"$C/podman.run")"
podman info >"$C/podman.info" 2>&1
# --- podman (rootless, the lab user: state under /run/user/1000 and its home) -------
(c_=$C; . "$SYSCTR_SHARE/lib/verbs-common.sh"; C=$c_; lab_up
 as_lab podman import /home/lab/bb.tar sysctr-bb >"$C/podman-rootless.import" 2>&1
 as_lab podman run -d --network none --name sysctr-rootless sysctr-bb /bin/sleep 3600 >"$C/podman-rootless.run" 2>&1
 as_lab podman inspect -f '{{.State.Pid}}' sysctr-rootless >"$C/podman-rootless.inspect-pid" 2>>"$C/podman-rootless.run"
 as_lab podman inspect -f '{{.Id}}' sysctr-rootless >"$C/podman-rootless.id" 2>/dev/null
 as_lab podman info >"$C/podman-rootless.info" 2>&1
 find /run/user/1000 /home/lab/.local/share/containers -maxdepth 4 \( -name status -o -name state.json -o -name containers.json \) \
     >"$C/podman-rootless.state-files" 2>&1)
declare_pid podman-rootless "$(cat "$C/podman-rootless.inspect-pid" 2>/dev/null)"
rid=$(cat "$C/podman-rootless.id" 2>/dev/null)
# --- LXC: a config by hand (lxc-create -t none has no template for a
# local directory), the busybox root, sleep as init ---------------------------------
L=/var/lib/lxc/sysctr-lxc
fresh_root $L/rootfs
cat >$L/config <<CONF
lxc.include = /usr/share/lxc/config/common.conf
lxc.uts.name = sysctr-lxc
lxc.rootfs.path = dir:$L/rootfs
lxc.net.0.type = empty
lxc.apparmor.profile = unconfined
lxc.init.cmd = /bin/sleep 3600
CONF
lxc-start -n sysctr-lxc -l DEBUG -o "$C/lxc.log" >"$C/lxc.start" 2>&1
wait_for 30 lxc-info -n sysctr-lxc -s -H
declare_pid lxc "$(lxc-info -n sysctr-lxc -p -H 2>>"$C/lxc.start")"
lxc-info -n sysctr-lxc >"$C/lxc.info" 2>&1; ls -la $L >>"$C/lxc.info" 2>&1
# --- systemd-nspawn -b, registered as machine sysctr-sd -------------------------------
if [ $systemd = yes ]; then
    systemd-run --unit=sysctr-nspawn -p Delegate=yes systemd-nspawn --quiet --keep-unit \
        --private-network -bD /var/lib/machines/sysctr-sd -M sysctr-sd >"$C/nspawn.start" 2>&1
    wait_for 60 machinectl show sysctr-sd
    leader=$(machinectl show -p Leader --value sysctr-sd 2>>"$C/nspawn.start")
    # the boot inside: up to 120 s under TCG
    [ -n "$leader" ] && wait_for 120 sh -c "nsenter -t $leader -m -p systemctl is-system-running | grep -qE 'running|degraded'"
    [ -n "$leader" ] && nsenter -t "$leader" -m -p systemctl is-system-running >"$C/nspawn.state" 2>&1
else
    # No machined without systemd: not registered, and no scope (with the
    # system bus up, nspawn would ask systemd for one and fail).  The init
    # is the child of systemd-nspawn (setsid execs it: no job control here).
    setsid systemd-nspawn --quiet --register=no --keep-unit --private-network -bD /var/lib/machines/sysctr-sd \
        -M sysctr-sd </dev/null >"$C/nspawn.console" 2>&1 &
    nsp=$!
    wait_for 60 pgrep -P "$nsp"
    leader=$(pgrep -P "$nsp" | head -1)
    [ -n "$leader" ] && wait_for 120 sh -c "nsenter -t $leader -m -p systemctl is-system-running | grep -qE 'running|degraded'"
    [ -n "$leader" ] && nsenter -t "$leader" -m -p systemctl is-system-running >"$C/nspawn.state" 2>&1
fi
declare_pid nspawn "${leader:-}"
# --- runc, crun: OCI bundles ------------------------------------------------------
for rt in runc crun; do
    oci_bundle /run/sysctr-$rt
    (cd /run/sysctr-$rt && $rt run -d sysctr-$rt </dev/null >"$C/$rt.run" 2>&1)
    declare_pid $rt "$($rt state sysctr-$rt 2>>"$C/$rt.run" | jq -r .pid)"
done

# --- what the tool says ------------------------------------------------------------
sysctr-check list >"$O/list.txt" 2>&1; echo "exit $?" >>"$O/list.txt"
sysctr-check --json list >"$O/list.json" 2>"$O/list.err"
echo "--- sysctr-check list"; cat "$O/list.txt"

did=$(docker inspect -f '{{.Id}}' sysctr-docker 2>/dev/null)
pid_=$(podman inspect -f '{{.Id}}' sysctr-podman 2>/dev/null)
fail=0
# engine target...
while read -r eng targets; do
    epid=$(cat "$C/$eng.pid" 2>/dev/null)
    for tg in $targets; do
        f=$C/target-$(echo "$tg" | tr ':/' '__' | cut -c1-40).json
        case $tg in
        # the lab user's own run of the tool: its rootless state, not root's
        as-lab:*) (cd /home/lab && runuser -u lab -- env HOME=/home/lab XDG_RUNTIME_DIR=/run/user/1000 \
            "$(command -v sysctr-check)" --json container "${tg#as-lab:}") >"$f" 2>"$f.err" ;;
        *) sysctr-check --json container "$tg" >"$f" 2>"$f.err" ;;
        esac
        rc=$?
        got=$(jq -r '.container.target | [.runtime, .id[0:12], (.pid | tostring)] | join(" ")' "$f" 2>/dev/null)
        gpid=$(jq -r '.container.target.pid // empty' "$f" 2>/dev/null)
        inside=$(jq -r '.container.inside | if . == null then "-" elif .ok == true then "ok" else "error: " + (.error // "?") end' "$f" 2>/dev/null)
        # The container's cgroup2 path: the tool's against /proc/PID/cgroup.
        if [ -n "$epid" ] && [ -n "$gpid" ]; then
            vcg=$(sed -n 's/^0:://p' "/proc/$epid/cgroup")
            tcg=$(jq -r '.container.cgroup2.path // "null"' "$f")
            if [ "${vcg:-null}" = "$tcg" ]; then cg=ok; else cg="DIFFER vm=${vcg:-null} tool=$tcg"; fi
        else cg=-; fi
        inside="$inside	$cg"
        if [ -z "$epid" ]; then verdict="engine-not-running"
        elif [ "$gpid" = "$epid" ]; then verdict=ok
        else verdict=NOT-RESOLVED; fail=1; fi
        [ -n "$got" ] || got="-- $(head -c 90 "$f.err" | tr '\n\t' '  ')"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$tg" "${epid:--}" "$got" "$rc" "$verdict" "$inside" >>"$tsv"
    done
done <<EOF2
docker docker:sysctr-docker docker:$(echo "$did" | cut -c1-12) docker:$did
podman podman:sysctr-podman podman:$(echo "$pid_" | cut -c1-12)
podman-rootless podman:sysctr-rootless podman:$(echo "$rid" | cut -c1-12) sysctr-rootless $(cat "$C/podman-rootless.pid") as-lab:podman:sysctr-rootless
lxc lxc:sysctr-lxc
nspawn nspawn:sysctr-sd machine:sysctr-sd
runc runc:sysctr-runc
crun crun:sysctr-crun
docker sysctr-docker
runc sysctr-runc
nspawn $(cat "$C/nspawn.pid")
EOF2
echo "--- targets"
awk -F'\t' 'BEGIN { printf "%-30s | %-7s | %-40s | %-4s | %-12s | %-6s | %s\n", "target", "engine", "tool: runtime id pid", "exit", "verdict", "inside", "cgroup2 path" }
    { id = $3; if (length(id) > 40) id = substr(id, 1, 37) "..."
      t = $1; if (length(t) > 30) t = substr(t, 1, 27) "..."
      printf "%-30s | %-7s | %-40s | %-4s | %-12s | %-6s | %s\n", t, $2, id, $4, $5, $6, $7 }' "$tsv"
echo "targets: $(awk -F'\t' '$5 == "ok"' "$tsv" | wc -l) resolved, $(awk -F'\t' '$5 != "ok"' "$tsv" | wc -l) not"

# --- clean up (the VM powers off anyway; this keeps a reused VM sane) ----------------
docker rm -f sysctr-docker >/dev/null 2>&1
podman rm -f sysctr-podman >/dev/null 2>&1
(cd /home/lab && runuser -u lab -- env HOME=/home/lab XDG_RUNTIME_DIR=/run/user/1000 podman rm -f sysctr-rootless) >/dev/null 2>&1
lxc-stop -k -n sysctr-lxc >/dev/null 2>&1
machinectl terminate sysctr-sd >/dev/null 2>&1
for rt in runc crun; do $rt delete -f sysctr-$rt >/dev/null 2>&1; done
exit $fail
