"""Shared fixtures: the bundled model is loaded once per test session."""

from __future__ import annotations

import os

import pytest

# Off-screen rendering without a display: choose the EGL window before any VTK import.
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import anatviz  # noqa: E402
from anatviz.model import DEFAULT_DATA_FILE  # noqa: E402


@pytest.fixture(scope="session")
def model() -> anatviz.HipModel:
    return anatviz.load_model()


@pytest.fixture(scope="session")
def data_text() -> str:
    return DEFAULT_DATA_FILE.read_text()
