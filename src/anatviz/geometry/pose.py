"""Poses and motions: named coordinate values in degrees -> a checked ``(n, c)`` array in radians."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray


class PoseError(ValueError):
    """An unknown coordinate name, or a value outside the coordinate's range (one line)."""


def pose_array(ranges_deg: Mapping[str, tuple[float, float]], values_deg: Mapping[str, ArrayLike],
               ) -> NDArray[np.float64]:
    """Coordinate values for ``n`` frames, checked against their ranges.

    Parameters
    ----------
    ranges_deg : mapping of str to (min, max)
        Every coordinate of the model with its range in degrees; fixes the column order.
    values_deg : mapping of str to float or (n,) float
        Values in degrees; coordinates not named are 0. Scalars are one frame, or broadcast against
        the arrays given for other coordinates.

    Returns
    -------
    (n, c) float
        Radians, columns in ``ranges_deg`` order.

    Raises
    ------
    PoseError
        Naming the coordinate and its allowed range, or the allowed names.
    """
    column = {name: i for i, name in enumerate(ranges_deg)}
    arrays = {}
    for name, value in values_deg.items():
        if name not in column:
            raise PoseError(f"unknown coordinate {name!r}; expected one of {', '.join(column)}")
        arr = np.asarray(value, dtype=float)
        if arr.ndim > 1:
            raise PoseError(f"{name}: expected a number or a 1-D array of frames, found shape {arr.shape}")
        lo, hi = ranges_deg[name]
        if arr.ndim == 0:  # one number: checked without numpy's per-call cost
            v = float(arr)
            finite, inside = math.isfinite(v), lo - 1e-9 <= v <= hi + 1e-9
        else:
            finite = bool(np.all(np.isfinite(arr)))
            inside = finite and not np.any((arr < lo - 1e-9) | (arr > hi + 1e-9))
        if not finite:
            raise PoseError(f"{name}: expected finite degrees, found {value!r}")
        if not inside:
            bad = (arr < lo - 1e-9) | (arr > hi + 1e-9)
            worst = float(np.atleast_1d(arr)[np.atleast_1d(bad)][0])
            raise PoseError(f"{name} = {worst:g} deg is outside its range [{lo:g}, {hi:g}] deg")
        arrays[name] = arr
    n = 1
    if any(a.ndim for a in arrays.values()):
        try:
            n = np.broadcast_shapes(*(a.shape for a in arrays.values()), (1,))[0]
        except ValueError:
            shapes = {k: v.shape[0] for k, v in arrays.items() if v.ndim}
            raise PoseError(f"expected the same number of frames for every coordinate, found {shapes}") from None
    q_deg = np.zeros((n, len(column)))
    for name, arr in arrays.items():
        q_deg[:, column[name]] = arr
    return np.radians(q_deg)
