"""A scenario as a YAML document on the Python side: typed values, dotted-path
overrides, and YAML text for the C++ loader with a map from its lines back to keys.

The loader (C++) stays the only judge of what is valid: this module only turns a
document into text it reads exactly as it would read the equivalent file, and
remembers where each key was so that its errors can be pointed back at the
original file or at the override that caused them.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

PathKey = Union[str, int]
KeyPath = Tuple[PathKey, ...]
Position = Tuple[int, int]
#: key path -> (key position, value position), 1-based.
Marks = Dict[KeyPath, Tuple[Position, Position]]

_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)\Z")
_REAL = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(-?[0-9]+)\]")


class YamlInt(int):
    """An int that keeps its YAML spelling (``0x2A``), so it is written back as it was."""

    text: str

    def __new__(cls, value: int, text: str) -> "YamlInt":
        obj = super().__new__(cls, value)
        obj.text = text
        return obj

    def __reduce__(self) -> Any:
        return (YamlInt, (int(self), self.text))


class YamlFloat(float):
    """A float that keeps its YAML spelling (``2.50``, ``1e3``)."""

    text: str

    def __new__(cls, value: float, text: str) -> "YamlFloat":
        obj = super().__new__(cls, value)
        obj.text = text
        return obj

    def __reduce__(self) -> Any:
        return (YamlFloat, (float(self), self.text))


def scalar(text: str, quoted: bool) -> Any:
    """Types a scalar as the scenario loader reads it: quoted text is always text;
    plain true/false are booleans (not YAML 1.1's yes/no); plain digits are numbers."""
    if quoted:
        return text
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.match(text):
        v = int(text, 16) if text.lstrip("+-")[:2].lower() == "0x" else int(text)  # int() keeps the sign
        return v if str(v) == text else YamlInt(v, text)
    if _REAL.match(text):
        f = float(text)
        return f if repr(f) == text else YamlFloat(f, text)
    return text


def typed(raw: Any) -> Any:
    """The document parse_yaml returned (scalars as (text, quoted) pairs), typed."""
    if isinstance(raw, tuple):
        return scalar(raw[0], raw[1])
    if isinstance(raw, dict):
        return {k: typed(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [typed(v) for v in raw]
    return raw


def parse_path(path: str) -> KeyPath:
    """``"faults[0].at_s"`` -> ``("faults", 0, "at_s")``."""
    parts: List[PathKey] = []
    pos = 0
    for m in _PATH_PART.finditer(path):
        gap = path[pos:m.start()]
        # A name follows '.' (or starts the path); an index follows a name or index directly.
        ok = gap == ("." if parts else "") if m.group(1) is not None else (gap == "" and bool(parts))
        if not ok:
            raise ValueError(f"bad key path {path!r}: write keys joined by '.', list items as [i], e.g. faults[0].at_s")
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    if not parts or pos != len(path):
        raise ValueError(f"bad key path {path!r}: write keys joined by '.', list items as [i], e.g. faults[0].at_s")
    return tuple(parts)


def dotted(path: KeyPath) -> str:
    """``("faults", 0, "at_s")`` -> ``"faults[0].at_s"``."""
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def plain_value(value: Any, where: str) -> Any:
    """A value a document can hold: None, bool, int, float, str, dicts and lists of
    those. NumPy scalars become Python ones (a sweep grid is often a NumPy range)."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if hasattr(value, "item") and not isinstance(value, (dict, list)):  # NumPy scalar
        value = value.item()
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        return value if isinstance(value, YamlInt) else int(value)
    if isinstance(value, numbers.Real):
        return value if isinstance(value, YamlFloat) else float(value)
    if isinstance(value, dict):
        return {str(k): plain_value(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v, f"{where}[{i}]") for i, v in enumerate(value)]
    raise TypeError(f"{where}: a scenario value is None, bool, int, float, str, or a dict or list of those, "
                    f"not {type(value).__name__}")


def get(doc: Any, path: KeyPath) -> Any:
    """The value at `path`; KeyError when it is not in the document."""
    node = doc
    for i, p in enumerate(path):
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            raise KeyError(f"{dotted(path[:i + 1])} is not in the scenario") from None
    return node


def set_value(doc: Dict[str, Any], path: KeyPath, value: Any) -> None:
    """Sets `path` to `value`, creating missing mappings on the way; a list index may
    be the list's length, which appends an item."""
    node: Any = doc
    for i, p in enumerate(path):
        last = i == len(path) - 1
        nxt = path[i + 1] if not last else None
        if isinstance(p, int):
            if not isinstance(node, list):
                raise KeyError(f"{dotted(path[:i])} is not a list, so it has no item [{p}]")
            if p == len(node):
                node.append({} if not last else None)
            elif not -len(node) <= p < len(node):
                raise KeyError(f"{dotted(path[:i + 1])}: the list has {len(node)} item(s); "
                               f"use an index below {len(node)}, or {len(node)} to append one")
        elif not isinstance(node, dict):
            raise KeyError(f"{dotted(path[:i])} is not a mapping, so it has no key {p!r}")
        if last:
            node[p] = value
            return
        child = node[p] if (isinstance(p, int) or p in node) else None
        if child is None:
            child = [] if isinstance(nxt, int) else {}
            node[p] = child
        node = child


def delete(doc: Dict[str, Any], path: KeyPath) -> None:
    """Removes `path` (a key goes back to its default; a list item is dropped)."""
    parent = get(doc, path[:-1]) if len(path) > 1 else doc
    try:
        del parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        raise KeyError(f"{dotted(path)} is not in the scenario") from None


# ---- YAML text for the loader ----

def _scalar_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (YamlInt, YamlFloat)):
        return v.text
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        # The loader refuses .inf and .nan with its own message; say them its way.
        if math.isnan(v):
            return ".nan"
        if math.isinf(v):
            return ".inf" if v > 0 else "-.inf"
        return repr(v)
    # Always quoted: text stays text (a quoted "1000" is refused where a number is expected).
    return json.dumps(str(v), ensure_ascii=False)


class _Writer:
    def __init__(self) -> None:
        self.lines: List[str] = []
        #: emitted (line, column) -> (key path, "key" or "value") of what starts there
        self.at: Dict[Position, List[Tuple[KeyPath, str]]] = {}

    def mark(self, line: int, col: int, path: KeyPath, kind: str) -> None:
        self.at.setdefault((line, col), []).append((path, kind))

    def block(self, node: Any, path: KeyPath, indent: int, first_prefix: Optional[str] = None) -> None:
        """Writes a mapping or list at `indent`; the first line may continue `first_prefix` ("- ")."""
        items: Iterator[Tuple[PathKey, Any]] = iter(node.items()) if isinstance(node, dict) else iter(enumerate(node))
        first = True
        for key, value in items:
            lead = (first_prefix if first and first_prefix is not None else " " * indent)
            first = False
            child = path + (key,)
            line_no = len(self.lines) + 1
            if isinstance(node, dict):
                head = f"{lead}{key}:"
                self.mark(line_no, len(lead) + 1, child, "key")
                value_col = len(head) + 2
            else:
                head = f"{lead}-"
                value_col = len(head) + 2
                self.mark(line_no, value_col, child, "value")
            if isinstance(value, (dict, list)) and value:
                if isinstance(node, list):
                    # "- key: v" with the item's first key on the dash's line.
                    self.block(value, child, indent + 2, first_prefix=f"{lead}- ")
                else:
                    self.lines.append(head)
                    self.block(value, child, indent + 2)
            else:
                text = "{}" if value == {} else "[]" if value == [] else _scalar_text(value)
                if isinstance(node, dict) and text:
                    self.mark(line_no, value_col, child, "value")
                self.lines.append(f"{head} {text}" if text else head)


def emit(doc: Dict[str, Any]) -> Tuple[str, Dict[Position, List[Tuple[KeyPath, str]]]]:
    """Block YAML for `doc` and, for each (line, column) of it, the keys or values there."""
    w = _Writer()
    w.block(doc, (), 0)
    return "\n".join(w.lines) + "\n", w.at
