"""The gait2392 knee (tibia origin as a function of knee flexion), used to shape the condyles.

Knots from the reference sheet (gait2392, Delp et al. 1990): flexion positive, degrees; the tibia
rotates by -flexion about the femur's z axis and its origin moves along these splines in the femur
frame. Interpolated with natural cubic splines as in OpenSim's SimmSpline.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.interpolate import CubicSpline

FloatArray = NDArray[np.float64]

#: gait2392 tibia origin x in the femur frame, (knee flexion deg, metres).
TIBIA_X_KNOTS = (
    (-120.0, -0.00525), (-87.2, -0.00543), (-28.1, -0.00557), (-19.3, -0.00543), (-11.3, -0.00523),
    (10.0, -0.00310), (20.0, -0.00100), (40.0, 0.00212), (60.0, 0.00410), (80.0, 0.00411),
    (100.0, 0.00179), (120.0, -0.00320),
)
#: gait2392 tibia origin y in the femur frame, (knee flexion deg, metres).
TIBIA_Y_KNOTS = (
    (-120.0, -0.39600), (-9.1, -0.39526), (10.0, -0.39660), (20.0, -0.39760), (30.0, -0.39900),
    (70.0, -0.40820), (120.0, -0.42260),
)


def tibia_origin(flexion_deg: ArrayLike) -> FloatArray:
    """Tibia origin in the femur frame.

    Parameters
    ----------
    flexion_deg : (k,) float
        Knee flexion angles, degrees (0 = straight).

    Returns
    -------
    (k, 3) float
    """
    q = np.atleast_1d(np.asarray(flexion_deg, dtype=float))
    sx = CubicSpline(*np.array(TIBIA_X_KNOTS).T, bc_type="natural")
    sy = CubicSpline(*np.array(TIBIA_Y_KNOTS).T, bc_type="natural")
    return np.stack([sx(q), sy(q), np.zeros_like(q)], axis=1)


def tibia_to_femur(points: FloatArray, flexion_deg: float) -> FloatArray:
    """Map ``points : (n, 3) float`` from the tibia frame to the femur frame at a knee angle."""
    angle = -np.radians(flexion_deg)
    c, s = np.cos(angle), np.sin(angle)
    rot = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    return points @ rot.T + tibia_origin([flexion_deg])[0]

#: Height of the tibial plateau (articular surfaces of both condyles) in the tibia frame; shape
#: choice (anatviz) that puts the femoral condyles on circles of ~25 mm about the knee axis.
PLATEAU_Y_M = -0.028
#: Clearance between femoral condyles and tibial plateau (anatviz choice, cartilage space).
JOINT_GAP_M = 0.0010
