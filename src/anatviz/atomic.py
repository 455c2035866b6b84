"""Write files whole or not at all: a temporary file next to the target, renamed into place.

Every writer in anatviz (pictures, movies, exports, plots, meshes, scenes, handouts) goes through
:func:`replacing`, so that a failure leaves the old file (or none), never a half-written one. The
temporary file is created by ``open`` with the user's umask, so the result has the usual permissions.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def temporary_sibling(path: Path) -> Path:
    """A hidden file next to ``path`` with the same extension (some writers choose the format by it)."""
    return path.with_name(f".{path.stem}.{os.getpid()}.partial{path.suffix}")


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path``, on any error it is removed.

    Examples
    --------
    >>> with replacing(Path("picture.png")) as tmp:   # doctest: +SKIP
    ...     image.save(tmp)
    """
    path = Path(path)
    tmp = temporary_sibling(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomically(path: str | Path, data: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path`` whole; returns the path."""
    path = Path(path)
    with replacing(path) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
    return path
