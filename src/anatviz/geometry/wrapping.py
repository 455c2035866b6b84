"""Shortest paths over wrap cylinders and spheres, vectorised over any number of segments and frames.

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

A sphere (:func:`wrap_sphere`) is solved the same way in a frame of each segment's own: the shortest
path over a sphere lies in the plane through its centre and both ends, a great circle, so in a frame
whose z axis is that plane's normal it is the cylinder's tangent-arc-tangent path with no axial rise.
When a segment wraps a sphere follows OpenSim's ``WrapSphere``: only when the straight segment passes
through the sphere (and neither end lies inside it); a quadrant then chooses the side.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    _z1: NDArray[np.float64]
    _z2: NDArray[np.float64]

    @property
    def rotation(self) -> NDArray[np.float64]:
        """(..., 3, 3) float: the frame the arc is described in, in the surface's frame (here identity)."""
        return np.broadcast_to(np.eye(3), self.wrapped.shape + (3, 3))

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
                        theta1, dtheta, tangent_p, tangent_s, z1, z2)


@dataclass(frozen=True)
class SphereWrap:
    """Wrap of many segments over spheres; the same interface as :class:`CylinderWrap`.

    The path is solved as a :class:`CylinderWrap` in each segment's plane frame (columns of
    :attr:`rotation`, in the sphere's frame: the first toward the allowed side, the third the normal
    of the plane through the centre and both ends).
    """

    wrapped: NDArray[np.bool_]
    length_m: NDArray[np.float64]
    straight_length_m: NDArray[np.float64]
    rotation: NDArray[np.float64]
    _plane: CylinderWrap

    @property
    def arc(self) -> tuple[NDArray[np.float64], ...]:
        """As :attr:`CylinderWrap.arc`, in the frame :attr:`rotation` (a great-circle arc: z1 = z2 = 0)."""
        return self._plane.arc

    @property
    def arc_length_m(self) -> NDArray[np.float64]:
        """(...) float: length of the great-circle arc between the tangent points (0 where unwrapped)."""
        return np.where(self.wrapped, self._plane.arc_length_m, 0.0)

    def tangent_points(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Where the path meets and leaves the sphere, ``(..., 3)`` each, in the sphere's frame."""
        first, last = self._plane.tangent_points()
        return _rotate(self.rotation, first), _rotate(self.rotation, last)

    def sample(self, count: int, wrapped: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
        """As :meth:`CylinderWrap.sample`, in the sphere's frame: ``(..., count, 3)``."""
        on = self.wrapped if wrapped is None else wrapped & self.wrapped
        return np.einsum("...ij,...kj->...ki", self.rotation, self._plane.sample(count, on))


def _rotate(rotation: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.einsum("...ij,...j->...i", rotation, v)


def _unit(v: NDArray[np.float64]) -> NDArray[np.float64]:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-300)


def wrap_sphere(p: NDArray[np.float64], s: NDArray[np.float64], radius: NDArray[np.float64],
                quadrant_axis: NDArray[np.intp], quadrant_sign: NDArray[np.float64]) -> SphereWrap:
    """Wrap segments P-S over spheres.

    Parameters
    ----------
    p, s : (..., 3) float
        Segment ends in each sphere's frame (centre at the origin).
    radius : (...) float
        Sphere radius (metres), broadcast against the segments.
    quadrant_axis : (...) int
        0 for an x quadrant, 1 for a y quadrant, 2 for z (ignored where ``quadrant_sign`` is 0).
    quadrant_sign : (...) float
        +1 or -1 for the side the path must keep to, 0 for 'all'.

    Returns
    -------
    SphereWrap

    Notes
    -----
    The plane of the path is spanned by the centre and both ends. When the two ends and the centre
    are collinear (the segment through the centre), the plane is the one that also holds the quadrant
    axis, or for 'all' the sphere's x axis (y if the segment runs along x). When a quadrant axis is
    (nearly) normal to the plane, it cannot choose a side, and the shorter way round is taken.

    Examples
    --------
    A segment passing 0.5 from the centre of a unit sphere, its ends 2 units either side, goes over a
    great circle: two tangents of length sqrt(4.25 - 1) and the arc between the tangent points, whose
    angle is the angle between the ends less arccos(1 / sqrt(4.25)) at each end.

    >>> w = wrap_sphere(np.array([[-2.0, 0.5, 0]]), np.array([[2.0, 0.5, 0]]), np.ones(1),
    ...                 np.zeros(1, int), np.zeros(1))
    >>> by_hand = 2 * np.sqrt(3.25) + 2 * np.arctan2(2, 0.5) - 2 * np.arccos(1 / np.sqrt(4.25))
    >>> bool(w.wrapped[0]), round(float(w.length_m[0]), 9) == round(float(by_hand), 9)
    (True, True)
    """
    shape = np.broadcast_shapes(p.shape[:-1], s.shape[:-1], np.shape(radius), np.shape(quadrant_sign))
    p = np.broadcast_to(np.asarray(p, float), shape + (3,))
    s = np.broadcast_to(np.asarray(s, float), shape + (3,))
    radius = np.broadcast_to(np.asarray(radius, float), shape)
    qaxis = np.broadcast_to(np.asarray(quadrant_axis), shape)
    qsign = np.broadcast_to(np.asarray(quadrant_sign, float), shape)
    constrained = qsign != 0
    q = np.where(constrained[..., None], np.eye(3)[np.clip(qaxis, 0, 2)] * qsign[..., None], 0.0)

    d = s - p
    # The plane's normal: p x s, or where the ends and the centre are collinear (or P = S), the first
    # of d x a and p x a that is not degenerate, a being the quadrant axis (for 'all': x, then y).
    first_axis = np.where(constrained[..., None], q, np.eye(3)[0])
    candidates = [np.cross(p, s)] + [np.cross(v, a) for a in (first_axis, np.eye(3)[1]) for v in (d, p)]
    size = np.linalg.norm(p, axis=-1) * np.maximum(np.linalg.norm(s, axis=-1), np.linalg.norm(d, axis=-1))
    scale = np.maximum(size, 1e-300)
    normal = np.broadcast_to(np.eye(3)[2], shape + (3,))  # only for ends at the centre itself
    for candidate in reversed(candidates):
        usable = np.linalg.norm(candidate, axis=-1) > np.maximum(1e-9 * scale, 1e-150)
        normal = np.where(usable[..., None], candidate, normal)
    e3 = _unit(normal)

    projected = q - np.einsum("...i,...i->...", q, e3)[..., None] * e3
    sided = constrained & (np.linalg.norm(projected, axis=-1) > 1e-6)
    in_plane = p - np.einsum("...i,...i->...", p, e3)[..., None] * e3
    spare = np.cross(e3, np.where((np.abs(e3[..., :1]) < 0.9), np.eye(3)[0], np.eye(3)[1]))  # P at the centre
    in_plane = np.where((np.linalg.norm(in_plane, axis=-1) > 1e-150)[..., None], in_plane, spare)
    e1 = _unit(np.where(sided[..., None], projected, in_plane))
    e2 = np.cross(e3, e1)
    rotation = np.stack([e1, e2, e3], axis=-1)  # columns: the plane frame's axes in the sphere frame

    def to_plane(v: NDArray[np.float64]) -> NDArray[np.float64]:
        local = np.einsum("...ji,...j->...i", rotation, v)
        return np.concatenate([local[..., :2], np.zeros(shape + (1,))], axis=-1)

    plane = wrap_cylinder(to_plane(p), to_plane(s), radius, np.full(shape, np.inf), np.zeros(shape, int),
                          np.where(sided, 1.0, 0.0))
    # OpenSim's sphere rule: wrap only where the straight segment passes through the sphere.
    dd = np.maximum(np.einsum("...i,...i->...", d, d), 1e-30)
    t = -np.einsum("...i,...i->...", p, d) / dd
    foot = p + t[..., None] * d
    crosses = (np.linalg.norm(foot, axis=-1) < radius) & (t > 0.0) & (t < 1.0)
    wrapped = plane.wrapped & crosses
    straight = np.linalg.norm(d, axis=-1)
    length = np.where(wrapped, plane.length_m, straight)
    plane = replace(plane, wrapped=wrapped, length_m=length, straight_length_m=straight)
    return SphereWrap(wrapped, length, straight, rotation, plane)
