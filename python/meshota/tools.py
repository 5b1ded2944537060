"""The flood engine benchmark and the claims report, as `meshota bench flood` and
`meshota claims` compute them."""

from __future__ import annotations

import os
from typing import Any, Dict, Optional

import pandas as pd

from . import _meshota
from .scenario import SCENARIOS_DIR, PathLike


def flood(topology_file: Optional[PathLike] = None, seed: int = 1, packets: int = 150, loss: float = 0.10,
          medium: str = "tree", nodes: Optional[int] = None) -> Dict[str, Any]:
    """Runs a flood benchmark, as ``meshota bench flood`` does.

    ``medium="tree"`` (default) floods an edge-list topology over independent links
    (shared/bench/flood.md; ``topology_file`` required). ``medium="radio"`` floods
    flood-radio.md's grid of ``nodes`` nodes (50 m apart) on the shared radio channel.
    `loss` is the per-frame drop probability (the specs' and the CLI's is 0.10).

    Returns the fields of the line the CLI prints, as numbers: nodes, edges, pkts, loss,
    deliveries, delivery_ratio, duplicates, tx_frames, mean_lat_s, max_lat_s, sim_end_s,
    events, the machine-dependent setup_s, run_s, cpu_s, frames_per_cpu_s, max_rss_kb,
    and on the radio collisions and busy_drops. Raises ScenarioError for a bad file,
    ValueError for a bad argument.
    """
    if not 0.0 <= loss <= 1.0:
        raise ValueError(f"loss is a probability in [0, 1] (got {loss!r})")
    if medium == "radio":
        if topology_file is not None:
            raise ValueError("topology_file is for medium='tree'; the radio flood builds a grid of `nodes`")
        if nodes is None or int(nodes) < 1:
            raise ValueError(f"medium='radio' needs nodes >= 1 (got {nodes!r})")
        return dict(_meshota.flood_radio(int(nodes), int(seed), int(packets), float(loss)))
    if medium != "tree":
        raise ValueError(f"medium is 'tree' or 'radio' (got {medium!r})")
    if nodes is not None:
        raise ValueError("nodes is for medium='radio'; the tree flood reads topology_file")
    if topology_file is None:
        raise ValueError("medium='tree' needs topology_file (an edge list)")
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
