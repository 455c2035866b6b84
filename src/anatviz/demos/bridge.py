"""The bridge held at a fixed hip angle while the feet walk in or out: the closed loop, solved.

Lying on the back with the shoulder blades on the floor and the soles flat, the pelvis tilt that a hip
and knee angle need is the one that puts the ankle one ankle height (Winter 2009, via
:mod:`anatviz.activation.anthropometry`) above the floor the shoulder blades rest on. The contact point
on the back is the activation model's (:mod:`anatviz.activation.body`), so the picture and the statics
agree.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq

from ..activation import Anthropometry
from ..activation.body import BodyLayout
from ..hipmodel import HipModel

TILT_SEARCH_DEG = (90.0, 180.0)
"""Pelvis tilts searched: lying supine (90) to the head-down bridge."""


def _world(transform: np.ndarray, local_m: tuple[float, float, float]) -> np.ndarray:
    return transform[:3, :3] @ np.asarray(local_m, float) + transform[:3, 3]


def sole_above_floor_m(model: HipModel, pelvis_tilt_deg: float, hip_flexion_deg: float, knee_flexion_deg: float,
                       body: Anthropometry | None = None) -> float:
    """Height of the right sole above the floor under the shoulder blades (metres; 0: the loop closes)."""
    body = body or Anthropometry()
    layout = BodyLayout(model, body)
    transforms = model.bone_transforms(pelvis_tilt=pelvis_tilt_deg, hip_flexion_r=hip_flexion_deg,
                                       knee_flexion_r=knee_flexion_deg)
    shoulders = _world(transforms[layout.points["shoulders"].bone], layout.points["shoulders"].local_m)
    ankle = _world(transforms[layout.points["ankle_r"].bone], layout.points["ankle_r"].local_m)
    return float(ankle[1] - body.ankle_height_m - shoulders[1])


def bridge_pelvis_tilt_deg(model: HipModel, hip_flexion_deg: float, knee_flexion_deg: float) -> float:
    """The pelvis tilt (degrees) at which shoulders and soles both rest on the floor.

    Raises
    ------
    ValueError
        If no tilt in :data:`TILT_SEARCH_DEG` closes the loop (the feet cannot reach the floor).
    """
    f = lambda tilt: sole_above_floor_m(model, tilt, hip_flexion_deg, knee_flexion_deg)
    lo, hi = TILT_SEARCH_DEG
    if f(lo) * f(hi) > 0:
        raise ValueError(f"knee_flexion_deg: no bridge closes at hip {hip_flexion_deg} and knee {knee_flexion_deg}")
    return float(brentq(f, lo, hi, xtol=1e-4))
