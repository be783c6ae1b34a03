#!/usr/bin/env bash
# The sample cloud function (samples/cloudfunctions/quickstartFunctions) under node's built-in test runner,
# with wx-server-sdk stubbed in the test itself: no npm install, no network. Needs node 20 or later.
# Prints node's TAP output, whose summary lines read "# pass N", "# fail N", "# skipped N"; exits non-zero on a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
  echo "node (20 or later) is required to test samples/cloudfunctions/quickstartFunctions." >&2
  echo "# pass 0"
  echo "# fail 1"
  exit 1
fi

node --test --test-reporter=tap samples/cloudfunctions/quickstartFunctions/index.test.js
