"""Moment arms by central differences of musculotendon length: ``r = -dL/dq``.

Positive r means tension drives the coordinate in its positive direction (flexion, adduction,
internal rotation, knee flexion), the convention of both published models.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from ..model import AnatomyData

STEP_RAD = 1e-4
"""Half-width of the central difference. Lengths are smooth at this scale (truncation error
~1e-9 m), and float64 rounding stays ~1e-11 m."""


def crossed_coordinates(data: AnatomyData) -> dict[str, tuple[str, ...]]:
    """Coordinates of the joints each muscle crosses (between its first and last bone).

    Returns
    -------
    dict of str to tuple of str
        For each muscle, its coordinates in the data file's coordinate order.
    """
    joint_of_child = {j.child: j for j in data.joints.values()}
    order = list(data.coordinates)
    out = {}
    for name, m in data.muscles.items():
        origin, bone, coordinates = m.path[0].bone, m.path[-1].bone, set()
        while bone != origin:
            joint = joint_of_child[bone]
            coordinates.update(r.coordinate for r in joint.rotations)
            bone = joint.parent
        out[name] = tuple(sorted(coordinates, key=order.index))
    return out


def moment_arms(lengths_of: Callable[[NDArray[np.float64]], NDArray[np.float64]],
                q_rad: NDArray[np.float64], columns: NDArray[np.intp]) -> NDArray[np.float64]:
    """Moment arms of every muscle about chosen coordinates, for every frame.

    Parameters
    ----------
    lengths_of : callable
        Maps ``(k, c)`` coordinates (radians) to ``(k, m)`` musculotendon lengths (metres).
    q_rad : (n, c) float
        The frames.
    columns : (d,) int
        Coordinate columns to differentiate by.

    Returns
    -------
    (n, m, d) float
        Metres; one batched call of ``lengths_of`` on ``2 * n * d`` frames.
    """
    n, d = q_rad.shape[0], len(columns)
    step = np.zeros((d, q_rad.shape[1]))
    step[np.arange(d), columns] = STEP_RAD
    shifted = np.concatenate([q_rad[:, None] + step, q_rad[:, None] - step], axis=1)  # (n, 2d, c)
    lengths = lengths_of(shifted.reshape(n * 2 * d, -1)).reshape(n, 2, d, -1)
    return -(lengths[:, 0] - lengths[:, 1]).swapaxes(1, 2) / (2.0 * STEP_RAD)
