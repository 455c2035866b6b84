"""One-call rendering of scenes to files: what the CLI, the gallery and Python users call."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..hipmodel import HipModel
from ..scene.frames import compute_frames
from ..scene.overrides import still_time_s
from ..scene.schema import Scene
from .movie import record
from .output import check_picture_path
from .view import HipView


def render_still(model: HipModel, scene: Scene, path: str | Path) -> Path:
    """Render a scene's still (for an animated scene, the frame at its still time) to a picture file.

    The picture has exactly ``scene.size`` pixels, anti-aliased, with an alpha channel when
    ``scene.transparent``.
    """
    path = Path(path)
    check_picture_path(path, transparent=scene.transparent)
    t = still_time_s(scene)
    frames = compute_frames(model, scene, times_s=None if t is None else np.array([t]))
    view = HipView(model, scene, frames=frames, anti_aliasing="ssaa")
    try:
        return view.screenshot(path)
    finally:
        view.close()


def render_movie(model: HipModel, scene: Scene, path: str | Path, *, fps: float | None = None,
                 frames: int | None = None, progress: bool = True) -> Path:
    """Render a scene's motion to a GIF or MP4 at a fixed frame rate, anti-aliased (SSAA: FXAA is not
    available with the off-screen EGL window)."""
    view = HipView(model, scene, anti_aliasing="ssaa")
    try:
        return record(view, path, fps=fps, frames=frames, progress=progress)
    finally:
        view.close()
