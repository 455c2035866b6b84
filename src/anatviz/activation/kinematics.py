"""Bone transforms and their derivatives by the coordinates: positions and Jacobians of body points."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..hipmodel import HipModel

STEP_RAD = 1e-6
"""Half-width of the central differences of the transforms (the knee's translation spline is smooth
at this scale; rotations are exact to ~1e-12)."""


@dataclass(frozen=True)
class PoseDerivatives:
    """World transforms of every bone and their derivatives by every coordinate, for ``n`` frames.

    Attributes
    ----------
    bones : list of str
    coordinates : list of str
    transforms : (b, n, 4, 4) float
    derivatives : (b, n, c, 4, 4) float
        dT/dq per radian.
    """

    bones: list[str]
    coordinates: list[str]
    transforms: NDArray[np.float64]
    derivatives: NDArray[np.float64]

    def world(self, bone: str, local_m: ArrayLike) -> NDArray[np.float64]:
        """World positions of a bone-fixed point: ``local_m`` (3,) or (n, 3) -> (n, 3)."""
        t = self.transforms[self.bones.index(bone)]
        local = np.broadcast_to(np.asarray(local_m, float), (t.shape[0], 3))
        return np.einsum("nij,nj->ni", t[:, :3, :3], local) + t[:, :3, 3]

    def local(self, bone: str, world_m: NDArray[np.float64]) -> NDArray[np.float64]:
        """The bone-frame coordinates of world points ``world_m`` (n, 3) -> (n, 3)."""
        t = self.transforms[self.bones.index(bone)]
        return np.einsum("nji,nj->ni", t[:, :3, :3], world_m - t[:, :3, 3])

    def jacobian(self, bone: str, local_m: ArrayLike) -> NDArray[np.float64]:
        """d(world position)/dq of a bone-fixed point: (n, 3, c), metres per radian."""
        d = self.derivatives[self.bones.index(bone)]
        local = np.broadcast_to(np.asarray(local_m, float), (d.shape[0], 3))
        return np.einsum("ncij,nj->nic", d[..., :3, :3], local) + d[..., :3, 3].swapaxes(1, 2)

    def angular_jacobian(self, bone: str) -> NDArray[np.float64]:
        """The bone's angular velocity per unit coordinate speed: (n, 3, c), world frame."""
        i = self.bones.index(bone)
        rotation, d = self.transforms[i, :, :3, :3], self.derivatives[i, ..., :3, :3]
        skew = np.einsum("ncij,nkj->ncik", d, rotation)  # dR R^T
        return np.stack([skew[..., 2, 1], skew[..., 0, 2], skew[..., 1, 0]], axis=1)


def pose_derivatives(model: HipModel, q_rad: NDArray[np.float64]) -> PoseDerivatives:
    """Transforms and their central-difference derivatives in one batched call of the skeleton.

    Parameters
    ----------
    model : HipModel
    q_rad : (n, c) float
        Coordinates in radians, columns in ``model.coordinates`` order.

    Returns
    -------
    PoseDerivatives
    """
    n, c = q_rad.shape
    step = np.eye(c) * STEP_RAD
    shifted = np.concatenate([q_rad[:, None] + step, q_rad[:, None] - step], axis=1).reshape(n * 2 * c, c)
    batch = model.skeleton.transforms(np.concatenate([q_rad, shifted]))
    transforms = batch[:, :n]
    plus_minus = batch[:, n:].reshape(batch.shape[0], n, 2, c, 4, 4)
    derivatives = (plus_minus[:, :, 0] - plus_minus[:, :, 1]) / (2.0 * STEP_RAD)
    return PoseDerivatives(list(model.skeleton.bones), list(model.skeleton.coordinates), transforms, derivatives)
