"""Forward kinematics: coordinate values -> the pose of every bone, vectorised over frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import CubicSpline

from ..model import AnatomyData, Joint
from .transforms import axis_rotation


@dataclass(frozen=True)
class _CompiledJoint:
    parent: int  # index into Skeleton.bones, -1 for ground
    location: NDArray[np.float64]  # (3,)
    rotations: tuple[tuple[str, int, float], ...]  # (axis, coordinate index, sign)
    spline_coordinate: int  # -1 when the location is fixed
    spline_x: CubicSpline | None
    spline_y: CubicSpline | None
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

    def _compile(self, joint: Joint) -> _CompiledJoint:
        parent = -1 if joint.parent == "ground" else self.bones.index(joint.parent)
        rotations = tuple((r.axis, self.coordinates.index(r.coordinate), r.sign) for r in joint.rotations)
        s = joint.translation_spline
        if s is None:
            return _CompiledJoint(parent, np.array(joint.location_in_parent_m), rotations, -1, None, None, 0.0)
        return _CompiledJoint(
            parent, np.array(joint.location_in_parent_m), rotations, self.coordinates.index(s.coordinate),
            CubicSpline(s.x_knots_deg, s.x_m, bc_type="natural"),
            CubicSpline(s.y_knots_deg, s.y_m, bc_type="natural"), s.z_m)

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
        out = np.zeros((len(self.bones), n, 4, 4))
        out[..., 3, 3] = 1.0
        for i, joint in enumerate(self._joints):
            rotation = None
            for axis, coordinate, sign in joint.rotations:
                r = axis_rotation(axis, sign * q_rad[:, coordinate])
                rotation = r if rotation is None else rotation @ r
            out[i, :, :3, :3] = np.eye(3) if rotation is None else rotation
            out[i, :, :3, 3] = joint.location
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
