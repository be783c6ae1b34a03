#!/usr/bin/env bash
# Callback load test on loopback: builds Release, starts the service on a free port with a temporary SQLite
# file and the official vector B callback settings, runs tests/LoadTool against it (and against a bare
# "success" endpoint the tool hosts, as the ceiling), stops the service and prints the report.
#   build/load-callbacks.sh [N=2000] [concurrency=16] [extra LoadTool options, e.g. --mode sys, or
#   --live-rate 50 --live-seconds 20 for acknowledged -> quote-status event latency on GET /api/quotes/events,
#   or --rate 200 to pace the timed phases at 200 callbacks/s, open loop, for their latency at a fixed rate]
# SERVICE_LOG_LEVEL (default Information, as shipped) sets Serilog's level; the service log is kept on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2000}
concurrency=${2:-16}
shift $(( $# < 2 ? $# : 2 ))

dotnet build src/Api/CrmIntegration.Api.csproj -c Release --nologo -v quiet
dotnet build tests/LoadTool/CrmIntegration.LoadTool.csproj -c Release --nologo -v quiet
api_dir="$PWD/src/Api/bin/Release/net10.0"
tool=(dotnet "$PWD/tests/LoadTool/bin/Release/net10.0/CrmIntegration.LoadTool.dll")

work=$(mktemp -d "${TMPDIR:-/tmp}/crm-load.XXXXXX")
port=$("${tool[@]}" free-port)
url="http://127.0.0.1:$port"
key=$("${tool[@]}" new-signing-key)
service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "Starting the service on $url (SQLite file in $work)"
# Run from the build output so appsettings.json is the content root's; everything else comes from the environment.
(
  cd "$api_dir"
  export ASPNETCORE_ENVIRONMENT=Production
  export ASPNETCORE_URLS="$url"
  export ConnectionStrings__Crm="Data Source=$work/crm.db"
  export Database__Provider=Sqlite
  export WeCom__CorpId=wx5823bf96d3bd56c7
  export WeCom__Token=QDG6eK
  export WeCom__EncodingAesKey=jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C
  export Authentication__Schemes__Bearer__ValidIssuer=crm-load
  export Authentication__Schemes__Bearer__ValidAudiences__0=crm-load
  export Authentication__Schemes__Bearer__SigningKeys__0__Issuer=crm-load
  export Authentication__Schemes__Bearer__SigningKeys__0__Value="$key"
  export Serilog__MinimumLevel__Default="${SERVICE_LOG_LEVEL:-Information}"
  export RateLimiting__Enabled=false # one load-tool caller creates the quotes: not what the limit is for
  exec dotnet CrmIntegration.Api.dll
) >"$work/service.log" 2>&1 &
service_pid=$!

if ! "${tool[@]}" wait-ready --url "$url" --timeout 60; then
  echo "The service did not become ready; its log:" >&2
  tail -50 "$work/service.log" >&2
  exit 1
fi

status=0
"${tool[@]}" run --url "$url" --signing-key "$key" --issuer crm-load --audience crm-load \
  --count "$count" --concurrency "$concurrency" --service-pid "$service_pid" "$@" || status=$?

if [ "$status" -ne 0 ]; then
  echo "Load run failed ($status); last lines of the service log:" >&2
  tail -30 "$work/service.log" >&2
fi
echo "Service log: $(wc -l <"$work/service.log") lines, $(grep -c '\[ERR\]\|\[FTL\]' "$work/service.log" || true) at error level"
exit "$status"
