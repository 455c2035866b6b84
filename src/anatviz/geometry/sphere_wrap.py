"""Paths over wrap spheres, vectorised over any number of segments and frames.

A sphere is solved as a cylinder problem (:func:`.wrapping.wrap_cylinder`) in a plane of each segment's
own: the path is the tangent-arc-tangent path over the sphere's circle in that plane, with no axial rise.

Without a quadrant the plane runs through the centre and both ends, and the path over its great circle
is the shortest path over the sphere.

With a quadrant ('x' for example: the path keeps to the sphere's x >= 0 side) the plane is that same
great circle's wherever the quadrant can choose a side on it, and the path is a geodesic over the
sphere: the quadrant axis, projected onto the plane, points to the allowed side, and the path never
crosses the plane's fin, the ray from the centre the other way (the cylinder's rule: it wraps where the
segment passes through the sphere or crosses the fin, round the side away from the fin). That is the
shortest path over the sphere unless the fin stands on the shorter way round, when it is the shortest
path that keeps off the fin. Either way the drawn lever is the moment arm ``-dL/dq``
(``tests/test_lever.py``). The great circle cannot choose
a side, and its side or its plane would jump with a small move of an end, where

- the ends lie nearly opposite each other about the centre: every great circle through them is nearly
  as short, and their plane swings through any angle;
- the quadrant axis is nearly normal to the plane: its projection, which picks the side, swings;
- an end lies near the fin (behind the sphere, away from the allowed side): the side flips as it
  crosses;
- the segment's line passes the fin, so that the great circle's plane and the pushed plane lie on
  either side of it (their normals face apart) and no plane between them has a side.

There the plane turns, smoothly, to the plane through both ends that holds the quadrant axis (a small
circle: the path is pushed over the allowed side, which stays put as the ends move). The weight of the
great circle is the product of ``smoothstep`` of the four measures between the bounds
:data:`OPPOSITE_BLEND`, :data:`TILT_BLEND`, :data:`FIN_BLEND` and :data:`FACING_BLEND`; at 1 the plane
is the great circle's exactly, at 0 the pushed plane (see :func:`_turned_normal` for the planes
between). A segment in line with the quadrant axis keeps the great circle (:data:`ALONG_BLEND`), which
then holds the axis. Over the
hip poses of issue 2's grid (every 30 degrees of flexion, 15 of adduction, 20 of rotation) the model's
paths keep to the great circle in 97 to 100% of the poses for the gluteus minimus bundles, 90% for the
tensor fasciae latae, and 76 to 99% for the gluteus medius bundles: the posterior bundle's origin lies
medial of the sphere's centre, near the fin, and in flexion with adduction and external rotation the
ends come nearly opposite.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .wrapping import CylinderWrap, wrap_cylinder

OPPOSITE_BLEND = (0.0, 0.25)
"""Bounds on ``1 + cos(angle between the ends about the centre)`` between which a quadrant sphere's
plane turns from the great circle (above) to the plane holding the quadrant axis (below): 0.25 is an
angle of 139 degrees; the plane holds the axis only with the ends exactly opposite. Narrower, the
plane turns by more than 5 mm of path per degree of hip motion (tests/test_paths_continuity.py)."""

FIN_BLEND = (0.0, 0.5)
"""Bounds on ``1 - cos(angle between an end and the fin)``, the fin being the ray in the great circle's
plane from the centre away from the allowed side, between which a quadrant sphere's plane turns from
the great circle (above) to the plane holding the quadrant axis (below): 0.5 is 60 degrees. An end
on the fin has no side to go round."""

FACING_BLEND = (-0.3, 0.0)
"""Bounds on the cosine between the great circle's normal (p x s) and the pushed plane's (q x d) between
which the plane turns fully to the pushed plane (below): where they face apart the segment's line
passes the fin, the two planes lie on either side of it, and a blend of them would swing through any
angle; the pushed plane, where the fin rule decides, has a side. Our choice: no pose of the model comes
near it (the cosine stays above 0)."""

ALONG_BLEND = (0.05, 0.2)
"""Bounds on ``|q x d| / |d|`` (the sine between the segment and the quadrant axis) between which the
plane turns back to the great circle (below): the pushed plane's normal q x d swings through any angle
as the segment comes into line with the axis, while the great circle then holds the axis already. Our
choice: no pose of the model comes near it (the sine stays above 0.86 where the plane turns)."""

TILT_BLEND = (0.1, 0.3)
"""Bounds on the length of the quadrant axis (unit) projected onto the great circle's plane between
which the plane turns from the great circle (above) to the plane holding the quadrant axis (below): the
axis at 73 to 84 degrees from the plane."""


@dataclass(frozen=True)
class SphereWrap:
    """Wrap of many segments over spheres; the same interface as :class:`.wrapping.CylinderWrap`.

    The path is solved as a :class:`.wrapping.CylinderWrap` in each segment's plane frame (columns of
    :attr:`rotation`, in the sphere's frame: the first toward the allowed side, the third the normal of
    the path's plane).
    """

    wrapped: NDArray[np.bool_]
    length_m: NDArray[np.float64]
    straight_length_m: NDArray[np.float64]
    rotation: NDArray[np.float64]
    origin: NDArray[np.float64]
    _plane: CylinderWrap

    @property
    def arc(self) -> tuple[NDArray[np.float64], ...]:
        """As :attr:`.wrapping.CylinderWrap.arc`, in the frame :attr:`rotation` (a circle: z1 = z2 = 0)."""
        return self._plane.arc

    @property
    def arc_length_m(self) -> NDArray[np.float64]:
        """(...) float: length of the arc between the tangent points (0 where unwrapped)."""
        return np.where(self.wrapped, self._plane.arc_length_m, 0.0)

    def tangent_points(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Where the path meets and leaves the sphere, ``(..., 3)`` each, in the sphere's frame."""
        first, last = self._plane.tangent_points()
        return _rotate(self.rotation, first) + self.origin, _rotate(self.rotation, last) + self.origin

    def sample(self, count: int, wrapped: NDArray[np.bool_] | None = None) -> NDArray[np.float64]:
        """As :meth:`.wrapping.CylinderWrap.sample`, in the sphere's frame: ``(..., count, 3)``."""
        on = self.wrapped if wrapped is None else wrapped & self.wrapped
        return np.einsum("...ij,...kj->...ki", self.rotation, self._plane.sample(count, on)) + self.origin[..., None, :]


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
    The plane of the path is chosen by :func:`sphere_plane` (see the module docstring). When the two
    ends and the centre are collinear (the segment through the centre), the great circle is the one that
    also holds the quadrant axis, or for 'all' the sphere's x axis (y if the segment runs along x).

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
    # In the plane the rule is the cylinder's: the path wraps where the segment passes through the
    # sphere, and where a quadrant's fin stands in its way.
    plane = wrap_cylinder(p_plane, s_plane, circle, np.full(shape, np.inf), np.zeros(shape, int),
                          np.where(sided, 1.0, 0.0))
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

    normal = _great_circle_normal(p, s, q, constrained)
    weight = great_circle_weight(p, s, q, normal)
    turned = constrained & (weight < 1.0)
    if turned.any():  # toward the plane holding the axis
        normal = normal.copy()
        normal[turned] = _turned_normal(p[turned], s[turned], q[turned], normal[turned], weight[turned])
    return _plane_frame(p, s, radius, q, constrained, normal, np.where(turned, (p * normal).sum(axis=-1), 0.0))


