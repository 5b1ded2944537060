"""Scenario: a YAML scenario document with overrides, validated and run by the
same C++ loader and pipeline as the ``meshota`` program."""

from __future__ import annotations

import copy
import os
import threading
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from . import _document as doc_
from . import _meshota
from ._errors import ScenarioError
from .result import Result

#: The project's scenarios/ folder (of the source tree this module was built from).
SCENARIOS_DIR: str = os.environ.get("MESHOTA_SCENARIOS_DIR", os.path.join(_meshota.SOURCE_DIR, "scenarios"))
#: The project's data/ folder: firmware images and topologies.
DATA_DIR: str = os.environ.get("MESHOTA_DATA_DIR", os.path.join(_meshota.SOURCE_DIR, "data"))


def shipped_path(name: str) -> str:
    """The file of a shipped scenario: ``scenarios/<room>/<name>.yaml``, the room being the name's first
    word (``attack``, ``baseline``, ``fleet``, ``rollout``, ``telemetry``), e.g. ``shipped_path("fleet-f500-rgg")``."""
    return os.path.join(SCENARIOS_DIR, name.split("-")[0], name + ".yaml")

PathLike = Union[str, "os.PathLike[str]"]


class Scenario:
    """One scenario (docs/scenarios.md), kept as a YAML document that overrides edit.

    Build one with :meth:`from_file`, :meth:`from_yaml` or :meth:`from_dict`. A file
    or text is checked when loaded, exactly as ``meshota validate`` checks it; after
    :meth:`set`, the document is checked again when it is validated or run. The C++
    loader reads YAML text in every case, so the rules and messages are the CLI's.

    Relative paths inside the scenario (``firmware.file``, ``topology.file``) are
    taken from the scenario file's folder; for text and dicts, from ``base_dir``,
    which defaults to the project's ``scenarios/`` folder (:data:`SCENARIOS_DIR`),
    so a snippet copied from a scenario file means the same there.
    """

    def __init__(self, document: Dict[str, Any], *, loader_path: str, origin: str,
                 source_text: Optional[str] = None, marks: Optional[doc_.Marks] = None) -> None:
        """Internal: use from_file, from_yaml or from_dict."""
        self._doc = document
        self._loader_path = loader_path
        self._origin = origin
        self._source_text = source_text
        self._marks = marks or {}
        self._overrides: Dict[doc_.KeyPath, Any] = {}
        self._emitted: Optional[Tuple[str, Dict[doc_.Position, Any]]] = None

    # ---- building ----

    @classmethod
    def from_file(cls, path: PathLike) -> "Scenario":
        """Loads and checks a scenario file; raises ScenarioError with ``meshota validate``'s message."""
        path = os.fspath(path)
        if not os.path.isfile(path):
            _meshota.validate_file(path)  # raises, worded as the CLI words it
        with open(path, encoding="utf-8") as f:
            text = f.read()
        return cls._from_text(text, loader_path=path, origin=path)

    @classmethod
    def from_yaml(cls, text: str, base_dir: Optional[PathLike] = None) -> "Scenario":
        """A scenario from YAML text; errors read ``<string>:line:column: ...``."""
        return cls._from_text(text, loader_path=_virtual_path(base_dir), origin="<string>")

    @classmethod
    def from_dict(cls, document: Mapping[str, Any], base_dir: Optional[PathLike] = None) -> "Scenario":
        """A scenario from a dict shaped like the YAML file (nested dicts and lists).

        It is written out as YAML text for the same loader, so the same checks apply;
        errors read ``<dict>: medium.loss.p ...`` (the key path, no line)."""
        d = doc_.plain_value(dict(document), "scenario")
        sc = cls(d, loader_path=_virtual_path(base_dir), origin="<dict>")
        sc._check(sc.yaml)
        return sc

    @classmethod
    def _from_text(cls, text: str, loader_path: str, origin: str) -> "Scenario":
        probe = cls({}, loader_path=loader_path, origin=origin, source_text=text)
        probe._check(text)  # the CLI's checks and messages, on the text as written
        raw, marks = _meshota.parse_yaml(text, loader_path)
        return cls(doc_.typed(raw), loader_path=loader_path, origin=origin, source_text=text, marks=marks)

    def copy(self) -> "Scenario":
        """An independent copy (overrides on it do not touch this one)."""
        return copy.deepcopy(self)

    # ---- reading and overriding ----

    @property
    def document(self) -> Dict[str, Any]:
        """A copy of the document (nested dicts and lists), overrides applied."""
        return copy.deepcopy(self._doc)

    def to_dict(self) -> Dict[str, Any]:
        """The document as plain dicts, lists and scalars (same as :attr:`document`)."""
        return self.document

    @property
    def overrides(self) -> Dict[str, Any]:
        """The overrides applied since loading: dotted path -> value."""
        return {doc_.dotted(p): v for p, v in self._overrides.items()}

    @property
    def name(self) -> str:
        """The run's name: the ``name`` key, else the file name without ``.yaml``."""
        n = self._doc.get("name")
        return str(n) if n is not None else os.path.splitext(os.path.basename(self._loader_path))[0]

    @property
    def path(self) -> str:
        """The path the loader sees: the file, or ``base_dir/scenario.yaml`` for text and dicts."""
        return self._loader_path

    @property
    def origin(self) -> str:
        """Where the scenario came from: its file, ``<string>`` or ``<dict>``."""
        return self._origin

    def get(self, path: str, default: Any = KeyError) -> Any:
        """The value at a dotted path (``"medium.loss.p"``, ``"faults[0].at_s"``) as written;
        a key left out (so at its default) raises KeyError unless `default` is given."""
        try:
            return copy.deepcopy(doc_.get(self._doc, doc_.parse_path(path)))
        except KeyError:
            if default is KeyError:
                raise
            return default

    def set(self, path: str, value: Any) -> "Scenario":
        """Overrides one field by its dotted path and returns self (so calls chain).

        ``sc.set("medium.loss", {"model": "bernoulli", "p": 0.1})`` or
        ``sc.set("faults[0].at_s", 30)``; missing mappings are created, and index
        ``len(list)`` appends an item. Nothing is checked until :meth:`validate` or
        :meth:`run`, so related fields can be set one by one."""
        key = doc_.parse_path(path)
        doc_.set_value(self._doc, key, doc_.plain_value(value, path))
        self._overrides[key] = copy.deepcopy(doc_.get(self._doc, key))
        self._emitted = None
        return self

    def update(self, overrides: Mapping[str, Any]) -> "Scenario":
        """Applies several overrides (dotted path -> value), in order; returns self."""
        for path, value in overrides.items():
            self.set(path, value)
        return self

    def with_overrides(self, overrides: Mapping[str, Any]) -> "Scenario":
        """A copy with the overrides applied; this scenario is unchanged."""
        return self.copy().update(overrides)

    def unset(self, path: str) -> "Scenario":
        """Removes a key (it goes back to its default) or a list item; returns self."""
        key = doc_.parse_path(path)
        doc_.delete(self._doc, key)
        self._overrides[key] = None
        self._emitted = None
        return self

    @property
    def yaml(self) -> str:
        """The YAML text the loader reads: the file as written until an override, then the document."""
        if not self._overrides and self._source_text is not None:
            return self._source_text
        if self._emitted is None:
            self._emitted = doc_.emit(self._doc)
        return self._emitted[0]

    # ---- checking and running ----

    def validate(self, seed: Optional[int] = None) -> Dict[str, Any]:
        """Checks everything ``meshota validate`` checks (builds the mesh, loads the image).

        Returns a few facts (name, seed, nodes, image_bytes, protocol, duration_s);
        raises ScenarioError."""
        return self._check(self.yaml, seed)

    def run(self, seed: Optional[int] = None, *, time_limit_s: Optional[float] = None,
            stop: Optional[threading.Event] = None) -> Result:
        """Simulates the scenario (as ``meshota run``) and returns its analysed Result.

        Args:
            seed: replaces the scenario's seed, as ``meshota run --seed``.
            time_limit_s: wall-clock limit; past it the run raises RunInterrupted.
            stop: a threading.Event; once set, the run raises RunInterrupted.

        The GIL is released while it runs, so threads run scenarios in parallel; Ctrl-C
        stops it within about 50 ms and raises RunInterrupted."""
        if time_limit_s is not None and not time_limit_s > 0:
            raise ValueError(f"time_limit_s must be greater than 0 (got {time_limit_s!r})")
        text = self.yaml
        try:
            run = _meshota.run(text, self._loader_path, _seed(seed), time_limit_s, stop)
        except ScenarioError as e:
            raise self._explain(e, text) from None
        return Result(run, self)

    def _check(self, text: str, seed: Optional[int] = None) -> Dict[str, Any]:
        try:
            return _meshota.validate(text, self._loader_path, _seed(seed))
        except ScenarioError as e:
            raise self._explain(e, text) from None

    def _explain(self, e: ScenarioError, text: str) -> ScenarioError:
        """The loader's error, pointed at what the user wrote: the original file's line
        and column, or the override that caused it."""
        if e.file != self._loader_path:
            return e  # inside another file (an edge list): its own position is right
        origin_file = self._origin if self._origin not in ("<string>", "<dict>") else None
        if text is self._source_text or text == self._source_text:
            if self._origin == self._loader_path:
                return e
            return _error(self._origin, e.line, e.column, e.detail, origin_file)
        if not self._overrides:
            return _error(self._origin, e.line, e.column, e.detail, origin_file)
        # The text was written from the document: find the key at the error's place.
        assert self._emitted is not None
        here = self._emitted[1].get((e.line, e.column), [])
        if here:
            path, kind = max(here, key=lambda pk: len(pk[0]))
            for o, value in self._overrides.items():
                if path[:len(o)] == o:
                    what = f"{doc_.dotted(o)}={value!r}" if value is not None else f"{doc_.dotted(o)} removed"
                    return ScenarioError(f"{self._origin}, override {what}: {e.detail}", origin_file, 0, 0, e.detail)
            if path in self._marks:
                key_pos, value_pos = self._marks[path]
                line, column = key_pos if kind == "key" else value_pos
                return _error(self._origin, line, column, e.detail, origin_file)
        return ScenarioError(f"{self._origin}, with overrides {self.overrides}: {e.detail}", origin_file, 0, 0,
                             e.detail)

    def __repr__(self) -> str:
        extra = f", overrides={self.overrides}" if self._overrides else ""
        return f"Scenario({self._origin!r}, name={self.name!r}{extra})"


def _error(origin: str, line: int, column: int, detail: str, file: Optional[str]) -> ScenarioError:
    where = origin + (f":{line}" if line > 0 else "") + (f":{column}" if line > 0 and column > 0 else "")
    if origin == "<dict>":
        where = origin  # positions in text written from a dict mean nothing to the reader
        line = column = 0
    return ScenarioError(f"{where}: {detail}", file, line, column, detail)


def _virtual_path(base_dir: Optional[PathLike]) -> str:
    base = os.path.abspath(os.fspath(base_dir)) if base_dir is not None else SCENARIOS_DIR
    return os.path.join(base, "scenario.yaml")


def _seed(seed: Optional[int]) -> Optional[int]:
    if seed is None:
        return None
    s = doc_.plain_value(seed, "seed")
    if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s < 2 ** 64:
        raise ValueError(f"seed must be a whole number from 0 to 2**64 - 1 (got {seed!r})")
    return s


def load(path: PathLike) -> Scenario:
    """Same as :meth:`Scenario.from_file`."""
    return Scenario.from_file(path)
