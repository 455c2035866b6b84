"""Named anatomical views: camera direction (from the focal point toward the camera) and up vector.

World frame: x anterior, y superior, z to the right. 'lateral_r' looks at the right side from the right;
'medial_r' looks at the right leg from the midline (the left leg is best hidden for it).
"""

from __future__ import annotations

import numpy as np

VIEWS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "anterior": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
    "posterior": ((-1.0, 0.0, 0.0), (0.0, 1.0, 0.0)),
    "lateral_r": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
    "medial_r": ((0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),
    "lateral_l": ((0.0, 0.0, -1.0), (0.0, 1.0, 0.0)),
    "medial_l": ((0.0, 0.0, 1.0), (0.0, 1.0, 0.0)),
    "superior": ((0.0, 1.0, 0.0), (1.0, 0.0, 0.0)),
    "inferior": ((0.0, -1.0, 0.0), (1.0, 0.0, 0.0)),
    "oblique": ((-0.55, 0.35, 0.76), (0.0, 1.0, 0.0)),
    "oblique_anterior": ((0.7, 0.3, 0.65), (0.0, 1.0, 0.0)),
}
"""name -> (direction toward the camera, up); directions need not be unit length."""

KEY_VIEWS = ("anterior", "posterior", "lateral_r", "medial_r", "superior", "oblique")
"""The views on keys 1 to 6 in the interactive window."""


def view_direction(name: str) -> tuple[np.ndarray, np.ndarray]:
    """Unit direction toward the camera and unit up vector of a named view."""
    direction, up = VIEWS[name]
    d = np.asarray(direction, float)
    return d / np.linalg.norm(d), np.asarray(up, float)
