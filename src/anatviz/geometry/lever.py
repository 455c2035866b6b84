"""The moment arm as a lever: the perpendicular from the hip centre to a muscle's line of action.

Which line of action
--------------------
After wrapping, a muscle's path is a chain of nodes, each fixed to one bone (its origin, via points,
insertion, and the tangent points on wrap surfaces, each surface fixed to a bone), joined by straight
pieces and by arcs on the surfaces. When only a hip moves, every node on the pelvis stays put and
every node on the femur or the tibia of that side moves rigidly with the femur; so the one piece that
changes with the hip is the straight piece between the **last pelvis-fixed node and the first node on
the moving leg**. That piece is the muscle's line of action at the hip, and the tension along it, pulling
the leg toward the pelvis, is what turns the femur. (The hamstrings' piece runs from the ischium, or
the ischial wrap, to the tibia or the condylar wrap: the line of action about the hip and the knee.)

How the lever relates to ``r = -dL/dq``
---------------------------------------
With ``c`` the hip centre, ``f`` the foot of the perpendicular from ``c`` on that line and ``u`` the unit
direction of pull on the leg (from its leg end toward its pelvis end), the muscle's moment on the femur
per newton is the vector ``m = (f - c) x u``, whose length is the drawn lever ``|f - c|`` (``f - c`` is
perpendicular to ``u``). The moment arm about one coordinate with axis ``a`` (a unit vector through
``c``) is its component ``r_q = m . a``. For a path of straight pieces this equals ``-dL/dq`` of
:mod:`.mechanics` exactly: only the spanning piece changes length when the hip turns (the tests check it
for every muscle that does not wrap at a pose). Over a wrap surface it is exact for a shortest path over
a fixed surface (moving a tangent point along the surface does not change the length to first order);
the model's wraps also shrink and choose sides as the pose changes (:mod:`.wrapping`), so for wrapped
paths ``-dL/dq`` can differ from the lever's component. A one-sided sphere keeps to the great circle
(the shortest path) wherever its quadrant can choose a side (:mod:`.sphere_wrap`); over 150 hip poses at
knee 0 the lever and ``-dL/dq`` about the flexion axis then agree within 2 mm in every pose for the
gluteus minimus bundles and the anterior gluteus medius, and in 85 to 95% of the poses for the middle and
posterior gluteus medius and the tensor fasciae latae. The rest are poses where the great circle cannot
choose a side (deep flexion with adduction and external rotation: the ends come nearly opposite about
the sphere's centre) and the path turns to a pushed plane; there they differ by up to 56 mm (gluteus
medius posterior). So:

- the 3D lever is the moment arm about the axis that the muscle turns the femur about most strongly;
- projected onto the plane perpendicular to the flexion axis (a lateral view), the lever's length is
  ``|r_flexion| / |u_perp|``, where ``u_perp`` is the part of ``u`` in that plane: it equals the
  sagittal moment arm when the line of action lies in that plane, and exceeds it otherwise.

:func:`moment_arm_about` gives ``r_q``; :func:`projected_lever` the lever seen along an axis.

Pure numpy: the renderer draws what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..model import AnatomyData
from .transforms import rigid, xyz_body_rotation

ON_SURFACE_TOLERANCE_M = 1e-6
"""A path sample this close to a path point lies on it, and a sample no farther than this outside a wrap
surface lies on that surface: samples on a surface's arc are computed on it exactly (on the surface
shrunk to an end's distance when that end lies inside it, see :mod:`.wrapping`); straight pieces run
outside the surfaces they leave, touching them only at their tangent points."""


def perpendicular_foot(point_m: ArrayLike, start_m: ArrayLike, end_m: ArrayLike,
                       ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Foot of the perpendicular from a point to the (infinite) line through two points.

    Parameters
    ----------
    point_m, start_m, end_m : (..., 3) float
        Broadcast together; ``start_m`` and ``end_m`` must differ.

    Returns
    -------
    foot_m : (..., 3) float
        On the line; ``foot_m - point_m`` is perpendicular to it.
    distance_m : (...,) float
        ``|foot_m - point_m|``: the lever.

    Examples
    --------
    >>> foot, d = perpendicular_foot([0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [2.0, 0.0, 0.0])
    >>> foot.tolist(), float(d)
    ([0.0, 0.0, 0.0], 1.0)
    """
    p, a, b = (np.asarray(v, float) for v in (point_m, start_m, end_m))
    direction = b - a
    t = np.sum((p - a) * direction, axis=-1) / np.sum(direction * direction, axis=-1)
    foot = a + t[..., None] * direction
    return foot, np.linalg.norm(foot - p, axis=-1)


