#!/usr/bin/env bash
# Pulumi's YAML runtime runs this as its `compiler`: it prints the Pulumi program on stdout.
# It runs a synthesizer built from exactly the current sources: the Native AOT binary (tens of milliseconds per
# call) when one is current, else the JIT build (about a second), which it rebuilds first when the sources differ
# from those of its last build. The JIT build is the host's own (default, Debug) build, the one `dotnet run`, an IDE
# and the tests make, so after any of them the rebuild is only MSBuild's up-to-date check; it is copied to
# <host>/.compiler/jit and run from there. "The sources" is a fingerprint of the source files' names and contents, so an
# edit, a new file and a deleted file (which changes no timestamp) all count; it is re-read only when a file's
# path, size or modification time changed, so an unchanged tree costs one `find`. After a JIT rebuild the native
# binary is published in the background (a minute or two); calls switch to it once it is ready. Without a native
# toolchain (clang or gcc, and zlib) it stays on the JIT build and says so on stderr.
# The synthesizer is a host: a project that declares its application and runs MeshStack on it (default: the
# ecommerce host, infra/MeshStack.Infra; a project of your own with --host). The native build and the copies that
# calls run live in <host>/.compiler/.
# Build output goes to stderr or <host>/.compiler/native.log, never stdout.
#   compile.sh [--host DIR]              print the program (what Pulumi runs)
#   compile.sh [--host DIR] --native     publish the native binary for the current sources now, waiting for it
#   compile.sh --toolchain               exit 0 when the native toolchain is present (CI installs it otherwise)
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$infra")"
host="$infra/MeshStack.Infra"
if [ "${1:-}" = "--host" ]; then
  [ -d "${2:-}" ] || { echo "compile.sh: --host needs the directory of the host project" >&2; exit 2; }
  host="$(cd "$2" && pwd)"
  shift 2
