#!/usr/bin/env python3
"""Independent reference implementation of the "flood" benchmark (shared/bench/flood.md).

Deliberately naive, so that it can check the C++ engine: every frame gets its
own events (end of serialisation, arrival), every link direction has an
explicit FIFO queue and busy flag, and the loss draw happens at the receiver.
Standard library only; prints the same key=value line as `meshota bench flood`.

Interpretations shared with the C++ engine (sim/src/flood_bench.cpp):
- the 100-frame drop-tail queue holds waiting frames; the frame being
  serialised is not in it. A refused frame is not transmitted (not in tx_frames);
- tx_frames counts every frame accepted onto a link, lost ones included;
- the source holds its own packets, so copies that come back to it count as
  duplicates; duplicates only count copies that arrived intact;
- sim_end_s is the time of the last event (the last frame arrival, lost or not).

Usage: flood_reference.py --topo FILE --seed N [--packets P]
"""

import argparse
import collections
import heapq
import random
import resource
import sys
import time

NS_PER_MS = 1_000_000
NS_PER_S = 1_000_000_000

BANDWIDTH_BPS = 1_000_000
PROPAGATION_NS = 2 * NS_PER_MS
QUEUE_FRAMES = 100
HEADER_BYTES = 2
PAYLOAD_BYTES = 1024
LOSS = 0.10
PACKETS = 150
FIRST_PACKET_NS = NS_PER_S
PACKET_INTERVAL_NS = 50 * NS_PER_MS
SOURCE = 0

ORIGIN, TX_END, ARRIVAL = 0, 1, 2


def read_topology(path):
    """Returns (nodes, [(u, v), ...]) from a `# nodes N edges E` edge list."""
    with open(path, encoding="ascii") as f:
        header = f.readline().split()
        if header[:2] != ["#", "nodes"] or header[3] != "edges":
            raise SystemExit(f"{path}:1: expected '# nodes N edges E'")
        nodes, declared = int(header[2]), int(header[4])
        edges = []
        for line in f:
            words = line.split()
            if not words or words[0].startswith("#"):
                continue
            edges.append((int(words[0]), int(words[1])))
    if len(edges) != declared:
        raise SystemExit(f"{path}: header says {declared} edges, found {len(edges)}")
    return nodes, edges


class DirectedLink:
    """One direction of a full-duplex link: transmitter, FIFO queue, far end."""

    def __init__(self, src, dst):
        self.src = src
        self.dst = dst
        self.busy = False
        self.queue = collections.deque()


def run(nodes, edges, seed, packets=PACKETS):
    start_wall = time.perf_counter()
    start_cpu = time.process_time()
    rng = random.Random(seed)
    serialise_ns = (HEADER_BYTES + PAYLOAD_BYTES) * 8 * NS_PER_S // BANDWIDTH_BPS

    out_links = [[] for _ in range(nodes)]
    for u, v in edges:
        out_links[u].append(DirectedLink(u, v))
        out_links[v].append(DirectedLink(v, u))

    events = []
    seq = 0

    def schedule(t, kind, a, b):
        nonlocal seq
        heapq.heappush(events, (t, seq, kind, a, b))
        seq += 1

    seen = [set() for _ in range(packets)]
    stats = collections.Counter()
    latencies = []

    def send(link, packet, now):
        if link.busy:
            if len(link.queue) >= QUEUE_FRAMES:
                stats["queue_drops"] += 1
                return
            link.queue.append(packet)
        else:
            link.busy = True
            schedule(now + serialise_ns, TX_END, link, packet)
        stats["tx_frames"] += 1

    def flood(node, packet, now, came_from):
        for link in out_links[node]:
            if link.dst != came_from:
                send(link, packet, now)

    if packets > 0:
        schedule(FIRST_PACKET_NS, ORIGIN, None, 0)
    now = 0
    processed = 0
    while events:
        now, _, kind, a, b = heapq.heappop(events)
        processed += 1
        if kind == ORIGIN:
            seen[b].add(SOURCE)
            flood(SOURCE, b, now, None)
            if b + 1 < packets:
                schedule(FIRST_PACKET_NS + (b + 1) * PACKET_INTERVAL_NS, ORIGIN, None, b + 1)
        elif kind == TX_END:
            link = a
            schedule(now + PROPAGATION_NS, ARRIVAL, link, b)
            if link.queue:
                schedule(now + serialise_ns, TX_END, link, link.queue.popleft())
            else:
                link.busy = False
        else:
            link, packet = a, b
            if rng.random() < LOSS:
                continue
            if link.dst in seen[packet]:
                stats["duplicates"] += 1
                continue
            seen[packet].add(link.dst)
            latencies.append(now - (FIRST_PACKET_NS + packet * PACKET_INTERVAL_NS))
            flood(link.dst, packet, now, link.src)

    cpu_s = time.process_time() - start_cpu
    deliveries = len(latencies)
    possible = (nodes - 1) * packets
    return {
        "nodes": nodes,
        "edges": len(edges),
        "pkts": packets,
        "loss": LOSS,
        "deliveries": deliveries,
        "delivery_ratio": deliveries / possible if possible else 0.0,
        "duplicates": stats["duplicates"],
        "tx_frames": stats["tx_frames"],
        "mean_lat_s": sum(latencies) / deliveries / NS_PER_S if deliveries else 0.0,
        "max_lat_s": max(latencies, default=0) / NS_PER_S,
        "sim_end_s": now / NS_PER_S,
        "events": processed,
        "setup_s": 0.0,
        "run_s": time.perf_counter() - start_wall,
        "cpu_s": cpu_s,
        "frames_per_cpu_s": stats["tx_frames"] / cpu_s if cpu_s > 0 else 0.0,
        "max_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def format_line(r):
    parts = []
    for key, value in r.items():
        if isinstance(value, float):
            text = f"{value:g}" if key == "loss" else (
                f"{value:.0f}" if key == "frames_per_cpu_s" else f"{value:.6f}")
        else:
            text = str(value)
        parts.append(f"{key}={text}")
    return " ".join(parts)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topo", required=True, help="edge-list file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--packets", type=int, default=PACKETS)
    args = parser.parse_args(argv)
    nodes, edges = read_topology(args.topo)
    print(format_line(run(nodes, edges, args.seed, args.packets)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
