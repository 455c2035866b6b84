"""The rendering layer: the only package that imports pyvista or VTK.

Importing it with no display chooses VTK's EGL window, so off-screen rendering prints no X-server
warnings (set ``VTK_DEFAULT_OPENGL_WINDOW`` yourself to choose another).
"""

from __future__ import annotations

import os

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

from .movie import record  # noqa: E402
from .scenes import render_movie, render_still  # noqa: E402
from .view import HipView  # noqa: E402

__all__ = ["HipView", "record", "render_movie", "render_still"]
