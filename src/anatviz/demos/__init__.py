"""Demonstration scenes whose poses are computed, not drawn by hand.

Shipped scenes written by code, like the bone meshes: ``knee_changes_the_hamstrings`` (a bridge
held at full hip extension while the feet walk in, each keyframe's pelvis tilt solved for the closed
loop, :mod:`.bridge`) and ``trendelenburg`` (the pelvis drop computed from the strength of the stance
abductors, :mod:`anatviz.activation.trendelenburg`). Regenerate them with::

    python -m anatviz.demos

:func:`scene_texts` gives each file's text; a test checks that the shipped files equal it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..atomic import write_atomically
from ..hipmodel import HipModel
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


def source_scenes_dir() -> Path | None:
    """The top-level ``scenes/`` folder of a source checkout (``src/anatviz`` beside it), else None (an
    installed wheel, whose scenes inside site-packages are not to be rewritten)."""
    package = Path(__file__).resolve().parents[1]
    root = package.parents[1]
    if package.parent.name == "src" and (root / "scenes").is_dir():
        return root / "scenes"
    return None


def write_scenes(model: HipModel, folder: Path | None = None) -> list[Path]:
    """Write every generated scene into ``folder`` (default: a source checkout's ``scenes/``); their paths.

    Raises
    ------
    FileNotFoundError
        ``folder`` is not a folder, or none was given outside a source checkout (one line, naming it).
    """
    if folder is None:
        folder = source_scenes_dir()
        if folder is None:
            raise FileNotFoundError("FOLDER: not a source checkout (no scenes/ beside src/); expected a folder to "
                                    "write the generated scenes into, e.g. python -m anatviz.demos my_scenes/")
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"FOLDER: {folder}: no such folder; expected an existing folder for the generated scenes")
    return [write_atomically(folder / f"{name}.toml", text) for name, text in scene_texts(model).items()]
