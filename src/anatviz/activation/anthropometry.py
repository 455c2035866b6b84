"""Segment masses, lengths and centres of mass from published anthropometry.

Source of every figure below unless a comment says otherwise:

    de Leva P (1996) Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters.
    J Biomech 29(9):1223-1230, Table 4 (adult males and females).

Masses are fractions of body mass; lengths are de Leva's mean segment lengths over his mean stature
(1741 mm male, 1735 mm female), so they scale with the body's height; centres of mass are fractions of
the segment length from its first (cranial or proximal) end point. The pelvis, thighs and knees come
from the hip model itself (hip and knee centres), so that the masses sit on the bones that are drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

GRAVITY_M_S2 = 9.80665
"""Standard gravity (BIPM / ISO 80000-3), the value OpenSim models use."""

SEXES = ("male", "female")

# name: (first end point, last end point, mass % male, female, CoM % from the first end male, female,
#        length mm male, female)
DE_LEVA_1996 = {
    "head": ("VERT", "CERV", 6.94, 6.68, 50.02, 48.41, 242.9, 243.7),
    "trunk": ("CERV", "MIDH", 43.46, 42.57, 51.38, 49.64, 603.3, 614.8),
    "upper_trunk": ("CERV", "XYPH", 15.96, 15.45, 50.66, 50.50, 242.1, 228.0),
    "upper_arm": ("SJC", "EJC", 2.71, 2.55, 57.72, 57.54, 281.7, 275.1),
    "forearm": ("EJC", "WJC", 1.62, 1.38, 45.74, 45.59, 268.9, 264.3),
    "hand": ("WJC", "MET3", 0.61, 0.56, 79.00, 74.74, 86.2, 78.0),
    "thigh": ("HJC", "KJC", 14.16, 14.78, 40.95, 36.12, 422.2, 368.5),
    "shank": ("KJC", "LMAL", 4.33, 4.81, 44.59, 44.16, 434.0, 432.3),
    "foot": ("HEEL", "TTIP", 1.37, 1.29, 44.15, 40.14, 258.1, 228.3),
}
"""de Leva (1996) Table 4. VERT vertex, CERV cervicale (C7), MIDH mid-point of the hip joint centres,
XYPH xiphoid, SJC/EJC/WJC shoulder/elbow/wrist joint centres, MET3 third metacarpal, HJC/KJC hip/knee
joint centres, LMAL lateral malleolus, HEEL and TTIP heel and tip of the longest toe."""

DE_LEVA_STATURE_MM = {"male": 1741.0, "female": 1735.0}

ANKLE_HEIGHT_PER_STATURE = 0.039
"""Height of the ankle joint above the sole, as a fraction of stature: Winter DA (2009) Biomechanics and
Motor Control of Human Movement, 4th ed., Wiley, Fig. 4.1 (after Drillis R, Contini R 1966)."""

SHOULDER_HEIGHT_PER_STATURE = 0.818
HIP_HEIGHT_PER_STATURE = 0.530
WRIST_HEIGHT_PER_STATURE = 0.485
"""Heights of the shoulder joint, the hip (greater trochanter, level with the hip joint centre) and the
wrist above the floor in standing, as fractions of stature: Winter (2009) Fig. 4.1 (after Drillis and
Contini 1966). They place the shoulder joints above the hips and give the arm's length to the wrist."""

FOOT_WIDTH_PER_STATURE = 0.055
"""Foot width as a fraction of stature: Winter (2009) Fig. 4.1 (after Drillis and Contini 1966)."""

HEEL_SHARE_OF_FOOT = 0.2
"""Share of the foot length behind the lateral malleolus. Our choice (no table gives it): the malleolus
stands about a fifth of the way from the heel to the tip of the longest toe in a standing foot."""

DEFAULT_BODY_MASS_KG = 75.0
DEFAULT_HEIGHT_M = 1.70
"""Our choice for the default adult: a 75 kg, 1.70 m man, the size of the adult the hip model's source
models represent (OpenSim's gait2392 and Rajagopal et al. 2016 models are built for about 75 kg) and
close to de Leva's reference male (73.0 kg, 1.741 m)."""


@dataclass(frozen=True)
class Anthropometry:
    """Body size and sex, and the de Leva (1996) segment parameters scaled to them.

    Parameters
    ----------
    body_mass_kg : float
    height_m : float
    sex : {'male', 'female'}

    Examples
    --------
    >>> body = Anthropometry()
    >>> round(body.mass_kg("thigh"), 2), round(body.length_m("shank"), 3)
    (10.62, 0.424)
    """

    body_mass_kg: float = DEFAULT_BODY_MASS_KG
    height_m: float = DEFAULT_HEIGHT_M
    sex: str = "male"

    def __post_init__(self) -> None:
        if self.sex not in SEXES:
            raise ValueError(f"sex: expected one of {', '.join(SEXES)}, found {self.sex!r}")

    def _column(self, segment: str, male_index: int) -> float:
        row = DE_LEVA_1996[segment]
        return float(row[male_index + (self.sex == "female")])

    def mass_kg(self, segment: str) -> float:
        """Mass of one segment (one side for limbs)."""
        return self._column(segment, 2) / 100.0 * self.body_mass_kg

    def length_m(self, segment: str) -> float:
        """Length of a segment between its two end points, scaled by height."""
        return self._column(segment, 6) / DE_LEVA_STATURE_MM[self.sex] * self.height_m

    def com_share(self, segment: str) -> float:
        """Centre of mass as a share of the length from the first end point."""
        return self._column(segment, 4) / 100.0

    @property
    def arm_mass_kg(self) -> float:
        """One whole arm: upper arm, forearm and hand."""
        return sum(self.mass_kg(s) for s in ("upper_arm", "forearm", "hand"))

    @property
    def shoulder_above_hip_m(self) -> float:
        """Height of the shoulder joints above the hip joints in standing."""
        return (SHOULDER_HEIGHT_PER_STATURE - HIP_HEIGHT_PER_STATURE) * self.height_m

    @property
    def grip_below_shoulder_m(self) -> float:
        """From the shoulder joint to the middle of a gripping hand, arm hanging: to the wrist (Winter),
        plus half the hand (de Leva)."""
        return (SHOULDER_HEIGHT_PER_STATURE - WRIST_HEIGHT_PER_STATURE) * self.height_m + 0.5 * self.length_m("hand")

    @property
    def ankle_height_m(self) -> float:
        return ANKLE_HEIGHT_PER_STATURE * self.height_m

    @property
    def foot_width_m(self) -> float:
        return FOOT_WIDTH_PER_STATURE * self.height_m

    @property
    def heel_m(self) -> float:
        """Distance from the ankle back to the heel, along the foot."""
        return HEEL_SHARE_OF_FOOT * self.length_m("foot")

    @property
    def toe_m(self) -> float:
        """Distance from the ankle forward to the tip of the toes, along the foot."""
        return (1.0 - HEEL_SHARE_OF_FOOT) * self.length_m("foot")
