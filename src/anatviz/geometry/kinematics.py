"""Forward kinematics: coordinate values -> the pose of every bone, vectorised over frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import CubicSpline

from ..model import AnatomyData, Joint
from .transforms import axis_rotation


class _Cubic:
    """A natural cubic spline through knots, evaluated with numpy: the same arithmetic as scipy's
    ``CubicSpline.__call__`` (so the same values), without its per-call overhead."""

    def __init__(self, knots: ArrayLike, values: ArrayLike) -> None:
        spline = CubicSpline(knots, values, bc_type="natural")
        self._knots, self._coefficients = spline.x, spline.c  # (k,), (4, k - 1): highest power first
        self._inner_knots = spline.x[1:-1]

    def __call__(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Values at ``x`` (n,); beyond the knots, the end pieces extended."""
        piece = np.searchsorted(self._inner_knots, x, side="right")  # x in [knot[piece], knot[piece + 1])
        c3, c2, c1, c0 = self._coefficients[:, piece]
        t = x - self._knots[piece]
        return c0 + c1 * t + c2 * (t * t) + c3 * (t * t * t)


@dataclass(frozen=True)
class _CompiledJoint:
    parent: int  # index into Skeleton.bones, -1 for ground
    location: NDArray[np.float64]  # (3,)
    rotations: tuple[tuple[str, int, float], ...]  # (axis, coordinate index, sign)
    spline_coordinate: int  # -1 when the location is fixed
    spline_x: _Cubic | None
    spline_y: _Cubic | None
    spline_z: float


class Skeleton:
    """The bones' kinematic tree, compiled for fast posing.

    Parameters
    ----------
    data : AnatomyData
        Validated anatomy; its joints must form a tree rooted at ``'ground'``.

    Attributes
    ----------
    bones : list of str
        Bone names, parents before children: the order of the first axis of :meth:`transforms`.
    coordinates : list of str
        Coordinate names: the order of the last axis of the ``q_rad`` argument.
    """

    def __init__(self, data: AnatomyData) -> None:
        self.coordinates = list(data.coordinates)
        joints_by_child = {j.child: j for j in data.joints.values()}
        self.bones = _topological_order(joints_by_child)
        self.joint_of_bone = [joints_by_child[b].name for b in self.bones]
        self._joints = [self._compile(joints_by_child[b]) for b in self.bones]
        # every joint's axis rotations in one list (coordinate and sign), and which are about each axis
        rotations = [r for joint in self._joints for r in joint.rotations]
        self._rotation_coordinate = np.array([c for _, c, _ in rotations], dtype=int)
        self._rotation_sign = np.array([s for _, _, s in rotations], dtype=float)
        self._rotations_by_axis = [(axis, np.array([i for i, r in enumerate(rotations) if r[0] == axis]))
                                   for axis in sorted({r[0] for r in rotations})]
        self._fixed = np.zeros((len(self.bones), 1, 4, 4))  # each local transform without its rotation
        self._fixed[:, 0, :3, :3] = np.eye(3)
        self._fixed[:, 0, 3, 3] = 1.0
        for i, joint in enumerate(self._joints):
            self._fixed[i, 0, :3, 3] = joint.location

    def _compile(self, joint: Joint) -> _CompiledJoint:
        parent = -1 if joint.parent == "ground" else self.bones.index(joint.parent)
        rotations = tuple((r.axis, self.coordinates.index(r.coordinate), r.sign) for r in joint.rotations)
        s = joint.translation_spline
        if s is None:
            return _CompiledJoint(parent, np.array(joint.location_in_parent_m), rotations, -1, None, None, 0.0)
        return _CompiledJoint(
            parent, np.array(joint.location_in_parent_m), rotations, self.coordinates.index(s.coordinate),
            _Cubic(s.x_knots_deg, s.x_m), _Cubic(s.y_knots_deg, s.y_m), s.z_m)

    def local_transforms(self, q_rad: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each bone's transform in its parent's frame.

        Parameters
        ----------
        q_rad : (n, c) float
            Coordinate values in radians, columns in :attr:`coordinates` order.

        Returns
        -------
        (b, n, 4, 4) float
        """
        n = q_rad.shape[0]
        angle = q_rad[:, self._rotation_coordinate] * self._rotation_sign  # (n, r)
        rotation = np.empty(angle.shape + (3, 3))  # every joint's axis rotations, a call per axis
        for axis, which in self._rotations_by_axis:
            rotation[:, which] = axis_rotation(axis, angle[:, which])
        out = np.repeat(self._fixed, n, axis=1)
        first = 0
        for i, joint in enumerate(self._joints):
            count = len(joint.rotations)
            product = None
            for r in range(first, first + count):
                product = rotation[:, r] if product is None else product @ rotation[:, r]
            first += count
            if product is not None:
                out[i, :, :3, :3] = product
            if joint.spline_coordinate >= 0:
                deg = np.degrees(q_rad[:, joint.spline_coordinate])
                out[i, :, 0, 3] += joint.spline_x(deg)
                out[i, :, 1, 3] += joint.spline_y(deg)
                out[i, :, 2, 3] += joint.spline_z
        return out

    def transforms(self, q_rad: NDArray[np.float64]) -> NDArray[np.float64]:
        """Each bone's transform in the world (ground) frame.

        Parameters
        ----------
        q_rad : (n, c) float
            Coordinate values in radians, columns in :attr:`coordinates` order.

        Returns
        -------
        (b, n, 4, 4) float
            Rigid transforms, bones in :attr:`bones` order.
        """
        local = self.local_transforms(q_rad)
        world = np.empty_like(local)
        for i, joint in enumerate(self._joints):
            world[i] = local[i] if joint.parent < 0 else world[joint.parent] @ local[i]
        return world


def _topological_order(joints_by_child: dict[str, Joint]) -> list[str]:
    order: list[str] = []
    def visit(bone: str) -> None:
        if bone in order or bone == "ground":
            return
        visit(joints_by_child[bone].parent)
        order.append(bone)
    for bone in joints_by_child:
        visit(bone)
    return order
