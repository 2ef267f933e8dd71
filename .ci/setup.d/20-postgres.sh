# PostgreSQL for the store's tests (tests/*: the Postgres store and the several-instances tests). Sourced by .ci/run:
# no `exit`, no `set -e`; returns non-zero when something could not be installed or started.
# Starts a private cluster owned by the `postgres` user, on 127.0.0.1 only, with trust authentication for loopback,
# and exports ITCHATBOT_TEST_POSTGRES = a connection string to it as superuser; each test makes a database of its own.
# The tests fail (not skip) without it.
itchatbot_postgres_setup() {
  local port="${ITCHATBOT_PG_PORT:-55432}"
  local data="${ITCHATBOT_PG_DATA:-/tmp/itchatbot-pg-$port}"
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "postgres: installing postgresql (Debian)"
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ -z "${ITCHATBOT_APT_UPDATED:-}" ]; then $sudo apt-get update -qq && export ITCHATBOT_APT_UPDATED=1; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null || return 1
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -x "$bin/initdb" ] || { echo "postgres: initdb is missing after install"; return 1; }
  fi
  # The server refuses to run as root: as root, the cluster belongs to the `postgres` user the package made.
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "postgres: no postgres user"; return 1; }
    as=(runuser -u postgres --)
  fi
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; then
    if [ ! -s "$data/PG_VERSION" ]; then
      rm -rf "$data" && mkdir -p "$data" || return 1
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
      "${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
    fi
    # fsync stays on: the store's tests are about durable writes. Many test databases at once need connections.
    "${as[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $data -c max_connections=400 -c shared_buffers=128MB" start >/dev/null || { tail -n 20 "$data/server.log"; return 1; }
  fi
  export ITCHATBOT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "postgres: $("$bin/postgres" --version) on 127.0.0.1:$port, ITCHATBOT_TEST_POSTGRES set"
}
itchatbot_postgres_setup
