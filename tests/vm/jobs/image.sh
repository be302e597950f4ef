#!/bin/sh
# The image job (run.sh HOST tests/vm/jobs/image.sh, for image-check.sh):
# what the booted VM really is, for the fields `host --image` predicts
# from the same disk: `sysctr-check --json host`, the kernel command line,
# and what each engine says of itself (cgroup driver, the cgroup namespace
# a new container gets). Writes $SYSCTR_OUT/host.json and truth.tsv
# (field, value, how it was read).
O=$SYSCTR_OUT
B=/var/lib/sysctr-vm
t=$O/truth.tsv
: >"$t"
row() { printf '%s\t%s\t%s\n' "$1" "${2:--}" "$3" >>"$t"; }
echo "=== $(hostname): $(uname -r), init $(cat /proc/1/comm), $(stat -fc %T /sys/fs/cgroup)"
sysctr-check --json host >"$O/host.json" 2>"$O/host.err"
echo "host --json exit $?" >>"$O/host.err"
cat /proc/cmdline >"$O/cmdline"
row cmdline "$(cat /proc/cmdline)" /proc/cmdline
row kernel "$(uname -r)" "uname -r"
cp /proc/self/mountinfo "$O/mountinfo"
cp /proc/cgroups "$O/proc-cgroups"

# A busybox image for the engines (from the disk, no network).
ctr_ns() { # PID: is its cgroup namespace the host's?
    if [ "$(readlink "/proc/$1/ns/cgroup")" = "$(readlink /proc/self/ns/cgroup)" ]; then
        echo host
    else echo private; fi
}
wait_for() {
    n=$1; shift
    while [ "$n" -gt 0 ]; do "$@" >/dev/null 2>&1 && return 0; sleep 1; n=$((n - 1)); done
    return 1
}
if command -v docker >/dev/null; then
    if wait_for 120 docker info; then
        row docker.cgroup_driver "$(docker info --format '{{.CgroupDriver}}' 2>&1)" "docker info"
        docker import "$B/bb.tar" sysctr-bb >/dev/null 2>&1
        docker run -d --name sysctr-img --network none sysctr-bb /bin/sleep 600 >/dev/null 2>"$O/docker-run.err"
        pid=$(docker inspect -f '{{.State.Pid}}' sysctr-img 2>/dev/null)
        row docker.cgroupns "$(docker inspect -f '{{.HostConfig.CgroupnsMode}}' sysctr-img 2>&1)" "docker inspect HostConfig.CgroupnsMode"
        [ -n "$pid" ] && [ "$pid" != 0 ] && row docker.cgroupns_seen "$(ctr_ns "$pid")" "/proc/$pid/ns/cgroup"
        row docker.runtime "$(docker info --format '{{.DefaultRuntime}}' 2>&1)" "docker info"
        docker rm -f sysctr-img >/dev/null 2>&1
    else row docker.cgroup_driver "not-running" "docker info failed for 120 s"; fi
fi
if command -v podman >/dev/null; then
    # stderr apart: Podman 5 warns about cgroup v1 on every command.
    row podman.cgroup_driver "$(podman info --format '{{.Host.CgroupManager}}' 2>>"$O/podman.err")" "podman info"
    row podman.runtime "$(podman info --format '{{.Host.OCIRuntime.Name}}' 2>>"$O/podman.err")" "podman info"
    podman import "$B/bb.tar" sysctr-bb >/dev/null 2>&1
    if podman run -d --name sysctr-img --network none localhost/sysctr-bb /bin/sleep 600 >/dev/null 2>"$O/podman-run.err"; then
        pid=$(podman inspect -f '{{.State.Pid}}' sysctr-img 2>/dev/null)
        [ -n "$pid" ] && [ "$pid" != 0 ] && row podman.cgroupns_seen "$(ctr_ns "$pid")" "/proc/$pid/ns/cgroup"
        podman rm -f sysctr-img >/dev/null 2>&1
    else row podman.cgroupns_seen "run-failed" "podman run: $(grep -v level=warning "$O/podman-run.err" | head -c 200 | tr '\n\t' '  ')"; fi
fi
if command -v containerd >/dev/null; then
    if [ -d /run/systemd/system ]; then st=$(systemctl is-active containerd 2>&1)
    else st=$(rc-service containerd status >/dev/null 2>&1 && echo active || echo inactive); fi
    row containerd.active "$st" "service manager"
fi
if [ -d /run/systemd/system ]; then
    # A template cannot be shown; an instance loads from it.
    row delegate "$(systemctl show user@0.service -p Delegate --value 2>&1) $(systemctl show user@0.service -p DelegateControllers --value 2>&1)" "systemctl show user@0.service"
    row systemd.version "$(systemctl --version | head -1)" "systemctl --version"
    row lxcfs.active "$(systemctl is-active lxcfs 2>&1)" "systemctl is-active lxcfs"
else
    row lxcfs.active "$(pgrep -x lxcfs >/dev/null && echo active || echo inactive)" "pgrep lxcfs"
fi
row user.max_user_namespaces "$(cat /proc/sys/user/max_user_namespaces)" /proc/sys/user/max_user_namespaces
if [ -f /etc/subuid ]; then row subuid "$(grep -c : /etc/subuid)" /etc/subuid; else row subuid absent /etc/subuid; fi
cat "$t"
exit 0
