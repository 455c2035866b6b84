"""Sacrum and coccyx as a signed-distance field, in the pelvis frame (symmetric about z = 0)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from anatviz.meshgen.sampled import Plate
from anatviz.meshgen.sdf import ellipsoid, halfspace, smax, smin, sphere, subtract, tube

FloatArray = NDArray[np.float64]

#: Transverse rows of the sacral plate, base (S1) to apex (S5): mid-surface x and y at the midline,
#: half width, forward sweep of the lateral parts, half thickness. Shape only, placed so that the
#: piri origin (-0.1018 -0.0065 0.0135, anterior surface), the glmax3 origin (-0.1300 -0.0525
#: 0.0090, posterior surface) and the glmax2 origin (-0.1317 0.0087 0.0462, at the sacroiliac
#: junction) lie on it; concave anteriorly.
SACRAL_ROWS = (
    (-0.1010, 0.0330, 0.0500, 0.0080, 0.0120),
    (-0.1085, 0.0100, 0.0440, 0.0070, 0.0105),
    (-0.1170, -0.0140, 0.0300, 0.0050, 0.0085),
    (-0.1235, -0.0350, 0.0190, 0.0030, 0.0068),
    (-0.1245, -0.0530, 0.0100, 0.0010, 0.0055),
)
#: Samples across each row (odd, so one lies on the midline).
SACRAL_COLUMNS = 7
#: S1 vertebral body (ellipsoid: centre, radii) with its flat superior endplate facing up and
#: forward at the sacral slope (point on the plate, slope in degrees); its front edge is the
#: promontory (shape).
S1_BODY = ((-0.0980, 0.0300, 0.0), (0.0180, 0.0190, 0.0240))
S1_ENDPLATE = ((-0.0980, 0.0440, 0.0), 35.0)
#: Median sacral crest along the back (shape).
MEDIAN_CREST = ((-0.1160, 0.0300, 0.0), (-0.1230, 0.0050, 0.0), (-0.1300, -0.0200, 0.0),
                (-0.1320, -0.0400, 0.0))
MEDIAN_CREST_RADII = (0.0050, 0.0050, 0.0040, 0.0030)
#: Anterior sacral foramina, four pairs: (x offset in front of the mid-surface, y, |z|, radius),
#: carved as dimples (shape).
FORAMINA = ((0.0090, 0.0200, 0.0140, 0.0045), (0.0075, 0.0010, 0.0125, 0.0040),
            (0.0065, -0.0180, 0.0110, 0.0035), (0.0060, -0.0330, 0.0095, 0.0030))
#: Coccyx, curving forward from the sacral apex (shape).
COCCYX = ((-0.1240, -0.0560, 0.0), (-0.1210, -0.0680, 0.0), (-0.1140, -0.0790, 0.0), (-0.1060, -0.0850, 0.0))
COCCYX_RADII = (0.0065, 0.0050, 0.0040, 0.0030)


def plate() -> Plate:
    """The sacral plate: a curved triangle, wide at the base, concave anteriorly."""
    rows = np.asarray(SACRAL_ROWS, dtype=float)
    s = np.linspace(-1.0, 1.0, SACRAL_COLUMNS)
    control = np.empty((len(rows), len(s), 3))
    control[:, :, 0] = rows[:, None, 0] + rows[:, None, 3] * s[None, :] ** 2
    control[:, :, 1] = rows[:, None, 1] - 0.006 * s[None, :] ** 2 * (rows[:, None, 2] / 0.050)  # alae slope down
    control[:, :, 2] = rows[:, None, 2] * s[None, :]
    return Plate(control, rows[:, None, 4] * (1.0 - 0.25 * s[None, :] ** 2))


def _s1(points: FloatArray) -> FloatArray:
    """S1 body cut by its superior endplate, ``(n,) float``."""
    point, slope = S1_ENDPLATE
    angle = np.radians(slope)
    return smax(ellipsoid(points, *S1_BODY), halfspace(points, point, (np.sin(angle), np.cos(angle), 0.0)), 0.003)


def _foramina(points: FloatArray) -> FloatArray:
    """Dimples of the anterior sacral foramina, ``(n,) float``."""
    rows = np.asarray(SACRAL_ROWS, dtype=float)
    result = np.full(len(points), np.inf)
    for dx, y, z, radius in FORAMINA:
        x = np.interp(y, rows[::-1, 1], rows[::-1, 0]) + dx
        for side in (-1.0, 1.0):
            np.minimum(result, sphere(points, (x, y, side * z), radius), out=result)
    return result


def make_field() -> Callable[[FloatArray], FloatArray]:
    """Build the signed-distance field of the sacrum and coccyx.

    Returns
    -------
    callable
        ``points : (n, 3) float`` in the pelvis frame -> ``(n,) float``, negative inside.
    """
    sacral_plate = plate()

    def field(points: FloatArray) -> FloatArray:
        """Signed distance to the sacrum, ``points : (n, 3) float -> (n,) float``."""
        d = sacral_plate.distance(points)
        d = smin(d, _s1(points), 0.010)
        d = smin(d, tube(points, MEDIAN_CREST, MEDIAN_CREST_RADII), 0.008)
        d = subtract(d, _foramina(points), 0.003)
        return smin(d, tube(points, COCCYX, COCCYX_RADII), 0.006)

    return field
