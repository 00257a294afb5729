#!/usr/bin/env bash
# Installs Debian's `prometheus-alertmanager` package (/usr/bin/prometheus-alertmanager and
# /usr/bin/amtool), for test/integration/alertmanager.test.ts: `amtool check-config` and
# `amtool config routes test` on prometheus/alertmanager.yml, and a real Alertmanager receiving the
# alerts of a real Prometheus. The package's own service (port 9093) is never used: the test
# starts its own Alertmanager on a free loopback port.
# --if-possible: see install-apt-package.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# "$@" is empty or --if-possible.
exec bash "$here/install-apt-package.sh" "$@" prometheus-alertmanager prometheus-alertmanager amtool
