#!/usr/bin/env bash
# Installs Debian's `docker-registry` package (the CNCF distribution registry, /usr/bin/docker-registry),
# for the tests that resolve image digests against a real registry
# (test/integration/registry-client.test.ts, test/e2e/release-digests.test.ts).
# --if-possible: see install-apt-package.sh.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
# "$@" is empty or --if-possible.
exec bash "$here/install-apt-package.sh" "$@" docker-registry docker-registry
