#!/usr/bin/env bash
# The public read path under load, next to nginx, in one run on one machine.
#
# Loads the Antwerp demo into a throwaway WATWERKT_VAR_DIR, serves it with
# `watwerkt serve` (granian, the page cache in front of Django), copies the
# very bytes and headers it serves (plain, gzip, 304) into files that nginx
# serves from a temporary config, and runs wrk against both for the overview,
# a service page and summary.json (when it answers): requests/s, p99 latency,
# and the ratio to nginx. A third server, bench/bare_wsgi.py under granian
# with the same settings, answers the same bytes with no work at all: the
# ceiling of any WSGI application on that server. The three are measured in
# turn, ROUNDS times (the machine's speed drifts over a run); each figure is
# the median, each ratio the median of the rounds' ratios.
#
# Then the same overview while a status changes every 100 ms (each change
# makes every stored page out of date: every request in that window is
# "right after a change"), with how soon each change was visible, then, for
# each page, the first 1,000 requests right after each of five changes
# (requests/s from the write to the last answer, while the new revision is
# first rendered), and the overview with the page cache off (every request
# rendered). Prints figures; asserts nothing.
#
#   bench/http.sh [seconds per wrk run, default 3] [connections, default 32]
#   ROUNDS=3 WORKERS=2 THREADS=4 bench/http.sh   (THREADS: granian's threads per worker)
#   NGINX_EXTRA='open_file_cache max=100;' bench/http.sh   (directives added to nginx's server block)
#
# Needs wrk and nginx from Debian: apt-get install wrk nginx-light
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
seconds=${1:-3}
connections=${2:-32}
workers=${WORKERS:-2}
threads=${THREADS:-4}
rounds=${ROUNDS:-3}
app_port=${APP_PORT:-8631}
nginx_port=${NGINX_PORT:-8632}
bare_port=${BARE_PORT:-8633}
for tool in wrk nginx curl; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed (apt-get install wrk nginx-light curl)"; exit 1; }
done

work=$(mktemp -d)
# nginx's workers run as an unprivileged user and cannot enter mktemp's 0700
# directory: the copies it serves live in a directory of their own, readable
# by all, so that the instance's data directory stays private.
www=$(mktemp -d)
chmod 755 "$www"
app_pid=""
bare_pid=""
cleanup() {
    [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null
    [ -n "$bare_pid" ] && kill "$bare_pid" 2>/dev/null && wait "$bare_pid" 2>/dev/null
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null
    rm -rf "$work" "$www"
}
trap cleanup EXIT
export WATWERKT_VAR_DIR=$work/var WATWERKT_LOG_LEVEL=WARNING
unset DATABASE_URL REDIS_URL
$BIN/watwerkt migrate --noinput -v0
$BIN/watwerkt demo >/dev/null

serve() {  # start `watwerkt serve` with the given environment; wait until it answers
    env "$@" $BIN/watwerkt serve --port "$app_port" --workers "$workers" --threads "$threads" >"$work/serve.log" 2>&1 &
    app_pid=$!
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$app_port/antwerpen/" && return; sleep 0.2; done
    echo "watwerkt did not start:"; cat "$work/serve.log"; exit 1
}
stop() { kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=""; }

serve WATWERKT_PAGE_CACHE_MB=64
app=http://127.0.0.1:$app_port
urls=(/antwerpen/ /antwerpen/reispas/)
names=(overview service)
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$app/antwerpen/api/v2/summary.json")" = 200 ]; then
    urls+=(/antwerpen/api/v2/summary.json); names+=(summary.json)
fi

