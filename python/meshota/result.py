"""Result: one analysed run, as Python data built straight from the C++ structs."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Dict, List

import numpy as np
import pandas as pd

from . import _meshota

if TYPE_CHECKING:  # pragma: no cover
    from .scenario import Scenario


class Result:
    """What one run measured and what it means (the C++ ScenarioRun).

    Tables come from the list in ``python/src/result_fields.cpp``; every table there
    is reachable as :meth:`table` / :meth:`arrays` by name, and the common ones also
    as properties. Times are seconds of virtual time; NaN means "never".
    """

    def __init__(self, run: "_meshota.Run", scenario: "Scenario") -> None:
        """Internal: Scenario.run and meshota.run build Results."""
        self._run = run
        self._scenario = scenario
        self._summary: Dict[str, Any] = run.summary()

    @property
    def scenario(self) -> "Scenario":
        """The scenario that was run (with its overrides)."""
        return self._scenario

    @property
    def summary(self) -> Dict[str, Any]:
        """The summary numbers (name -> value): updated, completion_s, events, ... ."""
        return dict(self._summary)

    @property
    def wall_s(self) -> float:
        """Wall-clock seconds the run took, from parsing to analysis."""
        return self._run.wall_s

    @property
    def notes(self) -> List[str]:
        """Where the time went, the sentences of report.md's "Where the time goes"."""
        return list(self._run.notes)

    @staticmethod
    def table_names() -> Dict[str, str]:
        """Every table's name -> what one of its rows is."""
        return dict(_meshota.Run.table_names())

    def arrays(self, name: str) -> Dict[str, np.ndarray]:
        """One table as column name -> NumPy array (numbers keep their C++ type)."""
        return dict(self._run.table(name))

    def table(self, name: str) -> pd.DataFrame:
        """One table as a pandas DataFrame, columns in the order result_fields.cpp lists them."""
        return pd.DataFrame(self._run.table(name), copy=False)

    @property
    def nodes(self) -> pd.DataFrame:
        """One row per node: depth, hops, progress, start/completion times, traffic, final state."""
        return self.table("nodes")

    @property
    def traffic(self) -> pd.DataFrame:
        """One row per message type: application sends versus link transmissions, retransmissions, losses."""
        return self.table("traffic")

    @property
    def stalls(self) -> pd.DataFrame:
        """One row per receiver that did not update, with the reason (empty when all did)."""
        return self.table("stalls")

    @property
    def completion(self) -> pd.DataFrame:
        """The completion curve: one row per updated receiver in time order, with the running count."""
        return self.table("completion")

    def report_json(self) -> Dict[str, Any]:
        """report.json as a dict (the CLI's file, parsed)."""
        return json.loads(self._run.report_json())

    def report_markdown(self) -> str:
        """report.md's text."""
        return self._run.report_markdown()

    def timeline_csv(self) -> str:
        """timeline.csv's text."""
        return self._run.timeline_csv()

    def write_report(self, directory: "str | os.PathLike[str]") -> str:
        """Writes report.json, report.md and timeline.csv into `directory` (created if
        missing) with the C++ write_report, exactly as ``meshota run``; returns the folder."""
        d = os.fspath(directory)
        self._run.write_report(d)
        return d

    def __getitem__(self, key: str) -> Any:
        """``result["completion_s"]`` is ``result.summary["completion_s"]``."""
        return self._summary[key]

    def __repr__(self) -> str:
        s = self._summary
        return (f"Result({s['scenario']!r}, seed={s['seed']}, updated={s['updated']}/{s['receivers']}, "
                f"completion_s={s['completion_s']:.1f}, events={s['events']})")
