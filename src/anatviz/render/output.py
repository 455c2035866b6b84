"""Writing pictures: exact size, real alpha, vector formats where VTK has them, atomic renames."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image

from ..atomic import replacing

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
