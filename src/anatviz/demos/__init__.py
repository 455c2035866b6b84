"""Demonstration scenes whose poses are computed, not drawn by hand.

Two shipped scenes are written by code, like the bone meshes: ``knee_changes_the_hamstrings`` (a bridge
held at full hip extension while the feet walk in, each keyframe's pelvis tilt solved for the closed
loop, :mod:`.bridge`) and ``trendelenburg`` (the pelvis drop computed from the strength of the stance
abductors, :mod:`anatviz.activation.trendelenburg`). Regenerate them with::

    python -m anatviz.demos

:func:`scene_texts` gives each file's text; a test checks that the shipped files equal it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..hipmodel import HipModel
from ..resources import scenes_dir
from .knee_sweep import knee_sweep_text
from .trendelenburg_scene import trendelenburg_text

GENERATED: dict[str, Callable[[HipModel], str]] = {
    "knee_changes_the_hamstrings": knee_sweep_text,
    "trendelenburg": trendelenburg_text,
}
"""Scene name -> the function that writes its TOML text."""


def scene_texts(model: HipModel) -> dict[str, str]:
    """``{scene name: TOML text}`` of every generated scene."""
    return {name: make(model) for name, make in GENERATED.items()}


def write_atomically(path: Path, text: str) -> Path:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_scenes(model: HipModel, folder: Path | None = None) -> list[Path]:
    """Write every generated scene into ``folder`` (default: the shipped scenes folder); their paths."""
    folder = Path(folder) if folder is not None else scenes_dir()
    return [write_atomically(folder / f"{name}.toml", text) for name, text in scene_texts(model).items()]
