#!/usr/bin/env bash
# Writes the man pages and shell completions that `make install` and `make dist` ship, all from
# mqdash's ArgumentParser definitions, so they cannot say something the binary does not do:
#
#   scripts/generate-dist-docs.sh OUT BINARY
#     OUT/man/man1/*.1          swift-argument-parser's generate-manual plugin, one page per command
#     OUT/completions/mqdash.bash, _mqdash, mqdash.fish   BINARY --generate-completion-script
#
# `make generated` writes them into dist/ (committed); `make check-generated` writes them into a scratch
# folder and fails on any difference from dist/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The date printed in the man pages: fixed, so that regenerating is reproducible; move it forward
# together with MQDashRelease.version when cutting a release.
MANUAL_DATE=2026-12-03

out=$1 binary=$2
[ -x "$binary" ] || { echo "generate-dist-docs: no executable at $binary (build it first)" >&2; exit 1; }
mkdir -p "$out/man/man1" "$out/completions"

"$binary" --generate-completion-script bash > "$out/completions/mqdash.bash"
"$binary" --generate-completion-script zsh > "$out/completions/_mqdash"
"$binary" --generate-completion-script fish > "$out/completions/mqdash.fish"

# The plugin builds the package's products in debug (already built by `make build`/`make test`, so
# quick), runs generate-manual on mqdash and leaves the pages in its work folder.
pages=.build/plugins/GenerateManual/outputs/mqdash
rm -rf "$pages"
swift package generate-manual --configuration debug --multi-page --date "$MANUAL_DATE" >/dev/null
rm -f "$out"/man/man1/*.1
cp "$pages"/*.1 "$out/man/man1/"
