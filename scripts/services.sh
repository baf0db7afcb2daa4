#!/usr/bin/env bash
# The PostgreSQL and Redis that the test suite's second pass and bench/province run against:
# Debian's packages (installed when missing), data directories of their own, listening on
# 127.0.0.1 only, on ports that do not clash with a system instance.
#
#   scripts/services.sh start   # prints the environment to export (XUNCHA_TEST_PG, XUNCHA_TEST_REDIS)
#   scripts/services.sh stop
set -euo pipefail

DIR=${XUNCHA_SERVICES_DIR:-/tmp/xuncha-services}
PG_PORT=${XUNCHA_PG_PORT:-55432}
REDIS_PORT=${XUNCHA_REDIS_PORT:-56379}
say() { echo "[services] $*" >&2; }

install_missing() {
  local missing=()
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  say "安装 ${missing[*]}（Debian 软件包）……"
  local sudo=''
  [ "$(id -u)" = 0 ] || sudo='sudo'
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }

# PostgreSQL refuses to run as root: as root, its processes run as the postgres user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  install_missing
  mkdir -p "$DIR"
  local bin
  bin=$(pg_bin)
  if [ ! -f "$DIR/pg/PG_VERSION" ]; then
    mkdir -p "$DIR/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR" "$DIR/pg"
    # C collation: text sorts byte-wise, as in SQLite. Trust on 127.0.0.1: a throwaway test cluster.
    as_pg "$bin/initdb" -D "$DIR/pg" -U xuncha -A trust --locale=C --encoding=UTF8 >"$DIR/initdb.log" 2>&1
  fi
  if ! as_pg "$bin/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; then
    # fsync off: the suite's data is thrown away; durability would only cost time.
    as_pg "$bin/pg_ctl" -D "$DIR/pg" -l "$DIR/pg/server.log" -w -t 60 start \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $DIR/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >&2
  fi
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U xuncha -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'xuncha_test'" | grep -q 1 ||
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U xuncha xuncha_test
  if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR" --daemonize yes \
      --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --save '' --appendonly no >&2
    for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  say "PostgreSQL 127.0.0.1:$PG_PORT，Redis 127.0.0.1:$REDIS_PORT 已启动（数据目录 $DIR）"
  echo "export XUNCHA_TEST_PG=postgres://xuncha@127.0.0.1:$PG_PORT/xuncha_test"
  echo "export XUNCHA_TEST_REDIS=redis://127.0.0.1:$REDIS_PORT"
}

stop() {
  if [ -f "$DIR/pg/PG_VERSION" ]; then as_pg "$(pg_bin)/pg_ctl" -D "$DIR/pg" -m fast -w stop >&2 || true; fi
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$DIR"
  say "PostgreSQL 与 Redis 已停止"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  *) echo "用法：scripts/services.sh start|stop" >&2; exit 2 ;;
esac
