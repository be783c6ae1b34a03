#!/usr/bin/env bash
# The end-to-end demo in one terminal: builds Release, starts tests/Simulator (WeCom + WeChat) and the service pointed
# at each other (5090/5080 when free, else free ports) on a fresh SQLite database, with a fresh JWT signing key; seeds
# employees, customers and quotes through the API and the simulator; mints admin, manager and sales tokens; prints
# the console URL, the tokens and three commands to try. Ctrl+C stops both processes.
#   build/demo.sh            interactive; database and logs in data/demo (wiped at start; CRM_DEMO_DIR puts them
#                            elsewhere), variables in data/demo/demo.env
#   build/demo.sh --check    non-interactive: free ports, a temporary folder, every step asserted (tests/LoadTool
#                            demo-check), then the three printed commands run, then every command of README's Quick
#                            start, Run and Local simulator sections (build/check-readme-commands.sh, which also runs
#                            the interactive demo and stops it with Ctrl+C); exits non-zero naming the first failing step
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
check=false
case "${1:-}" in
  --check) check=true ;;
  "") ;;
  *) echo "usage: build/demo.sh [--check]" >&2; exit 2 ;;
esac
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

step() { echo "== $*"; }
fail() { echo "demo: FAILED: $*" >&2; exit 1; }

step "Building Release (service, simulator, LoadTool)"
for project in src/Api/CrmIntegration.Api.csproj tests/Simulator/CrmIntegration.Simulator.csproj tests/LoadTool/CrmIntegration.LoadTool.csproj; do
  timeout 600 dotnet build "$project" -c Release --nologo -v quiet >/dev/null || fail "dotnet build $project (rerun it to see the errors)"
done
tool=(dotnet "$root/tests/LoadTool/bin/Release/net10.0/CrmIntegration.LoadTool.dll")

if $check; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/crm-demo.XXXXXX")
else
  work="${CRM_DEMO_DIR:-$root/data/demo}"
  rm -rf "$work"
  mkdir -p "$work"
