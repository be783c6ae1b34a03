#!/usr/bin/env bash
# The test command: every test project in the solution, then one line "N passed, N failed, N skipped".
# SQL Server tests report themselves skipped (with the reason) where no Docker engine runs.
# Extra arguments go to dotnet test, e.g. build/test.sh --filter "Category!=Reliability".
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

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
echo
echo "$summary"
exit "$status"
