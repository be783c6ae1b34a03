#!/usr/bin/env bash
# The test command: every test project in the solution and the sample cloud function's node tests
# (build/test-cloudfunction.sh), then one line "N passed, N failed, N skipped" counting both.
# SQL Server tests report themselves skipped (with the reason) where no Docker engine runs.
# Extra arguments go to dotnet test, e.g. build/test.sh --filter "Category!=Reliability".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
nodelog=$(mktemp)
trap 'rm -f "$log" "$nodelog"' EXIT

dotnet test CrmIntegration.sln --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly ends with "Total tests: N" and indented "Passed: N" / "Failed: N" / "Skipped: N" lines.
summary=$(grep -E '^(Total tests|\s+(Passed|Failed|Skipped)): [0-9]+\s*$' "$log" | tr -d ' ' |
  awk -F: '$1=="Passed"{p+=$2} $1=="Failed"{f+=$2} $1=="Skipped"{s+=$2} END {printf "%d passed, %d failed, %d skipped", p, f, s}')
assemblies=$(grep -cE '^Total tests: [0-9]+' "$log" || true)
projects=$(find tests -name '*.csproj' -not -path '*Benchmarks*' -not -path '*Simulator*' -not -path '*Tools*' -not -path '*LoadTool*' | wc -l)
if [ "$status" -eq 0 ] && [ "$assemblies" -lt "$projects" ]; then
  echo "Only $assemblies of $projects test projects reported results." >&2
  status=1
fi

# The cloud function under node: its TAP summary lines "# pass N", "# fail N", "# skipped N" join the counts.
echo
build/test-cloudfunction.sh 2>&1 | tee "$nodelog"
node_status=${PIPESTATUS[0]}
node_counts=$(awk '$1=="#" && $2=="pass"{p+=$3} $1=="#" && $2=="fail"{f+=$3} $1=="#" && $2=="skipped"{s+=$3}
  END {printf "%d %d %d", p, f, s}' "$nodelog")
if [ "$node_status" -ne 0 ]; then
  status=1
fi

summary=$(echo "$summary $node_counts" | awk '{printf "%d passed, %d failed, %d skipped", $1+$7, $3+$8, $5+$9}')
echo
echo "$summary"
exit "$status"
