#!/usr/bin/env bash
# Benchmarks reported with numbers (never asserted by timed tests): the flood
# engine benchmark on every shared topology and on the radio grid, and the
# wall time of scenarios.
set -euo pipefail
meshota=${1:-build/sim/meshota}
root=$(cd "$(dirname "$0")/.." && pwd)
topos=$root/data/topologies
for t in tree_500 topo_500 topo_2000 topo_10000; do
  echo "flood $t: $("$meshota" bench flood --topo "$topos/$t.txt" --seed 1)"
done
for n in 100 500 10000; do
  echo "flood radio $n: $("$meshota" bench flood --medium radio --nodes "$n" --seed 1)"
done
for s in baseline-unicast-10 baseline-unicast-50; do
  TIMEFORMAT="scenario $s: %R s wall"
  time "$meshota" run "$root/scenarios/$s.yaml" --out /tmp/meshota-bench --quiet
done
