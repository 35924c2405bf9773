#!/usr/bin/env bash
# The whole suite: typecheck, build, unit + integration (against a real keychain when one can be
# started), then the renderer in Chromium through the browser console.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results

echo "== typecheck"
npm run --silent typecheck
echo "== build"
npm run --silent build >/dev/null

echo "== unit and integration (vitest)"
vitest_cmd=(npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json)
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  bash scripts/with-keyring.sh "${vitest_cmd[@]}"
else
  echo "note: gnome-keyring / dbus-run-session not installed; keychain tests will skip"
  "${vitest_cmd[@]}"
fi

echo "== renderer and app (playwright)"
export PLAYWRIGHT_JSON_OUTPUT_NAME=test-results/playwright.json
pw_cmd=(npx playwright test --reporter=list,json)
# A display for Chromium and Electron; and, like the unit suite, a private unlocked keyring, so the
# console's keychain never waits on a desktop prompt.
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  pw_cmd=(xvfb-run -a "${pw_cmd[@]}")
fi
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  bash scripts/with-keyring.sh "${pw_cmd[@]}"
else
  "${pw_cmd[@]}"
fi

node scripts/test-summary.mjs test-results/vitest.json test-results/playwright.json