fi
projects=("$host"/*.csproj)
if [ "${#projects[@]}" -ne 1 ] || [ ! -f "${projects[0]}" ]; then
  echo "compile.sh: expected exactly one .csproj in the host directory $host" >&2
  exit 2
fi
project="${projects[0]}"
name="$(basename "$project" .csproj)"
out="$host/.compiler"
jit="$out/jit"
native="$out/native"

# every input of the build under infra/ and the host, and the repository-wide build files; the action comes last
find_sources() {
  find "$infra" "$host" "$root/Directory.Build.props" "$root/Directory.Packages.props" "$root/global.json" \
       \( -name bin -o -name obj -o -name .compiler \) -prune -o \
       -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name 'global.json' \) \
       "$@"
}

sources() { find_sources -print | LC_ALL=C sort; }

# the file list, then every file's bytes: a renamed, added, removed or edited source changes it
fingerprint() {
  { sources; sources | tr '\n' '\0' | xargs -0 cat; } | cksum
}

# path, size and modification time of every source, without reading them
metadata() { find_sources -printf '%p %s %T@\n' | cksum; }

# first line of a file, or empty (builtins only: this runs on every call)
first_line() {
  REPLY=""
  if [ -f "$1" ]; then read -r REPLY < "$1" || true; fi
}

# the fingerprint of the current sources; file contents are read only when some path, size or mtime changed
current() {
  local meta seen_meta="" seen_fp=""
  meta="$(metadata)"
  if [ -f "$out/.sources" ]; then
    { read -r seen_meta; read -r seen_fp; } < "$out/.sources" || true
  fi
  if [ -n "$seen_fp" ] && [ "$seen_meta" = "$meta" ]; then
    FP="$seen_fp"
    return
  fi
  FP="$(fingerprint)"
  mkdir -p "$out"
  printf '%s\n%s\n' "$meta" "$FP" > "$out/.sources.$$"
  mv -f "$out/.sources.$$" "$out/.sources"
}

# Native AOT needs a C compiler/linker (the ILCompiler tries clang, then gcc) and zlib (the runtime links -lz)
toolchain() {
  local cc
  cc="$(command -v clang || command -v gcc || true)"
  [ -n "$cc" ] && printf 'int main(void){return 0;}\n' | "$cc" -x c - -lz -o /dev/null >/dev/null 2>&1
}

no_toolchain_note() {
  echo "meshstack: no native toolchain (clang or gcc, and zlib; Debian: apt-get install clang zlib1g-dev):" \
       "falling back to the JIT build (about a second per call instead of tens of milliseconds)" >&2
}

# publishes the native binary for the current sources, unless one is current; one publish at a time.
# With an argument (the background publish a JIT rebuild starts), only while the sources are still those.
publish_native() {
  local wanted="${1:-}"
  mkdir -p "$out"
  if [ -n "$wanted" ]; then
    # a burst of edits (or a test's add-then-delete) should not cost a publish per state: let it settle
    sleep 2
    current
    [ "$FP" = "$wanted" ] || return 0
  fi
  exec 8>"$out/native.lock"
  flock 8
  current
  if [ -n "$wanted" ] && [ "$FP" != "$wanted" ]; then return 0; fi   # changed while queued: a newer rebuild starts its own
  first_line "$native/.built"
  if [ "$REPLY" = "$FP" ] && [ -x "$native/$name" ]; then return 0; fi
  if ! toolchain; then
    no_toolchain_note
    return 3
  fi
  echo "meshstack: publishing the Native AOT synthesizer..." >&2
  rm -rf "$out/native.next"
  # its own artifacts folder: never races a JIT build or an IDE build over bin/ and obj/; without the CEL evaluator,
  # which only `check` with CRDs uses (see MeshStack.csproj); without the Roslyn analyzers, which are the other builds'
  # business (ILC does its own trim and AOT analysis, warnings as errors): a third of the IL build's CPU
  if dotnet publish "$project" -c Release --use-current-runtime -p:RunAnalyzers=false \
       -p:MeshStackNativeCompiler=true --artifacts-path "$out/native-build" -o "$out/native.next" --nologo -v quiet 1>&2; then
    printf '%s\n' "$FP" > "$out/native.next/.built"
    rm -rf "$native"
    mv "$out/native.next" "$native"
    rm -f "$out/native.failed"
    echo "meshstack: the Native AOT synthesizer is ready" >&2
  else
    printf '%s\n' "$FP" > "$out/native.failed"
    echo "meshstack: the Native AOT publish failed; calls use the JIT build until the sources change" >&2
    return 1
  fi
}

case "${1:-}" in
  --native) publish_native; exit ;;
  --native-for) publish_native "${2:?}"; exit ;;
  --toolchain) toolchain; exit ;;
  "") ;;
  *) echo "usage: compile.sh [--host DIR] [--native | --toolchain]" >&2; exit 2 ;;
esac

current
first_line "$out/.last-run"
last_run="$REPLY"

first_line "$native/.built"
if [ "$REPLY" = "$FP" ] && [ -x "$native/$name" ]; then
  if [ "$last_run" != "$FP" ]; then
    echo "meshstack: sources changed; the native build of exactly these sources is current" >&2
    printf '%s\n' "$FP" > "$out/.last-run"
  fi
  exec "$native/$name" program
fi

first_line "$jit/.built"
if [ "$REPLY" != "$FP" ]; then
  # serialize concurrent runs (Pulumi may start the compiler more than once)
  mkdir -p "$out"
  exec 9>"$out/build.lock"
  flock 9
  current
  first_line "$jit/.built"
  if [ "$REPLY" != "$FP" ]; then
    echo "meshstack: sources changed, rebuilding the synthesizer..." >&2
    mkdir -p "$out"
    # The host's own build, the one `dotnet run`, an IDE and the tests make (so usually current already: then this
    # costs only MSBuild's up-to-date check), copied whole so that a later build never rewrites files a running call
    # has open. Errors go to stderr; stdout is the build's output folder (its last line: a first run of the SDK may
    # print a banner before it).
    # FP was taken before the build: an edit made during the build still differs from it next time
    if ! built="$(DOTNET_NOLOGO=1 dotnet build "$project" --nologo -v quiet -t:Build -getProperty:TargetDir)"; then
      echo "meshstack: the synthesizer does not build; fix the errors above" >&2
      exit 1
    fi
    built="${built##*$'\n'}"
    if [ ! -f "$built/$name.dll" ]; then
      echo "meshstack: the build reported no $name.dll in '$built'" >&2
      exit 1
    fi
    rm -rf "$jit.next" "$jit.old"
    cp -R "$built" "$jit.next"
    printf '%s\n' "$FP" > "$jit.next/.built"
    if [ -d "$jit" ]; then mv "$jit" "$jit.old"; fi
    mv "$jit.next" "$jit"
    rm -rf "$jit.old"
    if toolchain; then
      first_line "$out/native.failed"
      if [ "$REPLY" != "$FP" ]; then
        # detached, its output in a log: Pulumi reads this process's stdout to its end and must not wait for it
        setsid bash "$infra/compile.sh" --host "$host" --native-for "$FP" </dev/null >>"$out/native.log" 2>&1 &
        echo "meshstack: publishing the Native AOT synthesizer in the background (log: ${out#"$root"/}/native.log);" \
             "calls use the JIT build until it is ready" >&2
      fi
    fi
  fi
  flock -u 9
fi
printf '%s\n' "$FP" > "$out/.last-run"

first_line "$out/native.failed"
if [ "$REPLY" = "$FP" ]; then
  echo "meshstack: the Native AOT publish of these sources failed (${out#"$root"/}/native.log): running the JIT build" >&2
elif ! toolchain; then
  no_toolchain_note
fi
exec dotnet "$jit/$name.dll" program
