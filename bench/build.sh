#!/usr/bin/env bash
# Benchmark of `jbang run build` against the raw `docker buildx build --push` argv it runs, on the
# testbed (dockerd + buildx + two registries), paired and repeated:
#   (a) fully cached rebuild: the ratio is our fixed cost per call (JBang launch, JVM, read-back);
#   (b) --no-cache build of examples/hello: one build pushed to two registries vs two separate builds;
#   (c) the same with bench/slow, whose build step takes 3 s, as real builds do.
# Prints a Markdown table; with --write, also replaces the "build" section of BENCHMARKS.md.
# Usage: bench/build.sh [--runs N] [--write]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
runs=5 write=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --write) write=1; shift ;;
    *) echo "usage: bench/build.sh [--runs N] [--write]" >&2; exit 2 ;;
  esac
done

envfile=$(bash tests/testbed/testbed.sh up)
# shellcheck disable=SC1090
. "$envfile"
DOCKER_CONFIG=$(mktemp -d)
export DOCKER_CONFIG
work=$(mktemp -d)
trap 'rm -rf "$DOCKER_CONFIG" "$work"' EXIT
printf '%s' "$TESTBED_AWS_PASSWORD" | docker login -u "$TESTBED_AWS_USER" --password-stdin "$TESTBED_AWS_REGISTRY" >/dev/null 2>&1
printf '%s' "$TESTBED_AZURE_PASSWORD" | docker login -u "$TESTBED_AZURE_USER" --password-stdin "$TESTBED_AZURE_REGISTRY" >/dev/null 2>&1
unset GITHUB_ACTIONS CI

now() { date +%s.%N; }
# Seconds one command takes, its output discarded; a failing command aborts the benchmark.
timed() {
  local t0 t1
  t0=$(now)
  "$@" >"$work/last.log" 2>&1 || { cat "$work/last.log" >&2; echo "bench: failed: $*" >&2; exit 1; }
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", b - a}'
}
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }

image=bench/hello
build_args=(--image "$image" --path examples/hello --run-id bench --tag latest
  --aws-registry "$TESTBED_AWS_REGISTRY" --azure-registry "$TESTBED_AZURE_REGISTRY")
ours() { bin/jbang run build "${build_args[@]}" "$@"; }
slow_ours() { bin/jbang run build --image bench/slow --path bench/slow --run-id bench --tag latest \
  --aws-registry "$TESTBED_AWS_REGISTRY" --azure-registry "$TESTBED_AZURE_REGISTRY" "$@"; }
# The exact argv build.java would run, from its own --dry-run (quoted for a shell, so eval is safe).
# Its --metadata-file names a folder of that dry run's process; point it at ours.
raw_argv=$(ours --dry-run | sed -n 's/^engine argv: //p' | sed "s#--metadata-file [^ ]*#--metadata-file $work/metadata.json#")
# shellcheck disable=SC2120  # "$@" here is the eval'd argv, not the function's
raw() { eval "set -- $raw_argv"; "$@"; }
# The same, with only one registry's refs: half of the two-builds case.
one_registry() {
  local argv=$1 reg=$2; shift 2
  local extra=("$@")
  eval "set -- $argv"
  local out=() skip=
  for a in "$@"; do
    if [ -n "$skip" ]; then skip=; [[ $a == "$reg"/* ]] && out+=(--tag "$a"); continue; fi
    [ "$a" = --tag ] && { skip=1; continue; }
    out+=("$a")
  done
  # extra flags go before the trailing context argument
  "${out[@]:0:${#out[@]}-1}" "${extra[@]}" "${out[@]: -1}"
}

echo "warming up (JBang compile, engine cache)..." >&2
slow_argv=$(slow_ours --dry-run | sed -n 's/^engine argv: //p' | sed "s#--metadata-file [^ ]*#--metadata-file $work/metadata.json#")
# shellcheck disable=SC2119
{ ours; raw; slow_ours; } >/dev/null 2>&1

: >"$work/a-ours"; : >"$work/a-raw"; : >"$work/b-one"; : >"$work/b-two"; : >"$work/c-one"; : >"$work/c-two"
for i in $(seq "$runs"); do
  echo "run $i/$runs" >&2
  timed ours >>"$work/a-ours"
  # shellcheck disable=SC2119
  timed raw >>"$work/a-raw"
  timed ours --extra-args --no-cache >>"$work/b-one"
  t1=$(timed one_registry "$raw_argv" "$TESTBED_AWS_REGISTRY" --no-cache)
  t2=$(timed one_registry "$raw_argv" "$TESTBED_AZURE_REGISTRY" --no-cache)
  awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.3f\n", a + b}' >>"$work/b-two"
  timed slow_ours --extra-args --no-cache >>"$work/c-one"
  t1=$(timed one_registry "$slow_argv" "$TESTBED_AWS_REGISTRY" --no-cache)
  t2=$(timed one_registry "$slow_argv" "$TESTBED_AZURE_REGISTRY" --no-cache)
  awk -v a="$t1" -v b="$t2" 'BEGIN {printf "%.3f\n", a + b}' >>"$work/c-two"
done

a_ours=$(median <"$work/a-ours"); a_raw=$(median <"$work/a-raw")
b_one=$(median <"$work/b-one"); b_two=$(median <"$work/b-two")
c_one=$(median <"$work/c-one"); c_two=$(median <"$work/c-two")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
table=$(cat <<MD
| case | ours (s, median of $runs) | baseline (s) | ratio | goal |
|---|---|---|---|---|
| (a) cached rebuild, 2 registries x 2 tags: \`jbang run build\` vs raw \`docker buildx build --push\` | $a_ours | $a_raw | $(ratio "$a_ours" "$a_raw") | ≤ 3.0 |
| (b) \`--no-cache\` build of examples/hello pushed to 2 registries: one \`jbang run build\` vs two raw builds | $b_one | $b_two | $(ratio "$b_one" "$b_two") | ≤ 0.6 |
| (c) \`--no-cache\` build of bench/slow (a 3 s step): one \`jbang run build\` vs two raw builds | $c_one | $c_two | $(ratio "$c_one" "$c_two") | ≤ 0.6 |
MD
)
echo "$table"

if [ -n "$write" ]; then
  # shellcheck disable=SC2016  # the backticks are Markdown
  section=$(printf '## build\n\nCommand: `bench/build.sh --runs %s --write` (%s, %s cores; dockerd %s, buildx %s).\n\n%s\n' \
    "$runs" "$(date -u +%Y-%m-%d)" "$(nproc)" "$(docker version -f '{{.Server.Version}}')" \
    "$(docker buildx version | awk '{print $2}')" "$table")
  python3 - "$section" <<'PY'
import re, sys, pathlib
p = pathlib.Path("BENCHMARKS.md")
text = p.read_text() if p.exists() else "# Benchmarks\n\nFigures measured on this project's CI machine kind; each section names the command that produced it.\n"
section = sys.argv[1].rstrip() + "\n"
if re.search(r"(?m)^## build\n", text):
    text = re.sub(r"(?ms)^## build\n.*?(?=^## |\Z)", section + "\n", text)
else:
    text = text.rstrip() + "\n\n" + section
p.write_text(text)
PY
  echo "wrote BENCHMARKS.md" >&2
fi
