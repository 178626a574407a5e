#!/usr/bin/env bash
# The project's test bed: a private Docker engine (with buildx) and two
# password-protected OCI registries on loopback, standing in for "AWS" (ECR)
# and "Azure" (ACR). Everything lives under TESTBED_DIR, so several test beds
# (distinct TESTBED_DIR and TESTBED_PORT_BASE) can run side by side.
#
# Usage: testbed.sh install | up | down [--purge] | status
#
# Knobs (environment):
#   TESTBED_DIR        state directory            (default /tmp/cib-testbed)
#   TESTBED_PORT_BASE  aws = base+1, azure = base+2 (default 5100)
#   TESTBED_TIMEOUT    seconds to wait for each daemon (default 60)
#
# After `up`, `source "$TESTBED_DIR/env"` gives DOCKER_HOST, DOCKER_CONFIG,
# TESTBED_DIR, TESTBED_AWS_REGISTRY/_USER/_PASSWORD,
# TESTBED_AZURE_REGISTRY/_USER/_PASSWORD and TESTBED_BASE_IMAGE.
set -euo pipefail

TESTBED_DIR="${TESTBED_DIR:-/tmp/cib-testbed}"
TESTBED_PORT_BASE="${TESTBED_PORT_BASE:-5100}"
TESTBED_TIMEOUT="${TESTBED_TIMEOUT:-60}"

readonly BUILDX_PLUGIN_DIR=/usr/libexec/docker/cli-plugins
readonly BASE_IMAGE=busybox:latest
# The users mimic the real services: ECR tokens decode to "AWS:<password>",
# ACR refresh tokens are used with the all-zero GUID user.
readonly AWS_USER=AWS
readonly AZURE_USER=00000000-0000-0000-0000-000000000000

log() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- layout ----

