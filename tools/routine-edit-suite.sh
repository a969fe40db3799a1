#!/usr/bin/env bash
# The whole-suite form of tests/MeshStack.Infra.Tests/Fixtures/RoutineEditTests: copies the repository (its tracked
# and untracked, not ignored, files) to a temporary folder, applies the canary weight edit README.md shows
# ("# weight: 10 -> 25 in Pulumi.prod.yaml") to the copy's stack file, and runs the Infra tests there. Every test
# must pass: no test may pin a value a user edits. Takes minutes, so CI does not run it.
# Arguments go to `dotnet test`; without any, the Native AOT tests are left out (they compare builds, not stacks,
# and would publish a native compiler in the copy first).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

edit="$(grep -oE '#[[:space:]]*weight:[[:space:]]*[0-9]+[[:space:]]*->[[:space:]]*[0-9]+[[:space:]]+in[[:space:]]+Pulumi\.[A-Za-z0-9_.-]+\.yaml' "$repo/README.md" | head -n 1 || true)"
if [ -z "$edit" ]; then echo "README.md shows no '# weight: A -> B in Pulumi.<stack>.yaml' edit" >&2; exit 1; fi
to="$(sed -E 's/.*->[[:space:]]*([0-9]+).*/\1/' <<<"$edit")"
file="$(sed -E 's/.* in (Pulumi\.[A-Za-z0-9_.-]+\.yaml)$/\1/' <<<"$edit")"

copy="$(mktemp -d)"
trap 'rm -rf "$copy"' EXIT
# readable by others: a test runs the synthesizer from the copy as an unprivileged user (OutFolderSafetyTests)
chmod 755 "$copy"
cd "$repo"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
  | xargs -0 cp --parents -t "$copy"
# the static canary's weight: the only `weight:` key at that depth in the stack files
sed -i -E "s/^(      weight: )[0-9]+[[:space:]]*$/\1$to/" "$copy/$file"
if cmp -s "$repo/$file" "$copy/$file"; then echo "$file: the edit changed nothing (weight already $to?)" >&2; exit 1; fi
echo "applied to the copy's $file:" >&2
diff "$repo/$file" "$copy/$file" >&2 || true

export MESHSTACK_SHARED="${MESHSTACK_SHARED:-$(cd "$repo/.." && pwd)/shared}"
cd "$copy"
if [ "$#" -eq 0 ]; then set -- --filter 'FullyQualifiedName!~MeshStack.Tests.Aot'; fi
dotnet test tests/MeshStack.Infra.Tests "$@"
