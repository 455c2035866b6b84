"""Right ischium and pubis as a signed-distance field, in the pelvis frame.

Attachment names are rajagopal2016 muscle points on ``pelvis``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from anatviz.meshgen.sampled import Plate
from anatviz.meshgen.sdf import capsule, ellipsoid, smax, smin, sphere, unit

FloatArray = NDArray[np.float64]

#: Posterior column (ischial body) behind the acetabulum: 3 columns (acetabular wall -> sciatic
#: border) of 3 rows (apex of the greater sciatic notch -> ischial spine -> top of the tuberosity).
POSTERIOR_COLUMN = (
    ((-0.0780, -0.0350, 0.0710), (-0.0860, -0.0660, 0.0600), (-0.0840, -0.1000, 0.0600)),
    ((-0.0840, -0.0300, 0.0680), (-0.0970, -0.0630, 0.0540), (-0.0930, -0.1020, 0.0560)),
    ((-0.0860, -0.0300, 0.0650), (-0.1080, -0.0620, 0.0460), (-0.1000, -0.0970, 0.0540)),
)
POSTERIOR_COLUMN_HALF_THICKNESS = ((0.0070, 0.0070, 0.0080), (0.0075, 0.0065, 0.0080), (0.0055, 0.0040, 0.0075))
#: Ischial tuberosity, fitted to the semimem, semiten, bflh and addmagIsch origins, with a flat
#: inferolateral facet through the three hamstring origins (semimem_r, bflh_r, semiten_r pelvis
#: points) so the hamstrings leave the bone instead of running through it.
ISCHIAL_TUBEROSITY = ((-0.0940, -0.1170, 0.0510), (0.0120, 0.0155, 0.0115))
HAMSTRING_FACET = ((-0.0987, -0.1140, 0.0614), (-0.1040, -0.1191, 0.0586), (-0.1038, -0.1253, 0.0515))
HAMSTRING_FACET_OFFSET_M = 0.0015
#: Pubis and ischial ramus as one plate around the obturator foramen: 3 rows (superior pubic
#: ramus from under the psoas_r via point -> centre -> ischiopubic ramus just above the
#: addmagIsch/Dist/Mid/Prox origins) of 3 columns (lateral -> pubic body at the symphysis). The
#: ischiopubic ramus is kept thin and its lower border just above the adductor magnus origins, so
#: the addmagProx_r origin (pelvis -0.0310 -0.1076 0.0137) lies on the bone and the adductor magnus
#: paths that run along the ramus with the hip extended stay outside it.
OBTURATOR_PLATE = (
    ((-0.0340, -0.0720, 0.0660), (-0.0210, -0.0750, 0.0400), (-0.0100, -0.0800, 0.0140)),
    ((-0.0620, -0.1020, 0.0640), (-0.0440, -0.1010, 0.0400), (-0.0200, -0.0940, 0.0080)),
    ((-0.0880, -0.1170, 0.0500), (-0.0600, -0.1150, 0.0300), (-0.0270, -0.0990, 0.0080)),
)
OBTURATOR_PLATE_HALF_THICKNESS = ((0.0085, 0.0070, 0.0080), (0.0090, 0.0060, 0.0080), (0.0080, 0.0038, 0.0048))
#: Small tubercles on the lower border of the ramus where the middle and distal parts of the adductor
#: magnus arise (addmagMid_r pelvis -0.0527 -0.1207 0.0285, addmagDist_r -0.0740 -0.1277 0.0398):
#: centre and radius (shape). On the smoothed mesh the origins lie 2 to 3 mm from the bone.
ADDUCTOR_TUBERCLES = (((-0.0527, -0.1164, 0.0271), 0.0050), ((-0.0740, -0.1234, 0.0384), 0.0050))
#: Obturator foramen: ellipse in the plate (radius across, radius along the rami, shape).
FORAMEN_RADII = (0.0140, 0.0200)
#: Pubic symphysis: a bar along z reaching past the midline, where it meets its mirror image.
SYMPHYSIS = ((-0.0190, -0.0910, 0.0120), (-0.0190, -0.0910, -0.0040), 0.0090, 0.0090)


def _foramen_frame() -> tuple[FloatArray, FloatArray]:
    """Centre ``(3,)`` and axes ``(3, 3)`` (columns: across, along, normal) of the foramen."""
    plate = np.asarray(OBTURATOR_PLATE, dtype=float)
    across = unit(plate[1, 2] - plate[1, 0])
    along = plate[2, 1] - plate[0, 1]
    normal = unit(np.cross(across, along))
    return plate[1, 1], np.stack([across, np.cross(normal, across), normal], axis=1)


def foramen(points: FloatArray) -> FloatArray:
    """Solid to carve out for the obturator foramen, ``points : (n, 3) float -> (n,) float``."""
    centre, axes = _foramen_frame()
    return ellipsoid(points, centre, (*FORAMEN_RADII, 0.03), axes)


def _tuberosity(points: FloatArray) -> FloatArray:
    """Ischial tuberosity cut by the hamstring facet, ``(n,) float``."""
    a, b, c = np.asarray(HAMSTRING_FACET, dtype=float)
    centre = np.asarray(ISCHIAL_TUBEROSITY[0])
    normal = unit(np.cross(b - a, c - a))
    normal = normal if normal @ (a - centre) > 0 else -normal
    facet = (points - a) @ normal - HAMSTRING_FACET_OFFSET_M
    return smax(ellipsoid(points, *ISCHIAL_TUBEROSITY), facet, 0.004)


def make_field() -> Callable[[FloatArray], FloatArray]:
    """Build the signed-distance field of the right ischium and pubis.

    Returns
    -------
    callable
        ``points : (n, 3) float`` in the pelvis frame -> ``(n,) float``, negative inside.
    """
    column = Plate(POSTERIOR_COLUMN, POSTERIOR_COLUMN_HALF_THICKNESS)
    plate = Plate(OBTURATOR_PLATE, OBTURATOR_PLATE_HALF_THICKNESS)

    def field(points: FloatArray) -> FloatArray:
        """Signed distance to the ischium and pubis, ``points : (n, 3) float -> (n,) float``."""
        d = smin(plate.distance(points), column.distance(points), 0.010)
        d = smin(d, _tuberosity(points), 0.010)
        for centre, radius in ADDUCTOR_TUBERCLES:
            d = smin(d, sphere(points, centre, radius), 0.003)
        return smin(d, capsule(points, *SYMPHYSIS), 0.006)

    return field
