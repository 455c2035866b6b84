"""Pelvis (both hip bones, the pubic symphysis and the sacrum) as a signed-distance field.

Frame (rajagopal2016): metres, origin midway between the anterior superior iliac spines, x anterior,
y up, z to the right. The right hip bone is modelled (ilium, ischium and pubis around the
acetabulum); the left one is its mirror image (the field is evaluated at |z|), so the two meet at
the pubic symphysis. The sacrum joins both at the sacroiliac joints.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from anatviz.meshgen import femur, ilium, ischiopubic, sacrum
from anatviz.meshgen.sdf import bounded, ellipsoid, halfspace, smax, smin, sphere, subtract, unit

FloatArray = NDArray[np.float64]

BOUNDS = ((-0.175, -0.150, -0.150), (0.030, 0.090, 0.150))
SPACING_M = 0.0013
TARGET_FACES = 32_000

#: Right hip joint centre = acetabulum centre (rajagopal2016).
HIP_CENTRE = (-0.0563, -0.0785, 0.0773)
#: Socket radius: femoral head plus 1.7 mm of joint space (shape).
SOCKET_RADIUS_M = femur.HEAD_RADIUS_M + 0.0017
#: Opening of the socket: tilted down from lateral by the inclination and forward by the
#: anteversion (textbook: ~40 deg and ~20 deg).
ACETABULUM_INCLINATION_DEG = 40.0
ACETABULUM_ANTEVERSION_DEG = 20.0
#: Outer radius of the acetabular cup, rim plane beyond the centre, medial wall plane behind it.
ACETABULUM_OUTER_RADIUS_M = 0.0315
RIM_OFFSET_M = 0.0020
MEDIAL_WALL_M = 0.0300
#: Acetabular notch at the bottom of the rim: distance from the centre and radius (shape).
ACETABULAR_NOTCH = (0.0330, 0.0080)


#: Greater sciatic notch, carved as an ellipsoid (centre, radii): keeps the piri_r path from its
#: sacral origin to its via point (-0.1020 -0.0307 0.0609) in the notch free of bone (shape).
SCIATIC_NOTCH = ((-0.1080, -0.0320, 0.0550), (0.0150, 0.0120, 0.0300))


def acetabulum_axis() -> FloatArray:
    """Unit vector along which the right socket opens, ``(3,) float``."""
    inc, av = np.radians([ACETABULUM_INCLINATION_DEG, ACETABULUM_ANTEVERSION_DEG])
    return unit([np.cos(inc) * np.sin(av), -np.sin(inc), np.cos(inc) * np.cos(av)])


def _acetabulum(points: FloatArray) -> FloatArray:
    """Acetabular cup: a slab of a ball between rim plane and medial wall, ``(n,) float``."""
    axis = acetabulum_axis()
    centre = np.asarray(HIP_CENTRE)
    cup = sphere(points, centre, ACETABULUM_OUTER_RADIUS_M)
    cup = smax(cup, halfspace(points, centre + RIM_OFFSET_M * axis, axis), 0.004)
    return smax(cup, halfspace(points, centre - MEDIAL_WALL_M * axis, -axis), 0.006)


def _socket(points: FloatArray) -> FloatArray:
    """Solid carved out of the cup: the socket ball and the acetabular notch, ``(n,) float``."""
    axis = acetabulum_axis()
    down = unit(np.array([0.0, -1.0, 0.0]) - axis[1] * -axis)
    distance, radius = ACETABULAR_NOTCH
    notch = sphere(points, np.asarray(HIP_CENTRE) + distance * down + 0.006 * axis, radius)
    return smin(sphere(points, HIP_CENTRE, SOCKET_RADIUS_M), notch, 0.004)


def make_field() -> Callable[[FloatArray], FloatArray]:
    """Build the signed-distance field of the whole pelvis.

    Returns
    -------
    callable
        ``points : (n, 3) float`` in the pelvis frame -> ``(n,) float``, negative inside.
    """
    ilium_field = ilium.make_field()
    lower_field = ischiopubic.make_field()
    sacrum_field = sacrum.make_field()

    def hip_bone(points: FloatArray) -> FloatArray:
        """Signed distance to the right hip bone, ``points : (n, 3) float -> (n,) float``."""
        d = bounded(points, (-0.160, -0.090, 0.010), (0.012, 0.070, 0.145), ilium_field)
        d = smin(d, _acetabulum(points), 0.010)
        lower = bounded(points, (-0.125, -0.140, -0.015), (0.000, -0.015, 0.085), lower_field)
        d = smin(d, lower, 0.010)
        d = subtract(d, ischiopubic.foramen(points), 0.004)
        d = subtract(d, ellipsoid(points, *SCIATIC_NOTCH), 0.004)
        return subtract(d, _socket(points), 0.002)

    def field(points: FloatArray) -> FloatArray:
        """Signed distance to the pelvis, ``points : (n, 3) float -> (n,) float``."""
        folded = np.where(points[:, 2:3] >= 0.0, points, points * np.array([1.0, 1.0, -1.0]))
        spine = bounded(points, (-0.145, -0.095, -0.065), (-0.075, 0.055, 0.065), sacrum_field)
        return smin(hip_bone(folded), spine, 0.006)

    return field
