"""Signed-distance primitives and smooth combinators, vectorised over points.

Every primitive takes ``points : (n, 3) float`` and returns ``(n,) float``: negative inside,
positive outside, in metres. Most are exact Euclidean distances; a few (ellipsoids, tapered
capsules, plane intersections) are close bounds, which is all marching cubes needs as long as
the field stays Lipschitz close to 1.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]


def unit(vector: ArrayLike) -> FloatArray:
    """Return ``vector : (3,) float`` scaled to length 1."""
    v = np.asarray(vector, dtype=float)
    return v / np.linalg.norm(v)


def sphere(points: FloatArray, center: ArrayLike, radius: float) -> FloatArray:
    """Distance to a sphere of ``radius`` around ``center : (3,) float``."""
    return np.linalg.norm(points - np.asarray(center, dtype=float), axis=1) - radius


def ellipsoid(
    points: FloatArray,
    center: ArrayLike,
    radii: ArrayLike,
    axes: FloatArray | None = None,
) -> FloatArray:
    """Distance bound to an ellipsoid.

    Parameters
    ----------
    points : (n, 3) float
    center : (3,) float
    radii : (3,) float
        Semi-axes along the ellipsoid's local x, y and z.
    axes : (3, 3) float, optional
        Columns are the local axes in the bone frame (default: the bone axes).
    """
    q = points - np.asarray(center, dtype=float)
    if axes is not None:
        q = q @ np.asarray(axes, dtype=float)
    r = np.asarray(radii, dtype=float)
    k0 = np.linalg.norm(q / r, axis=1)
    k1 = np.maximum(np.linalg.norm(q / (r * r), axis=1), 1e-12)
    return k0 * (k0 - 1.0) / k1


def capsule(
    points: FloatArray, a: ArrayLike, b: ArrayLike, radius_a: float, radius_b: float | None = None
) -> FloatArray:
    """Distance to a segment from ``a`` to ``b`` swept by a linearly varying radius.

    Parameters
    ----------
    points : (n, 3) float
    a, b : (3,) float
        End points.
    radius_a, radius_b : float
        Radii at ``a`` and ``b`` (``radius_b`` defaults to ``radius_a``).
    """
    a = np.asarray(a, dtype=float)
    ab = np.asarray(b, dtype=float) - a
    rb = radius_a if radius_b is None else radius_b
    ap = points - a
    t = np.clip(ap @ ab / (ab @ ab), 0.0, 1.0)
    return np.linalg.norm(ap - t[:, None] * ab, axis=1) - (radius_a + t * (rb - radius_a))


def tube(points: FloatArray, path: ArrayLike, radii: ArrayLike) -> FloatArray:
    """Distance to a polyline swept by a radius that varies along it.

    Parameters
    ----------
    points : (n, 3) float
    path : (m, 3) float
        Polyline vertices.
    radii : (m,) float
        Radius at each vertex, interpolated linearly along each segment.
    """
    path = np.asarray(path, dtype=float)
    radii = np.broadcast_to(np.asarray(radii, dtype=float), (len(path),))
    result = np.full(len(points), np.inf)
    for i in range(len(path) - 1):
        d = capsule(points, path[i], path[i + 1], radii[i], radii[i + 1])
        np.minimum(result, d, out=result)
    return result


def round_box(
    points: FloatArray,
    center: ArrayLike,
    half_extents: ArrayLike,
    radius: float,
    axes: FloatArray | None = None,
) -> FloatArray:
    """Distance to a box with rounded edges.

    Parameters
    ----------
    points : (n, 3) float
    center : (3,) float
    half_extents : (3,) float
        Half sizes of the box before rounding (rounding adds ``radius`` on every side).
    radius : float
    axes : (3, 3) float, optional
        Columns are the box's local axes in the bone frame.
    """
    q = points - np.asarray(center, dtype=float)
    if axes is not None:
        q = q @ np.asarray(axes, dtype=float)
    d = np.abs(q) - np.asarray(half_extents, dtype=float)
    outside = np.linalg.norm(np.maximum(d, 0.0), axis=1)
    inside = np.minimum(d.max(axis=1), 0.0)
    return outside + inside - radius


def halfspace(points: FloatArray, point: ArrayLike, normal: ArrayLike) -> FloatArray:
    """Signed distance to the plane through ``point`` with outward ``normal : (3,) float``."""
    return (points - np.asarray(point, dtype=float)) @ unit(normal)


def smin(a: FloatArray, b: FloatArray, k: float) -> FloatArray:
    """Smooth union (polynomial smooth minimum) of two fields; ``k`` is the blend width in m."""
    if k <= 0.0:
        return np.minimum(a, b)
    h = np.maximum(k - np.abs(a - b), 0.0) / k
    return np.minimum(a, b) - h * h * k * 0.25


def smax(a: FloatArray, b: FloatArray, k: float) -> FloatArray:
    """Smooth intersection of two fields; ``k`` is the blend width in m."""
    return -smin(-a, -b, k)


def subtract(a: FloatArray, b: FloatArray, k: float) -> FloatArray:
    """Smooth subtraction: the solid of ``a`` with the solid of ``b`` carved out."""
    return smax(a, -b, k)


def bounded(
    points: FloatArray,
    lo: ArrayLike,
    hi: ArrayLike,
    primitive: Callable[[FloatArray], FloatArray],
    pad: float = 0.02,
) -> FloatArray:
    """Evaluate an expensive field only near its solid.

    Inside the box ``[lo - pad, hi + pad]`` the field is evaluated; outside, the distance to the
    box ``[lo, hi]`` (which holds the solid) is returned instead: a lower bound that is at least
    ``pad``, which keeps signs right and leaves smooth unions of blend width below ``pad`` exact
    near the surface.

    Parameters
    ----------
    points : (n, 3) float
    lo, hi : (3,) float
        Corners of a box holding the primitive's solid.
    primitive : callable
        ``(m, 3) float -> (m,) float``.
    pad : float
        Margin in metres.
    """
    lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    outside = np.maximum(np.maximum(lo - points, points - hi), 0.0)
    result = np.linalg.norm(outside, axis=1)
    near = result < pad
    if near.any():
        result[near] = primitive(points[near])
    return result
