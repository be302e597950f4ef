# shellcheck shell=bash
# Docker helpers for the end-to-end scripts (sourced after lib.sh, not
# executed).  Root only.
#
#   docker_up                 start containerd and dockerd if they are not
#                             running (this host: no bridge, no iptables),
#                             wait for the socket; remembers what it started
#   docker_down               stop only what docker_up started
#   docker_image IMAGE        import the cached debootstrap root of IMAGE once
#                             (tar | docker import), cached by its stamp:
#                             prints the image name sc-e2e/IMAGE:<stamp hash>
#   docker_track NAME         a container to remove in docker_cleanup
#   docker_cleanup            `docker rm -f` every tracked container (trap)
#
# The client is Debian's (docker.io 20.10, /usr/bin/docker) unless
# SYSCTR_E2E_DOCKER says otherwise: a newer client first on PATH (this host
# has a Docker 28 client in /usr/local/bin) speaks a newer API than the
# 20.10 engine.  Containers always run with --network none (no bridge).
# Images are named sc-e2e/SUITE and tagged with a hash of the image's
# stamp.json, so a rebuilt image is imported again.
#
# SYSCTR_E2E_DOCKER_KEEP=1 leaves an engine docker_up started running.

DOCKER=${SYSCTR_E2E_DOCKER:-/usr/bin/docker}
[[ -x $DOCKER ]] || DOCKER=$(command -v docker || echo docker)
DOCKER_SOCK=/run/docker.sock
CONTAINERD_SOCK=/run/containerd/containerd.sock
# Logs and pid files of the daemons we start (outside the repository).
DOCKER_STATE=${SYSCTR_E2E_CACHE:-/var/cache/sysctr-check/e2e}/docker
DOCKER_STARTED_DOCKERD='' DOCKER_STARTED_CONTAINERD=''
DOCKER_TRACKED=()

dk() { "$DOCKER" "$@"; }

# Wait up to $2 s for socket $1 to answer (test -S, then the client).
docker_wait_socket() {
    local sock=$1 secs=$2 i
    for ((i = 0; i < secs * 5; i++)); do
        if [[ -S $sock ]]; then
            if [[ $sock == "$DOCKER_SOCK" ]]; then
                dk version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
            else
                return 0
            fi
        fi
        sleep 0.2
    done
    return 1
}

docker_up() {
    mkdir -p "$DOCKER_STATE"
    if dk version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        return 0
    fi
    # Two callers (make check-e2e and an engineer) must not both start one.
    local fd
    exec {fd}>"$DOCKER_STATE/.start.lock"
    flock "$fd"
    if dk version --format '{{.Server.Version}}' >/dev/null 2>&1; then
        exec {fd}>&-
        return 0
    fi
    if [[ ! -S $CONTAINERD_SOCK ]] || ! ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; then
        log "starting containerd"
        containerd >>"$DOCKER_STATE/containerd.log" 2>&1 &
        DOCKER_STARTED_CONTAINERD=$!
        # Not a job of the caller: `wait` / `jobs` for its cases must not
        # wait for the daemon.
        disown "$DOCKER_STARTED_CONTAINERD"
        printf '%s\n' "$DOCKER_STARTED_CONTAINERD" >"$DOCKER_STATE/containerd.pid"
        docker_wait_socket "$CONTAINERD_SOCK" 20 || die "containerd did not come up (see $DOCKER_STATE/containerd.log)"
    fi
    log "starting dockerd --iptables=false --ip6tables=false --bridge=none"
    dockerd --iptables=false --ip6tables=false --bridge=none \
        --containerd="$CONTAINERD_SOCK" >>"$DOCKER_STATE/dockerd.log" 2>&1 &
    DOCKER_STARTED_DOCKERD=$!
    disown "$DOCKER_STARTED_DOCKERD"
    printf '%s\n' "$DOCKER_STARTED_DOCKERD" >"$DOCKER_STATE/dockerd.pid"
    docker_wait_socket "$DOCKER_SOCK" 60 || die "dockerd did not come up (see $DOCKER_STATE/dockerd.log)"
    exec {fd}>&-
    log "dockerd $(dk version --format '{{.Server.Version}}') up (pid $DOCKER_STARTED_DOCKERD)"
}

# Stop a daemon we started, by its pid: TERM, wait, KILL.
docker_stop_pid() {
    local pid=$1 name=$2 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
}

docker_down() {
    [[ ${SYSCTR_E2E_DOCKER_KEEP:-0} == 1 ]] && return 0
    docker_stop_pid "$DOCKER_STARTED_DOCKERD" dockerd
    DOCKER_STARTED_DOCKERD=''
    docker_stop_pid "$DOCKER_STARTED_CONTAINERD" containerd
    DOCKER_STARTED_CONTAINERD=''
}

# sc-e2e/SUITE:<first 12 hex of sha256(stamp.json)>, imported if absent.
docker_image() {
    local suite=$1 tag name fd
    image_ready "$suite" || die "image $suite is not built: run images.sh $suite"
    tag=$(sha256sum "$(image_stamp "$suite")" | cut -c1-12)
    name="sc-e2e/$suite:$tag"
    if ! dk image inspect "$name" >/dev/null 2>&1; then
        exec {fd}>"$DOCKER_STATE/.import-$suite.lock"
        flock "$fd"
        if ! dk image inspect "$name" >/dev/null 2>&1; then
            log "importing $suite into docker as $name"
            tar -C "$(image_rootfs "$suite")" -c . | dk import - "$name" >/dev/null ||
                die "docker import of $suite failed"
        fi
        exec {fd}>&-
    fi
    printf '%s\n' "$name"
}

docker_track() { DOCKER_TRACKED+=("$@"); }

docker_cleanup() {
    local n
    for n in "${DOCKER_TRACKED[@]}"; do
        dk rm -f "$n" >/dev/null 2>&1 || true
    done
    DOCKER_TRACKED=()
}
