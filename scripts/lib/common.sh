#!/usr/bin/env bash
# Shared by scripts/run and scripts/test: install what is missing, and start a private
# PostgreSQL cluster for this checkout. Source it; it defines functions only.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages the build and the database need.
ensure_packages() {
    local missing=()
    command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
    pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
    pkg-config --exists libargon2 2>/dev/null || missing+=(libargon2-dev)
    pkg-config --exists libcrypto 2>/dev/null || missing+=(libssl-dev)
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
    ls /usr/share/postgresql/*/extension/btree_gist.control >/dev/null 2>&1 || missing+=(postgresql-contrib)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing ${missing[*]}"
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    if ! command -v swift >/dev/null 2>&1; then
        echo "Swift 6 is not on PATH; install the Swift toolchain first (swift.org)." >&2
        exit 1
    fi
    ensure_secret_key
}

# The key that seals two-step verification secrets. A deployment sets
# DOORSTROOM_SECRET_KEY itself (kept apart from the database and its backups); for
# development this checkout makes one once, under .data/ (never committed).
ensure_secret_key() {
    [ -n "${DOORSTROOM_SECRET_KEY:-}" ] && return
    local file="$ROOT/.data/secret-key"
    if [ ! -s "$file" ]; then
        mkdir -p "$ROOT/.data"
        (umask 077; head -c 32 /dev/urandom | base64 > "$file")
    fi
    DOORSTROOM_SECRET_KEY="$(cat "$file")"
    export DOORSTROOM_SECRET_KEY
}

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$dir" ] || { echo "PostgreSQL server binaries not found" >&2; exit 1; }
    echo "$dir"
}

# Runs a PostgreSQL server command: as the postgres system user when we are root
# (initdb refuses root), directly otherwise. Runs from / so postgres can enter the cwd.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Picks the folder for cluster NAME: .data/NAME in the checkout when the postgres user
# can reach it, otherwise a folder under /var/tmp named after the checkout.
cluster_dir() {
    local name="$1" base="$ROOT/.data"
    mkdir -p "$base"
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$base" 2>/dev/null; then
        chmod o+x "$base" 2>/dev/null || true
        if ! runuser -u postgres -- test -x "$base" 2>/dev/null; then
            base="/var/tmp/doorstroom-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
            mkdir -p "$base"
            chmod 755 "$base"
        fi
    fi
    echo "$base/$name"
}

# Starts (creating when needed) the private cluster NAME; sets PG_SOCKET_DIR and PG_DATA.
# The superuser is "doorstroom", trusted on the Unix socket only (no TCP listener).
start_cluster() {
    local name="$1" dir bin
    dir=$(cluster_dir "$name")
    bin=$(pg_bin)
    PG_DATA="$dir/pgdata"
    PG_SOCKET_DIR="$dir/run"
    mkdir -p "$dir" "$PG_SOCKET_DIR"
    if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$dir" "$PG_SOCKET_DIR"; fi
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "Creating PostgreSQL cluster in $PG_DATA"
        as_pg "$bin/initdb" -D "$PG_DATA" -U doorstroom --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
        cat >>"$PG_DATA/postgresql.conf" <<CONF
# Doorstroom's private cluster
listen_addresses = ''
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 300
shared_buffers = 128MB
fsync = on
synchronous_commit = on
CONF
    fi
    if ! as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        say "Starting PostgreSQL ($name)"
        as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$dir/postgres.log" -w -t 60 start >/dev/null
        STARTED_CLUSTER=1
    fi
    export PG_DATA PG_SOCKET_DIR
}

stop_cluster() {
    [ -n "${PG_DATA:-}" ] || return 0
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
}

# A libpq URL for database DB on the private cluster (socket path percent-encoded).
cluster_url() {
    local db="$1" host
    host=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$PG_SOCKET_DIR")
    echo "postgresql://doorstroom@/$db?host=$host"
}

psql_cluster() {
    PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -U doorstroom "$@"
}

ensure_database() {
    local db="$1"
    if [ "$(psql_cluster -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
        psql_cluster -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
    fi
}
