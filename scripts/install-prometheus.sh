#!/usr/bin/env bash
# Installs Debian's `prometheus` package (it ships /usr/bin/prometheus and /usr/bin/promtool), for
# the tests that run a real Prometheus (test/integration/prometheus-*.test.ts,
# test/e2e/canary-*.test.ts) and check the rules under prometheus/ with promtool.
# --if-possible: see install-apt-package.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# "$@" is empty or --if-possible.
exec bash "$here/install-apt-package.sh" "$@" prometheus prometheus promtool
