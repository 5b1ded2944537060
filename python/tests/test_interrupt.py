"""A run stops cleanly on a wall-clock limit, a stop event or Ctrl-C."""

from __future__ import annotations

import _thread
import threading
import time

import pytest

import meshota
from conftest import TINY

# Long enough (tens of seconds) that only an interruption ends it in time.
LONG = {"seed": 1, "duration_s": 7200, "topology": {"nodes": 300}, "firmware": {"size_bytes": 1000000}}


@pytest.fixture
def long_run() -> meshota.Scenario:
    return meshota.Scenario.from_dict(LONG)


def test_time_limit(long_run) -> None:
    start = time.perf_counter()
    with pytest.raises(meshota.RunInterrupted) as e:
        long_run.run(time_limit_s=0.2)
    took = time.perf_counter() - start
    print(f"time_limit_s=0.2 stopped the run after {took:.3f} s")
    assert e.value.reason == "time_limit" and e.value.sim_time_s >= 0
    assert took < 2.0


def test_ctrl_c(long_run) -> None:
    timer = threading.Timer(0.2, _thread.interrupt_main)
    timer.start()
    start = time.perf_counter()
    with pytest.raises(meshota.RunInterrupted) as e:
        long_run.run()
    took = time.perf_counter() - start
    print(f"Ctrl-C at 0.2 s stopped the run after {took:.3f} s")
    assert e.value.reason == "signal"
    assert isinstance(e.value.__cause__, KeyboardInterrupt)
    assert took < 2.0


def test_stop_event(long_run) -> None:
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    with pytest.raises(meshota.RunInterrupted) as e:
        long_run.run(stop=stop)
    assert e.value.reason == "stopped"


def test_a_run_after_an_interrupted_one_is_whole(long_run) -> None:
    tiny = meshota.Scenario.from_dict(TINY)
    before = tiny.run().summary
    with pytest.raises(meshota.RunInterrupted):
        long_run.run(time_limit_s=0.1)
    assert tiny.run().summary == before


def test_a_bad_time_limit_is_refused(long_run) -> None:
    with pytest.raises(ValueError):
        long_run.run(time_limit_s=0)


def test_interrupted_is_picklable() -> None:
    import pickle
    e = pickle.loads(pickle.dumps(meshota.RunInterrupted("m", "time_limit", 1.5, 0.2)))
    assert (str(e), e.reason, e.sim_time_s, e.wall_s) == ("m", "time_limit", 1.5, 0.2)
    s = pickle.loads(pickle.dumps(meshota.ScenarioError("f:1:2: x", "f", 1, 2, "x")))
    assert (str(s), s.file, s.line, s.column, s.detail) == ("f:1:2: x", "f", 1, 2, "x")
