"""meshota from Python: the simulator of the ``meshota`` program, in process.

    import meshota
    sc = meshota.load("scenarios/baseline/baseline-unicast-10.yaml").set("medium.loss", {"model": "bernoulli", "p": 0.01})
    r = sc.run(seed=2)
    r.summary["completion_s"], r.nodes.head()
    meshota.sweep(sc, {"topology.nodes": [11, 21]}, seeds=3, workers=2)

See docs/python.md.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Union
import threading

from ._errors import RunInterrupted, ScenarioError
from . import _meshota
from .result import Result
from .scenario import DATA_DIR, SCENARIOS_DIR, PathLike, Scenario, load, shipped_path
from .sweep import grid_points, sweep
from .tools import claim_values, claims, flood

__version__: str = _meshota.__version__

__all__ = [
    "DATA_DIR", "Result", "RunInterrupted", "SCENARIOS_DIR", "Scenario", "ScenarioError", "claim_values", "claims",
    "flood", "grid_points", "load", "run", "sweep", "__version__",
]


def run(scenario: Union[Scenario, PathLike], seed: Optional[int] = None, *,
        overrides: Optional[Mapping[str, Any]] = None, time_limit_s: Optional[float] = None,
        stop: Optional[threading.Event] = None) -> Result:
    """Runs a Scenario or a scenario file, with optional overrides (dotted path -> value).

    Same as ``meshota run FILE [--seed N]`` without writing files; see Scenario.run."""
    sc = scenario if isinstance(scenario, Scenario) else Scenario.from_file(scenario)
    if overrides:
        sc = sc.with_overrides(overrides)
    return sc.run(seed, time_limit_s=time_limit_s, stop=stop)
