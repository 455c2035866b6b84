"""Bone transforms and their derivatives by the coordinates: positions and Jacobians of body points."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..geometry.mechanics import moment_arms
from ..hipmodel import HipModel


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
    """Transforms and their derivatives by every coordinate.

    The derivatives are the central differences of :func:`anatviz.geometry.mechanics.moment_arms`,
    applied to the flattened bone transforms instead of muscle lengths (its ``-dL/dq`` sign undone).

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

    def flat_transforms(q: NDArray[np.float64]) -> NDArray[np.float64]:  # (k, c) -> (k, b * 16)
        return np.moveaxis(model.skeleton.transforms(q), 0, 1).reshape(len(q), -1)

    transforms = model.skeleton.transforms(q_rad)  # (b, n, 4, 4)
    b = transforms.shape[0]
    derivatives = -moment_arms(flat_transforms, q_rad, np.arange(c))  # (n, b * 16, c)
    derivatives = derivatives.reshape(n, b, 4, 4, c).transpose(1, 0, 4, 2, 3)  # (b, n, c, 4, 4)
    return PoseDerivatives(list(model.skeleton.bones), list(model.skeleton.coordinates), transforms, derivatives)
