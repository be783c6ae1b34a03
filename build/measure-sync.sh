#!/usr/bin/env bash
# What a sync pass costs in WeCom calls, counted by the simulator (issue 13, P4; docs/performance.md §6):
# N = 1,000 and 10,000 open system approvals, 1 % decided in WeCom with their callbacks lost, then one lost revoke.
# Prints each run's figures (list pages, detail reads, bound, seconds) and the machine's load average.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# CRM_MEASURE_SYNC=1 adds the 10,000 case, too long for the suite.
CRM_MEASURE_SYNC=1 dotnet test tests/Api.IntegrationTests -c Release --nologo --logger "console;verbosity=normal" \
  --filter "FullyQualifiedName~SyncPassCostTests" 2>&1 |
  grep -E "seeded|N=|Passed |Failed |Skipped |Total tests|Passed!|Failed!"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
