"""Sweeps: the same rows whatever the backend and the number of workers."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import meshota
from conftest import TINY

GRID = {"topology.nodes": [4, 7], "medium": [{"kind": "tcp-tree"},
                                             {"kind": "tcp-tree", "loss": {"model": "bernoulli", "p": 0.05}}]}


@pytest.fixture(scope="module")
def serial() -> pd.DataFrame:
    return meshota.sweep(meshota.Scenario.from_dict(TINY), GRID, seeds=[1, 2], backend="serial")


def test_grid_points_are_the_product_in_order() -> None:
    assert meshota.grid_points({"a": [1, 2], "b": ["x", "y"]}) == [
        {"a": 1, "b": "x"}, {"a": 1, "b": "y"}, {"a": 2, "b": "x"}, {"a": 2, "b": "y"}]
    assert meshota.grid_points([{"a": 1}, {"b": 2}]) == [{"a": 1}, {"b": 2}]
    assert meshota.grid_points(None) == [{}]
    with pytest.raises(TypeError):
        meshota.grid_points({"a": 5})
    with pytest.raises(ValueError, match="seeds="):
        meshota.sweep(meshota.Scenario.from_dict(TINY), {"seed": [1, 2]}, backend="serial")


def test_serial_rows(serial) -> None:
    assert len(serial) == 8
    assert list(serial.columns[:3]) == ["topology.nodes", "medium", "seed"]
    assert serial["seed"].tolist() == [1, 2] * 4
    assert serial["nodes"].tolist() == [4, 4, 4, 4, 7, 7, 7, 7]
    assert (serial["updated"] == serial["receivers"]).all()
    # The lossy points differ from the clean ones (the grid really changed the runs).
    assert serial.loc[1, "link_bytes"] != serial.loc[3, "link_bytes"]


@pytest.mark.parametrize("backend,workers", [("threads", 2), ("threads", 1), ("processes", 2), ("processes", 1)])
def test_parallel_rows_equal_serial_rows(serial, backend, workers) -> None:
    rows = meshota.sweep(meshota.Scenario.from_dict(TINY), GRID, seeds=[1, 2], backend=backend, workers=workers)
    pd.testing.assert_frame_equal(rows, serial)


def test_dask_rows_equal_serial_rows(serial) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as c, \
            distributed.Client(c) as client:
        rows = meshota.sweep(meshota.Scenario.from_dict(TINY), GRID, seeds=[1, 2], backend=client)
    pd.testing.assert_frame_equal(rows, serial)


def test_a_sweep_of_a_file_with_a_seed_count() -> None:
    from conftest import scenario_path
    rows = meshota.sweep(scenario_path("baseline-broadcast-10"), seeds=2, backend="threads", workers=2)
    assert rows["seed"].tolist() == [1, 2] and (rows["updated"] == 0).all()


def test_a_run_releases_the_gil() -> None:
    """While a run is going in another thread, this thread keeps running Python."""
    big = meshota.Scenario.from_dict(TINY).set("topology.nodes", 60).set("firmware.size_bytes", 300000)
    done = threading.Event()
    t = threading.Thread(target=lambda: (big.run(), done.set()))
    ticks = 0
    t.start()
    while not done.is_set():
        ticks += 1
    t.join()
    print(f"main thread ran {ticks} loop iterations during the run")
    assert ticks > 10000
