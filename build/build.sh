#!/usr/bin/env bash
# Restore, build (warnings are errors), check both providers' migrations, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet restore CrmIntegration.sln
dotnet build CrmIntegration.sln --no-restore
build/check-migrations.sh
build/test.sh --no-build