# nginx serves the same bytes: each page plain, and its gzip next to it for
# gzip_static; the headers of each answer are kept for bench/bare_wsgi.py.
# Before any figure, each server must answer each page with exactly these
# bytes (200), and 304 to its own ETag; wrk's count of error answers is read
# after every run. An nginx that cannot read its files answers 403 twice as
# fast as any real page, and a ratio against it means nothing.
mkdir -p "$work/tmp"
for url in "${urls[@]}"; do
    file=$www$url; [[ $url == */ ]] && file=${file}index.html
    mkdir -p "$(dirname "$file")"
    curl -sf -D "$file.plain.headers" -o "$file" "$app$url"
    curl -sf -D "$file.gz.headers" -H 'Accept-Encoding: gzip' -o "$file.gz" "$app$url"
    tag=$(awk -F': ' 'tolower($1)=="etag"{print $2}' "$file.plain.headers" | tr -d '\r')
    curl -s -D "$file.304.headers" -H "If-None-Match: $tag" -o /dev/null "$app$url"
done
cat >"$work/nginx.conf" <<CONF
worker_processes $workers;
pid $work/nginx.pid;
error_log $work/nginx.error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
    uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
    types { text/html html; application/json json; }
    server {
        listen 127.0.0.1:$nginx_port;
        root $www;
        gzip_static on;
        # as Debian's nginx.conf sets it up; NGINX_EXTRA adds directives
        sendfile on; tcp_nopush on;
        ${NGINX_EXTRA:-}
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"
web=http://127.0.0.1:$nginx_port
(cd bench && exec env BARE_WWW="$www" "../$BIN/granian" --interface wsgi --host 127.0.0.1 \
    --port "$bare_port" --workers "$workers" --blocking-threads "$threads" --no-ws --log-level warning \
    bare_wsgi:application >"$work/bare.log" 2>&1) &
bare_pid=$!
bare=http://127.0.0.1:$bare_port
for _ in $(seq 100); do curl -sf -o /dev/null "$bare${urls[0]}" && break; sleep 0.2; done
curl -sf -o /dev/null "$bare${urls[0]}" || { echo "bench/bare_wsgi.py did not start:"; cat "$work/bare.log"; exit 1; }

run() {  # URL [header]: prints "requests/s p99"; an error answer or socket error is noted in $work/failed
    local extra=(); [ -n "${2:-}" ] && extra=(-H "$2")
    local out; out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${extra[@]}" "$1")
    if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
        printf '%s %s:\n%s\n' "$1" "${2:-}" "$(grep -E 'Non-2xx|Socket errors' <<<"$out")" >>"$work/failed"
    fi
    echo "$(awk '/Requests\/sec/{print $2}' <<<"$out") $(awk '/ 99%/{print $2}' <<<"$out")"
}
failed() { [ -s "$work/failed" ] && { echo "some answers were errors, so the figures would mean nothing:"; cat "$work/failed"; }; }
same() {  # URL FILE [header]: the server answers 200 with exactly the bytes of FILE
    local extra=(); [ -n "${3:-}" ] && extra=(-H "$3")
    local code; code=$(curl -s "${extra[@]}" -o "$work/answer" -w '%{http_code}' "$1")
    [ "$code" = 200 ] && cmp -s "$work/answer" "$2" && return
    echo "$1 ${3:-} answered $code, not the bytes of $2: the servers must serve the same bytes"; exit 1
}
for url in "${urls[@]}"; do  # all three serve the very same bytes, or the comparison is void
    file=$www$url; [[ $url == */ ]] && file=${file}index.html
    for base in "$app" "$bare" "$web"; do
        same "$base$url" "$file"
        same "$base$url" "$file.gz" "Accept-Encoding: gzip"
    done
done
etag_of() { curl -s -D - -o /dev/null "$1" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r'; }
ms() {  # a wrk latency (812.00us, 1.20ms, 1.01s) in milliseconds
    awk '{v = $1; f = 1; if (v ~ /us$/) f = 0.001; else if (v !~ /ms$/) f = 1000; gsub(/[a-z]/, "", v); printf "%.2f", v * f}' <<<"$1"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

for url in "${urls[@]}"; do  # warm all three up: first connections, first pages, CPU caches
    for base in "$app" "$bare" "$web"; do wrk -t2 -c"$connections" -d1s "$base$url" >/dev/null; done
done

echo "wrk -t2 -c$connections -d${seconds}s, median of $rounds rounds; watwerkt and bare WSGI: granian," \
    "$workers workers, $threads threads each; nginx: $workers workers; $(nproc) cores shared by all"
printf '%-13s %-5s %11s %9s %10s %11s %9s %7s %7s\n' url body "watwerkt/s" p99 "bare/s" "nginx/s" p99 \
    ratio "bare"
for i in "${!urls[@]}"; do
    for body in plain gzip 304; do
        header=""
        [ "$body" = gzip ] && header="Accept-Encoding: gzip"
        a_header=$header; n_header=$header
        if [ "$body" = 304 ]; then
            a_header="If-None-Match: $(etag_of "$app${urls[$i]}")"
            n_header="If-None-Match: $(etag_of "$web${urls[$i]}")"
            for pair in "$app|$a_header" "$bare|$a_header" "$web|$n_header"; do
                code=$(curl -s -o /dev/null -w '%{http_code}' -H "${pair#*|}" "${pair%%|*}${urls[$i]}")
                [ "$code" = 304 ] || { echo "${pair%%|*}${urls[$i]} answered $code to ${pair#*|}, not 304"; exit 1; }
            done
        fi
        a=(); b=(); n=(); ap=(); np=(); ratios=(); bare_ratios=()
        for _ in $(seq "$rounds"); do
            read -r a_rps a_p99 <<<"$(run "$app${urls[$i]}" "$a_header")"
            read -r b_rps _ <<<"$(run "$bare${urls[$i]}" "$a_header")"
            read -r n_rps n_p99 <<<"$(run "$web${urls[$i]}" "$n_header")"
            a+=("$a_rps"); b+=("$b_rps"); n+=("$n_rps"); ap+=("$(ms "$a_p99")"); np+=("$(ms "$n_p99")")
            ratios+=("$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN{printf "%.3f", a/n}')")
            bare_ratios+=("$(awk -v a="$b_rps" -v n="$n_rps" 'BEGIN{printf "%.3f", a/n}')")
        done
        failed && exit 1
        printf '%-13s %-5s %11.0f %9s %10.0f %11.0f %9s %7.2f %7.2f\n' "${names[$i]}" "$body" \
            "$(printf '%s\n' "${a[@]}" | median)" "$(printf '%s\n' "${ap[@]}" | median)ms" \
            "$(printf '%s\n' "${b[@]}" | median)" "$(printf '%s\n' "${n[@]}" | median)" \
            "$(printf '%s\n' "${np[@]}" | median)ms" "$(printf '%s\n' "${ratios[@]}" | median)" \
            "$(printf '%s\n' "${bare_ratios[@]}" | median)"
    done
done
kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true; bare_pid=""

echo
echo "overview (gzip) while reservatieplatform changes every 100 ms, each change through the write path:"
$BIN/python bench/http_changes.py "$app/antwerpen/" --period 0.1 --seconds "$seconds" >"$work/changes.txt" &
changer=$!
read -r c_rps c_p99 <<<"$(run "$app/antwerpen/" "Accept-Encoding: gzip")"
wait $changer
failed && exit 1
printf '  %s requests/s, p99 %s\n' "$c_rps" "$c_p99"; sed 's/^/  /' "$work/changes.txt"

echo
echo "the first requests right after a change (gzip; every stored page out of date at the write):"
for i in "${!urls[@]}"; do
    printf '  %-13s ' "${names[$i]}"
    $BIN/python bench/http_changes.py "$app${urls[$i]}" --burst "${BURST:-1000}" --connections "$connections"
done
stop

echo
echo "overview with the page cache off (WATWERKT_PAGE_CACHE_MB=0: every request rendered by Django):"
serve WATWERKT_PAGE_CACHE_MB=0
read -r r_rps r_p99 <<<"$(run "$app/antwerpen/" "Accept-Encoding: gzip")"
failed && exit 1
printf '  %s requests/s, p99 %s\n' "$r_rps" "$r_p99"
