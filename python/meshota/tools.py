"""The flood engine benchmark and the claims report, as `meshota bench flood` and
`meshota claims` compute them."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import pandas as pd

from . import _meshota
from .scenario import SCENARIOS_DIR, PathLike


def flood(topology_file: PathLike, seed: int = 1, packets: int = 150, loss: float = 0.10) -> Dict[str, Any]:
    """Runs the flood benchmark (shared/bench/flood.md) on an edge-list topology.

    `loss` is the per-frame drop probability (the spec's, and the CLI's, is 0.10).

    Returns the fields of the line ``meshota bench flood`` prints, as numbers:
    nodes, edges, pkts, loss, deliveries, delivery_ratio, duplicates, tx_frames,
    mean_lat_s, max_lat_s, sim_end_s, events, and the machine-dependent setup_s,
    run_s, cpu_s, frames_per_cpu_s, max_rss_kb. Raises ScenarioError for a bad file.
    """
    if not 0.0 <= loss <= 1.0:
        raise ValueError(f"loss is a probability in [0, 1] (got {loss!r})")
    return dict(_meshota.flood(os.fspath(topology_file), int(seed), int(packets), float(loss)))


def claims(seeds: int = 5, scenario_dir: Optional[PathLike] = None) -> pd.DataFrame:
    """Decides every claim of the seed documents by simulation, as ``meshota claims``.

    Args:
        seeds: seeds per simulated value (1..seeds); ``meshota claims`` uses 5.
        scenario_dir: the scenarios folder; default: the project's.

    Returns:
        One row per claim: id, claim, source, verdict, explanation, scenarios, seeds,
        decided (False when the verdict is "needs: ..."), and values (a list of dicts
        with what, unit, per_seed, mean, min, max). :func:`claim_values` flattens them.
    """
    rows = _meshota.claims(int(seeds), os.fspath(scenario_dir) if scenario_dir is not None else SCENARIOS_DIR)
    df = pd.DataFrame(rows, columns=["id", "claim", "source", "verdict", "explanation", "scenarios", "seeds",
                                     "values"])
    df.insert(4, "decided", ~df["verdict"].str.startswith("needs:"))
    return df


def claim_values(claims_table: pd.DataFrame) -> pd.DataFrame:
    """One row per (claim, value, seed) of a :func:`claims` table: id, what, unit, seed, value."""
    out = []
    for _, row in claims_table.iterrows():
        for v in row["values"]:
            for seed, x in zip(row["seeds"], v["per_seed"]):
                out.append({"id": row["id"], "what": v["what"], "unit": v["unit"], "seed": seed, "value": x})
    return pd.DataFrame(out, columns=["id", "what", "unit", "seed", "value"])
