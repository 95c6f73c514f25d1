#!/usr/bin/env bash
# Makes a Docker daemon and a static busybox available for the Testcontainers tests of junit-extension.
# Idempotent: installs only what is missing, starts dockerd only when no daemon answers, and waits for it
# at most DOCKER_WAIT_SECONDS (default 60). The daemon runs without a bridge network or iptables rules, as
# these machines allow; tests use host networking and images built FROM scratch, so nothing is pulled.
# Exit status is 0 when /bin/busybox is there and `docker info` answers at the end, 1 otherwise (the Docker tests
# then skip, or fail with CI=true).
set -u

wait_seconds="${DOCKER_WAIT_SECONDS:-60}"
log() { echo "docker-setup: $*"; }

apt_updated=no
need_package() {
    local package="$1"
    if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
        return
    fi
    if [ "$apt_updated" = no ]; then
        log "apt-get update"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq || log "apt-get update failed"
        apt_updated=yes
    fi
    log "installing $package"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" >/dev/null || { log "could not install $package"; exit 1; }
}

daemon_answers() {
    timeout 10 docker info >/dev/null 2>&1
}

need_package busybox-static
[ -x /bin/busybox ] || { log "busybox-static is installed but /bin/busybox is not there"; exit 1; }

if daemon_answers; then
    log "Docker daemon already running"
    exit 0
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
    need_package docker.io
fi
if ! command -v dockerd >/dev/null 2>&1; then
    log "dockerd is not available"
    exit 1
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: /tmp/dockerd.log)"
    nohup dockerd --bridge=none --iptables=false > /tmp/dockerd.log 2>&1 &
fi

deadline=$((SECONDS + wait_seconds))
while [ "$SECONDS" -lt "$deadline" ]; do
    if daemon_answers; then
        log "Docker daemon is up"
        exit 0
    fi
    sleep 1
done
log "Docker daemon did not answer within ${wait_seconds}s; see /tmp/dockerd.log"
exit 1
