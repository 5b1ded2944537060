"""Shared fixtures of the meshota Python tests (run by ctest as python_tests).

The module under test is the one on PYTHONPATH (ctest sets build/python); the
meshota program they compare with is MESHOTA_BINARY (ctest sets it), else
build/sim/meshota.
"""

from __future__ import annotations

import os
import subprocess
from typing import List

import pytest

import meshota

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SCENARIOS = os.path.join(ROOT, "scenarios")

#: A run of a few milliseconds: 4 nodes, a 16 KB image.
TINY = {
    "name": "tiny",
    "seed": 1,
    "topology": {"kind": "random-tree", "nodes": 4},
    "firmware": {"size_bytes": 16384},
    "ota": {"chunk_bytes": 1024},
}


@pytest.fixture(scope="session")
def meshota_bin() -> str:
    """The meshota program of the same build."""
    path = os.environ.get("MESHOTA_BINARY", os.path.join(ROOT, "build", "sim", "meshota"))
    if not os.access(path, os.X_OK):
        pytest.fail(f"meshota program not found at {path}; set MESHOTA_BINARY")
    return path


def cli(meshota_bin: str, *args: str) -> subprocess.CompletedProcess:
    """Runs the meshota program; returns its completed process (never raises on exit code)."""
    return subprocess.run([meshota_bin, *args], capture_output=True, text=True, timeout=300)


def scenario_path(name: str) -> str:
    """scenarios/<room>/<name>.yaml (meshota.shipped_path)."""
    return meshota.shipped_path(name)


@pytest.fixture
def tiny() -> meshota.Scenario:
    """A fresh copy of TINY."""
    return meshota.Scenario.from_dict(TINY)


def shipped_scenarios() -> List[str]:
    """The names of every scenario in scenarios/ (every room)."""
    return sorted(f[:-5] for _, _, files in os.walk(SCENARIOS) for f in files if f.endswith(".yaml"))
