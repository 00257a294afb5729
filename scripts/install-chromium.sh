#!/usr/bin/env bash
# Installs Debian's `chromium` package for the test that opens a static dashboard page in headless
# Chromium and takes a screenshot (test/integration/dashboards.test.ts).
# --if-possible: see install-apt-package.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# "$@" is empty or --if-possible.
exec bash "$here/install-apt-package.sh" "$@" chromium chromium
