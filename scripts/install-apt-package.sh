#!/usr/bin/env bash
# Installs one Debian package for the tests that run its real binaries, unless they are on PATH:
#   bash scripts/install-apt-package.sh [--if-possible] PACKAGE BINARY...
# Used by install-prometheus.sh (prometheus, promtool), install-alertmanager.sh (prometheus-alertmanager,
# amtool), install-registry.sh (docker-registry) and directly by package.json pretest (the
# prometheus-node-exporter and shellcheck packages).
#
# Idempotent: exits at once when every BINARY is on PATH. `apt-get update` runs only when apt
# does not know the package yet (a fresh machine whose lists are empty).
#
# Packages that ship a service (prometheus on :9090, docker-registry on :5000) enable it where an
# init system runs; containers deny the start (policy-rc.d) and the tests never use it: each test
# starts its own server on a free loopback port.
#
# --if-possible: outside CI, a failed install (no root, no Debian) only warns, and the tests that
# need the binaries are skipped loudly. In CI (CI=true) it always fails.
set -euo pipefail

if [[ "${1:-}" == "--if-possible" ]]; then
  shift
  if [[ "${CI:-}" != "true" ]]; then
    if ! bash "${BASH_SOURCE[0]}" "$@"; then
      printf '\n!!! install-apt-package: could not install %s; tests that need it will be SKIPPED.\n\n' "${1:-?}" >&2
    fi
    exit 0
  fi
fi

[[ $# -ge 2 ]] || { echo "usage: $0 [--if-possible] PACKAGE BINARY..." >&2; exit 64; }
PACKAGE="$1"
shift
BINARIES=("$@")

log() { printf 'install-apt-package(%s): %s\n' "$PACKAGE" "$*" >&2; }
die() { log "error: $*"; exit 1; }

show_versions() {
  local binary
  for binary in "${BINARIES[@]}"; do "$binary" --version 2>&1 | head -n1; done
}

all_on_path() {
  local binary
  for binary in "${BINARIES[@]}"; do command -v "$binary" >/dev/null || return 1; done
}

if all_on_path; then
  show_versions
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian-based machine (or put ${BINARIES[*]} on PATH)"

SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and no sudo: run as root, or install the $PACKAGE package by hand"
  SUDO=(sudo -n)
fi

export DEBIAN_FRONTEND=noninteractive

# `Candidate: (none)` (or no output at all) means the package lists are missing or stale.
# The output is captured first: `grep -q` exits early, and under pipefail apt-cache's SIGPIPE would
# fail the pipeline.
candidate() {
  local policy
  policy="$(apt-cache policy "$PACKAGE" 2>/dev/null || true)"
  sed -n 's/^[[:space:]]*Candidate:[[:space:]]*\([0-9].*\)$/\1/p' <<<"$policy"
}
has_candidate() { [[ -n "$(candidate)" ]]; }

if ! has_candidate; then
  log "package lists do not know $PACKAGE yet; running apt-get update"
  "${SUDO[@]}" apt-get update -q
fi
has_candidate || die "apt knows no $PACKAGE package (is this Debian ≥ 11 with the main component enabled?)"

log "installing $PACKAGE $(candidate)"
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "$PACKAGE"

all_on_path || die "the package did not put ${BINARIES[*]} on PATH"
show_versions
