#!/usr/bin/env bash
# Compare the WSGI servers on the demo, in one run on one machine:
# granian (what `watwerkt serve` runs) and gunicorn, same worker count.
# Prints requests/s and latency for the overview page and for a 304 answer
# (which measures the server's own overhead, as the app does almost nothing).
#   bench/servers.sh [workers] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
workers=${1:-2}
seconds=${2:-8}
export WATWERKT_VAR_DIR=${WATWERKT_VAR_DIR:-$(mktemp -d)}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)"; exit 1; }
$BIN/watwerkt migrate --noinput -v0
$BIN/watwerkt demo >/dev/null
$BIN/watwerkt collectstatic --noinput -v0

pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT

etag() { curl -s -D - -o /dev/null "http://127.0.0.1:$1/antwerpen/" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r'; }

measure() {  # name port
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$2/antwerpen/" && break; sleep 0.2; done
    wrk -t2 -c32 -d1s "http://127.0.0.1:$2/antwerpen/" >/dev/null  # warm up: first render, first connections
    local tag; tag=$(etag "$2")
    for what in page 304; do
        local header=()
        [ "$what" = 304 ] && header=(-H "If-None-Match: $tag")
        local out; out=$(wrk -t2 -c32 -d"${seconds}s" --latency "${header[@]}" "http://127.0.0.1:$2/antwerpen/")
        if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then  # error answers would make the figures void
            echo "$1 $what: $(grep -E 'Non-2xx|Socket errors' <<<"$out")"; exit 1
        fi
        printf '%-8s %-5s %10s req/s   p99 %s\n' "$1" "$what" \
            "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '/ 99%/{print $2}' <<<"$out")"
    done
}

$BIN/granian --interface wsgi --host 127.0.0.1 --port 8601 --workers "$workers" \
    --blocking-threads 4 --no-ws --log-level error watwerkt.wsgi:application &
pid=$!
measure granian 8601
kill $pid; wait $pid 2>/dev/null || true; pid=""

$BIN/gunicorn -w "$workers" --threads 4 -b 127.0.0.1:8602 --log-level error \
    watwerkt.wsgi:application &
pid=$!
measure gunicorn 8602
kill $pid; wait $pid 2>/dev/null || true; pid=""