def moment_arm_about(centre_m: ArrayLike, foot_m: ArrayLike, pull: ArrayLike, axis: ArrayLike,
                     ) -> NDArray[np.float64]:
    """Moment arm about an axis through ``centre_m``: ``((foot - centre) x u) . a`` (see the module
    docstring), with ``u`` the unit direction of pull on the moving bone and ``a`` the unit axis.

    Parameters
    ----------
    centre_m, foot_m, pull, axis : (..., 3) float
        ``pull`` and ``axis`` need not be unit length.

    Returns
    -------
    (...,) float
        Metres; positive when the pull turns the bone positively about ``axis`` (right-hand rule).
    """
    u = np.asarray(pull, float)
    u = u / np.linalg.norm(u, axis=-1, keepdims=True)
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    return np.sum(np.cross(np.asarray(foot_m, float) - np.asarray(centre_m, float), u) * a, axis=-1)


def projected_lever(centre_m: ArrayLike, start_m: ArrayLike, end_m: ArrayLike, axis: ArrayLike,
                    ) -> NDArray[np.float64]:
    """Length of the lever in the plane perpendicular to ``axis`` (a view along the axis): the distance
    from the centre to the line projected on that plane.

    Parameters
    ----------
    centre_m, start_m, end_m, axis : (..., 3) float

    Returns
    -------
    (...,) float
        Metres; equals ``|moment_arm_about(...)| / |u_perp|`` (see the module docstring).
    """
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a, axis=-1, keepdims=True)
    c = np.asarray(centre_m, float)

    def flat(v: NDArray[np.float64]) -> NDArray[np.float64]:
        d = np.asarray(v, float) - c
        return d - np.sum(d * a, axis=-1, keepdims=True) * a

    return perpendicular_foot(np.zeros_like(c), flat(start_m), flat(end_m))[1]


