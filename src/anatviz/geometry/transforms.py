"""Rigid transforms as numpy arrays, vectorised over frames.

Conventions: a transform is a ``(..., 4, 4)`` homogeneous matrix mapping child-frame points into the
parent frame, ``p_parent = R @ p_child + t``. Rotations are right-handed, angles in radians.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

AXIS_INDEX = {"x": 0, "y": 1, "z": 2}


def axis_rotation(axis: str, angle_rad: ArrayLike) -> NDArray[np.float64]:
    """Rotation matrices about a coordinate axis.

    Parameters
    ----------
    axis : {'x', 'y', 'z'}
    angle_rad : (...) float
        Right-handed angles.

    Returns
    -------
    (..., 3, 3) float

    Examples
    --------
    >>> np.round(axis_rotation("z", np.pi / 2) @ [1.0, 0.0, 0.0], 12)
    array([0., 1., 0.])
    """
    angle = np.asarray(angle_rad, dtype=float)
    c, s = np.cos(angle), np.sin(angle)
    out = np.zeros(angle.shape + (3, 3))
    i = AXIS_INDEX[axis]
    j, k = (i + 1) % 3, (i + 2) % 3
    out[..., i, i] = 1.0
    out[..., j, j] = c
    out[..., k, k] = c
    out[..., j, k] = -s
    out[..., k, j] = s
    return out


def xyz_body_rotation(angles_rad: ArrayLike) -> NDArray[np.float64]:
    """Body-fixed x-then-y-then-z rotation, ``Rx(a) @ Ry(b) @ Rz(c)`` (OpenSim's convention).

    Parameters
    ----------
    angles_rad : (3,) float

    Returns
    -------
    (3, 3) float
    """
    a, b, c = np.asarray(angles_rad, dtype=float)
    return axis_rotation("x", a) @ axis_rotation("y", b) @ axis_rotation("z", c)


def rigid(rotation: ArrayLike, translation: ArrayLike) -> NDArray[np.float64]:
    """Homogeneous transforms from rotations ``(..., 3, 3)`` and translations ``(..., 3)``.

    Returns
    -------
    (..., 4, 4) float
    """
    rotation = np.asarray(rotation, dtype=float)
    translation = np.asarray(translation, dtype=float)
    shape = np.broadcast_shapes(rotation.shape[:-2], translation.shape[:-1])
    out = np.zeros(shape + (4, 4))
    out[..., :3, :3] = rotation
    out[..., :3, 3] = translation
    out[..., 3, 3] = 1.0
    return out


def invert_rigid(transform: ArrayLike) -> NDArray[np.float64]:
    """Inverse of rigid transforms ``(..., 4, 4)`` (transpose the rotation, no general inverse)."""
    transform = np.asarray(transform, dtype=float)
    rt = np.swapaxes(transform[..., :3, :3], -1, -2)
    return rigid(rt, -np.einsum("...ij,...j->...i", rt, transform[..., :3, 3]))


def apply(transform: ArrayLike, points: ArrayLike) -> NDArray[np.float64]:
    """Map points by transforms.

    Parameters
    ----------
    transform : (..., 4, 4) float
    points : (..., 3) float
        Broadcast against ``transform``'s leading dimensions.

    Returns
    -------
    (..., 3) float
    """
    transform = np.asarray(transform, dtype=float)
    points = np.asarray(points, dtype=float)
    return (transform[..., :3, :3] @ points[..., None])[..., 0] + transform[..., :3, 3]
