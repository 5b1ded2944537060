"""1,000 small runs in one process do not make it grow."""

from __future__ import annotations

import gc

import meshota
from conftest import TINY

#: Allowed growth of the resident set over the 1,000 runs.
BOUND_KB = 4096


def rss_kb() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def one_run(sc: meshota.Scenario, seed: int) -> None:
    r = sc.run(seed=seed)
    r.nodes, r.traffic, r.completion, r.summary  # build every table once


def test_no_growth_over_1000_runs() -> None:
    sc = meshota.Scenario.from_dict(TINY)
    for seed in range(100):  # warm-up: allocator pools, pandas caches
        one_run(sc, seed)
    gc.collect()
    before = rss_kb()
    for seed in range(1000):
        one_run(sc, seed)
    gc.collect()
    after = rss_kb()
    print(f"RSS over 1,000 runs: {before} kB -> {after} kB ({after - before:+d} kB; bound {BOUND_KB} kB)")
    assert after - before < BOUND_KB
