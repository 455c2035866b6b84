"""Writing pictures: exact size, real alpha, vector formats where VTK has them, atomic renames."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

if TYPE_CHECKING:
    from .view import HipView

RASTER_FORMATS = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
VECTOR_FORMATS = (".svg", ".pdf", ".eps", ".ps")
PICTURE_FORMATS = RASTER_FORMATS + VECTOR_FORMATS


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


def temporary_sibling(path: Path) -> Path:
    """A hidden file next to ``path`` with the same extension, renamed into place when complete."""
    return path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")


def write_picture(view: "HipView", path: Path, *, transparent: bool) -> Path:
    """Write the view's current picture to ``path``; nothing is left half-written on failure."""
    ext = check_picture_path(path, transparent=transparent)
    tmp = temporary_sibling(path)
    try:
        if ext in VECTOR_FORMATS:
            view.plotter.render()
            view.plotter.save_graphic(str(tmp), title=view.scene.title, raster=True, painter=True)
        else:
            image = view.image(transparent=transparent)
            if image[..., :3].min() == image[..., :3].max():
                raise OutputError(f"{path}: the renderer returned a blank {image.shape[1]}x{image.shape[0]} picture")
            Image.fromarray(image).save(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path
