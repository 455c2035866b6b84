"""Display geometry in numpy: resampled polylines, fans of fibres between bundles, tendon and belly.

These shape what is drawn, not the mechanics: lengths and moment arms come from the exact paths.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

MIN_BELLY_FRACTION = 0.2
FREE_TENDON_SHARE = 0.5
"""Share of the tendon slack length drawn as free tendon. The models' tendon slack lengths include the
aponeurosis that runs along the belly (the hamstrings' reach a third of the thigh), so drawing all of
it as bare tendon makes the bellies look far shorter than they are. A drawing convention."""


def resample(polylines: NDArray[np.float64], count: int) -> NDArray[np.float64]:
    """Resample polylines to ``count`` points evenly spaced by arc length.

    Parameters
    ----------
    polylines : (n, k, 3) float
        ``n`` frames of one polyline (repeated points are fine).
    count : int
        Points wanted, at least 2.

    Returns
    -------
    (n, count, 3) float
        Same ends, same path; corners may be cut by at most half a spacing.

    Examples
    --------
    >>> line = np.array([[[0.0, 0, 0], [1, 0, 0], [1, 1, 0]]])
    >>> resample(line, 5)[0, :, :2].tolist()
    [[0.0, 0.0], [0.5, 0.0], [1.0, 0.0], [1.0, 0.5], [1.0, 1.0]]
    """
    seg = np.linalg.norm(np.diff(polylines, axis=1), axis=-1)  # (n, k-1)
    s = np.concatenate([np.zeros((seg.shape[0], 1)), np.cumsum(seg, axis=1)], axis=1)  # (n, k)
    total = np.maximum(s[:, -1:], 1e-12)
    target = np.linspace(0.0, 1.0, count)[None, :] * total  # (n, count)
    out = np.empty((polylines.shape[0], count, 3))
    for f in range(polylines.shape[0]):
        i = np.clip(np.searchsorted(s[f], target[f], side="right") - 1, 0, s.shape[1] - 2)
        span = np.maximum(s[f, i + 1] - s[f, i], 1e-15)
        u = np.clip((target[f] - s[f, i]) / span, 0.0, 1.0)[:, None]
        out[f] = polylines[f, i] + u * (polylines[f, i + 1] - polylines[f, i])
    return out


def fan(bundles: list[NDArray[np.float64]], between: int) -> tuple[list[NDArray[np.float64]], list[int], list[float]]:
    """Fibres of a broad muscle: its bundles and ``between`` interpolated fibres between each pair.

    Parameters
    ----------
    bundles : list of (n, count, 3) float
        Resampled bundle polylines, in anatomical order (e.g. superior, middle, inferior).
    between : int
        Fibres interpolated between neighbouring bundles.

    Returns
    -------
    fibres : list of (n, count, 3) float
    owner : list of int
        The bundle each fibre is drawn with (the nearer one).
    weight : list of float
        Each fibre's share of its owner's cross-section (shares of one owner add up to 1).
    """
    fibres, owner = [], []
    for b in range(len(bundles)):
        fibres.append(bundles[b])
        owner.append(b)
        if b + 1 < len(bundles):
            for j in range(1, between + 1):
                t = j / (between + 1)
                fibres.append((1.0 - t) * bundles[b] + t * bundles[b + 1])
                owner.append(b if t <= 0.5 else b + 1)
    counts = np.bincount(owner, minlength=len(bundles))
    return fibres, owner, [1.0 / counts[o] for o in owner]


def tendon_mask(length_m: NDArray[np.float64], tendon_slack_m: float, count: int,
                at_origin_share: float = 0.0) -> NDArray[np.bool_]:
    """Which of ``count`` evenly spaced points along a muscle are tendon rather than belly.

    Parameters
    ----------
    length_m : (n,) float
        Musculotendon lengths.
    tendon_slack_m : float
        Tendon slack length, of which :data:`FREE_TENDON_SHARE` is drawn as tendon; at least
        :data:`MIN_BELLY_FRACTION` of the length stays belly.
    count : int
    at_origin_share : float
        Share of the tendon drawn at the origin end, the rest at the insertion (a drawing convention:
        the model gives the tendon's length, not where it lies).

    Returns
    -------
    (n, count) bool
    """
    free = FREE_TENDON_SHARE * tendon_slack_m
    tendon = np.minimum(free / np.maximum(length_m, 1e-9), 1.0 - MIN_BELLY_FRACTION)[:, None]
    u = np.linspace(0.0, 1.0, count)[None, :]
    return (u < at_origin_share * tendon) | (u > 1.0 - (1.0 - at_origin_share) * tendon)


def tube_radius_m(max_isometric_force_n: NDArray[np.float64], strongest_radius_m: float = 0.011,
                  strongest_force_n: float = 2201.0) -> NDArray[np.float64]:
    """Drawn tube radius: cross-section proportional to force capacity, the strongest muscle of the
    hip model (semimembranosus, 2201 N) at ``strongest_radius_m``.

    Parameters
    ----------
    max_isometric_force_n : (m,) float

    Returns
    -------
    (m,) float
    """
    return strongest_radius_m * np.sqrt(np.asarray(max_isometric_force_n, float) / strongest_force_n)
