# shellcheck shell=sh
# verbs-common.sh (sourced in the VM by delegation.sh, limits.sh, boot.sh):
# the engines, the tools root, and one exec per engine.
O=${SYSCTR_OUT:-/tmp/sysctr-out}
L=${SYSCTR_SHARE:-/mnt/share}/lib
B=/var/lib/sysctr-vm
C=$O/verbs
mkdir -p "$C"
log() { echo "verbs: $*" >&2; }
up() { cut -d' ' -f1 /proc/uptime; }
systemd=no
[ -d /run/systemd/system ] && systemd=yes
wait_for() { # SECONDS CMD...: poll CMD every second (_w: callers use n)
    _w=$1; shift
    while [ "$_w" -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 1; _w=$((_w - 1)); done
    return 1
}
cgmode=$(stat -fc %T /sys/fs/cgroup)
[ "$cgmode" = cgroup2fs ] && cgmode=unified
[ "$cgmode" = tmpfs ] && { if [ -d /sys/fs/cgroup/unified ]; then cgmode=hybrid; else cgmode=legacy; fi; }

docker_up() { # start dockerd once; 0 when it answers
    docker info >/dev/null 2>&1 && return 0
    if [ $systemd = yes ]; then systemctl start docker; else rc-service docker start; fi >>"$C/docker.start" 2>&1
    wait_for 180 docker info
}

# Rootless Podman as the lab user (configure.sh: UID 1000, subordinate IDs).
# systemd hosts: the user lingers, user@1000.service made /run/user/1000 and
# its bus; OpenRC has no logind: the runtime directory is made here, as
# elogind or pam_rundir would.
lab_up() {
    if [ $systemd = yes ]; then
        wait_for 120 test -S /run/user/1000/bus
    else
        [ -d /run/user/1000 ] || { mkdir -p /run/user/1000 && chown 1000:1000 /run/user/1000 && chmod 700 /run/user/1000; }
    fi
}
as_lab() {
    (cd /home/lab && runuser -u lab -- env HOME=/home/lab USER=lab LOGNAME=lab XDG_RUNTIME_DIR=/run/user/1000 \
        ${DBUS_LAB:+DBUS_SESSION_BUS_ADDRESS=$DBUS_LAB} "$@")
}
[ $systemd = yes ] && DBUS_LAB=unix:path=/run/user/1000/bus

# The tools root: the busybox root plus the VM's own lscpu (util-linux),
# free, top, uptime (procps) and nproc (coreutils) with the libraries ldd
# names: the tools users run, from the host's Debian release, small enough
# to import in seconds.  DIR and $B/tools.tar.
tools_root() {
    d=$B/tools/rootfs
    [ -f $B/tools.tar ] && return 0
    rm -rf $B/tools; mkdir -p $B/tools
    cp -a $B/bb/rootfs "$d"
    mkdir -p "$d/usr/bin" "$d/etc" "$d/usr/share/terminfo/d" "$d/usr/lib"
    for b in lscpu free top uptime nproc; do
        p=$(command -v $b) || continue
        cp "$p" "$d/usr/bin/$b"
        for lib in $(ldd "$p" | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'); do
            [ -e "$d$lib" ] && continue
            mkdir -p "$d$(dirname "$lib")"
            cp -L "$lib" "$d$lib"
        done
    done
    # /lib64/ld-linux... is a symlink into /lib/x86_64-linux-gnu on Debian;
    # usrmerge: /lib -> usr/lib is not in the busybox root, cp -L made files.
    for t in /usr/share/terminfo/d/dumb /lib/terminfo/d/dumb; do
        [ -f $t ] && cp $t "$d/usr/share/terminfo/d/dumb" && break
    done
    cp /etc/os-release "$d/etc/os-release" 2>/dev/null
    tar -C "$d" -cf $B/tools.tar .
    log "tools root: $(du -sh "$d" | cut -f1)"
}

# ex ENGINE NAME SCRIPT: run the sh SCRIPT (a file, on stdin) as root in the
# container with the engine's own exec, which puts it in the container's
# cgroup.  nspawn has no exec for a container without systemd's bus: the
# shell joins the cgroups of the container's PID 1 from the host, then
# nsenter enters its namespaces (NAME is the leader PID).
ex() {
    # no "local" in POSIX sh: names the callers do not use
    _xe=$1 _xn=$2 _xf=$3
    case $_xe in
    docker|podman) $_xe exec -i -e TERM=dumb "$_xn" sh -s <"$_xf" ;;
    podman-rootless) as_lab podman exec -i -e TERM=dumb "$_xn" sh -s <"$_xf" ;;
    lxc) lxc-attach -n "$_xn" --clear-env -v TERM=dumb -v PATH=/usr/bin:/bin:/usr/sbin:/sbin -- sh -s <"$_xf" ;;
    runc|crun) $_xe exec --env TERM=dumb --env PATH=/usr/bin:/bin:/usr/sbin:/sbin "$_xn" /bin/sh -s <"$_xf" ;;
    nspawn) { echo "export TERM=dumb PATH=/usr/bin:/bin:/usr/sbin:/sbin"; cat "$_xf"; } | sh -c '
        pid=$1
        v2=/sys/fs/cgroup; [ -d /sys/fs/cgroup/unified ] && v2=/sys/fs/cgroup/unified
        while IFS=: read -r _ ctl path; do
            case $ctl in
            "") d=$v2 ;;
            name=systemd) d=/sys/fs/cgroup/systemd ;;
            name=*) continue ;;
            *) d=/sys/fs/cgroup/$ctl ;;
            esac
            [ -d "$d$path" ] && echo $$ >"$d$path/cgroup.procs"
        done <"/proc/$pid/cgroup"
        exec nsenter -t "$pid" -m -u -i -n -p -C /bin/sh -s' _ "$_xn" ;;
    esac
}