init_layout() {
  [[ "$TESTBED_DIR" = /* ]] || TESTBED_DIR="$PWD/$TESTBED_DIR"
  TESTBED_DIR="${TESTBED_DIR%/}"
  if ! [[ "$TESTBED_PORT_BASE" =~ ^[0-9]+$ ]] || ((TESTBED_PORT_BASE < 1 || TESTBED_PORT_BASE > 65532)); then
    die "TESTBED_PORT_BASE must be a port number below 65533, got '$TESTBED_PORT_BASE'"
  fi
  [[ "$TESTBED_TIMEOUT" =~ ^[0-9]+$ ]] || die "TESTBED_TIMEOUT must be a number of seconds"

  DOCKER_DIR="$TESTBED_DIR/docker"
  DOCKER_SOCK="$DOCKER_DIR/docker.sock"
  DOCKER_PIDFILE="$DOCKER_DIR/docker.pid"               # written by dockerd
  DOCKER_SPAWN_PIDFILE="$DOCKER_DIR/dockerd.spawn.pid"  # same pid, by spawn
  DOCKER_LOG="$DOCKER_DIR/dockerd.log"
  DOCKER_EXEC_ROOT="$DOCKER_DIR/exec"
  DOCKER_DATA_ROOT="$DOCKER_DIR/data"
  DOCKER_CLIENT_CONFIG="$TESTBED_DIR/docker-config"
  ENV_FILE="$TESTBED_DIR/env"
  # A per-instance tag names this engine's bridge and keeps containerd
  # namespaces apart even if engines end up sharing a system containerd.
  INSTANCE="cibtb${TESTBED_PORT_BASE}"
  BRIDGE="$INSTANCE"
  BRIDGE_FILE="$DOCKER_DIR/bridge"
}

registry_dir()  { printf '%s/registry-%s' "$TESTBED_DIR" "$1"; }
registry_port() {
  case "$1" in
    aws) echo $((TESTBED_PORT_BASE + 1)) ;;
    azure) echo $((TESTBED_PORT_BASE + 2)) ;;
    *) die "unknown registry '$1'" ;;
  esac
}
registry_user() {
  case "$1" in
    aws) echo "$AWS_USER" ;;
    azure) echo "$AZURE_USER" ;;
    *) die "unknown registry '$1'" ;;
  esac
}

# ------------------------------------------------------------- processes ----

# Does process PID's command line name a path under TESTBED_DIR?
mentions_testbed() {
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ "$cmdline" == *"$TESTBED_DIR/"* ]]
}

# pid from a pidfile, printed only if that process is still alive and its
# command line mentions our TESTBED_DIR (guards against recycled pids).
live_pid() {
  local pidfile=$1 pid
  [[ -s "$pidfile" ]] || return 1
  pid=$(<"$pidfile")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  mentions_testbed "$pid" || return 1
  echo "$pid"
}

# Start a command detached from our session (so it survives the caller's
# shell), logging to LOG; the wrapper writes the daemon's own pid to PIDFILE
# before exec, so the pidfile is right even when setsid forks.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016  # $$ and $@ belong to the inner shell
  # 7>&- 8>&- 9>&-: daemons must not inherit (and so hold forever) our lock files.
  setsid -f bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 7>&- 8>&- 9>&-
}

# kill -0 also succeeds on zombies, and this machine's init may be slow to
# reap them: a zombie has exited.
is_alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }
  [[ "${stat:0:1}" != Z ]]
}

# TERM, wait up to 20 s, then KILL.
stop_pid() {
  local pid=$1 what=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 200; i++)); do
    is_alive "$pid" || { log "stopped $what (pid $pid)"; return 0; }
    sleep 0.1
  done
  log "$what (pid $pid) ignored SIGTERM for 20 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    is_alive "$pid" || return 0
    sleep 0.1
  done
  die "could not stop $what (pid $pid)"
}

# Fail naming WHAT, with the tail of its log.
fail_start() {
  local what=$1 logfile=$2 why=$3
  {
    printf 'testbed: ERROR: %s did not start: %s\n' "$what" "$why"
    if [[ -s "$logfile" ]]; then
      printf 'testbed: last lines of %s:\n' "$logfile"
      tail -n 25 "$logfile" | sed 's/^/    /'
    fi
  } >&2
  exit 1
}

# Locks shared by all test beds on this machine (not inside any TESTBED_DIR).
global_lock_path() {
  if [[ -d /run/lock && -w /run/lock ]]; then
    echo "/run/lock/cib-testbed-$1.lock"
  else
    echo "/tmp/cib-testbed-$1.lock"
  fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

random_password() {
  local s=""
  while ((${#s} < 24)); do
    s+=$(head -c 256 /dev/urandom | LC_ALL=C tr -dc 'A-Za-z0-9')
  done
  printf 'tbpw-%s' "${s:0:24}"
}

# ---------------------------------------------------------------- install ----

have_buildx() { [[ -x "$BUILDX_PLUGIN_DIR/docker-buildx" ]] || docker buildx version >/dev/null 2>&1; }

# Our rootfs copies /bin/busybox into an image with no libc: it must be static.
have_static_busybox() {
  local headers
  [[ -x /bin/busybox ]] || return 1
  headers=$(LC_ALL=C readelf -l /bin/busybox 2>/dev/null) || return 1
  [[ "$headers" != *INTERP* ]]
}

missing_bookworm_packages() {
  command -v dockerd >/dev/null || echo docker.io
  command -v docker >/dev/null || echo docker.io
  command -v docker-registry >/dev/null || echo docker-registry
  command -v htpasswd >/dev/null || echo apache2-utils
  command -v curl >/dev/null || echo curl
  if ! command -v readelf >/dev/null; then
    # readelf (binutils) is only used to check busybox; trust the package.
    dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || echo busybox-static
  else
    have_static_busybox || echo busybox-static
  fi
}

install_bookworm_packages() {
  local -a missing
  mapfile -t missing < <(missing_bookworm_packages | sort -u)
  ((${#missing[@]})) || return 0
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed (are Debian's mirrors reachable?)"
  # No recommends: they would pull in needrestart, apparmor, git, ...
  apt-get install -y -qq --no-install-recommends -oDPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# buildx is not in bookworm; trixie's docker-buildx only needs libc6 >= 2.34.
# Fetch it through a throwaway apt configuration so that the system's sources,
# lists and caches are never touched, then dpkg -i the one .deb.
install_buildx_from_trixie() {
  have_buildx && return 0
  log "installing docker-buildx from Debian trixie (system apt sources untouched)"
  local tmp
  tmp=$(mktemp -d /tmp/testbed-buildx.XXXXXX)
  # shellcheck disable=SC2064  # expand $tmp now
  trap "rm -rf '$tmp'" RETURN
  mkdir -p "$tmp/sources" "$tmp/lists/partial" "$tmp/cache/archives/partial"
  cat >"$tmp/sources/trixie.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Architectures: amd64
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  local -a apt_opts=(
    -qq
    -oDir::Etc::SourceList=/dev/null
    -oDir::Etc::SourceParts="$tmp/sources"
    -oDir::State::Lists="$tmp/lists"
    -oDir::Cache="$tmp/cache"
    -oAcquire::Languages=none
    -oAPT::Get::List-Cleanup=false
  )
  [[ "$(dpkg --print-architecture)" == amd64 ]] \
    || die "docker-buildx fetch is set up for amd64 only, this is $(dpkg --print-architecture)"
  apt-get "${apt_opts[@]}" update >/dev/null 2>&1 || die "apt-get update for trixie (docker-buildx) failed"
  (cd "$tmp" && apt-get "${apt_opts[@]}" download docker-buildx >/dev/null 2>&1) \
    || die "apt-get download docker-buildx from trixie failed"
  local deb
  deb=$(find "$tmp" -maxdepth 1 -name 'docker-buildx_*.deb' | head -n 1)
  [[ -n "$deb" ]] || die "docker-buildx .deb not found after download"
  dpkg -i "$deb" >/dev/null || die "dpkg -i $(basename "$deb") failed"
  have_buildx || die "docker-buildx installed but 'docker buildx' is still not found"
}

all_present() {
  local missing
  missing=$(missing_bookworm_packages)
  [[ -z "$missing" ]] && have_buildx
}

cmd_install() {
  if all_present; then
    log "install: everything present"
    return 0
  fi
  local missing
  missing="$(missing_bookworm_packages | tr '\n' ' ')"
  have_buildx || missing+="docker-buildx"
  [[ $EUID -eq 0 ]] || die "missing: ${missing}; run 'testbed.sh install' as root"
  command -v apt-get >/dev/null || die "missing: ${missing}; no apt-get here (Debian only)"
  # Test beds started side by side on a fresh machine would race for dpkg's lock.
  local lock
  lock=$(global_lock_path install)
  exec 7>"$lock"
  flock -w 600 7 || die "timed out waiting for $lock (another install running?)"
  if ! all_present; then
    install_bookworm_packages
    install_buildx_from_trixie
    command -v docker >/dev/null || die "no docker client on PATH after install"
  fi
  exec 7>&-
  log "install: done"
}

# ----------------------------------------------------------------- dockerd ----

docker_cli() { DOCKER_HOST="unix://$DOCKER_SOCK" DOCKER_CONFIG="$DOCKER_CLIENT_CONFIG" docker "$@"; }

# Every engine wants a bridge for its containers: BuildKit's RUN steps run on
# the default "bridge" network ("network bridge not found" with --bridge=none),
# and two engines on one docker0 would hand out the same addresses. So each
# test bed gets its own bridge, named after its port base, with its own /24
# in 10.213.0.0/16. With --iptables=false nothing routes beyond it.
setup_bridge() {
  if ip link show "$BRIDGE" >/dev/null 2>&1; then
    echo "$BRIDGE" >"$BRIDGE_FILE"
    return 0
  fi
  # Choosing a free subnet and claiming it must not race with another up.
  local lock n i subnet routes
  lock=$(global_lock_path bridges)
  exec 8>"$lock"
  flock -w 60 8 || die "could not lock $lock to pick a bridge subnet"
  routes=$(ip -4 route show)
  # Start at a /24 derived from the port base (5100 -> 10.213.51.0/24) and
  # take the first one no interface routes yet.
  n=$(((TESTBED_PORT_BASE / 100) % 256))
  for ((i = 0; i < 256; i++)); do
    subnet="10.213.$(((n + i) % 256))"
    [[ "$routes" == *"$subnet."* ]] || break
    subnet=""
  done
  [[ -n "$subnet" ]] || { exec 8>&-; die "no free /24 left in 10.213.0.0/16 for bridge $BRIDGE"; }
  if ! { ip link add name "$BRIDGE" type bridge \
    && ip addr add "$subnet.1/24" dev "$BRIDGE" \
    && ip link set "$BRIDGE" up; }; then
    exec 8>&-
    ip link del "$BRIDGE" 2>/dev/null || true
    die "could not create bridge $BRIDGE ($subnet.1/24)"
  fi
  exec 8>&-
  echo "$BRIDGE" >"$BRIDGE_FILE"
  log "created bridge $BRIDGE with $subnet.1/24"
}

# Only delete the bridge this test bed recorded as its own.
remove_bridge() {
  [[ -s "$BRIDGE_FILE" ]] || return 0
  local br
  br=$(<"$BRIDGE_FILE")
  if [[ "$br" == cibtb* ]] && ip link show "$br" >/dev/null 2>&1; then
    ip link del "$br" && log "removed bridge $br"
  fi
  rm -f "$BRIDGE_FILE"
}

start_dockerd() {
  if live_pid "$DOCKER_PIDFILE" >/dev/null; then
    log "dockerd already running (pid $(live_pid "$DOCKER_PIDFILE"))"
    return 0
  fi
  # A unix socket path must fit in 108 bytes; containerd's sits deepest.
  ((${#DOCKER_EXEC_ROOT} + 40 < 108)) || die "TESTBED_DIR is too long for unix socket paths: $TESTBED_DIR"
  mkdir -p "$DOCKER_DIR" "$DOCKER_EXEC_ROOT" "$DOCKER_DATA_ROOT" "$DOCKER_CLIENT_CONFIG"
  rm -f "$DOCKER_SOCK" "$DOCKER_PIDFILE"
  # A containerd left by an engine that was killed hard would hold our
  # data-root; it is ours by its command line. (Shims are left alone: the
  # new engine reattaches to them and stops their containers.)
  local pid
  for pid in $(leftover_pids engine); do
    stop_pid "$pid" "leftover $(readlink "/proc/$pid/exe" 2>/dev/null || echo process)"
  done
  setup_bridge
  # Our own (empty) config file, so /etc/docker/daemon.json cannot change us.
  echo '{}' >"$DOCKER_DIR/daemon.json"
  log "starting dockerd on unix://$DOCKER_SOCK"
  # Why these flags:
  #  --bridge                 our own bridge, never the shared docker0
  #  --iptables/--ip-masq=false  never touch the host's firewall rules
  #  --containerd-*namespace  keeps engines apart even on a shared containerd
  spawn "$DOCKER_SPAWN_PIDFILE" "$DOCKER_LOG" dockerd \
    --config-file "$DOCKER_DIR/daemon.json" \
    --host "unix://$DOCKER_SOCK" \
    --data-root "$DOCKER_DATA_ROOT" \
    --exec-root "$DOCKER_EXEC_ROOT" \
    --pidfile "$DOCKER_PIDFILE" \
    --bridge "$BRIDGE" \
    --iptables=false \
    --ip-masq=false \
    --containerd-namespace "$INSTANCE" \
    --containerd-plugins-namespace "$INSTANCE-plugins"
  local deadline=$((SECONDS + TESTBED_TIMEOUT))
  until timeout 10 env DOCKER_HOST="unix://$DOCKER_SOCK" DOCKER_CONFIG="$DOCKER_CLIENT_CONFIG" docker info >/dev/null 2>&1; do
    ((SECONDS < deadline)) || fail_start dockerd "$DOCKER_LOG" "no answer to 'docker info' within ${TESTBED_TIMEOUT}s"
    if [[ -s "$DOCKER_SPAWN_PIDFILE" ]] && ! live_pid "$DOCKER_SPAWN_PIDFILE" >/dev/null; then
      fail_start dockerd "$DOCKER_LOG" "the process exited"
    fi
    sleep 0.2
  done
  log "dockerd is up (pid $(live_pid "$DOCKER_PIDFILE"))"
}

# ---------------------------------------------------------------- registry ----

write_registry_config() {
  local name=$1 dir port
  dir=$(registry_dir "$name")
  port=$(registry_port "$name")
  cat >"$dir/config.yml" <<EOF
# Written by testbed.sh: the "$name" registry of the test bed in $TESTBED_DIR
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: $(random_password)
auth:
  htpasswd:
    realm: testbed-$name
    path: $dir/htpasswd
EOF
}

# Fail before starting anything if a registry port is taken by a stranger.
check_ports() {
  local name port
  for name in aws azure; do
    port=$(registry_port "$name")
    if ! live_pid "$(registry_dir "$name")/registry.pid" >/dev/null && port_in_use "$port"; then
      die "$name registry: port 127.0.0.1:$port is already taken by another process (choose another TESTBED_PORT_BASE)"
    fi
  done
}

start_registry() {
  local name=$1 dir port user password
  dir=$(registry_dir "$name")
  port=$(registry_port "$name")
  user=$(registry_user "$name")
  if live_pid "$dir/registry.pid" >/dev/null; then
    log "$name registry already running on 127.0.0.1:$port (pid $(live_pid "$dir/registry.pid"))"
    return 0
  fi
  port_in_use "$port" && die "$name registry: port 127.0.0.1:$port is already taken by another process (choose another TESTBED_PORT_BASE)"
  mkdir -p "$dir/data"
  # A fresh password each time the registry is (re)started.
  password=$(random_password)
  (umask 077 && printf '%s\n' "$password" >"$dir/password" && htpasswd -Bbn "$user" "$password" >"$dir/htpasswd") \
    || die "$name registry: could not write htpasswd"
  write_registry_config "$name"
  log "starting $name registry on 127.0.0.1:$port"
  spawn "$dir/registry.pid" "$dir/registry.log" docker-registry serve "$dir/config.yml"
  local deadline=$((SECONDS + TESTBED_TIMEOUT)) code
  while :; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    [[ "$code" == 401 ]] && break
    ((SECONDS < deadline)) || fail_start "$name registry" "$dir/registry.log" "GET /v2/ on port $port gave '$code', not 401, within ${TESTBED_TIMEOUT}s"
    if [[ -s "$dir/registry.pid" ]] && ! live_pid "$dir/registry.pid" >/dev/null; then
      fail_start "$name registry" "$dir/registry.log" "the process exited"
    fi
    sleep 0.2
  done
  log "$name registry is up (pid $(live_pid "$dir/registry.pid"))"
}

# ------------------------------------------------------------ base image ----

# FROM busybox must build offline: import a rootfs made of the static
# busybox and its applet links into the engine's own image store.
import_base_image() {
  if docker_cli image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    return 0
  fi
  log "importing $BASE_IMAGE from /bin/busybox"
  local root applet
  root=$(mktemp -d "$TESTBED_DIR/rootfs.XXXXXX")
  mkdir -p "$root"/{bin,dev,etc,proc,root,sys,tmp,usr/bin,usr/sbin,sbin,var}
  chmod 1777 "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -s busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  tar -C "$root" --numeric-owner --owner=0 --group=0 -c . \
    | docker_cli import \
      -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'CMD ["sh"]' - "$BASE_IMAGE" >/dev/null \
    || { rm -rf "$root"; die "docker import of $BASE_IMAGE failed"; }
  rm -rf "$root"
}

# -------------------------------------------------------------------- env ----

# POSIX single quoting, so the file can be sourced by any sh.
shell_quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

write_env_file() {
  local tmp="$ENV_FILE.tmp.$$"
  {
    echo "# Written by testbed.sh up; source this file."
    local k v
    while IFS='=' read -r k v; do
      printf 'export %s=%s\n' "$k" "$(shell_quote "$v")"
    done <<EOF
DOCKER_HOST=unix://$DOCKER_SOCK
DOCKER_CONFIG=$DOCKER_CLIENT_CONFIG
TESTBED_DIR=$TESTBED_DIR
TESTBED_PORT_BASE=$TESTBED_PORT_BASE
TESTBED_AWS_REGISTRY=127.0.0.1:$(registry_port aws)
TESTBED_AWS_USER=$AWS_USER
TESTBED_AWS_PASSWORD=$(<"$(registry_dir aws)/password")
TESTBED_AZURE_REGISTRY=127.0.0.1:$(registry_port azure)
TESTBED_AZURE_USER=$AZURE_USER
TESTBED_AZURE_PASSWORD=$(<"$(registry_dir azure)/password")
TESTBED_BASE_IMAGE=$BASE_IMAGE
EOF
  } >"$tmp"
  chmod 600 "$tmp"
  mv -f "$tmp" "$ENV_FILE"
}

# --------------------------------------------------------------- commands ----

cmd_up() {
  cmd_install
  [[ $EUID -eq 0 ]] || die "up needs root (dockerd runs rootful)"
  mkdir -p "$TESTBED_DIR"
  chmod 700 "$TESTBED_DIR"
  # One `up` at a time per TESTBED_DIR.
  exec 9>"$TESTBED_DIR/.lock"
  flock -w 120 9 || die "another testbed.sh holds $TESTBED_DIR/.lock"
  check_ports
  start_dockerd
  start_registry aws
  start_registry azure
  import_base_image
  write_env_file
  log "ready"
  echo "$ENV_FILE"
}

# Processes we started that may outlive their parent if it was killed:
# dockerd's managed containerd and the shims, whose command lines name
# our exec-root/data-root. With "engine", only dockerd and containerd.
leftover_pids() {
  local p exe names='dockerd|containerd|containerd-shim*|runc|docker-registry'
  [[ "${1:-}" == engine ]] && names='dockerd|containerd'
  for p in /proc/[0-9]*; do
    exe=$(readlink "$p/exe" 2>/dev/null) || continue
    # shellcheck disable=SC2053,SC2254  # names is a pattern on purpose
    [[ "${exe##*/}" == @($names) ]] || continue
    if mentions_testbed "${p#/proc/}"; then echo "${p#/proc/}"; fi
  done
  return 0
}

unmount_under_testbed() {
  local m
  # Deepest first.
  awk -v d="$TESTBED_DIR/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r \
    | while read -r m; do umount -l "$m" 2>/dev/null || true; done
}

cmd_down() {
  local purge=${1:-}
  [[ -z "$purge" || "$purge" == --purge ]] || die "usage: testbed.sh down [--purge]"
  if [[ -d "$TESTBED_DIR" ]]; then
    local name pid
    for name in azure aws; do
      if pid=$(live_pid "$(registry_dir "$name")/registry.pid"); then
        stop_pid "$pid" "$name registry"
      fi
      rm -f "$(registry_dir "$name")/registry.pid"
    done
    if pid=$(live_pid "$DOCKER_PIDFILE") || pid=$(live_pid "$DOCKER_SPAWN_PIDFILE"); then
      stop_pid "$pid" dockerd
    fi
    for pid in $(leftover_pids); do
      stop_pid "$pid" "leftover $(readlink "/proc/$pid/exe" 2>/dev/null || echo process)"
    done
    rm -f "$DOCKER_PIDFILE" "$DOCKER_SPAWN_PIDFILE" "$DOCKER_SOCK" "$ENV_FILE"
    unmount_under_testbed
    remove_bridge
  fi
  if [[ "$purge" == --purge && -d "$TESTBED_DIR" ]]; then
    rm -rf --one-file-system "$TESTBED_DIR"
    log "removed $TESTBED_DIR"
  fi
  log "down"
}

cmd_status() {
  local ok=0 pid name
  if pid=$(live_pid "$DOCKER_PIDFILE") && docker_cli info >/dev/null 2>&1; then
    echo "dockerd         up    pid $pid  unix://$DOCKER_SOCK"
  else
    echo "dockerd         down"
    ok=1
  fi
  for name in aws azure; do
    local port code
    port=$(registry_port "$name")
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true)
    if pid=$(live_pid "$(registry_dir "$name")/registry.pid") && [[ "$code" == 401 ]]; then
      printf '%-15s up    pid %s  127.0.0.1:%s\n' "$name registry" "$pid" "$port"
    else
      printf '%-15s down\n' "$name registry"
      ok=1
    fi
  done
  if ((ok == 0)) && docker_cli image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    echo "base image      $BASE_IMAGE"
  elif ((ok == 0)); then
    echo "base image      missing"
    ok=1
  fi
  [[ -f "$ENV_FILE" ]] && echo "env file        $ENV_FILE"
  return "$ok"
}

main() {
  local cmd=${1:-}
  shift || true
  init_layout
  case "$cmd" in
    install) cmd_install ;;
    up) cmd_up ;;
    down) cmd_down "$@" ;;
    status) cmd_status ;;
    *) die "usage: testbed.sh install | up | down [--purge] | status" ;;
  esac
}

main "$@"
