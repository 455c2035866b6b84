"""Shortest paths over a wrap cylinder, vectorised over any number of segments and frames.

A muscle segment from P to S that must pass a cylinder follows the shortest path over it: a straight
line from P to a tangent point, a helix on the cylinder, and a straight line from a second tangent point
to S. Unrolled onto a plane, that path is one straight line, so the axial coordinate grows linearly
with the path's length in the cross-section; the cross-section path is the classic tangent-arc-tangent
curve around a circle.

When a segment wraps follows OpenSim's ``WrapCylinder`` (Loan et al.; opensim-core, Apache-2.0):

- no wrap if either end lies inside the cylinder's radius;
- an unconstrained cylinder (quadrant 'all') wraps when the straight segment passes through it, and
  then goes round the nearer side;
- a cylinder constrained to one side (quadrant '-x' for example) also wraps a segment that passes on the
  wrong side, going round the allowed side; it does not wrap when both ends and the straight segment
  keep to the allowed side clear of it;
- no wrap if both tangent points lie beyond the cylinder's ends (``|z| > length / 2``).

All arrays are in the cylinder's own frame: axis along z, centred at the origin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

TWO_PI = 2.0 * np.pi


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
    radius = np.broadcast_to(np.asarray(radius, float), shape)
    half = 0.5 * np.broadcast_to(np.asarray(length, float), shape)
    qaxis = np.broadcast_to(np.asarray(quadrant_axis), shape)
    qsign = np.broadcast_to(np.asarray(quadrant_sign, float), shape)

    p2, s2 = p[..., :2], s[..., :2]
    dp, ds = np.linalg.norm(p2, axis=-1), np.linalg.norm(s2, axis=-1)
    outside = (dp > radius) & (ds > radius)

    # Closest approach of the straight cross-section line to the axis.
    d = s2 - p2
    dd = np.maximum(np.einsum("...i,...i->...", d, d), 1e-30)
    t = -np.einsum("...i,...i->...", p2, d) / dd
    foot = p2 + t[..., None] * d
    crosses = (np.linalg.norm(foot, axis=-1) < radius) & (t > 0.0) & (t < 1.0)

    # Both ways round: counter-clockwise (+) and clockwise (-).
    phi_p, phi_s = np.arctan2(p2[..., 1], p2[..., 0]), np.arctan2(s2[..., 1], s2[..., 0])
    alpha_p = np.arccos(np.clip(radius / np.maximum(dp, 1e-30), -1.0, 1.0))
    alpha_s = np.arccos(np.clip(radius / np.maximum(ds, 1e-30), -1.0, 1.0))
    ccw_start, ccw_end = phi_p + alpha_p, phi_s - alpha_s
    cw_start, cw_end = phi_p - alpha_p, phi_s + alpha_s
    ccw = np.mod(ccw_end - ccw_start, TWO_PI)
    cw = -np.mod(cw_start - cw_end, TWO_PI)

    # Which side of the quadrant axis things are on (x for 'x'/'-x' quadrants, y for 'y'/'-y').
    def side(xy: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.sign(np.where(qaxis == 0, xy[..., 0], xy[..., 1]))

    def side_of_angle(angle: NDArray[np.float64]) -> NDArray[np.float64]:
        return side(np.stack([np.cos(angle), np.sin(angle)], axis=-1))

    constrained = qsign != 0
    p_on, s_on, foot_on = side(p2) == qsign, side(s2) == qsign, side(foot) == qsign
    ccw_ok = side_of_angle(ccw_start + 0.5 * ccw) == qsign
    cw_ok = side_of_angle(cw_start + 0.5 * cw) == qsign
    use_ccw = np.where(constrained & (ccw_ok != cw_ok), ccw_ok, np.abs(ccw) <= np.abs(cw))

    wrong_side = (side(p2) != side(s2)) & ~foot_on
    some_on = p_on | s_on
    wraps_constrained = np.where(some_on, crosses | wrong_side, True)
    wrapped = outside & np.where(constrained, wraps_constrained, crosses)

    theta1 = np.where(use_ccw, ccw_start, cw_start)
    dtheta = np.where(use_ccw, ccw, cw)
    a = np.sqrt(np.maximum(dp**2 - radius**2, 0.0))
    b = np.sqrt(np.maximum(ds**2 - radius**2, 0.0))
    planar = a + radius * np.abs(dtheta) + b
    dz = s[..., 2] - p[..., 2]
    z1 = p[..., 2] + dz * a / np.maximum(planar, 1e-30)
    z2 = p[..., 2] + dz * (planar - b) / np.maximum(planar, 1e-30)
    beyond_ends = (np.abs(z1) > half) & (np.abs(z2) > half)
    wrapped = wrapped & ~beyond_ends

    straight = np.linalg.norm(s - p, axis=-1)
    length = np.where(wrapped, np.sqrt(planar**2 + dz**2), straight)
    theta2 = theta1 + dtheta
    tangent_p = radius[..., None] * np.stack([np.cos(theta1), np.sin(theta1)], axis=-1)
    tangent_s = radius[..., None] * np.stack([np.cos(theta2), np.sin(theta2)], axis=-1)
    return CylinderWrap(wrapped, length, straight, np.asarray(p), np.asarray(s), np.asarray(radius),
                        theta1, dtheta, tangent_p, tangent_s)

