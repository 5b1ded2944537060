#!/usr/bin/env python3
"""Cross-checks `meshota bench flood` against the independent Python model.

Runs both on the same topology for several seeds, averages delivery_ratio,
duplicates and tx_frames over the seeds and fails (exit 1) if any average
differs by more than 0.1 %. The two use different random streams, so only the
averages are comparable, never single runs.

Usage: flood_reference_check.py MESHOTA_BINARY [--topo FILE] [--seeds 5]
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "bench"))
import flood_reference  # noqa: E402

KEYS = ("delivery_ratio", "duplicates", "tx_frames")
TOLERANCE = 0.001


def default_topology():
    data = os.environ.get("MESHOTA_DATA_DIR", os.path.join(HERE, "..", "..", "..", "data"))
    return os.path.normpath(os.path.join(data, "topologies", "topo_500.txt"))


def parse_line(text):
    """The key=value line among the output lines, as a dict of floats."""
    for line in reversed(text.splitlines()):
        if line.startswith("nodes="):
            return {k: float(v) for k, v in (pair.split("=", 1) for pair in line.split())}
    raise ValueError(f"no 'nodes=...' line in the output:\n{text}")


def run_binary(binary, topo, seed):
    cmd = [binary, "bench", "flood", "--topo", topo, "--seed", str(seed)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return parse_line(done.stdout)


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", help="path of the meshota executable")
    parser.add_argument("--topo", default=default_topology())
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)

    seeds = range(1, args.seeds + 1)
    nodes, edges = flood_reference.read_topology(args.topo)
    ours = [run_binary(args.binary, args.topo, s) for s in seeds]
    reference = [flood_reference.run(nodes, edges, s) for s in seeds]

    print(f"topology {args.topo}, seeds {seeds.start}..{seeds.stop - 1}")
    print(f"{'key':<16}{'meshota':>16}{'python':>16}{'rel diff':>12}")
    failed = []
    for key in KEYS:
        a, b = mean(ours, key), mean(reference, key)
        rel = abs(a - b) / abs(b) if b else (0.0 if a == b else float("inf"))
        print(f"{key:<16}{a:>16.6f}{b:>16.6f}{rel:>11.4%}")
        if rel > TOLERANCE:
            failed.append(key)
    if failed:
        print(f"FAIL: {', '.join(failed)} differ by more than {TOLERANCE:.1%}")
        return 1
    print(f"OK: all averages agree within {TOLERANCE:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
