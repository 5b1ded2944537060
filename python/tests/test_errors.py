"""Invalid input raises meshota.ScenarioError with the message `meshota validate` prints."""

from __future__ import annotations

import os

import pytest

import meshota
from conftest import cli, scenario_path

# Each is a whole scenario file with one mistake (docs/scenarios.md, "What is checked").
BAD = {
    "syntax": "firmware: {size_bytes: 4096\ntopology: [1, 2\n",
    "unknown_key": "firmware: {size_bytes: 4096}\nmedium:\n  kind: tcp-tree\n  bandwith_kbps: 10\n",
    "duplicate": "firmware: {size_bytes: 4096}\ntopology:\n  nodes: 3\n  nodes: 4\n",
    "quoted_number": "firmware: {size_bytes: 4096}\nmedium: {kind: tcp-tree, bandwidth_kbps: \"1000\"}\n",
    "yes_bool": "firmware: {size_bytes: 4096}\nstop_when_done: yes\n",
    "probability": "firmware: {size_bytes: 4096}\nmedium:\n  kind: tcp-tree\n  loss: {model: bernoulli, p: 1.5}\n",
    "no_firmware": "seed: 3\n",
    "empty": "",
    "top_level_nodes": "firmware: {size_bytes: 4096}\nnodes: 50\n",
    "sender_range": "firmware: {size_bytes: 4096}\ntopology: {nodes: 3}\nota: {sender: 5}\n",
    "missing_image": "firmware: {file: nope.bin}\n",
    "not_neighbours": "seed: 1\nfirmware: {size_bytes: 4096}\ntopology: {kind: grid, rows: 1, cols: 5}\n"
                      "faults:\n  - {at_s: 5, kind: link-down, node: 0, peer: 4}\n",
    "bad_edge_list": "firmware: {size_bytes: 4096}\ntopology: {kind: edge-list, file: mesh.txt}\n",
}


def cli_message(meshota_bin: str, path: str) -> str:
    r = cli(meshota_bin, "validate", path)
    assert r.returncode == 2, r.stdout + r.stderr
    assert r.stderr.startswith("error: ")
    return r.stderr[len("error: "):].rstrip("\n")


@pytest.mark.parametrize("case", sorted(BAD))
def test_load_raises_the_cli_message(case, tmp_path, meshota_bin) -> None:
    (tmp_path / "mesh.txt").write_text("# nodes 3 edges 2\n0 1\n1 x\n")
    path = tmp_path / f"{case}.yaml"
    path.write_text(BAD[case])
    expected = cli_message(meshota_bin, str(path))
    with pytest.raises(meshota.ScenarioError) as e:
        meshota.load(path)
    assert str(e.value) == expected
    assert isinstance(e.value, ValueError)
    assert e.value.file is not None and str(e.value).startswith(e.value.file)


def test_missing_file_and_folder_read_like_the_cli(tmp_path, meshota_bin) -> None:
    for path in (str(tmp_path / "nope.yaml"), str(tmp_path)):
        with pytest.raises(meshota.ScenarioError) as e:
            meshota.load(path)
        assert str(e.value) == cli_message(meshota_bin, path)


def test_position_attributes() -> None:
    with pytest.raises(meshota.ScenarioError) as e:
        meshota.Scenario.from_yaml("firmware: {size_bytes: 4096}\nseed: yes\n")
    err = e.value
    assert (err.file, err.line, err.column) == (None, 2, 7)
    assert str(err) == "<string>:2:7: " + err.detail
    assert err.detail.startswith("seed must be a whole number (got 'yes')")


def test_a_dict_error_names_the_key_not_a_line() -> None:
    with pytest.raises(meshota.ScenarioError) as e:
        meshota.Scenario.from_dict({"firmware": {"size_bytes": 4096}, "medium": {"kind": "tcp-tree", "latency": 5}})
    assert str(e.value).startswith("<dict>: unknown key 'latency' in medium; did you mean 'latency_ms'?")


def test_an_override_error_names_the_override() -> None:
    sc = meshota.load(scenario_path("baseline-unicast-10")).set("medium.loss", {"model": "bernoulli", "p": 1.5})
    with pytest.raises(meshota.ScenarioError) as e:
        sc.run()
    assert str(e.value) == (scenario_path("baseline-unicast-10") + ", override medium.loss={'model': 'bernoulli', "
                            "'p': 1.5}: medium.loss.p is a probability and must be between 0 and 1 (got 1.5); "
                            "for a percentage p write p/100")


def test_an_error_an_override_causes_elsewhere_points_into_the_file(tmp_path, meshota_bin) -> None:
    """Shrinking the mesh makes the file's fault node invalid: the error points at the
    fault's line in the file, where `meshota validate` points for the same edit."""
    path = scenario_path("baseline-unicast-10-bursty")
    with pytest.raises(meshota.ScenarioError) as e:
        meshota.load(path).set("topology.nodes", 3).validate()
    edited = tmp_path / "baseline-unicast-10-bursty.yaml"
    with open(path) as f:
        text = f.read().replace("nodes: 11", "nodes: 3 ")  # same lines and columns
    image = os.path.join(meshota.DATA_DIR, "firmware", "http_server.bin")  # the copy is elsewhere
    edited.write_text(text.replace("../../data/firmware/http_server.bin", image))
    expected = cli_message(meshota_bin, str(edited)).replace(str(edited), path)
    assert str(e.value) == expected
    assert (e.value.line, e.value.column) != (0, 0)
