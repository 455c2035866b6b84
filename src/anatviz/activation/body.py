"""Where the body's masses and the loads' attachment points sit on the model's bones.

The model has a pelvis, two thighs and two shanks. The rest of the body is placed on them:

- head, trunk and arms ride on the pelvis (the model has no lumbar joint: the spine is held in the
  neutral position every exercise here coaches). The trunk axis runs from the mid-point of the hip
  centres (MIDH) along the pelvis's superior (y) axis to C7 (CERV), de Leva's trunk length above it;
  the head sits above C7 on the same axis.
- the arms hang from the shoulder joints, on the trunk axis at the standing height of the shoulders
  above the hips (Winter 2009): a hanging arm's weight acts straight down through the shoulder, so
  its whole mass is put there, and so is anything held in the hands.
- each thigh's mass sits on the line from the hip centre to the knee centre (the model's own), each
  shank's on the tibia's long axis down to the ankle, and the foot's mass at the ankle (its centre of
  mass lies a few centimetres from it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel
from .anthropometry import Anthropometry

HIPS_BAR_ANTERIOR_M = 0.125
"""How far in front of the hip centres a bar across the hip crease rests (hip thrust). Our choice: the
soft tissue in front of the femoral head is about 10 cm deep, plus the radius of a padded bar."""

SHOULDER_CONTACT_SHARE = 0.5
"""Where the shoulder blades press on the floor in a bridge, as a share of the way from C7 down to the
xiphoid level: our choice, the middle of the scapulae (which span about T2 to T7). On a bench (hip
thrust) the contact is the bench edge under the lower angle of the scapulae, at the xiphoid level."""

SHOULDER_HALF_WIDTH_M = 0.15
"""How far to either side of the midline the shoulder blades can carry weight (bridges). Our choice:
about half of an adult's biacromial breadth (about 0.4 m) less the rounding of the shoulders."""


@dataclass(frozen=True)
class BodyPoint:
    """A point fixed on a bone: ``local_m`` in that bone's frame."""

    bone: str
    local_m: tuple[float, float, float]


@dataclass(frozen=True)
class Mass:
    """A lumped segment mass at a body point. ``side`` is the leg it belongs to (``'r'``, ``'l'``), or
    ``'both'`` for the head, trunk and arms: lying on a side rests ``'both'`` and that side's leg."""

    segment: str
    point: BodyPoint
    mass_kg: float
    side: str  # 'r', 'l' or 'both'


class BodyLayout:
    """The body's lumped masses and named points on the model's bones, for one body size.

    Parameters
    ----------
    model : HipModel
    body : Anthropometry

    Attributes
    ----------
    masses : list of Mass
    points : dict of str to BodyPoint
        Load points (:data:`anatviz.activation.loads.LOAD_POINTS`), the contact points on the back
        ``shoulders`` and ``bench``, ``sacrum`` (the back at the PSIS, which rests on the floor at the
        bottom of a bridge) and ``midh`` (the mid-point of the hip centres).
    """

    def __init__(self, model: HipModel, body: Anthropometry) -> None:
        self.body = body
        landmarks = model.data.landmarks
        midh = (np.array(landmarks["hip_centre_r"].position_m) + np.array(landmarks["hip_centre_l"].position_m)) / 2
        up = np.array([0.0, 1.0, 0.0])
        psis = np.array(landmarks["psis_r"].position_m) * [1.0, 1.0, 0.0]  # skin over the sacrum, midline
        trunk_m = body.length_m("trunk")
        cerv = midh + trunk_m * up
        upper_trunk_m = body.length_m("upper_trunk")  # C7 down to the xiphoid level

        def on_pelvis(p: NDArray[np.float64]) -> BodyPoint:
            return BodyPoint("pelvis", _floats(p))

        shoulder_joint = midh + body.shoulder_above_hip_m * up
        self.points: dict[str, BodyPoint] = {
            "upper_back": on_pelvis(cerv),
            "hands": on_pelvis(shoulder_joint),
            "hips": on_pelvis(midh + [HIPS_BAR_ANTERIOR_M, 0.0, 0.0]),
            "shoulders": on_pelvis(_on_back(psis, cerv, cerv[1] - SHOULDER_CONTACT_SHARE * upper_trunk_m)),
            "bench": on_pelvis(_on_back(psis, cerv, cerv[1] - upper_trunk_m)),
            "sacrum": on_pelvis(psis),
            "midh": on_pelvis(midh),
        }
        self.masses = [
            Mass("trunk", on_pelvis(midh + (1.0 - body.com_share("trunk")) * trunk_m * up), body.mass_kg("trunk"),
                 "both"),
            Mass("head", on_pelvis(cerv + (1.0 - body.com_share("head")) * body.length_m("head") * up),
                 body.mass_kg("head"), "both"),
            Mass("arms", on_pelvis(shoulder_joint), 2.0 * body.arm_mass_kg, "both"),
        ]
        knee_in_femur = _knee_in_femur(model)
        shank_m = body.length_m("shank")
        for side in ("r", "l"):
            femur, tibia = f"femur_{side}", f"tibia_{side}"
            self.points[f"knee_{side}"] = BodyPoint(tibia, (0.0, 0.0, 0.0))
            self.points[f"ankle_{side}"] = BodyPoint(tibia, (0.0, -shank_m, 0.0))
            knee = knee_in_femur if side == "r" else knee_in_femur * [1.0, 1.0, -1.0]
            self.masses += [
                Mass(f"thigh_{side}", BodyPoint(femur, _floats(body.com_share("thigh") * knee)),
                     body.mass_kg("thigh"), side),
                Mass(f"shank_{side}", BodyPoint(tibia, (0.0, -body.com_share("shank") * shank_m, 0.0)),
                     body.mass_kg("shank"), side),
                Mass(f"foot_{side}", self.points[f"ankle_{side}"], body.mass_kg("foot"), side),
            ]

    @property
    def body_mass_kg(self) -> float:
        return float(sum(m.mass_kg for m in self.masses))


def _on_back(psis: NDArray[np.float64], cerv: NDArray[np.float64], height_m: float) -> NDArray[np.float64]:
    """The point of the back at a height (pelvis frame) on the straight line from the skin over the
    posterior superior iliac spines to C7: where the back rests on the floor or on a bench."""
    share = (height_m - psis[1]) / (cerv[1] - psis[1])
    return psis + share * (cerv - psis)


def _floats(p: NDArray[np.float64]) -> tuple[float, float, float]:
    return float(p[0]), float(p[1]), float(p[2])


def _knee_in_femur(model: HipModel) -> NDArray[np.float64]:
    """The knee centre (tibia origin) in the right femur's frame, knee straight."""
    transforms = model.bone_transforms()
    femur, tibia = transforms["femur_r"], transforms["tibia_r"]
    return (np.linalg.inv(femur) @ tibia[:, 3])[:3]
