#!/bin/sh
# The one test command (README and .ci/run use exactly this): sh scripts/test-all.sh
# Installs system packages (as root, when missing), dependencies, builds, typechecks, lints, checks for
# unused code and formatting, tests.
set -eu

# System packages the tests need. Issues add to this list (chromium, age, tesseract-ocr, sane-utils, …).
APT_PACKAGES="util-linux chromium age fonts-wqy-zenhei tesseract-ocr tesseract-ocr-chi-sim sane-utils unzip zip python3 postgresql libpq-dev"

cd "$(dirname "$0")/.."

step() {
  echo ""
  echo "==> $*"
}

missing_packages() {
  missing=""
  for pkg in $APT_PACKAGES; do
    if ! dpkg -s "$pkg" >/dev/null 2>&1; then
      missing="$missing $pkg"
    fi
  done
  echo "$missing"
}

if command -v apt-get >/dev/null 2>&1 && command -v dpkg >/dev/null 2>&1; then
  MISSING=$(missing_packages)
  if [ -z "$MISSING" ]; then
    step "system packages already installed:$(printf ' %s' $APT_PACKAGES)"
  elif [ "$(id -u)" = "0" ]; then
    step "installing system packages:$MISSING"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $APT_PACKAGES
  else
    step "WARNING: missing system packages:$MISSING (not root, cannot apt-get install; some tests may fail)"
  fi
else
  step "no apt-get here; make sure these are installed: $APT_PACKAGES"
fi

# Tests never start Electron; its ~100 MB binary is only needed for `npm start` / packaging.
: "${ELECTRON_SKIP_BINARY_DOWNLOAD:=1}"
export ELECTRON_SKIP_BINARY_DOWNLOAD

step "npm ci"
npm ci --no-audit --no-fund

step "better-sqlite3 native module for Node (scripts/ensure-native-abi.mjs node)"
node scripts/ensure-native-abi.mjs node

step "build (npm run build)"
npm run build

step "typecheck (npm run typecheck)"
npm run typecheck

step "lint, type-aware (npm run lint)"
npm run lint

step "unused files, exports and dependencies (npm run knip)"
npm run knip

# The formatter is enforced once the code base has been formatted in one commit (npm run format, then
# `touch .prettier-enforced`); until then a check would fail on every file written before Prettier came.
if [ -f .prettier-enforced ]; then
  step "formatting (npm run format:check)"
  npm run format:check
else
  step "formatting not enforced yet (no .prettier-enforced): skipping npm run format:check"
fi

step "packaging, offline, with a stand-in Electron (npm run check:package)"
npm run check:package

step "tests (npx vitest run)"
npx vitest run

step "end-to-end tests in Chromium (vitest --config tests/e2e/vitest.config.mts)"
npx vitest run --config tests/e2e/vitest.config.mts

step "all checks passed"
