"""Plates and tubes through smooth splines, as signed-distance fields.

A plate is a thickened interpolating bicubic surface through a grid of control points (the iliac
wing, the sacrum, the rami around the obturator foramen); a tube is a thickened interpolating
cubic curve (the iliac crest, the pelvic brim). Both are sampled densely once and queried through
a k-d tree.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import CubicSpline, RectBivariateSpline
from scipy.spatial import cKDTree

FloatArray = NDArray[np.float64]


class _Sampled:
    """A smooth surface or curve sampled densely, thickened by a radius that varies along it.

    The distance to the mid-surface (or centre line) is measured from the nearest sample: along
    its normal (plates) or across its tangent (tubes), plus how far the point lies beyond the
    sample's own patch, so the result has no ripple between samples and the free edges and ends
    come out rounded. Beyond ``reach`` from every sample a lower bound is returned.

    Parameters
    ----------
    samples : (m, 3) float
    radii : (m,) float
        Half thickness (plates) or radius (tubes) at each sample.
    directions : (m, 3) float
        Unit normals (plates) or unit tangents (tubes).
    half_step : float
        Largest distance, along the surface or curve, from a point to its nearest sample.
    reach : float
        Search radius in metres; must exceed the largest radius plus the narrow-band margin of
        :func:`anatviz.meshgen.build.sample_field`.
    """

    _is_plate = True

    def __init__(self, samples: ArrayLike, radii: ArrayLike, directions: ArrayLike, half_step: float,
                 reach: float) -> None:
        self.samples = np.asarray(samples, dtype=float)
        self.radii = np.asarray(radii, dtype=float)
        self.directions = np.asarray(directions, dtype=float)
        self.half_step = half_step
        self.reach = reach
        self._tree = cKDTree(self.samples, leafsize=32)

    def distance(self, points: FloatArray) -> FloatArray:
        """Signed distance to the thickened surface or curve, ``points : (n, 3) float -> (n,) float``."""
        dist, index = self._tree.query(points, k=1, distance_upper_bound=self.reach, workers=2)
        near = np.isfinite(dist)
        result = np.full(len(points), self.reach - self.radii.max())
        i = index[near]
        offset = points[near] - self.samples[i]
        along = np.einsum("ij,ij->i", offset, self.directions[i])
        rest = np.sqrt(np.maximum(np.einsum("ij,ij->i", offset, offset) - along * along, 0.0))
        if self._is_plate:  # normal distance, plus any tangential overshoot past the sample
            gap = np.hypot(along, np.maximum(rest - self.half_step, 0.0))
        else:  # distance across the tangent, plus any overshoot along it
            gap = np.hypot(rest, np.maximum(np.abs(along) - self.half_step, 0.0))
        result[near] = gap - self.radii[i]
        return result


class Plate(_Sampled):
    """A smooth plate: an interpolating bicubic surface through a control grid, thickened.

    Parameters
    ----------
    control : (nu, nv, 3) float
        Control points; rows follow u, columns follow v.
    half_thickness : (nu, nv) float
        Half the plate thickness at each control point, interpolated the same way.
    step : float
        Sample spacing on the mid-surface, metres.
    reach : float
        Beyond this distance from the mid-surface only a lower bound is returned.
    """

    def __init__(self, control: ArrayLike, half_thickness: ArrayLike, step: float = 0.0018,
                 reach: float = 0.025) -> None:
        control = np.asarray(control, dtype=float)
        nu, nv, _ = control.shape
        u, v = np.arange(nu, dtype=float), np.arange(nv, dtype=float)
        ku, kv = min(3, nu - 1), min(3, nv - 1)
        length_u = np.linalg.norm(np.diff(control, axis=0), axis=2).sum(axis=0).max()
        length_v = np.linalg.norm(np.diff(control, axis=1), axis=2).sum(axis=1).max()
        uu = np.linspace(0.0, nu - 1.0, int(np.ceil(length_u / step)) + 1)
        vv = np.linspace(0.0, nv - 1.0, int(np.ceil(length_v / step)) + 1)
        splines = [RectBivariateSpline(u, v, control[:, :, i], kx=ku, ky=kv) for i in range(3)]
        samples = np.stack([sp(uu, vv).ravel() for sp in splines], axis=1)
        du = np.stack([sp(uu, vv, dx=1).ravel() for sp in splines], axis=1)
        dv = np.stack([sp(uu, vv, dy=1).ravel() for sp in splines], axis=1)
        normals = np.cross(du, dv)
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        thick = RectBivariateSpline(u, v, np.asarray(half_thickness, dtype=float), kx=ku, ky=kv)
        super().__init__(samples, thick(uu, vv).ravel(), normals, 0.75 * step, reach)


class Tube(_Sampled):
    """A smooth tube along an interpolating cubic spline through control points.

    Parameters
    ----------
    control : (m, 3) float
    radii : (m,) float
        Radius at each control point, interpolated linearly along the curve.
    step : float
        Sample spacing along the curve, metres.
    reach : float
        Beyond this distance from the curve only a lower bound is returned.
    """

    _is_plate = False

    def __init__(self, control: ArrayLike, radii: ArrayLike, step: float = 0.001, reach: float = 0.025) -> None:
        control = np.asarray(control, dtype=float)
        t = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(control, axis=0), axis=1))])
        tt = np.linspace(0.0, t[-1], int(np.ceil(t[-1] / step)) + 1)
        spline = CubicSpline(t, control, axis=0)
        tangents = spline(tt, 1)
        tangents /= np.linalg.norm(tangents, axis=1, keepdims=True)
        radius = np.interp(tt, t, np.asarray(radii, dtype=float))
        super().__init__(spline(tt), radius, tangents, 0.5 * step * 1.05, reach)
