"""Where the shipped meshes, scenes and lessons are: inside the wheel, or at the top of a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name  # a wheel (see pyproject's force-include)
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parents[1] / name  # a source checkout or an editable install


def meshes_dir() -> Path:
    """The folder of the shipped bone meshes."""
    return _folder("meshes")


def scenes_dir() -> Path:
    """The folder of the shipped scene files."""
    return _folder("scenes")


def lessons_dir() -> Path:
    """The folder of the shipped lesson files."""
    return _folder("lessons")


def mesh_path(file_name: str) -> Path:
    """Path of a shipped mesh file; FileNotFoundError naming the folder if it is missing."""
    path = meshes_dir() / file_name
    if not path.is_file():
        raise FileNotFoundError(f"{file_name}: no such mesh in {meshes_dir()} "
                                "(regenerate the meshes with: python -m anatviz.meshgen)")
    return path
