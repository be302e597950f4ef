#!/bin/bash
# Record the golden snapshots of the Docker block: real Docker containers
# (docker.io 20.10 on this host, tests/e2e/docker.sh) from the cached e2e
# images, read by `sysctr-check --record`, replayed by tests/test-goldens.c
# like the runc ones (tests/goldens/README.md).
#
#   sudo tests/goldens/record-docker.sh [--out DIR]
#
# Cases (snapshot names; each recorded while it runs alone):
#   dk-recipe    the usual systemd recipe people copy: --tmpfs /run
#                --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:ro,
#                sleep payload: predicted from Docker's layout (/docker/ID,
#                /.dockerenv, no container=)
#   dk-limits    --memory 256m --memory-swap 384m --cpus 0.5
#                --cpuset-cpus 0 --pids-limit 128, sleep payload
# Each: `--record NAME.json report docker:ID` (the full ID: a direct look-up,
# so the snapshot holds this container's state only). Engine and
# containers are torn down in a trap; an engine already running is left.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCDIR=$(cd "$HERE/../.." && pwd)
# shellcheck source-path=SCRIPTDIR
source "$SRCDIR/tests/e2e/lib.sh"
# shellcheck source-path=SCRIPTDIR
source "$SRCDIR/tests/e2e/docker.sh"
E2E_LOG_TAG=goldens-docker

out=$SRCDIR/tests/fixtures/snapshots
[[ ${1:-} == --out ]] && out=$2
require_root
bin=$(mktemp /tmp/sc-gold-bin.XXXXXX)
cp "${SYSCTR_CHECK:-$SRCDIR/sysctr-check}" "$bin"
chmod 0755 "$bin"
trap 'docker_cleanup; docker_down; rm -f "$bin"' EXIT
docker_up
image=$(docker_image trixie)

CASES=(
    "dk-recipe	--tmpfs /run --tmpfs /run/lock -v /sys/fs/cgroup:/sys/fs/cgroup:ro"
    "dk-limits	--memory 256m --memory-swap 384m --cpus 0.5 --cpuset-cpus 0 --pids-limit 128"
)
for c in "${CASES[@]}"; do
    name=${c%%$'\t'*} flags=${c#*$'\t'}
    cname=sc-gold-$name
    dk rm -f "$cname" >/dev/null 2>&1 || true
    docker_track "$cname"
    # shellcheck disable=SC2086  # the recipe's flags, split as written
    id=$(dk run -d --name "$cname" --network none $flags "$image" sleep infinity)
    rm -f "$out/$name.json"
    "$bin" --record "$out/$name.json" report "docker:$id" >/dev/null || [[ $? == 1 ]]
    printf '%s\t%s\n' "$name" "$id" >>"$out/.docker-ids.$$"
    log "recorded $name ($(stat -c %s "$out/$name.json") bytes), docker:$id"
    dk rm -f "$cname" >/dev/null
done
# The IDs the replays name (tests/goldens/replays.tsv).
cat "$out/.docker-ids.$$"
rm -f "$out/.docker-ids.$$"
