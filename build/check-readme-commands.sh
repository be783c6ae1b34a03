#!/usr/bin/env bash
# Runs every command of README's "Quick start", "Run" and "Local simulator" sections the way a reader would, and fails
# naming the first one that does not do what README says. The commands are read from README.md itself: a command added
# there that this script does not know how to run and check fails it. Called by build/demo.sh --check, whose demo
# service (simulator settings, official WeCom test vector A) is still running and stands for the one README's callback
# check talks to.
#   build/check-readme-commands.sh --demo-url http://localhost:PORT --work DIR
# Fresh-machine conditions without touching the reader's own files: user secrets go to DIR/appdata (APPDATA, read by
# dotnet user-jwts and the service alike; the folder does not exist when the service starts), the service's SQLite file
# to DIR. Ports are free ones: localhost:5080 and :5090 in the commands are replaced by them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
demo_url=""
work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --demo-url) demo_url=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    *) echo "usage: build/check-readme-commands.sh --demo-url URL --work DIR" >&2; exit 2 ;;
  esac
done
[ -n "$demo_url" ] && [ -d "$work" ] || { echo "usage: build/check-readme-commands.sh --demo-url URL --work DIR" >&2; exit 2; }
tool=(dotnet "$root/tests/LoadTool/bin/Release/net10.0/CrmIntegration.LoadTool.dll")

fail() { echo "readme: FAILED: $*" >&2; exit 1; }
ok() { echo "ok   $1: $2"; }

# The commands of README section "## $1": the lines of its ```bash blocks, continuations joined, comments dropped.
readme_commands() {
  awk -v want="## $1" '
    /^## / { in_section = ($0 == want) }
    in_section && /^```bash/ { in_block = 1; next }
    in_block && /^```/ { in_block = 0; next }
    in_section && in_block && NF { print }
  ' "$root/README.md" | sed -e ':a' -e '/\\$/N; s/[[:space:]]*\\\n[[:space:]]*/ /; ta' -e 's/[[:space:]]\{2,\}#.*$//' -e 's/[[:space:]]*$//'
}

# Processes started here run in their own process group (setsid), so that `dotnet run` and the app it starts stop together.
groups=()
stop_group() {
  local pgid=$1
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.2; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  wait "$pgid" 2>/dev/null || true
}
cleanup() {
  local status=$? pgid
  for pgid in "${groups[@]}"; do stop_group "$pgid"; done
  if [ "$status" -ne 0 ]; then
    for log in "$work"/readme-*.log; do
      [ -f "$log" ] || continue
      echo "--- last lines of $(basename "$log") ---" >&2
      tail -15 "$log" >&2
    done
  fi
}
trap cleanup EXIT

export APPDATA="$work/appdata"
api_port=$("${tool[@]}" free-port)
sim_port=$("${tool[@]}" free-port)
[ "$api_port" != "$sim_port" ] || sim_port=$("${tool[@]}" free-port)
api_url="http://localhost:$api_port"
sim_url="http://localhost:$sim_port"
TOKEN=""
interactive_demo=false

start_group() { # log name, then the command
  local log="$work/readme-$1.log"
  shift
  setsid "$@" >"$log" 2>&1 </dev/null &
  groups+=("$!")
}

start_service() {
  [ -z "${service_started:-}" ] || { ok "$1" "$2 (already running)"; return; }
  [ ! -e "$APPDATA" ] || fail "precondition: $APPDATA should not exist before the service starts (a fresh machine's user secrets)"
  # Development (the launch profile), on a free port and a database of this check instead of src/Api/data/crm.db.
  start_group service env "ConnectionStrings__Crm=Data Source=$work/readme-dev.db" $2 --urls "$api_url"
  "${tool[@]}" wait-ready --url "$api_url" --timeout 300 || fail "$1: '$2' was not ready within 300 s (log: $work/readme-service.log)"
  curl -sf "$api_url/console/" | grep -q 'console.js' || fail "$1: '$2' does not serve the console at /console/"
  service_started=1
  ok "$1" "$2 (ready on $api_url, the console answers)"
}

start_simulator() {
  start_group simulator $2 --urls "$sim_url"
  "${tool[@]}" wait-ready --url "$sim_url" --path /_sim --timeout 300 || fail "$1: '$2' did not answer $sim_url/_sim within 300 s"
  ok "$1" "$2 (on $sim_url)"
}

user_jwts() {
  [ -n "${service_started:-}" ] || fail "$1: README shows '$2' before the service runs"
  [ -z "$(find "$APPDATA" -type f 2>/dev/null)" ] || fail "precondition: no user secrets yet"
  eval "$2" || fail "$1: '$2' failed"
  [ -n "$TOKEN" ] || fail "$1: '$2' left \$TOKEN empty"
  ok "$1" "$2 (the first signing key on this \"machine\", created while the service runs)"
}

