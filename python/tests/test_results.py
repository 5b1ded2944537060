"""A run from Python gives what `meshota run` gives for the same scenario and seed."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

import meshota
from conftest import cli, scenario_path

COMPARED = ["baseline-unicast-10", "baseline-unicast-10-bursty", "baseline-broadcast-10"]


@pytest.fixture(scope="module")
def cli_runs(meshota_bin, tmp_path_factory):
    """name -> folder of `meshota run --quiet` reports (seed 1, and baseline-unicast-10 with --seed 7)."""
    out = tmp_path_factory.mktemp("cli")
    r = cli(meshota_bin, "run", "--quiet", "--out", str(out), *[scenario_path(n) for n in COMPARED])
    assert r.returncode == 0, r.stderr
    seeded = tmp_path_factory.mktemp("cli-seed7")
    r = cli(meshota_bin, "run", "--quiet", "--seed", "7", "--out", str(seeded), scenario_path("baseline-unicast-10"))
    assert r.returncode == 0, r.stderr
    folders = {n: out / n for n in COMPARED}
    folders["seed7"] = seeded / "baseline-unicast-10"
    return folders


@pytest.mark.parametrize("name", COMPARED)
def test_write_report_writes_the_cli_files_byte_for_byte(name, cli_runs, tmp_path) -> None:
    result = meshota.run(scenario_path(name))
    result.write_report(tmp_path)
    for f in ("report.json", "report.md", "timeline.csv"):
        assert (tmp_path / f).read_bytes() == (cli_runs[name] / f).read_bytes(), f


def test_seed_override_matches_the_cli_flag(cli_runs) -> None:
    assert meshota.run(scenario_path("baseline-unicast-10"), seed=7).report_json() == \
        json.loads((cli_runs["seed7"] / "report.json").read_text())


def close(a, b) -> bool:
    """report.json rounds to 3 decimals (or to microseconds); None there is NaN here."""
    if b is None:
        return isinstance(a, float) and math.isnan(a)
    return abs(a - b) <= 5e-4


@pytest.mark.parametrize("name", COMPARED)
def test_summary_numbers_match_report_json(name, cli_runs) -> None:
    s = meshota.run(scenario_path(name)).summary
    j = json.loads((cli_runs[name] / "report.json").read_text())
    res, time = j["result"], j["time"]
    for k in ("receivers", "updated", "all_updated", "stopped_when_done", "events"):
        assert s[k] == res[k], k
    for k in ("offer_s", "first_updated_s", "completion_s", "mean_updated_s", "p99_updated_s", "end_s"):
        assert close(s[k], res[k]), (k, s[k], res[k])
    for k in ("mean_chunk_ms", "max_chunk_ms", "mean_hops_to_sender"):
        assert close(s[k], time[k]), k
    for k in ("requests", "retries", "abandons"):
        assert s[k] == time[k], k
    assert s["chunks"] == j["image"]["chunks"] and s["image_bytes"] == j["image"]["size_bytes"]
    assert s["tree_max_depth"] == j["topology"]["tree_max_depth"]
    assert s["announces_sent"] == j["sender"]["announces_sent"]
    assert s["link_drops"] == j["links"]["drops_after_node_timeout"]
    assert s["data_link_bytes"] == j["traffic"]["data"]["link_bytes"]
    assert s["stall"] == ", ".join(g["reason"] for g in j["stalls"])


@pytest.mark.parametrize("name", COMPARED)
def test_tables_match_timeline_csv_and_report_json(name, cli_runs) -> None:
    result = meshota.run(scenario_path(name))
    nodes = result.nodes
    csv = pd.read_csv(io.StringIO((cli_runs[name] / "timeline.csv").read_text()))
    assert [c for c in csv.columns if c not in nodes.columns] == []  # every CSV column is here
    for c in csv.columns:
        if c == "progress_pct":
            assert np.allclose(nodes[c], csv[c], atol=0.05)
        elif csv[c].dtype.kind == "f":
            assert np.allclose(nodes[c], csv[c], atol=5e-4, equal_nan=True), c
        else:
            assert (nodes[c].astype(csv[c].dtype) == csv[c]).all(), c
    j = json.loads((cli_runs[name] / "report.json").read_text())
    traffic = result.traffic.set_index("type")
    for t, row in j["traffic"].items():
        assert traffic.loc[t, "link_bytes"] == row["link_bytes"]
        assert traffic.loc[t, "app_sends"] == row["app_sends"]
        assert traffic.loc[t, "retransmissions"] == row["tcp_retransmissions"]
    stalled = sorted(n for g in j["stalls"] for n in g["nodes"])
    assert sorted(result.stalls["node"].tolist()) == stalled


def test_arrays_keep_their_types() -> None:
    a = meshota.run(scenario_path("baseline-unicast-10")).arrays("nodes")
    assert a["depth"].dtype == np.uint32 and a["bytes_sent"].dtype == np.uint64
    assert a["updated"].dtype == np.bool_ and a["updated_s"].dtype == np.float64
    assert a["role"].dtype == object and a["role"][0] == "sender"
    assert len({len(v) for v in a.values()}) == 1


def test_completion_curve() -> None:
    r = meshota.run(scenario_path("baseline-unicast-10"))
    c = r.completion
    assert c["updated"].tolist() == list(range(1, r.summary["updated"] + 1))
    assert c["updated_s"].is_monotonic_increasing
    assert c["after_offer_s"].iloc[-1] == pytest.approx(r.summary["completion_s"])
    assert c["after_offer_s"].iloc[0] == pytest.approx(r.summary["first_updated_s"])


def test_tables_are_listed_and_an_unknown_one_is_named() -> None:
    names = meshota.Result.table_names()
    assert {"nodes", "traffic", "stalls", "completion"} <= set(names)
    r = meshota.run(scenario_path("baseline-broadcast-10"))
    assert len(r.stalls) == r.summary["receivers"]  # nothing ever starts: every receiver stalls
    with pytest.raises(KeyError, match="the tables are: nodes"):
        r.table("airtime-that-does-not-exist")
    assert r["updated"] == 0 and r.notes == r.notes


def test_the_same_seed_gives_the_same_numbers(tiny) -> None:
    a, b = tiny.run(seed=3), tiny.run(seed=3)
    assert a.summary == b.summary
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    assert a.report_json() == b.report_json()
