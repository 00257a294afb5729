#!/usr/bin/env bash
# Installs the real Consul 1.8.7 from Debian 11 (bullseye) into .tools/consul/ (git-ignored), for
# test/integration. The binary ends at .tools/consul/usr/bin/consul.
#
# How: the Debian mirror already configured for apt on this machine is reused (no registry host is
# written in this repository); a throw-away sources list, lists dir and cache dir let us run
# `apt-get update` + `apt-get download` for bullseye without touching the system's apt state, and
# `dpkg -x` unpacks the .deb without installing it. The Release file is verified against the
# bullseye keys shipped by the debian-archive-keyring package (signed-by), never `trusted=yes`.
#
# Idempotent: exits at once when the expected version is already there. Set CONSUL_VERSION to pick
# another bullseye version prefix.
#
# --if-possible (used by `npm test`): outside CI, a failed install (no root, no Debian) only warns,
# and the integration tests that need Consul are skipped loudly. In CI (CI=true) it always fails.
set -euo pipefail

if [[ "${1:-}" == "--if-possible" && "${CI:-}" != "true" ]]; then
  if ! bash "${BASH_SOURCE[0]}"; then
    printf '\n!!! install-consul: could not install Consul; tests that need a real Consul agent will be SKIPPED.\n\n' >&2
  fi
  exit 0
fi

readonly VERSION="${CONSUL_VERSION:-1.8.7}"
readonly SUITE=bullseye
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly DEST="$ROOT/.tools/consul"
readonly BIN="$DEST/usr/bin/consul"

log() { printf 'install-consul: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

installed_version() {
  [[ -x "$BIN" ]] || return 1
  "$BIN" version 2>/dev/null | sed -n 's/^Consul v\([^ ]*\).*/\1/p' | head -n1
}

if [[ "$(installed_version || true)" == "$VERSION" ]]; then
  "$BIN" version
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get not found: this script needs a Debian-based machine"
command -v dpkg >/dev/null || die "dpkg not found"

# Prints the Debian archive URIs configured for apt, one per line, main archive first. Handles the
# one-line format (sources.list, *.list) and deb822 (*.sources). Security and third-party
# repositories are skipped: consul lives in the main archive, whose suites are plain codenames.
configured_mirrors() {
  local files=()
  [[ -f /etc/apt/sources.list ]] && files+=(/etc/apt/sources.list)
  local f
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] && files+=("$f")
  done
  ((${#files[@]})) || return 0
  # Plain POSIX awk (Debian's default is mawk): no ENDFILE, so stanzas are flushed per file by FNR.
  awk '
    function flush() {
      if (!off && types ~ /(^| )deb( |$)/ && uris != "" && suites ~ /(^| )[a-z]+( |$)/) print uris
      types = ""; uris = ""; suites = ""; off = 0
    }
    FNR == 1 { flush() }
    FILENAME ~ /\.sources$/ {
      if ($0 ~ /^[ \t]*$/) { flush(); next }
      if ($0 ~ /^[ \t]*#/) next
      key = tolower($1)
      sub(/^[^:]*:[ \t]*/, "")
      if (key == "types:") types = $0
      else if (key == "uris:") uris = $0
      else if (key == "suites:") suites = $0
      else if (key == "enabled:" && tolower($0) == "no") off = 1
      next
    }
    /^[ \t]*deb[ \t]/ {
      # deb [options] uri suite components...
      i = 2
      if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
      if ($(i + 1) ~ /^[a-z]+$/) print $i
    }
    END { flush() }
  ' "${files[@]}" | tr ' ' '\n' | grep -E '^(https?|file)://' | grep -v -- '-security' | awk '!seen[$0]++'
}

# Keyrings for `signed-by`, from the debian-archive-keyring package: bullseye's InRelease is signed
# by the bullseye release and automatic keys, which a newer host may no longer list in its combined
# keyring, so the per-release files are passed too. apt needs one good signature from these.
keyrings() {
  local k out=()
  for k in /usr/share/keyrings/debian-archive-bullseye-stable.gpg \
           /usr/share/keyrings/debian-archive-bullseye-automatic.gpg \
           /usr/share/keyrings/debian-archive-keyring.gpg; do
    [[ -r "$k" ]] && out+=("$k")
  done
  ((${#out[@]})) || die "no Debian archive keyring under /usr/share/keyrings: apt-get install debian-archive-keyring"
  local IFS=,
  printf '%s' "${out[*]}"
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/drover-consul.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
# apt downloads as the unprivileged _apt user when run as root; it must be able to enter these dirs.
chmod 755 "$WORK"
mkdir -p "$WORK/lists/partial" "$WORK/cache/archives/partial" "$WORK/deb"
chmod -R 755 "$WORK"

SIGNED_BY="$(keyrings)"
APT_OPTS=(
  -o "Dir::Etc::SourceList=$WORK/sources.list"
  -o "Dir::Etc::SourceParts=/dev/null"
  -o "Dir::State::Lists=$WORK/lists"
  -o "Dir::Cache=$WORK/cache"
  -q
)

mapfile -t MIRRORS < <(configured_mirrors)
((${#MIRRORS[@]})) || die "no Debian mirror found in /etc/apt/sources.list or /etc/apt/sources.list.d/"

deb_file=""
for mirror in "${MIRRORS[@]}"; do
  log "trying $SUITE from $mirror"
  printf 'deb [signed-by=%s] %s %s main\n' "$SIGNED_BY" "$mirror" "$SUITE" >"$WORK/sources.list"
  rm -rf "$WORK/lists" && mkdir -p "$WORK/lists/partial" && chmod -R 755 "$WORK/lists"
  # apt-get update exits 0 even when a source failed; --error-on=any (apt >= 2.1.16) makes it fail.
  if ! apt-get "${APT_OPTS[@]}" --error-on=any update >"$WORK/update.log" 2>&1; then
    log "apt-get update failed for $mirror:"; sed 's/^/    /' "$WORK/update.log" >&2
    continue
  fi
  if (cd "$WORK/deb" && apt-get "${APT_OPTS[@]}" download "consul=$VERSION*" >"$WORK/download.log" 2>&1); then
    deb_file="$(find "$WORK/deb" -name 'consul_*.deb' -print -quit)"
    [[ -n "$deb_file" ]] && break
  fi
  log "consul=$VERSION* not downloadable from $mirror:"; sed 's/^/    /' "$WORK/download.log" >&2
done
[[ -n "$deb_file" ]] || die "could not download consul $VERSION from $SUITE on any configured mirror"

log "unpacking $(basename "$deb_file") into ${DEST#"$ROOT"/}"
rm -rf "$DEST"
mkdir -p "$DEST"
dpkg -x "$deb_file" "$DEST"
[[ -x "$BIN" ]] || die "the package did not contain usr/bin/consul"
"$BIN" version