# What each curl of README must answer. $1 section, $2 the command as README shows it.
run_curl() {
  local section=$1 command=$2 expected target tries=1 out=""
  case "$command" in
    *"/api/quotes") expected='"status":"draft"'; tries=40 ;; # the service reads the new signing key within a second
    *"/_sim") expected='"corpId"' ;;
    *"/_sim/faults"*) expected='"path": "/cgi-bin/oa/applyevent"' ;;
    *"/_sim/callbacks/drop"*) expected='"dropNext": 1' ;;
    *"/_sim/callbacks/check"*) expected='"ok": true' ;;
    *) fail "$section: README shows a curl this check has no expectation for: $command" ;;
  esac
  # localhost:5080 is the service README started ("Run"), or, for the simulator's save-and-test, a service with the
  # simulator's Token and EncodingAESKey: the demo's.
  target=${api_url#http://}
  [ "$section" != "Local simulator" ] || target=${demo_url#http://}
  command=${command//localhost:5080/$target}
  command=${command//localhost:5090/${sim_url#http://}}
  local try
  for try in $(seq "$tries"); do
    out=$(eval "timeout 10 $command" 2>/dev/null) || true # stderr: curl's progress meter
    if echo "$out" | grep -Eq "$expected"; then break; fi
    sleep 0.25
  done
  echo "$out" | grep -Eq "$expected" || fail "$section: '$2' did not answer $expected: ${out:0:300}"
  ok "$section" "$2$([ "$tries" -eq 1 ] || echo " (answered at try $try, the service running since before the token's key existed)")"
}

run() {
  local section=$1 command=$2
  case "$command" in
    "dotnet run --project src/Api") start_service "$section" "$command" ;;
    "dotnet run --project tests/Simulator") start_simulator "$section" "$command" ;;
    "TOKEN=\$(dotnet user-jwts create --project src/Api "*) user_jwts "$section" "$command" ;;
    curl\ *) run_curl "$section" "$command" ;;
    "build/demo.sh") interactive_demo=true ;; # last: it starts its own service and simulator
    "build/demo.sh --check") ok "$section" "$command (this check)" ;;
    "build/test.sh") ok "$section" "$command (not here: CI's .ci/run runs it after build/demo.sh --check)" ;;
    *) fail "$section: README shows a command this check does not know how to run: $command" ;;
  esac
}

for section in "Quick start" "Run" "Local simulator"; do
  mapfile -t commands < <(readme_commands "$section")
  [ "${#commands[@]}" -gt 0 ] || fail "README has no commands under '## $section'"
  for command in "${commands[@]}"; do run "$section" "$command"; done
done

errors=$(grep -c '\[ERR\]\|\[FTL\]' "$work/readme-service.log" || true)
[ "$errors" -eq 0 ] || { grep '\[ERR\]\|\[FTL\]' "$work/readme-service.log" | head -5 >&2; fail "'dotnet run --project src/Api' logged $errors error(s)"; }
for pgid in "${groups[@]}"; do stop_group "$pgid"; done
groups=()

$interactive_demo || fail "README's Quick start no longer shows build/demo.sh"
# build/demo.sh as a reader runs it: wait for "Demo is running", run the three commands it printed (after sourcing the
# demo.env it names), then Ctrl+C (SIGINT to its process group, as a terminal sends it) must stop both processes.
# CRM_DEMO_DIR keeps it out of the reader's data/demo.
demo_dir="$work/interactive"
log="$work/readme-demo.log"
# Job control on for this one: the demo gets its own process group, and SIGINT is not ignored in it (without job control
# a background command starts with SIGINT ignored, and a shell cannot trap a signal ignored on entry).
set -m
CRM_DEMO_DIR="$demo_dir" build/demo.sh >"$log" 2>&1 </dev/null &
demo_pid=$!
set +m
groups+=("$demo_pid")
for _ in $(seq 1500); do
  grep -q '^Demo is running' "$log" && break
  kill -0 "$demo_pid" 2>/dev/null || fail "Quick start: build/demo.sh exited before the demo ran"
  sleep 0.2
done
grep -q '^Demo is running' "$log" || fail "Quick start: build/demo.sh did not say 'Demo is running' within 300 s"
mapfile -t printed < <(sed -n '/^Try, in another terminal/,/^Press Ctrl+C/p' "$log" | sed -n 's/^  \(curl .*\)$/\1/p')
[ "${#printed[@]}" -eq 3 ] || fail "Quick start: build/demo.sh printed ${#printed[@]} commands to try, not 3"
expect=('"pending_approval"' '"success"' '"status": *"approved"')
(
  # shellcheck disable=SC1091
  source "$demo_dir/demo.env"
  for i in 0 1 2; do
    out=""
    for _ in $(seq 40); do # the approval arrives through a callback
      out=$(eval "timeout 10 ${printed[$i]}") || true
      if echo "$out" | grep -Eq "${expect[$i]}"; then break; fi
      [ "$i" -eq 2 ] || break
      sleep 0.25
    done
    echo "$out" | grep -Eq "${expect[$i]}" || fail "Quick start: build/demo.sh's command $((i + 1)) (${printed[$i]}) did not answer ${expect[$i]}: ${out:0:300}"
  done
)
# shellcheck disable=SC1091
crm_url=$(source "$demo_dir/demo.env" && echo "$CRM_URL")
sim_url=$(source "$demo_dir/demo.env" && echo "$SIM_URL")
kill -INT -- "-$demo_pid"
for _ in $(seq 150); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.2; done
kill -0 "$demo_pid" 2>/dev/null && fail "Quick start: build/demo.sh still runs 30 s after Ctrl+C"
groups=()
grep -q '^Stopped the service and the simulator' "$log" || fail "Quick start: build/demo.sh did not say it stopped both after Ctrl+C"
for url in "$crm_url/health/live" "$sim_url/_sim"; do
  ! curl -s -o /dev/null --max-time 2 "$url" || fail "Quick start: $url still answers after Ctrl+C"
done
ok "Quick start" "build/demo.sh (the demo ran, its three commands answered, Ctrl+C stopped the service and the simulator)"
