#!/usr/bin/env bash
# Installs actionlint (the GitHub Actions workflow linter) into .tools/actionlint/bin/, for the test
# that lints the delivery pipelines drover init hands out (test/examples/ci-pipelines.test.ts).
# Built from source with `go install` through the Go module proxy: about 10 s on a fresh machine.
#
# --if-possible: outside CI, a failed install (no Go, no proxy) only warns, and the lint is skipped
# loudly. In CI (CI=true) it always fails.
set -euo pipefail
VERSION=v1.7.12
cd "$(dirname "${BASH_SOURCE[0]}")/.."
BIN="$PWD/.tools/actionlint/bin"

if [[ "${1:-}" == "--if-possible" && "${CI:-}" != "true" ]]; then
  if ! bash "${BASH_SOURCE[0]}"; then
    printf '\n!!! install-actionlint: could not install actionlint %s; the workflow lint will be SKIPPED.\n\n' "$VERSION" >&2
  fi
  exit 0
fi

if [[ -x "$BIN/actionlint" ]] && "$BIN/actionlint" -version 2>/dev/null | head -n1 | grep -qx "$VERSION"; then
  exit 0
fi
command -v go >/dev/null || { echo "install-actionlint: error: go is not on PATH" >&2; exit 1; }
mkdir -p "$BIN"
GOBIN="$BIN" go install "github.com/rhysd/actionlint/cmd/actionlint@$VERSION"
"$BIN/actionlint" -version | head -n1 >&2
