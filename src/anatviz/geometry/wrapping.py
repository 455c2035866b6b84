"""Paths over wrap cylinders and spheres, vectorised over any number of segments and frames.

Shortest paths over cylinders; over a one-sided sphere the path runs in the plane through both ends
that holds the allowed side, which is not always the shortest path (see :func:`sphere_plane`).

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

A sphere (:func:`wrap_sphere`) is solved the same way in a plane of each segment's own. Without a
quadrant that is the plane through its centre and both ends (the shortest path is a great circle) and
the path is the cylinder's tangent-arc-tangent path with no axial rise. With a quadrant it is the plane
through both ends that holds the quadrant axis, and the path goes over the sphere's circle in that plane
on the quadrant's side: the great circle's plane swings through any angle as the ends pass nearly
opposite each other about the centre, where a quadrant cannot choose a side.
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
    use_ccw = np.where(constrained, fin_clear_ccw, np.abs(ccw) <= np.abs(cw))
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
    origin: NDArray[np.float64]
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
        return _rotate(self.rotation, first) + self.origin, _rotate(self.rotation, last) + self.origin

    def sample(self, count: int, wrapped: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
        """As :meth:`CylinderWrap.sample`, in the sphere's frame: ``(..., count, 3)``."""
        on = self.wrapped if wrapped is None else wrapped & self.wrapped
        return np.einsum("...ij,...kj->...ki", self.rotation, self._plane.sample(count, on)) + self.origin[..., None, :]


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
    p_plane, s_plane, circle, rotation, origin, sided = sphere_plane(p, s, radius, quadrant_axis, quadrant_sign)
    shape = circle.shape
    plane = wrap_cylinder(p_plane, s_plane, circle, np.full(shape, np.inf), np.zeros(shape, int),
                          np.where(sided, 1.0, 0.0))
    # In the plane the rule is the cylinder's: where the segment passes through the sphere, and where
    # a quadrant's fin stands in its way.
    return SphereWrap(plane.wrapped, plane.length_m, plane.straight_length_m, rotation, origin, plane)


def sphere_plane(p: NDArray[np.float64], s: NDArray[np.float64], radius: NDArray[np.float64],
                 quadrant_axis: NDArray[np.intp], quadrant_sign: NDArray[np.float64]) -> tuple[NDArray, ...]:
    """The plane in which :func:`wrap_sphere` solves each segment, as a cylinder problem.

    Parameters
    ----------
    p, s, radius, quadrant_axis, quadrant_sign
        As :func:`wrap_sphere`.

    Returns
    -------
    p_plane, s_plane : (..., 3) float
        The ends in the plane frame (z = 0).
    circle : (...) float
        Radius of the sphere's circle in the plane.
    rotation : (..., 3, 3) float
        Columns: the plane frame's axes in the sphere frame (the first toward the quadrant side).
    origin : (..., 3) float
        The circle's centre (the plane frame's origin) in the sphere frame.
    sided : (...) bool
        Whether the plane frame's x axis is a side the path must keep to.
    """
    shape = np.broadcast_shapes(p.shape[:-1], s.shape[:-1], np.shape(radius), np.shape(quadrant_sign))
    p = np.broadcast_to(np.asarray(p, float), shape + (3,))
    s = np.broadcast_to(np.asarray(s, float), shape + (3,))
    radius = np.broadcast_to(np.asarray(radius, float), shape)
    qsign = np.broadcast_to(np.asarray(quadrant_sign, float), shape)
    constrained = qsign != 0
    q = np.eye(3)[np.clip(np.broadcast_to(quadrant_axis, shape), 0, 2)] * qsign[..., None]

    # A quadrant sphere: the plane through both ends that holds the quadrant axis (unless the segment
    # runs along it), its circle on the sphere, and the cylinder's rule in that plane: the path is
    # pushed toward the quadrant side, and the side never depends on how the ends lie about the centre.
    d = s - p
    along = _cross(d, q)
    along_size = _norm(along)
    pushed = constrained & (along_size > 1e-6 * _norm(d))
    e3 = along / np.maximum(along_size, 1e-300)[..., None]
    e1, sided = q, pushed
    other = ~pushed
    if other.any():  # without a quadrant (or along it): the great circle through both ends
        e1, e3, sided = e1.copy(), e3.copy(), sided.copy()
        e1[other], e3[other], sided[other] = _great_circle_frame(p[other], s[other], q[other],
                                                                 constrained[other])
    e2 = _cross(e3, e1)
    rotation = np.stack([e1, e2, e3], axis=-1)  # columns: the plane frame's axes in the sphere frame
    height = np.where(pushed, (p * e3).sum(axis=-1), 0.0)
    origin = height[..., None] * e3  # the circle's centre, in the sphere's frame
    circle = np.sqrt(np.maximum(radius**2 - height**2, 0.0))

    def to_plane(v: NDArray[np.float64]) -> NDArray[np.float64]:
        v = v - origin
        return np.stack([(v * e1).sum(axis=-1), (v * e2).sum(axis=-1), np.zeros(shape)], axis=-1)

    return to_plane(p), to_plane(s), circle, rotation, origin, sided


def _cross(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cross product over the last axis (numpy's ``cross`` costs more for small arrays)."""
    a0, a1, a2, b0, b1, b2 = a[..., 0], a[..., 1], a[..., 2], b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def _norm(v: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.sqrt((v * v).sum(axis=-1))


def _great_circle_frame(p: NDArray[np.float64], s: NDArray[np.float64], q: NDArray[np.float64],
                        constrained: NDArray[np.bool_]) -> tuple[NDArray[np.float64], ...]:
    """The plane frame of the great circle through both ends: ``(e1, e3, sided)``, (m, 3), (m, 3), (m,).

    The normal is p x s, or where the ends and the centre are collinear (or P = S), the first of d x a
    and p x a that is not degenerate, a being the quadrant axis ``q`` (for 'all': x, then y). e1 points
    to the quadrant's side where the quadrant axis is not normal to the plane (``sided``), else to P.
    """
    d = s - p
    first_axis = np.where(constrained[..., None], q, np.eye(3)[0])
    candidates = [_cross(p, s)] + [_cross(v, a) for a in (first_axis, np.eye(3)[1]) for v in (d, p)]
    scale = np.maximum(_norm(p) * np.maximum(_norm(s), _norm(d)), 1e-300)
    normal = np.broadcast_to(np.eye(3)[2], p.shape)  # only for ends at the centre itself
    for candidate in reversed(candidates):
        usable = _norm(candidate) > np.maximum(1e-9 * scale, 1e-150)
        normal = np.where(usable[..., None], candidate, normal)
    e3 = _unit(normal)
    projected = q - (q * e3).sum(axis=-1, keepdims=True) * e3
    sided = constrained & (_norm(projected) > 1e-6)
    in_plane = p - (p * e3).sum(axis=-1, keepdims=True) * e3
    spare = _cross(e3, np.where((np.abs(e3[..., :1]) < 0.9), np.eye(3)[0], np.eye(3)[1]))  # P at the centre
    in_plane = np.where((_norm(in_plane) > 1e-150)[..., None], in_plane, spare)
    e1 = _unit(np.where(sided[..., None], projected, in_plane))
    return e1, e3, sided