def _plane_frame(p: NDArray[np.float64], s: NDArray[np.float64], radius: NDArray[np.float64],
                 q: NDArray[np.float64], constrained: NDArray[np.bool_], e3: NDArray[np.float64],
                 height: NDArray[np.float64]) -> tuple[NDArray, ...]:
    """:func:`sphere_plane`'s results for the plane with unit normal ``e3`` at ``height`` from the centre
    (``q``: the unit quadrant axis, where ``constrained``)."""
    shape = height.shape
    projected = q - (q * e3).sum(axis=-1, keepdims=True) * e3
    sided = constrained & (_norm(projected) > 1e-6)
    in_plane = p - (p * e3).sum(axis=-1, keepdims=True) * e3
    spare = _cross(e3, np.where((np.abs(e3[..., :1]) < 0.9), np.eye(3)[0], np.eye(3)[1]))  # P at the centre
    in_plane = np.where((_norm(in_plane) > 1e-150)[..., None], in_plane, spare)
    e1 = _unit(np.where(sided[..., None], projected, in_plane))
    e2 = _cross(e3, e1)
    rotation = np.stack([e1, e2, e3], axis=-1)  # columns: the plane frame's axes in the sphere frame
    origin = height[..., None] * e3  # the circle's centre, in the sphere's frame
    circle = np.sqrt(np.maximum(radius**2 - height**2, 0.0))

    def to_plane(v: NDArray[np.float64]) -> NDArray[np.float64]:
        v = v - origin
        return np.stack([(v * e1).sum(axis=-1), (v * e2).sum(axis=-1), np.zeros(shape)], axis=-1)

    return to_plane(p), to_plane(s), circle, rotation, origin, sided


