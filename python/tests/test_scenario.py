"""Scenarios from a file, a string and a dict; overrides by dotted path; the document."""

from __future__ import annotations

import os

import numpy as np
import pytest

import meshota
from conftest import TINY, scenario_path, shipped_scenarios


def test_file_string_and_dict_are_the_same_scenario() -> None:
    path = scenario_path("baseline-unicast-10")
    from_file = meshota.load(path)
    with open(path) as f:
        from_text = meshota.Scenario.from_yaml(f.read(), base_dir=os.path.dirname(path))
    # Paths in a shipped file are relative to its room (scenarios/baseline/); a dict's default base is scenarios/.
    from_dict = meshota.Scenario.from_dict(from_file.document, base_dir=os.path.dirname(path))
    rows = [s.run().summary for s in (from_file, from_text, from_dict)]
    assert rows[0] == rows[1] == rows[2]
    assert rows[0]["scenario"] == "baseline-unicast-10"
    assert from_file.origin == path and from_text.origin == "<string>" and from_dict.origin == "<dict>"


def test_string_and_dict_take_relative_paths_from_base_dir(tmp_path) -> None:
    (tmp_path / "img.bin").write_bytes(b"\xe9" + bytes(4095))
    sc = meshota.Scenario.from_dict({"firmware": {"file": "img.bin"}, "topology": {"nodes": 3}}, base_dir=tmp_path)
    assert sc.validate()["image_bytes"] == 4096
    with pytest.raises(meshota.ScenarioError, match="not found"):
        meshota.Scenario.from_dict({"firmware": {"file": "img.bin"}})  # not in scenarios/


def test_the_default_name_is_the_file_name_or_scenario(tiny) -> None:
    assert meshota.load(scenario_path("baseline-unicast-50")).name == "baseline-unicast-50"
    assert meshota.Scenario.from_yaml("firmware: {size_bytes: 4096}").name == "scenario"
    assert tiny.name == "tiny"


def test_set_get_and_dotted_paths(tiny) -> None:
    assert tiny.set("topology.nodes", 6) is tiny
    assert tiny.get("topology.nodes") == 6
    tiny.set("medium.loss", {"model": "bernoulli", "p": 0.1})   # creates medium
    tiny.set("medium.kind", "tcp-tree")
    tiny.set("medium.loss.p", np.float64(0.02))                   # NumPy scalars become Python ones
    assert tiny.get("medium.loss") == {"model": "bernoulli", "p": 0.02}
    assert tiny.get("medium.latency_ms", None) is None            # left out: at its default
    with pytest.raises(KeyError):
        tiny.get("medium.latency_ms")
    # Each override as it was given (a later, deeper one does not rewrite it).
    assert tiny.overrides == {"topology.nodes": 6, "medium.loss": {"model": "bernoulli", "p": 0.1},
                              "medium.kind": "tcp-tree", "medium.loss.p": 0.02}
    s = tiny.run().summary
    assert s["nodes"] == 6 and s["updated"] == 5


def test_list_items_by_index(tiny) -> None:
    tiny.set("stop_when_done", False).set("duration_s", 60)
    tiny.set("faults", [{"at_s": 5, "kind": "crash", "node": 1, "for_s": 3}])
    tiny.set("faults[0].at_s", 7.5)
    tiny.set("faults[1]", {"at_s": 9, "kind": "crash", "node": 2})   # index == len appends
    assert [f["at_s"] for f in tiny.get("faults")] == [7.5, 9]
    assert tiny.get("faults[1].node") == 2
    r = tiny.run()
    assert r.nodes.set_index("node").loc[[1, 2], "crashes"].tolist() == [1, 1]
    tiny.unset("faults[0]")
    assert len(tiny.get("faults")) == 1
    with pytest.raises(KeyError, match="faults\\[5\\]"):
        tiny.set("faults[5].at_s", 1)
    with pytest.raises(KeyError, match="not a list"):
        tiny.set("topology[0]", 1)


def test_bad_paths_and_values_are_refused(tiny) -> None:
    for bad in ("", "a..b", "a.[0]", ".a", "a[x]", "[0]", "a[0]b", "a."):
        with pytest.raises(ValueError, match="bad key path"):
            tiny.set(bad, 1)
    with pytest.raises(TypeError, match="not object"):
        tiny.set("seed", object())


def test_with_overrides_leaves_the_original_alone(tiny) -> None:
    other = tiny.with_overrides({"topology.nodes": 5, "seed": 9})
    assert tiny.get("topology.nodes") == 4 and other.get("topology.nodes") == 5
    assert tiny.overrides == {}


def test_unset_returns_a_key_to_its_default(tiny) -> None:
    assert tiny.unset("ota.chunk_bytes").run().summary["chunks"] == 16  # default chunk 1024 B
    assert tiny.set("ota.chunk_bytes", 4096).run().summary["chunks"] == 4


def test_the_text_as_written_is_kept_until_an_override() -> None:
    text = "# a comment\nseed: 0x2A\nfirmware: {size_bytes: 4096, seed: 0x10}\ntopology: {nodes: 3}\n"
    sc = meshota.Scenario.from_yaml(text)
    assert sc.yaml == text
    assert sc.get("seed") == 42
    sc.set("topology.nodes", 4)
    assert "seed: 0x2A" in sc.yaml and "seed: 0x10" in sc.yaml  # hex keeps its spelling
    assert meshota.Scenario.from_yaml(sc.yaml).get("seed") == 42
    assert meshota._document.scalar("-0x10", False) == -16 and meshota._document.scalar("+7", False) == 7
    assert meshota._document.scalar("1e3", False) == 1000.0 and meshota._document.scalar("5", True) == "5"


def test_a_quoted_number_stays_text_and_is_refused_like_the_cli(tiny) -> None:
    with pytest.raises(meshota.ScenarioError, match="'1000' is quoted text; remove the quotes"):
        tiny.set("medium", {"kind": "tcp-tree", "bandwidth_kbps": "1000"}).validate()


def test_seed_argument_is_like_the_cli_flag(tiny) -> None:
    assert tiny.run(seed=7).summary["seed"] == 7
    with pytest.raises(ValueError):
        tiny.run(seed=-1)


def test_scenarios_are_picklable(tiny) -> None:
    import pickle
    tiny.set("topology.nodes", 5)
    again = pickle.loads(pickle.dumps(tiny))
    assert again.yaml == tiny.yaml and again.overrides == tiny.overrides
    assert again.run().summary == tiny.run().summary


def test_every_shipped_scenario_loads() -> None:
    names = shipped_scenarios()
    assert len(names) >= 30
    for name in names:
        assert meshota.load(meshota.shipped_path(name)).validate()["nodes"] >= 1
    assert TINY["topology"]["nodes"] == 4