def spanning_piece(polyline_m: NDArray[np.float64], fixed: NDArray[np.bool_], moving: NDArray[np.bool_],
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The straight piece of a path between the last pelvis-fixed sample and the first leg-fixed one.

    Parameters
    ----------
    polyline_m : (k, 3) float
        The drawn path, origin first.
    fixed, moving : (k,) bool
        Samples that lie on a node or surface fixed to the pelvis, and to the moving leg.

    Returns
    -------
    start_m, end_m : (3,) float
        The piece's pelvis end and leg end, both on its line. Samples strictly between the two bounding
        samples lie on the straight piece itself, so when there are two or more the line runs through
        them exactly and the bounding samples are projected onto it.

    Raises
    ------
    ValueError
        When no leg-fixed sample follows a pelvis-fixed one (the path does not cross the hip).
    """
    leg = np.flatnonzero(moving)
    pelvis = np.flatnonzero(fixed)
    if not leg.size or not pelvis.size or pelvis[0] > leg[0]:
        raise ValueError("path does not run from a pelvis-fixed point to a leg-fixed point")
    i1 = int(leg[0])
    i0 = int(pelvis[pelvis < i1][-1])
    a, b = polyline_m[i0], polyline_m[i1]
    if i1 - i0 >= 3:
        p, q = polyline_m[i0 + 1], polyline_m[i1 - 1]
        if np.linalg.norm(q - p) > 1e-9:
            a, b = perpendicular_foot(a, p, q)[0], perpendicular_foot(b, p, q)[0]
    return a, b


@dataclass(frozen=True)
class Lever:
    """A muscle's lever about its hip at one pose (world metres).

    Attributes
    ----------
    centre_m : (3,) float
        The hip centre.
    start_m, end_m : (3,) float
        The line of action's piece: pelvis end, leg end.
    foot_m : (3,) float
        Foot of the perpendicular from the centre on the (extended) line.
    lever_m : float
        ``|foot_m - centre_m|``.
    """

    centre_m: NDArray[np.float64]
    start_m: NDArray[np.float64]
    end_m: NDArray[np.float64]
    foot_m: NDArray[np.float64]
    lever_m: float

    @property
    def pull(self) -> NDArray[np.float64]:
        """(3,) unit direction of the pull on the leg: from the leg end toward the pelvis end."""
        d = self.start_m - self.end_m
        return d / np.linalg.norm(d)


class HipLevers:
    """The hip levers of a model's muscles, from their drawn paths and the bones' poses.

    Parameters
    ----------
    data : AnatomyData
    bones : list of str
        Bone order of the transforms passed to :meth:`lever`.
    """

    def __init__(self, data: AnatomyData, bones: list[str]) -> None:
        self.data, self.bones = data, list(bones)
        self._hip = {}  # side -> (hip joint, bones that move with that hip)
        for joint in data.joints.values():
            coordinates = [r.coordinate for r in joint.rotations]
            if any(c.startswith("hip_flexion_") for c in coordinates):
                side = next(c for c in coordinates if c.startswith("hip_flexion_"))[-1]
                self._hip[side] = (joint, self._descendants(joint.child))

    def _descendants(self, bone: str) -> set[str]:
        out = {bone}
        for joint in self.data.joints.values():
            if joint.parent == bone:
                out |= self._descendants(joint.child)
        return out

    def crosses_hip(self, muscle: str) -> bool:
        """Whether a muscle runs from the pelvis to a leg (so has a hip lever)."""
        path = self.data.muscles[muscle].path
        return any(path[0].bone == j.parent and path[-1].bone in moving for j, moving in self._hip.values())

    def lever(self, muscle: str, polyline_m: NDArray[np.float64], transforms: NDArray[np.float64]) -> Lever:
        """The lever of one muscle at one pose.

        Parameters
        ----------
        muscle : str
        polyline_m : (k, 3) float
            Its drawn path at the pose (world).
        transforms : (b, 4, 4) float
            World transforms of the bones, in the order given at construction.

        Raises
        ------
        ValueError
            Naming the muscle, when it does not cross a hip.
        """
        if not self.crosses_hip(muscle):
            raise ValueError(f"{muscle} does not cross a hip: it has no hip lever")
        record = self.data.muscles[muscle]
        joint, moving_bones = next(v for v in self._hip.values() if record.path[-1].bone in v[1])
        T = {b: transforms[i] for i, b in enumerate(self.bones)}
        fixed = np.zeros(len(polyline_m), bool)
        moving = np.zeros(len(polyline_m), bool)
        for point in record.path:
            at = T[point.bone][:3, :3] @ np.asarray(point.position_m) + T[point.bone][:3, 3]
            near = np.linalg.norm(polyline_m - at, axis=1) < ON_SURFACE_TOLERANCE_M
            (moving if point.bone in moving_bones else fixed)[near] = True
        for use in record.path_wraps:
            wrap = self.data.wraps[use.surface]
            frame = T[wrap.bone] @ rigid(xyz_body_rotation(wrap.xyz_body_rotation_rad), wrap.translation_m)
            local = (polyline_m - frame[:3, 3]) @ frame[:3, :3]
            distance = np.linalg.norm(local if wrap.shape == "sphere" else local[:, :2], axis=1)
            near = distance < wrap.radius_m + ON_SURFACE_TOLERANCE_M  # on it, or on it shrunk to an end inside
            (moving if wrap.bone in moving_bones else fixed)[near] = True
        start, end = spanning_piece(polyline_m, fixed & ~moving, moving)
        parent = T[joint.parent]
        centre = parent[:3, :3] @ np.asarray(joint.location_in_parent_m) + parent[:3, 3]
        foot, distance = perpendicular_foot(centre, start, end)
        return Lever(centre, start, end, foot, float(distance))
