#!/usr/bin/env bash
# make bench-peers: the flood benchmarks on meshota and on ns-3 (ns3_flood.cc,
# built here with Debian's libns3-dev) on the same graphs, and the ratio of
# their run-loop times. Not in CI: ns-3 takes minutes where meshota takes
# seconds. bench/README.md says how to read it.
# Usage: bench/peers/run.sh [MESHOTA] [BUILD_DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
meshota=${1:-$root/build/sim/meshota}
build=${2:-$root/build/peers}
if ! pkg-config --exists ns3-core ns3-point-to-point ns3-wifi 2>/dev/null; then
  echo "bench-peers: ns-3 is not installed; apt-get install libns3-dev (Debian 12 has ns-3.37), then run again" >&2
  exit 2
fi
mkdir -p "$build"
harness=$build/ns3_flood
if [ ! -x "$harness" ] || [ "$root/bench/peers/ns3_flood.cc" -nt "$harness" ]; then
  echo "bench-peers: building $harness"
  modules="ns3-core ns3-network ns3-point-to-point ns3-wifi ns3-mobility ns3-propagation"
  # Only -L/-l: Debian's ns3-core.pc also names /usr/lib/.../libgsl.so, which only
  # libgsl-dev provides; the ns-3 libraries already link their own dependencies.
  # shellcheck disable=SC2046,SC2086
  g++ -O2 -std=c++17 -o "$harness" "$root/bench/peers/ns3_flood.cc" \
      $(pkg-config --cflags $modules) $(pkg-config --libs-only-L --libs-only-l $modules)
fi

value() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# One benchmark on both (MEDIUM, then --topo FILE or --nodes N): both lines, then
# run-loop time and frames per CPU second side by side.
side_by_side() {
  local medium=$1 key=$2 arg=$3 ours theirs
  ours=$("$meshota" bench flood --medium "$medium" "--$key" "$arg" --seed 1)
  theirs=$("$harness" "--medium=$medium" "--$key=$arg" --seed=1)
  echo "flood $medium $(basename "$arg" .txt)"
  echo "  meshota: $ours"
  echo "  ns-3:    $theirs"
  awk -v a="$(value "$ours" run_s)" -v b="$(value "$theirs" run_s)" \
      -v fa="$(value "$ours" frames_per_cpu_s)" -v fb="$(value "$theirs" frames_per_cpu_s)" \
      'BEGIN { printf "  run_s: meshota %.3f, ns-3 %.3f (ns-3/meshota = %.1f); frames per cpu-s %.3g vs %.3g\n", a, b, (a > 0 ? b / a : 0), fa, fb }'
}

for t in tree_500 topo_500 topo_2000; do side_by_side tree topo "$root/data/topologies/$t.txt"; done
for n in 100 500; do side_by_side radio nodes "$n"; done
