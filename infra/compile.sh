#!/usr/bin/env bash
# Pulumi's YAML runtime runs this as its `compiler`: it prints the Pulumi program on stdout.
# It runs the prebuilt synthesizer when the build is current, and rebuilds first when the sources differ from
# those of the last build: a fingerprint of the source files' names and contents, so an edit, a new file and a
# deleted file (which changes no timestamp) all count, while an unchanged tree costs only the process start.
# Build output goes to stderr, never stdout.
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$infra")"
out="$infra/.compiler"
dll="$out/MeshStack.Infra.dll"
stamp="$out/.built"

# every input of the build under infra/ and the repository-wide build files, in a stable order
sources() {
  find "$infra" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" \
       \( -name bin -o -name obj -o -name .compiler \) -prune -o \
       -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name 'global.json' \) \
       -print | LC_ALL=C sort
}

# the file list, then every file's bytes: a renamed, added, removed or edited source changes it
fingerprint() {
  { sources; sources | tr '\n' '\0' | xargs -0 cat; } | cksum
}

stale() {
  [ -f "$dll" ] && [ -f "$stamp" ] || return 0
  [ "$(cat "$stamp")" != "$(fingerprint)" ]
}

if stale; then
  # serialize concurrent runs (Pulumi may start the compiler more than once)
  exec 9>"$infra/.compiler.lock"
  flock 9
  if stale; then
    echo "meshstack: sources changed, rebuilding the synthesizer..." >&2
    mkdir -p "$out"
    # taken before the build: an edit made during the build still differs from it next time
    fingerprint > "$stamp.next"
    if ! dotnet build "$infra/MeshStack.Infra/MeshStack.Infra.csproj" -c Release -o "$out" \
          --nologo -v quiet -p:UseAppHost=false 1>&2; then
      echo "meshstack: the synthesizer does not build; fix the errors above" >&2
      rm -f "$stamp.next"
      exit 1
    fi
    mv "$stamp.next" "$stamp"
  fi
  flock -u 9
fi

exec dotnet "$dll" program
