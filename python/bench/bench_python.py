#!/usr/bin/env python3
"""The Python module's three benchmark figures (numbers, never asserted):

1. the cost of running a scenario from Python over the CLI, for baseline-unicast-10:
   the same work both ways (parse, build, simulate, analyse, write the three report
   files). The CLI's time is what it prints itself ("N events, X s wall": run_one,
   without process start-up); Python's is the wall time around Scenario.run() +
   Result.write_report() in this process (without interpreter start-up), on a
   Scenario loaded once beforehand (loading checks it as `meshota validate` does,
   which is printed apart). Runs alternate, and each side's median is kept.
2. the time to return a 500-node run's tables as DataFrames (nodes, traffic, stalls,
   completion, and the summary), median over repetitions of one run's tables;
3. a 64-run process sweep on 2 workers against the same sweep on 1.

Usage: PYTHONPATH=build/python /usr/bin/python3 python/bench/bench_python.py [--meshota build/sim/meshota]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

import meshota


def cli_wall_s(binary: str, scenario: str, out: str) -> float:
    r = subprocess.run([binary, "run", scenario, "--out", out], capture_output=True, text=True, check=True)
    return float(re.search(r"events, ([0-9.]+) s wall", r.stdout).group(1))


def python_wall_s(scenario: meshota.Scenario, out: str) -> float:
    start = time.perf_counter()
    scenario.run().write_report(out)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--meshota", default="build/sim/meshota", help="the meshota program")
    parser.add_argument("--repeat", type=int, default=15, help="runs per side in figure 1")
    args = parser.parse_args()
    base10 = meshota.shipped_path("baseline-unicast-10")
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as tmp:
        cli, py, load = [], [], []
        for _ in range(args.repeat):
            cli.append(cli_wall_s(args.meshota, base10, os.path.join(tmp, "cli")))
            start = time.perf_counter()
            sc = meshota.load(base10)
            load.append(time.perf_counter() - start)
            py.append(python_wall_s(sc, os.path.join(tmp, "py")))
    c, p = statistics.median(cli), statistics.median(py)
    print(f"1. baseline-unicast-10, median of {args.repeat}: CLI {c * 1e3:.1f} ms, Python {p * 1e3:.1f} ms "
          f"-> Python costs {100 * (p / c - 1):+.1f} % over the CLI "
          f"(loading the Scenario, once: {statistics.median(load) * 1e3:.1f} ms)")

    big = meshota.load(meshota.shipped_path("baseline-unicast-50")).update(
        {"topology.nodes": 500, "firmware": {"size_bytes": 8192}})
    result = big.run()
    times = []
    for _ in range(30):
        start = time.perf_counter()
        tables = (result.nodes, result.traffic, result.stalls, result.completion, result.summary)
        times.append(time.perf_counter() - start)
    rows = {name: len(t) for name, t in zip(("nodes", "traffic", "stalls", "completion"), tables[:4])}
    print(f"2. 500-node run ({result['updated']}/{result['receivers']} updated): its tables {rows} as DataFrames "
          f"in {statistics.median(times) * 1e3:.2f} ms (median of 30; min {min(times) * 1e3:.2f} ms)")

    sc = meshota.load(base10)
    walls = {}
    for workers in (1, 2):
        start = time.perf_counter()
        rows_df = meshota.sweep(sc, seeds=64, workers=workers, backend="processes")
        walls[workers] = time.perf_counter() - start
        assert len(rows_df) == 64
    print(f"3. 64-run process sweep of baseline-unicast-10: 1 worker {walls[1]:.2f} s, 2 workers {walls[2]:.2f} s "
          f"-> {walls[1] / walls[2]:.2f}x")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
