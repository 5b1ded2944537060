"""The exceptions meshota raises; the C++ extension raises these same classes."""

from __future__ import annotations

from typing import Any, Optional


class ScenarioError(ValueError):
    """A scenario, or a file it names, is invalid.

    The message is the one ``meshota validate`` prints after ``error:``:
    ``file:line:column: what is wrong; what to do``. When the mistake came from an
    override (``Scenario.set``) the message names the override instead of a line.

    Attributes:
        file: the file the position refers to (the scenario or an edge-list file),
            ``"<string>"``/``"<dict>"`` for scenarios given as text or a dict, or None.
        line, column: 1-based position, 0 when there is none.
        detail: the message without its position prefix.
    """

    def __init__(self, message: str, file: Optional[str] = None, line: int = 0, column: int = 0,
                 detail: Optional[str] = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.column = column
        self.detail = detail if detail is not None else message

    def __reduce__(self) -> Any:
        # Keeps the attributes when a process pool sends the error back.
        return (type(self), (str(self), self.file, self.line, self.column, self.detail))


class RunInterrupted(RuntimeError):
    """A run stopped before its end: its wall-clock limit ran out, its stop event
    was set, or Ctrl-C (KeyboardInterrupt, then the ``__cause__``) arrived.

    The simulation is abandoned cleanly (everything it built is freed); no result is kept.

    Attributes:
        reason: ``"time_limit"``, ``"stopped"`` or ``"signal"``.
        sim_time_s: virtual time the run had reached.
        wall_s: wall-clock seconds it had run.
    """

    def __init__(self, message: str, reason: str = "", sim_time_s: float = 0.0, wall_s: float = 0.0) -> None:
        super().__init__(message)
        self.reason = reason
        self.sim_time_s = sim_time_s
        self.wall_s = wall_s

    def __reduce__(self) -> Any:
        return (type(self), (str(self), self.reason, self.sim_time_s, self.wall_s))
