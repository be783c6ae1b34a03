#!/usr/bin/env bash
# Fails when the EF model has changes that no migration covers, for either provider (ADR-4).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do
  dotnet ef migrations has-pending-model-changes --no-build \
    --project src/Infrastructure --startup-project src/Infrastructure --context "${provider}AppDbContext"
done
