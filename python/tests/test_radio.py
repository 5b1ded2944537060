"""The radio from Python: the radio flood as the CLI prints it, and a run's airtime
figures as the reports give them, without a round trip through files."""

from __future__ import annotations

import json

import pytest

import meshota
from conftest import cli

MACHINE = {"setup_s", "run_s", "cpu_s", "frames_per_cpu_s", "max_rss_kb"}


def test_radio_flood_matches_the_cli(meshota_bin) -> None:
    ours = meshota.flood(medium="radio", nodes=49, seed=2, packets=30)
    r = cli(meshota_bin, "bench", "flood", "--medium", "radio", "--nodes", "49", "--seed", "2", "--packets", "30")
    theirs = dict(w.split("=", 1) for w in r.stdout.split())
    assert list(ours) == list(theirs)
    for k in set(ours) - MACHINE:
        assert str(ours[k]) == theirs[k] or float(ours[k]) == float(theirs[k]), k
    assert ours["nodes"] == 49 and "collisions" in ours


def test_radio_flood_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="needs nodes"):
        meshota.flood(medium="radio")
    with pytest.raises(ValueError, match="topology_file is for medium='tree'"):
        meshota.flood("x.txt", medium="radio", nodes=10)
    with pytest.raises(ValueError, match="medium is 'tree' or 'radio'"):
        meshota.flood("x.txt", medium="wifi")


def test_airtime_fields_match_report_json(tmp_path) -> None:
    result = meshota.run(meshota.shipped_path("baseline-broadcast-10-relay-radio"))
    s = result.summary
    assert s["on_radio"] and s["medium"] == "tcp-tree/radio"
    result.write_report(str(tmp_path))
    report = json.loads((tmp_path / "report.json").read_text())
    assert s["airtime_s"] == pytest.approx(report["radio"]["airtime_s"], abs=1e-3)
    assert s["busy_fraction_mean"] == pytest.approx(report["radio"]["busy_fraction"]["mean"], abs=1e-3)
    nodes = result.nodes
    for row in report["nodes"]:
        mine = nodes[nodes["node"] == row["node"]].iloc[0]
        assert mine["airtime_s"] == pytest.approx(row["radio"]["airtime_s"], abs=1e-3)
        assert mine["collisions"] == row["radio"]["collisions"]
    assert nodes["airtime_s"].sum() == pytest.approx(s["airtime_s"])


def test_figures_that_do_not_apply_are_none() -> None:
    s = meshota.run(meshota.shipped_path("baseline-unicast-10")).summary
    assert not s["on_radio"] and s["airtime_s"] is None and s["medium"] == "tcp-tree/links"
    assert s["lb_s"] is None and s["strategy"] == "painlessmesh"  # meshota's figures do not apply


def test_meshota_figures() -> None:
    s = meshota.run(meshota.shipped_path("fleet-f10-tree")).summary
    assert s["strategy"] == "p2p" and s["compressed"]
    assert s["completion_over_lb"] == pytest.approx(s["completion_s"] / s["lb_s"], rel=1e-6)
    assert 0 < s["ota_ratio"] < 1 and 0 < s["control_share"] < 1
