"""Right tibia with the fibula (one body) as a signed-distance field, in the tibia frame.

Frame: metres, origin at the knee between the plateaus (on the knee's flexion axis, which lies
knee.PLATEAU_Y_M above the plateau), x anterior, y up, z to the right (lateral). Attachment names
below are rajagopal2016 muscle points on ``tibia_r``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from anatviz.meshgen import knee
from anatviz.meshgen.sdf import bounded, ellipsoid, halfspace, round_box, smax, smin, sphere, subtract, tube

FloatArray = NDArray[np.float64]

BOUNDS = ((-0.050, -0.440, -0.055), (0.050, 0.000, 0.060))
SPACING_M = 0.0011
TARGET_FACES = 20_000

# --- proximal tibia ------------------------------------------------------------------------------
#: Tibial head (condyles as one flattened ellipsoid, shape): its top is cut by the plateau plane at
#: knee.PLATEAU_Y_M, sloping down posteriorly by PLATEAU_SLOPE_DEG (textbook posterior slope). 7.6 cm
#: wide: the iliotibial tract (tfl_r, from the lateral femoral condyle to Gerdy's tubercle) passes
#: its lateral rim with the knee bent.
TIBIAL_HEAD = ((-0.004, -0.037, 0.0), (0.0245, 0.022, 0.038))
PLATEAU_SLOPE_DEG = 5.0
#: Shallow dishes of the medial and lateral plateau: sphere centre (x, z), radius, depth (shape).
PLATEAU_DISHES = (((-0.004, -0.019), 0.050, 0.0010), ((-0.004, 0.020), 0.060, 0.0005))
#: Intercondylar eminence: medial and lateral tubercles (shape; fit the femoral notch).
EMINENCE = (((-0.003, -0.0270, -0.0050), (0.0090, 0.0060, 0.0040)), ((-0.005, -0.0270, 0.0050), (0.0090, 0.0055, 0.0040)))
#: Metaphysis under the condyles, tapering into the shaft behind the pes anserinus (shape; keeps
#: the semiten_r tendon from its via point -0.0312 -0.0508 -0.0229 to its insertion clear).
METAPHYSIS = ((-0.002, -0.072, 0.004), (0.0180, 0.0300, 0.0160))
#: Tibial tuberosity, patellar ligament insertion (recfem_r tibia point 0.0326 -0.0631 -0.0005).
TUBEROSITY = ((0.0245, -0.064, 0.002), (0.0085, 0.015, 0.0105))
#: Gerdy's tubercle, iliotibial tract insertion (tfl_r tibia point 0.0108 -0.0410 0.0346, about
#: 1 mm outside it, so the tract reaches it without cutting the tubercle with the knee bent).
GERDY_TUBERCLE = ((0.0085, -0.043, 0.0305), 0.0045)
#: Posteromedial condyle ridge for the semimembranosus (semimem_r tibia point -0.0290 -0.0417
#: -0.0196) and pes anserinus area (semiten_r insertion 0.0019 -0.0773 -0.0117), shape.
SEMIMEMBRANOSUS_GROOVE = ((-0.025, -0.040, -0.018), 0.006)

# --- tibial shaft --------------------------------------------------------------------------------
#: Shaft core centre line and radii (shape; the ankle centre of rajagopal2016 lies at about
#: (-0.010, -0.400, 0) in this frame).
SHAFT_PATH = ((-0.003, -0.062, 0.002), (-0.002, -0.100, 0.002), (-0.003, -0.200, -0.002),
              (-0.005, -0.300, -0.003), (-0.008, -0.365, -0.003))
SHAFT_RADII = (0.0130, 0.0110, 0.0085, 0.0090, 0.0140)
#: The three borders of the triangular shaft, blended onto the core (shape): the sharp anterior
#: border (shin), the medial border and the interosseous border facing the fibula.
SHAFT_BORDERS = (
    (((0.022, -0.078, 0.002), (0.012, -0.150, -0.001), (0.008, -0.260, -0.004), (0.006, -0.330, -0.006)),
     (0.0040, 0.0033, 0.0033, 0.0040)),
    (((-0.008, -0.105, -0.0105), (-0.009, -0.200, -0.012), (-0.011, -0.330, -0.014)), (0.0045, 0.0050, 0.0060)),
    (((-0.008, -0.080, 0.014), (-0.007, -0.200, 0.010), (-0.009, -0.330, 0.010)), (0.0040, 0.0040, 0.0040)),
)
SHAFT_BLEND_M = 0.012

# --- distal tibia --------------------------------------------------------------------------------
#: Distal end above the plafond (rounded box: centre, half extents, rounding), cut flat at
#: PLAFOND_Y_M (shape).
DISTAL_END = ((-0.008, -0.377, -0.001), (0.009, 0.009, 0.011), 0.007)
PLAFOND_Y_M = -0.391
#: Medial malleolus: from the distal end down to its tip (shape; tip above the lateral one).
MEDIAL_MALLEOLUS = ((-0.006, -0.393, -0.0175), (0.0120, 0.0150, 0.0065))

# --- fibula --------------------------------------------------------------------------------------
#: Fibular head under the lateral tibial condyle, biceps femoris insertion (bflh_r -0.0287 -0.0455
#: 0.0303 and bfsh_r -0.0301 -0.0419 0.0318 tibia points).
FIBULAR_HEAD = ((-0.0245, -0.0520, 0.0330), (0.0100, 0.0120, 0.0095))
#: Fibular shaft centre line and radii, head to lateral malleolus (shape).
FIBULA_PATH = ((-0.0245, -0.0560, 0.0330), (-0.0225, -0.1100, 0.0320), (-0.0195, -0.2400, 0.0300),
               (-0.0160, -0.3350, 0.0265), (-0.0150, -0.3750, 0.0255))
FIBULA_RADII = (0.0085, 0.0070, 0.0068, 0.0072, 0.0090)
#: Lateral malleolus: down to its tip, lower than the medial malleolus (shape).
LATERAL_MALLEOLUS = ((-0.0165, -0.3990, 0.0265), (0.0105, 0.0190, 0.0075))
#: Blend width of the proximal and distal tibiofibular joints.
TIBIOFIBULAR_BLEND_M = 0.007


def _proximal(points: FloatArray) -> FloatArray:
    """Tibial condyles, plateau, eminence and tubercles, ``(n,) float``."""
    center, radii = TIBIAL_HEAD
    d = ellipsoid(points, center, radii)
    slope = np.radians(PLATEAU_SLOPE_DEG)
    top = halfspace(points, (0.0, knee.PLATEAU_Y_M, 0.0), (np.sin(slope), np.cos(slope), 0.0))
    d = smax(d, top, 0.004)
    for (x, z), radius, depth in PLATEAU_DISHES:
        d = subtract(d, sphere(points, (x, knee.PLATEAU_Y_M + radius - depth, z), radius), 0.003)
    for c, r in EMINENCE:
        d = smin(d, ellipsoid(points, c, r), 0.005)
    d = smin(d, ellipsoid(points, *METAPHYSIS), 0.010)
    d = smin(d, ellipsoid(points, *TUBEROSITY), 0.012)
    d = smin(d, sphere(points, *GERDY_TUBERCLE), 0.006)
    return smin(d, sphere(points, *SEMIMEMBRANOSUS_GROOVE), 0.006)


def _tibia(points: FloatArray) -> FloatArray:
    """The tibia alone, ``(n,) float``."""
    proximal = bounded(points, (-0.035, -0.105, -0.045), (0.040, 0.0, 0.045), _proximal)
    shaft = tube(points, SHAFT_PATH, SHAFT_RADII)
    for path, radii in SHAFT_BORDERS:
        shaft = smin(shaft, tube(points, path, radii), SHAFT_BLEND_M)
    d = smin(proximal, shaft, 0.012)
    distal = smax(round_box(points, *DISTAL_END), PLAFOND_Y_M - points[:, 1], 0.003)
    d = smin(d, distal, 0.020)
    return smin(d, ellipsoid(points, *MEDIAL_MALLEOLUS), 0.010)


def _fibula(points: FloatArray) -> FloatArray:
    """The fibula alone, ``(n,) float``."""
    d = smin(ellipsoid(points, *FIBULAR_HEAD), tube(points, FIBULA_PATH, FIBULA_RADII), 0.008)
    return smin(d, ellipsoid(points, *LATERAL_MALLEOLUS), 0.010)


def make_field() -> Callable[[FloatArray], FloatArray]:
    """Build the signed-distance field of the right tibia and fibula (:func:`field`)."""
    return field


def field(points: FloatArray) -> FloatArray:
    """Signed distance to the right tibia and fibula, joined at the tibiofibular joints.

    Parameters
    ----------
    points : (n, 3) float
        Points in the tibia frame, metres.

    Returns
    -------
    (n,) float
        Negative inside the bone.
    """
    return smin(_tibia(points), _fibula(points), TIBIOFIBULAR_BLEND_M)
