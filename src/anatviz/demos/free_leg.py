"""The rotation a free leg settles at: the one whose muscles balance it with the least effort.

A leg off the floor holds only the rotation its muscles balance. In standing hip extension the gluteus
maximus, which extends the hip, also rotates it outward, so the leg turns out until balancing that costs
least. :func:`least_effort_rotation_deg` finds that angle with the activation model: the mean over the
motion of the summed squared activations (what static optimisation minimises,
:mod:`anatviz.activation.optimise`), minimised over one hip-rotation angle held through the motion.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from ..activation import activations, scene_frames
from ..hipmodel import HipModel
from ..scene.schema import Scene

ROTATION_SEARCH_DEG = (-45.0, 15.0)
"""Hip rotations searched (negative: external), within the model's range."""


def rotation_effort(model: HipModel, scene: Scene, rotation_deg: float, *, coordinate: str = "hip_rotation_r",
                    fps: float = 10.0) -> float:
    """Mean over the scene's motion (sampled at ``fps``) of the summed squared activations of the muscles
    and the vasti, with ``coordinate`` held at ``rotation_deg`` in every frame."""
    times, frames = scene_frames(scene, fps=fps)
    frames[coordinate] = np.full_like(times, rotation_deg)
    r = activations(model, frames, scene.load, strength=scene.strength)
    return float(((r.activation ** 2).sum(axis=1) + (r.vasti_activation ** 2).sum(axis=1)).mean())


def least_effort_rotation_deg(model: HipModel, scene: Scene, *, coordinate: str = "hip_rotation_r",
                              fps: float = 10.0, tolerance_deg: float = 0.25) -> float:
    """The rotation (degrees) of ``coordinate`` held through the motion at which the effort is least
    (bounded scalar minimisation over :data:`ROTATION_SEARCH_DEG`).

    Raises
    ------
    ValueError
        The scene has no ``[load]``.
    """
    if scene.load is None:
        raise ValueError(f"{scene.name}: no [load] table; the least-effort rotation needs a load")
    found = minimize_scalar(lambda deg: rotation_effort(model, scene, deg, coordinate=coordinate, fps=fps),
                            bounds=ROTATION_SEARCH_DEG, method="bounded", options={"xatol": tolerance_deg})
    return float(found.x)
