#!/usr/bin/env bash
# The installed layout of mqdash, in one place for `make install`, `make uninstall` and `make dist`.
#
#   scripts/install-layout.sh install ROOT BINARY   copies BINARY, themes/, dist/man and dist/completions
#                                                   under ROOT (PREFIX, or DESTDIR+PREFIX)
#   scripts/install-layout.sh uninstall ROOT        removes what the install listed, nothing else
#
# install records every file it wrote, and every folder it had to create, in
# ROOT/share/mqdash/install-manifest (paths relative to ROOT), so uninstall removes exactly those even
# after the checkout has changed (a theme renamed, a man page added) and never a folder it found there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

manifest_path=share/mqdash/install-manifest

die() { echo "install-layout: $*" >&2; exit 1; }

install_tree() {
    local root=$1 binary=$2
    [ -x "$binary" ] || die "no executable at $binary (build it first)"
    case "$root" in "~/"*) root="$HOME/${root#"~/"}" ;; esac
    mkdir -p "$root"
    root=$(cd "$root" && pwd)
    local -a entries=()

    # make_folder REL: creates ROOT/REL and each missing parent, recording the ones it created.
    make_folder() {
        local rel=$1 missing=() probe=$1
        while [ "$probe" != . ] && [ ! -d "$root/$probe" ]; do missing=("$probe" "${missing[@]}"); probe=$(dirname "$probe"); done
        mkdir -p "$root/$rel"
        for probe in "${missing[@]}"; do entries+=("folder $probe"); done
    }
    # put SOURCE REL MODE: copies one file and records it.
    put() {
        make_folder "$(dirname "$2")"
        install -m "$3" "$1" "$root/$2"
        entries+=("file $2")
    }

    # Installing again (an upgrade) first removes the previous install, so files it had and this one
    # has not do not linger.
    if [ -e "$root/$manifest_path" ]; then uninstall_tree "$root"; fi
    put "$binary" bin/mqdash 755
    for theme in themes/*.toml; do put "$theme" "share/mqdash/themes/$(basename "$theme")" 644; done
    for page in dist/man/man1/*.1; do put "$page" "share/man/man1/$(basename "$page")" 644; done
    # Where bash-completion, zsh (site-functions is in its default fpath) and fish look under a prefix.
    put dist/completions/mqdash.bash share/bash-completion/completions/mqdash 644
    put dist/completions/_mqdash share/zsh/site-functions/_mqdash 644
    put dist/completions/mqdash.fish share/fish/vendor_completions.d/mqdash.fish 644

    make_folder "$(dirname "$manifest_path")"
    printf '%s\n' "${entries[@]}" > "$root/$manifest_path"
    echo "installed mqdash under $root ($(grep -c '^file ' "$root/$manifest_path") files)"
}

uninstall_tree() {
    local root=$1
    local manifest="$root/$manifest_path"
    [ -f "$manifest" ] || die "no $manifest: nothing installed there by this script"
    local kind rel folders=()
    while read -r kind rel; do
        case "$rel" in /*|*..*|"") die "refusing a strange path in $manifest: '$rel'" ;; esac
        case "$kind" in
            file) rm -f "$root/$rel" ;;
            folder) folders=("$rel" "${folders[@]}") ;;
            *) die "unknown entry '$kind' in $manifest" ;;
        esac
    done < "$manifest"
    rm -f "$manifest"
    # Deepest first (recorded parent before child, so reversed); a folder someone filled since stays.
    for rel in "${folders[@]}"; do rmdir "$root/$rel" 2>/dev/null || true; done
    echo "removed mqdash from $root"
}

case "${1:-}" in
    install) [ $# -eq 3 ] || die "usage: $0 install ROOT BINARY"; install_tree "$2" "$3" ;;
    uninstall) [ $# -eq 2 ] || die "usage: $0 uninstall ROOT"; uninstall_tree "$2" ;;
    *) die "usage: $0 install ROOT BINARY | uninstall ROOT" ;;
esac
