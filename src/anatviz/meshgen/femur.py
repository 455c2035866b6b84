"""Right femur as a signed-distance field, in the femur frame.

Frame (rajagopal2016): metres, origin at the femoral head centre, x anterior, y up along the shaft,
z to the right (lateral). Attachment names below are rajagopal2016 muscle points on ``femur_r``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from anatviz.meshgen import knee
from anatviz.meshgen.sdf import bounded, capsule, ellipsoid, round_box, smax, smin, sphere, subtract, tube, unit

FloatArray = NDArray[np.float64]

BOUNDS = ((-0.050, -0.440, -0.055), (0.055, 0.030, 0.075))
SPACING_M = 0.0011
TARGET_FACES = 22_000

# --- head and neck -------------------------------------------------------------------------------
#: Femoral head radius (shape; 1.7 mm less than the acetabular socket, see pelvis.SOCKET_RADIUS_M).
HEAD_RADIUS_M = 0.0236
#: Neck-shaft angle and anteversion (textbook: ~127 deg and ~12 deg to the condylar (z) axis).
NECK_SHAFT_ANGLE_DEG = 127.0
ANTEVERSION_DEG = 12.0
#: Length from the head centre to where the neck meets the trochanteric region (shape only).
NECK_LENGTH_M = 0.040

# --- shaft ---------------------------------------------------------------------------------------
#: Shaft centre line (x, y, z) and anteroposterior radius, top to bottom: shape only, placed so
#: that the glmax, addmag and bfsh attachments lie on its posterior ridges (the addmagMid and
#: addmagDist insertions on the surface, not under it), bowing anteriorly like the
#: AM*_at_femshaft_r wrap cylinders' centres (rajagopal2016).
SHAFT_PATH = (
    (-0.008, -0.020, 0.036),
    (0.000, -0.079, 0.031),
    (0.006, -0.125, 0.028),
    (0.0155, -0.162, 0.025),
    (0.0165, -0.211, 0.020),
    (0.0225, -0.2625, 0.0165),
    (0.018, -0.300, 0.012),
    (0.013, -0.335, 0.006),
    (0.009, -0.372, 0.001),
)
SHAFT_RADII = (0.0150, 0.0130, 0.0120, 0.0115, 0.0110, 0.0110, 0.0115, 0.0130, 0.0140)
#: Mediolateral over anteroposterior width of the shaft (textbook: the shaft is a little wider
#: from side to side, most in its distal third).
SHAFT_WIDTH_RATIO = 1.25
#: Front of the distal femur above the trochlea, inside the KnExt_at_fem_r cylinder (x limit, m).
DISTAL_FRONT_X = 0.0260

# --- trochanters and ridges ----------------------------------------------------------------------
#: Greater trochanter: rounded box (centre, half extents, rounding radius) carrying the glmed1-3
#: (lateral-posterior face), glmin1-3 (anterior face) and piri (superior border) insertions.
GREATER_TROCHANTER = ((-0.0190, -0.0250, 0.0445), (0.0055, 0.0115, 0.0), 0.0110)
#: Lesser trochanter: base on the shaft to a tip at the psoas insertion (psoas_r femur point,
#: -0.0235 -0.0524 0.0088), iliacus inserting just below.
LESSER_TROCHANTER = ((0.002, -0.064, 0.028), (-0.0205, -0.0545, 0.0115), 0.0052, 0.0042)
#: Intertrochanteric crest, from the greater trochanter's back to the lesser trochanter (shape).
INTERTROCHANTERIC_CREST = ((-0.030, -0.016, 0.045), (-0.018, -0.056, 0.017), 0.0055, 0.0045)
#: Intertrochanteric line on the front (shape).
INTERTROCHANTERIC_LINE = ((-0.002, -0.018, 0.050), (0.004, -0.058, 0.021), 0.005, 0.0045)
#: Gluteal tuberosity: ridge just under the glmax1-3 insertions (femur_r points).
GLUTEAL_TUBEROSITY = ((-0.022, -0.040, 0.044), (-0.0225, -0.0566, 0.0435), (-0.0115, -0.1016, 0.0385),
                      (-0.0025, -0.1419, 0.0375), (0.0080, -0.1700, 0.0320))
GLUTEAL_TUBEROSITY_RADII = (0.0055, 0.0060, 0.0055, 0.0050, 0.0030)
#: Linea aspera: posterior ridge just under the addmagProx/Mid/Dist insertions and the bfsh origin,
#: continuing as the medial supracondylar line to the adductor tubercle (addmagIsch insertion). At
#: the addmagMid and addmagDist insertions its crest lies about 1 mm in from them: the paths arrive
#: along the ridge and would otherwise graze it.
LINEA_ASPERA = ((-0.0110, -0.0789, 0.0315), (0.0095, -0.1624, 0.0285), (0.0070, -0.2111, 0.0225),
                (0.0145, -0.2625, 0.0180), (0.0100, -0.3300, -0.0020), (0.0050, -0.3800, -0.0270))
LINEA_ASPERA_RADII = (0.0035, 0.0035, 0.0030, 0.0025, 0.0025, 0.0030)
#: Bed of the iliacus tendon: the published path's last segment, from its via point on the front of
#: the lesser trochanter (iliacus_r femur point -0.0023 -0.0565 0.0139) to its insertion (-0.0122
#: -0.0637 0.0196), runs over the bone, so the corner the shaft makes with the lesser trochanter is
#: carved clear of it (segment ends, radius; shape).
ILIOPSOAS_BED = ((-0.0023, -0.0565, 0.0139), (-0.0122, -0.0637, 0.0196), 0.0028)
#: Lateral supracondylar line to the lateral epicondyle (shape), from just lateral of the
#: addmagDist insertion (femur_r 0.0112 -0.2625 0.0193), which it would otherwise bury.
LATERAL_SUPRACONDYLAR = ((0.0165, -0.2625, 0.0195), (0.0095, -0.3400, 0.0200), (0.0000, -0.3850, 0.0280))

# --- knee ----------------------------------------------------------------------------------------
#: Condyle sagittal profile: envelope of the tibial plateau (knee.PLATEAU_Y_M + knee.JOINT_GAP_M)
#: over these knee flexion angles, so the condyles roll on the plateau (gait2392 knee).
CONDYLE_ENVELOPE_DEG = (-60.0, 112.0, 2.0)
#: Medial and lateral condyle: z centre, half width before rounding, rounding radius (shape).
CONDYLES = ((-0.0205, 0.0035, 0.0085), (0.0205, 0.0035, 0.0085))
#: Distal metaphysis trimming the condyles' tops: the distal shaft blended into a bulb at the
#: epicondyles (capsule, ellipsoid, blend width; shape).
METAPHYSIS = (((0.014, -0.325, 0.005), (0.008, -0.372, 0.002), 0.0100, 0.0150),
              ((0.002, -0.392, 0.000), (0.030, 0.045, 0.0365)), 0.030)
#: Patellar surface: anterior transverse roll joining the condyles in front (shape; inside the
#: KnExt_at_fem_r wrap cylinder of radius 0.025 about (0.0036, -0.4027)).
TROCHLEA = ((0.0045, -0.399, -0.014), (0.0055, -0.397, 0.013), 0.0175, 0.0175)
#: Trochlear groove carved down the front (shape).
TROCHLEAR_GROOVE = ((0.034, -0.372, 0.002), (0.026, -0.404, 0.002), 0.0085)
#: Intercondylar notch carved from behind and below between the condyles (shape).
NOTCH = ((-0.032, -0.414, 0.000), (-0.006, -0.414, 0.000), 0.0085)
#: Epicondyles (lateral, medial) and the adductor tubercle (addmagIsch insertion, femur_r
#: 0.0048 -0.3880 -0.0327), as spheres (shape).
EPICONDYLES = (((-0.004, -0.398, 0.028), 0.007), ((-0.006, -0.400, -0.029), 0.0075), ((0.002, -0.386, -0.0275), 0.0045))


def neck_direction() -> FloatArray:
    """Unit vector from the neck base to the head centre, ``(3,) float``.

    The direction makes NECK_SHAFT_ANGLE_DEG with the proximal shaft axis (pointing down) and,
    seen from above, points ANTEVERSION_DEG anterior of the medial (-z) direction.
    """
    shaft = np.asarray(SHAFT_PATH, dtype=float)
    down = unit(shaft[2] - shaft[0])
    av = np.radians(ANTEVERSION_DEG)
    elevation = np.radians(np.linspace(0.0, 80.0, 1601))
    candidates = np.stack([np.cos(elevation) * np.sin(av), np.sin(elevation), -np.cos(elevation) * np.cos(av)], axis=1)
    angles = np.degrees(np.arccos(np.clip(candidates @ down, -1.0, 1.0)))
    return candidates[np.argmin(np.abs(angles - NECK_SHAFT_ANGLE_DEG))]


def _frame(axis: FloatArray) -> FloatArray:
    """Orthonormal frame ``(3, 3)`` whose first column is ``axis`` and second is nearest to +y."""
    e1 = unit(axis)
    e2 = unit(np.array([0.0, 1.0, 0.0]) - e1[1] * e1)
    return np.stack([e1, e2, np.cross(e1, e2)], axis=1)


def _shaft(points: FloatArray) -> FloatArray:
    """Shaft of elliptical section (wider mediolaterally), ``(n,) float``.

    z is scaled down about the bone's axis, which keeps the field a distance bound.
    """
    squeeze = np.array([1.0, 1.0, 1.0 / SHAFT_WIDTH_RATIO])
    return tube(points * squeeze, np.asarray(SHAFT_PATH) * squeeze, SHAFT_RADII)


def _proximal(points: FloatArray, neck_axis: FloatArray) -> FloatArray:
    """Head, neck and trochanters, ``(n,) float``; ``neck_axis : (3,) float`` from :func:`neck_direction`."""
    frame = _frame(neck_axis)
    head = sphere(points, (0.0, 0.0, 0.0), HEAD_RADIUS_M)
    neck_mid = -0.55 * NECK_LENGTH_M * neck_axis
    neck = ellipsoid(points, neck_mid, (0.55 * NECK_LENGTH_M + 0.004, 0.0145, 0.0115), frame)
    base = ellipsoid(points, -NECK_LENGTH_M * neck_axis, (0.012, 0.019, 0.014), frame)
    d = smin(head, neck, 0.008)
    d = smin(d, base, 0.010)
    d = smin(d, round_box(points, *GREATER_TROCHANTER), 0.010)
    d = smin(d, capsule(points, *LESSER_TROCHANTER), 0.008)
    d = smin(d, capsule(points, *INTERTROCHANTERIC_CREST), 0.006)
    d = smin(d, capsule(points, *INTERTROCHANTERIC_LINE), 0.006)
    return d


def _condyle_profile(points: FloatArray) -> FloatArray:
    """Sagittal-profile distance of the condyles (envelope of the swept plateau), ``(n,) float``."""
    start, stop, step = CONDYLE_ENVELOPE_DEG
    angles = np.arange(start, stop + 1e-9, step)
    origins = knee.tibia_origin(np.maximum(angles, 0.0))
    level = knee.PLATEAU_Y_M + knee.JOINT_GAP_M
    radians = np.radians(angles)
    normals = np.stack([np.sin(radians), np.cos(radians)], axis=1)
    offsets = level + np.einsum("ij,ij->i", origins[:, :2], normals)
    return (offsets[None, :] - points[:, :2] @ normals.T).max(axis=1)


def _condyles(points: FloatArray) -> FloatArray:
    """Both femoral condyles with the patellar surface, notch and epicondyles, ``(n,) float``."""
    profile = _condyle_profile(points)
    d = np.full(len(points), np.inf)
    for z_centre, half_width, rounding in CONDYLES:
        dz = np.abs(points[:, 2] - z_centre) - half_width
        w = np.stack([profile + rounding, dz], axis=1)
        extruded = np.minimum(w.max(axis=1), 0.0) + np.linalg.norm(np.maximum(w, 0.0), axis=1) - rounding
        d = np.minimum(d, extruded)
    stem, bulb, blend = METAPHYSIS
    d = smax(d, smin(capsule(points, *stem), ellipsoid(points, *bulb), blend), 0.008)
    d = smax(d, points[:, 0] - DISTAL_FRONT_X, 0.006)
    d = smin(d, capsule(points, *TROCHLEA), 0.008)
    d = subtract(d, capsule(points, *TROCHLEAR_GROOVE), 0.006)
    d = subtract(d, capsule(points, *NOTCH), 0.004)
    for center, radius in EPICONDYLES:
        d = smin(d, sphere(points, center, radius), 0.006)
    return d


def make_field() -> Callable[[FloatArray], FloatArray]:
    """Build the signed-distance field of the right femur.

    Returns
    -------
    callable
        ``points : (n, 3) float`` in the femur frame (metres) -> ``(n,) float``, negative inside.
    """
    neck_axis = neck_direction()

    def proximal(points: FloatArray) -> FloatArray:
        """Head, neck and trochanters with this femur's neck axis."""
        return _proximal(points, neck_axis)

    def field(points: FloatArray) -> FloatArray:
        """Signed distance to the femur, ``points : (n, 3) float -> (n,) float``."""
        d = smin(bounded(points, (-0.05, -0.085, -0.03), (0.03, 0.03, 0.065), proximal), _shaft(points), 0.009)
        d = smin(d, tube(points, GLUTEAL_TUBEROSITY, GLUTEAL_TUBEROSITY_RADII), 0.005)
        d = smin(d, tube(points, LINEA_ASPERA, LINEA_ASPERA_RADII), 0.004)
        d = smin(d, tube(points, LATERAL_SUPRACONDYLAR, 0.0035), 0.008)
        distal = bounded(points, (-0.04, -0.43, -0.05), (0.05, -0.31, 0.05), _condyles)
        d = smin(d, distal, 0.014)
        return subtract(d, capsule(points, *ILIOPSOAS_BED[:2], ILIOPSOAS_BED[2], ILIOPSOAS_BED[2]), 0.003)

    return field
