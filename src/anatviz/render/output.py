"""Taking and writing pictures: anti-aliasing, exact size, real alpha, vector formats where VTK has
them, atomic renames."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv
from numpy.typing import NDArray
from PIL import Image

from ..atomic import replacing
from . import style as S

if TYPE_CHECKING:
    from .view import HipView

RASTER_FORMATS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
VECTOR_FORMATS = (".svg", ".pdf", ".eps", ".ps")
PICTURE_FORMATS = RASTER_FORMATS + VECTOR_FORMATS


JITTER_OFFSETS_PX = ((-0.25, -0.25), (0.25, -0.25), (-0.25, 0.25), (0.25, 0.25))


def set_anti_aliasing(plotter: pv.Plotter, size: tuple[int, int], anti_aliasing: str | None) -> int:
    """Turn ``anti_aliasing`` ('ssaa', 'msaa', 'fxaa' or None) on for a plotter drawing ``size`` pixels;
    returns how many camera-jittered renders make one picture (see :func:`take_picture`).

    VTK's SSAA renders at sqrt(5) times the size, beyond the software renderer's 16384-pixel limit for
    pictures wider or taller than about 7300 pixels (they come out black): those are anti-aliased by
    averaging renders with sub-pixel camera offsets instead.
    """
    jitter_passes = len(JITTER_OFFSETS_PX) if anti_aliasing and max(size) > S.SSAA_MAX_SIDE_PX else 1
    if anti_aliasing and jitter_passes == 1:
        plotter.enable_anti_aliasing(anti_aliasing)
    if not anti_aliasing:
        # pyvista's theme turns 8-sample MSAA on by itself: no anti-aliasing means none (MSAA
        # costs about 60 ms a frame at 1680x720 in software GL)
        plotter.render_window.SetMultiSamples(0)
    if anti_aliasing == "ssaa" and jitter_passes == 1:
        # depth peeling sorts translucent muscles correctly; without SSAA here it drops translucent
        # geometry altogether (the dimmed muscles vanished), so it goes with SSAA only
        plotter.enable_depth_peeling(number_of_peels=6)
    return jitter_passes


def take_picture(plotter: pv.Plotter, size: tuple[int, int], jitter_passes: int, *, transparent: bool,
                 ) -> NDArray[np.uint8]:
    """Render and read the picture: ``(height, width, 3)``, or ``(height, width, 4)`` with transparency;
    with several ``jitter_passes``, the mean of renders with the camera moved by a quarter pixel."""
    if jitter_passes == 1:
        plotter.render()
        return plotter.screenshot(transparent_background=transparent, return_img=True)
    camera, total = plotter.camera, None
    width, height = size
    for dx, dy in JITTER_OFFSETS_PX:
        camera.SetWindowCenter(2.0 * dx / width, 2.0 * dy / height)
        plotter.render()
        shot = plotter.screenshot(transparent_background=transparent, return_img=True).astype(np.uint32)
        total = shot if total is None else total + shot
    camera.SetWindowCenter(0.0, 0.0)
    return ((total + len(JITTER_OFFSETS_PX) // 2) // len(JITTER_OFFSETS_PX)).astype(np.uint8)  # rounded


class OutputError(ValueError):
    """A picture or movie cannot be written as asked (one line)."""


def check_picture_path(path: Path, *, transparent: bool = False) -> str:
    """The picture format of ``path`` (its extension), or OutputError naming the allowed ones."""
    ext = path.suffix.lower()
    if ext not in PICTURE_FORMATS:
        raise OutputError(f"{path}: unknown picture extension {ext or '(none)'!r}; expected one of "
                          f"{', '.join(PICTURE_FORMATS)}")
    if transparent and ext in (".jpg", ".jpeg"):
        raise OutputError(f"{path}: JPEG has no alpha channel; use .png (or .tif) with a transparent background")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: no such folder {path.parent}")
    return ext


def write_picture(view: "HipView", path: Path, *, transparent: bool) -> Path:
    """Write the view's current picture to ``path``; nothing is left half-written on failure."""
    ext = check_picture_path(path, transparent=transparent)
    with replacing(path) as tmp:
        if ext in VECTOR_FORMATS:
            view.plotter.render()
            view.plotter.save_graphic(str(tmp), title=view.scene.title, raster=True, painter=True)
        else:
            image = view.image(transparent=transparent)
            if image[..., :3].min() == image[..., :3].max():
                raise OutputError(f"{path}: the renderer returned a blank {image.shape[1]}x{image.shape[0]} picture")
            Image.fromarray(image).save(tmp)
    return path
