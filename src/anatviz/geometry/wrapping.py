"""Paths over wrap cylinders, vectorised over any number of segments and frames.

A muscle segment from P to S that must pass a cylinder follows the shortest path over it: a straight
line from P to a tangent point, a helix on the cylinder, and a straight line from a second tangent point
to S. Unrolled onto a plane, that path is one straight line, so the axial coordinate grows linearly
with the path's length in the cross-section; the cross-section path is the classic tangent-arc-tangent
curve around a circle.

When a segment wraps follows OpenSim's ``WrapCylinder`` (Loan et al.; opensim-core, Apache-2.0) with two
changes that keep every path continuous as the pose changes (OpenSim's paths jump at both places):

- an end inside the cylinder shrinks it, for that segment, to the end's distance from the axis (OpenSim
  drops the wrap), so the path runs over the surface to the end and comes off it smoothly;
- an unconstrained cylinder (quadrant 'all') wraps when the straight segment passes through it, and then
  goes round the nearer side (it flips sides where the segment passes through the axis, as in OpenSim);
- a cylinder constrained to one side (quadrant '-x' for example) has a fin, the half-plane from its axis
  away from that side, which the path never crosses: it wraps when the straight segment passes through
  it or crosses the fin, always the way round that keeps off the fin (OpenSim picks a side from the
  quadrant of the tangent points, which flips as the ends move);
- no wrap if both tangent points lie beyond the cylinder's ends (``|z| > length / 2``).

All arrays are in the cylinder's own frame: axis along z, centred at the origin.

Spheres (:mod:`.sphere_wrap`) are solved with the same kernel, in a plane of each segment's own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

TWO_PI = 2.0 * np.pi

TIE_RAD = 1e-12
"""Where the two ways round an unconstrained cylinder differ by less than this, the path goes
counter-clockwise: for a segment through the axis both are as short, and the last bit of rounding in
``arccos`` (which differs between numpy and the C library) would otherwise pick the side."""


@dataclass(frozen=True)
class CylinderWrap:
    """Wrap of many segments; every array has the segments' shape ``(...)``.

    Attributes
    ----------
    wrapped : (...) bool
        The segment goes over the cylinder.
    length_m : (...) float
        Length of the segment's path from P to S (wrapped or straight).
    straight_length_m : (...) float
        Length of the straight segment.
    """

    wrapped: NDArray[np.bool_]
    length_m: NDArray[np.float64]
    straight_length_m: NDArray[np.float64]
    _p: NDArray[np.float64]
    _s: NDArray[np.float64]
    _radius: NDArray[np.float64]
    _theta1: NDArray[np.float64]
    _dtheta: NDArray[np.float64]
    _tangent_p: NDArray[np.float64]
    _tangent_s: NDArray[np.float64]
    _z1: NDArray[np.float64]
    _z2: NDArray[np.float64]

    @property
    def rotation(self) -> NDArray[np.float64]:
        """(..., 3, 3) float: the frame the arc is described in, in the surface's frame (here identity)."""
        return np.broadcast_to(np.eye(3), self.wrapped.shape + (3, 3))

    @property
    def origin(self) -> NDArray[np.float64]:
        """(..., 3) float: the origin of the frame :attr:`rotation`, in the surface's frame (here 0)."""
        return np.zeros(self.wrapped.shape + (3,))

    @property
    def arc(self) -> tuple[NDArray[np.float64], ...]:
        """The arc between the tangent points, in the frame :attr:`rotation`: ``(radius, theta1, dtheta,
        z1, z2)``, each ``(...) float``; the arc is ``radius * (cos, sin)(theta1 + f * dtheta)`` with
        ``z = z1 + f * (z2 - z1)`` for f from 0 to 1 (a helix on the cylinder)."""
        return self._radius, self._theta1, self._dtheta, self._z1, self._z2

    @property
    def arc_length_m(self) -> NDArray[np.float64]:
        """(...) float: length of the path on the surface between the tangent points (0 where unwrapped)."""
        radius, _, dtheta, z1, z2 = self.arc
        return np.where(self.wrapped, np.hypot(radius * dtheta, z2 - z1), 0.0)

    def tangent_points(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Where the path meets and leaves the surface, ``(..., 3)`` each, in the surface's frame
        (meaningful where :attr:`wrapped`)."""
        return (np.concatenate([self._tangent_p, self._z1[..., None]], axis=-1),
                np.concatenate([self._tangent_s, self._z2[..., None]], axis=-1))

    def sample(self, count: int, wrapped: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
        """``count`` points evenly spaced along every segment's path, the last at S (P is left out).

        Evenly spaced by length, so the points move continuously as a wrap comes on and off (a layout
        that crowds points onto the arc jumps where the published rules switch a wrap off).

        Parameters
        ----------
        count : int
        wrapped : (...) bool, optional
            Which segments to draw over the cylinder (default: every segment that wraps); a path may
            wrap only one of several segments that could.

        Returns
        -------
        (..., count, 3) float
            Points in the cylinder frame.
        """
        u = np.arange(1, count + 1) / count
        p, s = self._p[..., None, :], self._s[..., None, :]
        straight = p + u[:, None] * (s - p)
        on = self.wrapped if wrapped is None else wrapped & self.wrapped
        if not np.any(on):
            return straight
        radius, theta1, dtheta = (x[..., None] for x in (self._radius, self._theta1, self._dtheta))
        tp, ts = self._tangent_p[..., None, :], self._tangent_s[..., None, :]
        p2, s2 = p[..., :2], s[..., :2]
        a = np.linalg.norm(tp - p2, axis=-1)
        arc = radius * np.abs(dtheta)
        b = np.linalg.norm(s2 - ts, axis=-1)
        d = u * (a + arc + b)  # cross-section length travelled; the axial coordinate is linear in it
        angle = theta1 + np.sign(dtheta) * np.clip(d - a, 0.0, arc) / radius
        xy_arc = radius[..., None] * np.stack([np.cos(angle), np.sin(angle)], axis=-1)
        xy_first = p2 + np.clip(d / np.maximum(a, 1e-12), 0.0, 1.0)[..., None] * (tp - p2)
        xy_last = ts + np.clip((d - a - arc) / np.maximum(b, 1e-12), 0.0, 1.0)[..., None] * (s2 - ts)
        xy = np.where((d < a)[..., None], xy_first, np.where((d > a + arc)[..., None], xy_last, xy_arc))
        curve = np.concatenate([xy, (p[..., 2] + u * (s[..., 2] - p[..., 2]))[..., None]], axis=-1)
        return np.where(on[..., None, None], curve, straight)


def wrap_cylinder(p: NDArray[np.float64], s: NDArray[np.float64], radius: NDArray[np.float64],
                  length: NDArray[np.float64], quadrant_axis: NDArray[np.intp],
                  quadrant_sign: NDArray[np.float64]) -> CylinderWrap:
    """Wrap segments P-S over cylinders.

    Parameters
    ----------
    p, s : (..., 3) float
        Segment ends in each cylinder's frame (axis z).
    radius, length : (...) float
        Cylinder radius and length (metres), broadcast against the segments.
    quadrant_axis : (...) int
        0 for an x quadrant, 1 for a y quadrant (ignored where ``quadrant_sign`` is 0).
    quadrant_sign : (...) float
        +1 or -1 for the side the path must keep to, 0 for 'all'.

    Returns
    -------
    CylinderWrap

    Examples
    --------
    A segment through the axis of a unit cylinder, from 2 units away on either side, goes round it
    by two tangents of length sqrt(3) and an arc of pi / 3:

    >>> w = wrap_cylinder(np.array([[-2.0, 0, 0]]), np.array([[2.0, 0, 0]]), np.ones(1),
    ...                   np.ones(1), np.zeros(1, int), np.zeros(1))
    >>> bool(w.wrapped[0]), round(float(w.length_m[0]), 6), round(2 * 3**0.5 + np.pi / 3, 6)
    (True, 4.511299, 4.511299)
    """
    shape = np.broadcast_shapes(p.shape[:-1], s.shape[:-1], np.shape(radius), np.shape(quadrant_sign))
    p = np.broadcast_to(p, shape + (3,))
    s = np.broadcast_to(s, shape + (3,))
    px, py, pz, sx, sy, sz = p[..., 0], p[..., 1], p[..., 2], s[..., 0], s[..., 1], s[..., 2]
    dp, ds = np.hypot(px, py), np.hypot(sx, sy)
    # An end inside the surface shrinks it to that end's distance from the axis, so that the path runs
    # over the (shrunk) surface to the end and a wrap comes on and off smoothly as an end enters it.
    radius = np.minimum(radius, np.minimum(dp, ds) * (1.0 - 1e-9))
    radius = np.broadcast_to(radius, shape)

    # Closest approach of the straight cross-section line to the axis.
    dx, dy = sx - px, sy - py
    t = -(px * dx + py * dy) / np.maximum(dx * dx + dy * dy, 1e-30)
    crosses = (np.hypot(px + t * dx, py + t * dy) < radius) & (t > 0.0) & (t < 1.0)

    # Both ways round: counter-clockwise (+) and clockwise (-).
    phi_p, phi_s = np.arctan2(py, px), np.arctan2(sy, sx)
    alpha_p = np.arccos(np.minimum(radius / np.maximum(dp, 1e-30), 1.0))
    alpha_s = np.arccos(np.minimum(radius / np.maximum(ds, 1e-30), 1.0))
    ccw_start, cw_start = phi_p + alpha_p, phi_p - alpha_p
    ccw = np.mod(phi_s - alpha_s - ccw_start, TWO_PI)
    cw = -np.mod(cw_start - phi_s - alpha_s, TWO_PI)

    # A constrained cylinder has a fin: the half-plane from its axis away from the allowed side. A path
    # may not cross it, so it goes the way round that does not (ccw when the fin lies beyond S
    # counter-clockwise from P), and a straight segment that would cross it is wrapped.
    qsign = np.asarray(quadrant_sign, float)
    x_axis = np.asarray(quadrant_axis) == 0
    fx, fy = np.where(x_axis, -qsign, 0.0), np.where(x_axis, 0.0, -qsign)  # the fin's direction
    constrained = qsign != 0
    fin_clear_ccw = np.mod(np.arctan2(fy, fx) - phi_p, TWO_PI) > np.mod(phi_s - phi_p, TWO_PI)
    use_ccw = np.where(constrained, fin_clear_ccw, np.abs(ccw) <= np.abs(cw) + TIE_RAD)
    g_f = dx * fy - dy * fx
    u = -(px * fy - py * fx) / np.where(g_f == 0.0, 1.0, g_f)
    through_fin = (g_f != 0.0) & (u >= 0.0) & (u <= 1.0) & ((px + u * dx) * fx + (py + u * dy) * fy > 0.0)
    wrapped = (radius > 0.0) & (crosses | (constrained & through_fin))

    theta1 = np.where(use_ccw, ccw_start, cw_start)
    dtheta = np.where(use_ccw, ccw, cw)
    a = np.sqrt(np.maximum(dp * dp - radius * radius, 0.0))
    b = np.sqrt(np.maximum(ds * ds - radius * radius, 0.0))
    planar = a + radius * np.abs(dtheta) + b
    dz = sz - pz
    z1 = pz + dz * a / np.maximum(planar, 1e-30)
    z2 = pz + dz * (planar - b) / np.maximum(planar, 1e-30)
    half = 0.5 * np.asarray(length, float)
    wrapped &= ~((np.abs(z1) > half) & (np.abs(z2) > half))  # both tangent points beyond the ends

    straight = np.sqrt(dx * dx + dy * dy + dz * dz)
    wrapped &= straight > 1e-12  # a segment of no length has no side to wrap
    length = np.where(wrapped, np.sqrt(planar * planar + dz * dz), straight)
    theta2 = theta1 + dtheta
    tangent_p = np.stack([radius * np.cos(theta1), radius * np.sin(theta1)], axis=-1)
    tangent_s = np.stack([radius * np.cos(theta2), radius * np.sin(theta2)], axis=-1)
    return CylinderWrap(wrapped, length, straight, p, s, radius, theta1, dtheta, tangent_p, tangent_s, z1, z2)
