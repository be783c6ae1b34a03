#!/usr/bin/env bash
# Runs the BenchmarkDotNet suite in Release and prints where the reports land.
#   build/bench.sh                 every benchmark (a few minutes on 2 cores)
#   build/bench.sh '*Crypto*'      only classes/methods matching the filter (BenchmarkDotNet glob)
#   build/bench.sh Customer        a filter without * or ? matches as a substring: '*Customer*'
# Further arguments go to BenchmarkDotNet, e.g. build/bench.sh '*' --list flat
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-*}
shift || true
case $filter in
  *[*?]*) ;;
  *) filter="*$filter*" ;;
esac
artifacts="$PWD/BenchmarkDotNet.Artifacts"

dotnet build tests/Benchmarks/CrmIntegration.Benchmarks.csproj -c Release --nologo -v quiet
dotnet tests/Benchmarks/bin/Release/net10.0/CrmIntegration.Benchmarks.dll \
  --filter "$filter" --artifacts "$artifacts" "$@"

echo
echo "Reports (GitHub markdown, CSV, HTML): $artifacts/results/"
ls -1 "$artifacts/results/" 2>/dev/null | sed 's/^/  /' || true
