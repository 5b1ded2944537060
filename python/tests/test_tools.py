"""meshota.flood and meshota.claims give what `meshota bench flood` and `meshota claims` give."""

from __future__ import annotations

import json
import os

import pytest

import meshota
from conftest import ROOT, cli

#: Fields of the flood line that depend on the machine, not the model.
MACHINE = {"setup_s", "run_s", "cpu_s", "frames_per_cpu_s", "max_rss_kb"}


def test_flood_matches_the_cli(meshota_bin) -> None:
    topo = os.path.join(meshota.DATA_DIR, "topologies", "topo_500.txt")
    ours = meshota.flood(topo, seed=3, packets=40)
    r = cli(meshota_bin, "bench", "flood", "--topo", topo, "--seed", "3", "--packets", "40")
    theirs = dict(w.split("=", 1) for w in r.stdout.split())
    assert list(ours) == list(theirs)
    for k in set(ours) - MACHINE:
        assert str(ours[k]) == theirs[k] or float(ours[k]) == float(theirs[k]), k
    assert ours["nodes"] == 500 and ours["pkts"] == 40 and 0 < ours["delivery_ratio"] <= 1


def test_flood_bad_file_raises(tmp_path) -> None:
    bad = tmp_path / "t.txt"
    bad.write_text("# nodes 2 edges 1\n0 5\n")
    with pytest.raises(meshota.ScenarioError, match=str(bad)):
        meshota.flood(bad)


def test_claims_match_the_committed_document() -> None:
    table = meshota.claims(seeds=1)
    committed = json.load(open(os.path.join(ROOT, "docs", "claims.json")))["claims"]
    assert table["id"].tolist() == [c["id"] for c in committed]
    for row, c in zip(table.itertuples(), committed):
        assert row.decided == (not c["verdict"].startswith("needs:"))
        for v, cv in zip(row.values, c["values"]):
            assert v["what"] == cv["what"]
            assert v["per_seed"][0] == pytest.approx(cv["per_seed"][0], abs=1e-6)
    values = meshota.claim_values(table)
    assert set(values.columns) == {"id", "what", "unit", "seed", "value"}
    assert (values["seed"] == 1).all() and len(values) == sum(len(v) for v in table["values"])
