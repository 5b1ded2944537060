"""sweep(): a grid of overrides x seeds, run in parallel, one DataFrame row per run.

Every run is independent and seeded, so the rows do not depend on the number of
workers or on the backend: a row is a function of (scenario, overrides, seed).
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import multiprocessing
import os
import threading
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

import pandas as pd

from .scenario import PathLike, Scenario

Grid = Union[Mapping[str, Sequence[Any]], Sequence[Mapping[str, Any]], None]
#: One run of a sweep: (scenario, overrides, seed, time limit).
Task = Tuple[Scenario, Dict[str, Any], int, Optional[float]]


def grid_points(grid: Grid) -> List[Dict[str, Any]]:
    """The override sets of a grid: a mapping path -> values gives their cartesian
    product (the last path varies fastest); a list of mappings is taken as it is."""
    if grid is None:
        return [{}]
    if isinstance(grid, Mapping):
        keys = list(grid)
        for k in keys:
            if isinstance(grid[k], (str, bytes)) or not isinstance(grid[k], Iterable):
                raise TypeError(f"grid[{k!r}] must be a list of values, not {type(grid[k]).__name__}")
        return [dict(zip(keys, values)) for values in itertools.product(*(list(grid[k]) for k in keys))]
    return [dict(point) for point in grid]


def run_point(task: Task, stop: Optional[threading.Event] = None) -> Dict[str, Any]:
    """One run of a sweep: its overrides, its seed, then its summary numbers."""
    scenario, overrides, seed, time_limit_s = task
    result = scenario.with_overrides(overrides).run(seed=seed, time_limit_s=time_limit_s, stop=stop)
    row: Dict[str, Any] = dict(overrides)
    row["seed"] = seed
    for k, v in result.summary.items():
        row.setdefault(k, v)
    return row


def sweep(scenario: Union[Scenario, PathLike], grid: Grid = None, seeds: Union[int, Iterable[int]] = (1,), *,
          workers: Optional[int] = None, backend: Any = "processes",
          time_limit_s: Optional[float] = None, mp_context: str = "fork") -> pd.DataFrame:
    """Runs every (grid point, seed) of `scenario` and returns one row per run.

    Args:
        scenario: a Scenario, or the path of a scenario file.
        grid: ``{"topology.nodes": [10, 20], "medium.loss.p": [0.0, 0.1]}`` (cartesian
            product) or a list of override dicts; None runs the scenario as it is.
        seeds: the seeds to run each point with, or a count n for seeds 1..n.
        workers: parallel runs; default: the machine's CPU count.
        backend: ``"processes"`` (a process pool), ``"threads"`` (runs release the GIL),
            ``"serial"`` (in this thread, in order), or a ``distributed.Client`` (Dask).
        time_limit_s: wall-clock limit per run (RunInterrupted past it).
        mp_context: the start method of the process pool. The default, fork, works from
            notebooks, scripts without an ``if __name__ == "__main__":`` guard and standard
            input; "forkserver" and "spawn" re-import the main module in each worker, so a
            script then needs that guard.

    Returns:
        A DataFrame with a column per override path, ``seed``, then the summary numbers,
        in grid order then seed order, whatever the backend and the number of workers.
    """
    sc = scenario if isinstance(scenario, Scenario) else Scenario.from_file(scenario)
    seed_list = list(range(1, seeds + 1)) if isinstance(seeds, int) else [int(s) for s in seeds]
    points = grid_points(grid)
    if any("seed" in p for p in points):
        raise ValueError("give seeds with the seeds= argument, not as a grid override (each run's seed replaces it)")
    tasks: List[Task] = [(sc, point, seed, time_limit_s) for point in points for seed in seed_list]
    n = workers if workers is not None else (os.cpu_count() or 1)
    if n < 1:
        raise ValueError(f"workers must be at least 1 (got {n})")
    if isinstance(backend, str):
        if backend == "serial":
            rows = [run_point(t) for t in tasks]
        elif backend == "threads":
            rows = _threads(tasks, n)
        elif backend == "processes":
            rows = _processes(tasks, n, mp_context)
        else:
            raise ValueError(f"backend must be 'processes', 'threads', 'serial' or a distributed.Client, "
                             f"not {backend!r}")
    elif hasattr(backend, "map") and hasattr(backend, "gather"):
        # A Dask client: its workers import meshota (PYTHONPATH or an installed package).
        futures = backend.map(run_point, tasks, pure=False)
        rows = backend.gather(futures)
    else:
        raise TypeError(f"backend must be a name or a distributed.Client, not {type(backend).__name__}")
    return pd.DataFrame(rows)


def _threads(tasks: List[Task], workers: int) -> List[Dict[str, Any]]:
    stop = threading.Event()
    with cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="meshota-sweep") as pool:
        futures = [pool.submit(run_point, t, stop) for t in tasks]
        try:
            return [f.result() for f in futures]
        except BaseException:
            # Ctrl-C (or a failed run): stop the runs still going instead of waiting for them.
            stop.set()
            for f in futures:
                f.cancel()
            raise


def _processes(tasks: List[Task], workers: int, method: str) -> List[Dict[str, Any]]:
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        # Each worker starts with meshota imported: forked from a server that has it.
        ctx.set_forkserver_preload(["meshota"])
    with cf.ProcessPoolExecutor(max_workers=min(workers, len(tasks)) or 1, mp_context=ctx) as pool:
        return list(pool.map(run_point, tasks, chunksize=1))
