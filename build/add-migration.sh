#!/usr/bin/env bash
# Adds a migration with the same name for both providers (ADR-4): build/add-migration.sh Name
set -euo pipefail
name=${1:?usage: build/add-migration.sh MigrationName}
cd "$(dirname "$0")/.."
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer; do
  dotnet ef migrations add "$name" \
    --project src/Infrastructure --startup-project src/Infrastructure \
    --context "${provider}AppDbContext" --output-dir "Persistence/Migrations/${provider}"
done