fi
shown=${work#"$root"/} # data/demo, as the messages name it

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { if ! $check && ! port_busy "$1"; then echo "$1"; else "${tool[@]}" free-port; fi; }
api_port=$(pick_port 5080)
sim_port=$(pick_port 5090)
[ "$api_port" != "$sim_port" ] || sim_port=$("${tool[@]}" free-port)
CRM_URL="http://localhost:$api_port"
SIM_URL="http://localhost:$sim_port"
issuer=crm-demo
audience=crm-demo
key=$("${tool[@]}" new-signing-key)

sim_pid=""
api_pid=""
stop() {
  local pid
  for pid in $api_pid $sim_pid; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      # Bounded: SIGKILL if it has not gone after 10 s.
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  api_pid="" sim_pid=""
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop
  if $check; then
    if [ "$status" -ne 0 ]; then
      echo "--- last lines of the service log ---" >&2; tail -25 "$work/service.log" 2>/dev/null >&2 || true
      echo "--- last lines of the simulator log ---" >&2; tail -15 "$work/simulator.log" 2>/dev/null >&2 || true
    fi
    rm -rf "$work"
  else
    echo "Stopped the service and the simulator (database and logs stay in $shown)."
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step "Starting the simulator on $SIM_URL (callbacks to $CRM_URL/wecom/callback)"
(
  cd "$root/tests/Simulator/bin/Release/net10.0"
  export ASPNETCORE_ENVIRONMENT=Development
  export Simulator__CallbackUrl="$CRM_URL/wecom/callback"
  exec dotnet CrmIntegration.Simulator.dll --contentRoot "$root/tests/Simulator" --urls "$SIM_URL"
) >"$work/simulator.log" 2>&1 &
sim_pid=$!

step "Starting the service on $CRM_URL (SQLite $work/crm.db)"
(
  cd "$root/src/Api/bin/Release/net10.0"
  export ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="$CRM_URL"
  export ConnectionStrings__Crm="Data Source=$work/crm.db" Database__Provider=Sqlite
  # The README demo's settings: the simulator's corp (official test vector A) and mini-program.
  export WeCom__ApiBaseUrl="$SIM_URL" WeCom__CallbackUrl="$CRM_URL/wecom/callback"
  export WeCom__CorpId=ww1436e0e65a779aee WeCom__Secret=simulator-corp-secret
  export WeCom__Token=hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo
  export WeCom__EncodingAesKey=6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt
  export WeCom__Approval__TemplateId=tpl-quote WeCom__Approval__Controls__QuoteNumber=Text-quote-no
  export MiniProgram__ApiBaseUrl="$SIM_URL"
  export MiniProgram__AppId=wx0123456789abcdef MiniProgram__AppSecret=simulator-app-secret
  export MiniProgram__CloudEnv=prod-1a2b3c MiniProgram__TemplateId=TPL-ASSIGNED
  export Authentication__Schemes__Bearer__ValidIssuer=$issuer
  export Authentication__Schemes__Bearer__ValidAudiences__0=$audience
  export Authentication__Schemes__Bearer__SigningKeys__0__Issuer=$issuer
  export Authentication__Schemes__Bearer__SigningKeys__0__Value="$key"
  # Content root = the project, so the console's files (wwwroot) are served from the Release build too.
  exec dotnet CrmIntegration.Api.dll --contentRoot "$root/src/Api"
) >"$work/service.log" 2>&1 &
api_pid=$!

"${tool[@]}" wait-ready --url "$SIM_URL" --path /_sim --timeout 60 || fail "the simulator did not answer $SIM_URL/_sim within 60 s (log: $work/simulator.log)"
"${tool[@]}" wait-ready --url "$CRM_URL" --timeout 90 || fail "the service was not ready within 90 s (log: $work/service.log)"

step "Seeding sample data through the API"
seed_out=$("${tool[@]}" demo-seed --url "$CRM_URL" --sim "$SIM_URL" --signing-key "$key" --issuer $issuer --audience $audience) \
  || { echo "$seed_out"; fail "seeding the demo data"; }
echo "$seed_out" | grep -v '^PENDING_'
PENDING_QUOTE_ID=$(echo "$seed_out" | sed -n 's/^PENDING_QUOTE_ID=//p')
PENDING_SPNO=$(echo "$seed_out" | sed -n 's/^PENDING_SPNO=//p')

mint() { "${tool[@]}" mint-token --signing-key "$key" --issuer $issuer --audience $audience "$@"; }
ADMIN_TOKEN=$(mint --sub demo-admin --role admin)
MANAGER_TOKEN=$(mint --sub demo-manager --role manager)
SALES_TOKEN=$(mint --sub demo-sales --role sales --claim wecom_userid=WangXiaoMing)
cat >"$work/demo.env" <<ENV
export CRM_URL=$CRM_URL SIM_URL=$SIM_URL
export ADMIN_TOKEN=$ADMIN_TOKEN
export MANAGER_TOKEN=$MANAGER_TOKEN
export SALES_TOKEN=$SALES_TOKEN
export PENDING_QUOTE_ID=$PENDING_QUOTE_ID PENDING_SPNO=$PENDING_SPNO
ENV

# The three commands printed to try (and run by --check): the pending quote, approving it in the simulator, its status.
try=(
  'curl -s -H "Authorization: Bearer $SALES_TOKEN" "$CRM_URL/api/quotes?status=pending_approval"'
  'curl -s -XPOST "$SIM_URL/_sim/approvals/$PENDING_SPNO/approve"'
  'curl -s -H "Authorization: Bearer $MANAGER_TOKEN" "$CRM_URL/api/quotes/$PENDING_QUOTE_ID"'
)
expect=('"pending_approval"' '"success"' '"status": *"approved"')

if $check; then
  step "Checking the demo (tests/LoadTool demo-check)"
  timeout 180 "${tool[@]}" demo-check --url "$CRM_URL" --sim "$SIM_URL" --signing-key "$key" --issuer $issuer --audience $audience \
    || fail "demo-check (the step above)"
  step "Running the three commands build/demo.sh prints"
  # shellcheck disable=SC1091
  source "$work/demo.env"
  for i in 0 1 2; do
    out=""
    for _ in $(seq 40); do  # the approval arrives through a callback: up to 10 s
      out=$(eval "timeout 10 ${try[$i]}") || true
      if echo "$out" | grep -Eq "${expect[$i]}"; then break; fi
      [ "$i" -eq 2 ] || break
      sleep 0.25
    done
    echo "$out" | grep -Eq "${expect[$i]}" || fail "printed command $((i + 1)) (${try[$i]}) did not answer ${expect[$i]}: ${out:0:300}"
    echo "ok   command $((i + 1)): ${try[$i]}"
  done
  step "Running README's Quick start, Run and Local simulator commands (build/check-readme-commands.sh)"
  timeout 900 build/check-readme-commands.sh --demo-url "$CRM_URL" --work "$work" || fail "README's commands (the step above)"
  errors=$(grep -c '\[ERR\]\|\[FTL\]' "$work/service.log" || true)
  [ "$errors" -eq 0 ] || { grep '\[ERR\]\|\[FTL\]' "$work/service.log" | head -5 >&2; fail "the service logged $errors error(s)"; }
  echo "demo --check passed (service log: $(wc -l <"$work/service.log") lines, no errors)"
  exit 0
fi

cat <<MSG

Demo is running.
  Service:    $CRM_URL            (log: $shown/service.log)
  Simulator:  $SIM_URL/_sim       (log: $shown/simulator.log)
  Console:    $CRM_URL/console/   (paste the admin token)

Tokens (issuer and audience $issuer, valid 8 hours):
  admin    $ADMIN_TOKEN
  manager  $MANAGER_TOKEN
  sales    $SALES_TOKEN   (wecom_userid WangXiaoMing)

Try, in another terminal (source $shown/demo.env first; it exports these variables):
  ${try[0]}
  ${try[1]}
  ${try[2]}

Press Ctrl+C to stop both.
MSG
wait "$api_pid" || true
fail "the service exited (log: $shown/service.log)"
