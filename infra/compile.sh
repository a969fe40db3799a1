#!/usr/bin/env bash
# Pulumi's YAML runtime runs this as its `compiler`: it prints the Pulumi program on stdout.
# It runs the prebuilt synthesizer when the build is current, and rebuilds first when any source
# under infra/ (or the shared build files) is newer than the last build, so an edit is never ignored
# and an unchanged tree costs only the process start. Build output goes to stderr, never stdout.
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$infra")"
out="$infra/.compiler"
dll="$out/MeshStack.Infra.dll"
stamp="$out/.built"

stale() {
  [ -f "$dll" ] && [ -f "$stamp" ] || return 0
  [ -n "$(find "$infra" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" \
        \( -name bin -o -name obj -o -name .compiler \) -prune -o \
        -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name 'global.json' \) \
        -newer "$stamp" -print -quit)" ]
}

if stale; then
  # serialize concurrent runs (Pulumi may start the compiler more than once)
  exec 9>"$infra/.compiler.lock"
  flock 9
  if stale; then
    echo "meshstack: sources changed, rebuilding the synthesizer..." >&2
    mkdir -p "$out"
    touch "$stamp.next"
    if ! dotnet build "$infra/MeshStack.Infra/MeshStack.Infra.csproj" -c Release -o "$out" \
          --nologo -v quiet -p:UseAppHost=false 1>&2; then
      echo "meshstack: the synthesizer does not build; fix the errors above" >&2
      rm -f "$stamp.next"
      exit 1
    fi
    # the stamp takes the time the build started: an edit made during the build still counts as newer
    mv "$stamp.next" "$stamp"
  fi
  flock -u 9
fi

exec dotnet "$dll" program
