"""Which muscles are active in a motion, and how strongly: the first, geometric rule.

A muscle is *active* at a frame when its moment arm about a moving coordinate drives the motion, i.e.
has the sign of the coordinate's velocity (or of the scene's task direction, for tasks such as a bridge
where the extensors work both on the way up and on the way down). Its *drive* is

    drive = F_max * sum over moving coordinates of max(0, r * direction)      [N m]

the moment it could produce in the direction of the motion at full activation. Brightness shows drive
as a share of the largest drive in the scene. This ignores activation dynamics, the load and the
force-length relation; it answers "who is placed to do the work", not "who is doing it".
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

ACTIVE_THRESHOLD = 0.02
"""Drive below this share of the scene's largest is drawn as inactive (dimmed)."""


def drive_nm(moment_arms_m: NDArray[np.float64], max_force_n: NDArray[np.float64],
             direction: NDArray[np.float64]) -> NDArray[np.float64]:
    """Drive of every muscle at every frame.

    Parameters
    ----------
    moment_arms_m : (n, m, c) float
        NaN where a muscle does not cross a coordinate.
    max_force_n : (m,) float
    direction : (n, c) float
        +1 / -1 for the direction each coordinate moves (or is meant to move), 0 if it does not.

    Returns
    -------
    (n, m) float
        Newton metres, >= 0.

    Examples
    --------
    A hip extensor (r = -5 cm) in hip extension (direction -1) drives it; a flexor does not:

    >>> r = np.array([[[-0.05], [0.03]]])
    >>> drive_nm(r, np.array([1000.0, 1000.0]), np.array([[-1.0]])).tolist()
    [[50.0, 0.0]]
    """
    r = np.nan_to_num(moment_arms_m, nan=0.0)
    return max_force_n[None, :] * np.maximum(r * direction[:, None, :], 0.0).sum(axis=-1)