def great_circle_weight(p: NDArray[np.float64], s: NDArray[np.float64], q: NDArray[np.float64],
                        normal: NDArray[np.float64]) -> NDArray[np.float64]:
    """How far a quadrant sphere's path keeps to the great circle (1) rather than to the plane holding
    the quadrant axis (0): see the module docstring.

    Parameters
    ----------
    p, s : (..., 3) float
        Segment ends in the sphere's frame.
    q : (..., 3) float
        Unit quadrant axis toward the allowed side (0 for 'all', whose weight is 1).
    normal : (..., 3) float
        Unit normal of the great circle through both ends.

    Returns
    -------
    (...) float
        In [0, 1].
    """
    p_unit, s_unit = _unit(p), _unit(s)
    cosine = (p_unit * s_unit).sum(axis=-1)
    tilt = np.sqrt(np.maximum(1.0 - (q * normal).sum(axis=-1) ** 2, 0.0))
    # the ends lie in the plane, where the fin's direction is -q's part in it (length tilt)
    behind = -np.minimum((p_unit * q).sum(axis=-1), (s_unit * q).sum(axis=-1)) / np.maximum(tilt, 1e-12)
    weight = (_smoothstep(1.0 + cosine, *OPPOSITE_BLEND) * _smoothstep(tilt, *TILT_BLEND)
              * _smoothstep(1.0 - np.minimum(behind, 1.0), *FIN_BLEND))
    d = s - p
    toward = _cross(q, d)  # the pushed plane's normal
    size = _norm(toward)
    facing = (normal * toward).sum(axis=-1) / np.maximum(size, 1e-300)
    weight = weight * _smoothstep(facing, *FACING_BLEND)
    weight = 1.0 - (1.0 - weight) * _smoothstep(size / np.maximum(_norm(d), 1e-300), *ALONG_BLEND)
    return np.where(_norm(q) > 0.0, weight, 1.0)


def _smoothstep(x: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.float64]:
    t = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def _turned_normal(p: NDArray[np.float64], s: NDArray[np.float64], q: NDArray[np.float64],
                   normal: NDArray[np.float64], weight: NDArray[np.float64]) -> NDArray[np.float64]:
    """(m, 3) unit normal of a plane through both ends, between the great circle's (weight 1) and the
    plane's through both ends that holds the quadrant axis ``q`` (weight 0).

    The planes between are those through both ends and a point on the ray from the centre away from
    the allowed side (the centre itself for the great circle, the point at infinity for the other),
    whose normals are ``weight * n + (1 - weight) * (q x d) / |q x d|`` with ``n = p x s / |p x s|``:
    the turn is continuous wherever the segment's line misses that ray (a segment that passes the centre
    on the wrong side has no side to turn to). Where the segment runs along the axis, the great circle
    already holds it, and its normal is kept.
    """
    d = s - p
    toward = _cross(q, d)
    size = _norm(toward)
    usable = size > 1e-6 * _norm(d)
    across = _cross(p, s)  # the great circle's normal, with the sign the family needs
    oriented = np.where((_norm(across) > 0.0)[..., None], _unit(across), normal)
    pushed = toward / np.maximum(size, 1e-300)[..., None]
    turned = _unit(weight[..., None] * oriented + (1.0 - weight)[..., None] * pushed)
    return np.where(usable[..., None], turned, normal)


def _great_circle_normal(p: NDArray[np.float64], s: NDArray[np.float64], q: NDArray[np.float64],
                         constrained: NDArray[np.bool_]) -> NDArray[np.float64]:
    """(..., 3) unit normal of the great circle through both ends: p x s, or where the ends and the
    centre are collinear (or P = S), the first of d x a and p x a that is not degenerate, a being the
    quadrant axis ``q`` (for 'all': x, then y)."""
    d = s - p
    scale = np.maximum(_norm(p) * np.maximum(_norm(s), _norm(d)), 1e-300)
    normal = _cross(p, s)
    collinear = _norm(normal) <= np.maximum(1e-9 * scale, 1e-150)
    if collinear.any():
        p, d, scale = p[collinear], d[collinear], scale[collinear]
        first_axis = np.where(constrained[collinear][..., None], q[collinear], np.eye(3)[0])
        chosen = np.broadcast_to(np.eye(3)[2], p.shape)  # only for ends at the centre itself
        for candidate in reversed([_cross(v, a) for a in (first_axis, np.eye(3)[1]) for v in (d, p)]):
            usable = _norm(candidate) > np.maximum(1e-9 * scale, 1e-150)
            chosen = np.where(usable[..., None], candidate, chosen)
        normal = normal.copy()
        normal[collinear] = chosen
    return _unit(normal)


def _rotate(rotation: NDArray[np.float64], v: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.einsum("...ij,...j->...i", rotation, v)


def _unit(v: NDArray[np.float64]) -> NDArray[np.float64]:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-300)


def _cross(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cross product over the last axis (numpy's ``cross`` costs more for small arrays)."""
    a0, a1, a2, b0, b1, b2 = a[..., 0], a[..., 1], a[..., 2], b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def _norm(v: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.sqrt((v * v).sum(axis=-1))
