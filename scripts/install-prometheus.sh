#!/usr/bin/env bash
# Installs Debian's `prometheus` package (it ships /usr/bin/prometheus and /usr/bin/promtool), for
# the tests that run a real Prometheus (test/integration/prometheus-*.test.ts,
# test/e2e/canary-*.test.ts) and check the rules under prometheus/ with promtool.
#
# Idempotent: exits at once when both binaries are on PATH. `apt-get update` runs only when apt
# does not know the package yet (a fresh machine whose lists are empty).
#
# The package enables a systemd unit listening on :9090 where an init system runs; containers deny
# the start (policy-rc.d) and the tests never use it: each test starts its own server on a free port.
#
# --if-possible: outside CI, a failed install (no root, no Debian) only warns, and the tests that
# need Prometheus are skipped loudly. In CI (CI=true) it always fails.
set -euo pipefail

if [[ "${1:-}" == "--if-possible" && "${CI:-}" != "true" ]]; then
  if ! bash "${BASH_SOURCE[0]}"; then
    printf '\n!!! install-prometheus: could not install Prometheus; tests that need a real Prometheus will be SKIPPED.\n\n' >&2
  fi
  exit 0
fi

log() { printf 'install-prometheus: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

show_versions() {
  prometheus --version 2>&1 | head -n1
  promtool --version 2>&1 | head -n1
}

if command -v prometheus >/dev/null && command -v promtool >/dev/null; then
  show_versions
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian-based machine (or put prometheus and promtool on PATH)"

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and no sudo: run as root, or install the prometheus package by hand"
  SUDO=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive

# `Candidate: (none)` (or no output at all) means the package lists are missing or stale.
# The output is captured first: `grep -q` exits early, and under pipefail apt-cache's SIGPIPE would
# fail the pipeline.
candidate() {
  local policy
  policy="$(apt-cache policy prometheus 2>/dev/null || true)"
  sed -n 's/^[[:space:]]*Candidate:[[:space:]]*\([0-9].*\)$/\1/p' <<<"$policy"
}
has_candidate() { [[ -n "$(candidate)" ]]; }

if ! has_candidate; then
  log "package lists do not know prometheus yet; running apt-get update"
  "${SUDO[@]}" apt-get update -q
fi
has_candidate || die "apt knows no prometheus package (is this Debian ≥ 11 with the main component enabled?)"

log "installing prometheus $(candidate)"
"${SUDO[@]}" apt-get install -y -q --no-install-recommends prometheus

command -v prometheus >/dev/null || die "the package did not put prometheus on PATH"
command -v promtool >/dev/null || die "the package did not put promtool on PATH"
show_versions
