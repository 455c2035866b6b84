"""Right ilium (wing, crest, spines) as a signed-distance field, in the pelvis frame.

Attachment names are rajagopal2016 muscle points on ``pelvis``; "mid" means the point moved about
3 mm into the bone along the surface normal, onto the mid-surface of the wing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from anatviz.meshgen.sampled import Plate, Tube
from anatviz.meshgen.sdf import ellipsoid, smin

FloatArray = NDArray[np.float64]

#: Mid-surface of the iliac wing: 7 columns (anterior border at the ASIS -> posterior border at
#: the PSIS) of 4 rows (iliac crest -> body above the acetabulum). Row 0 is the crest, flared
#: outward (shape) with the tfl origin on its outer lip; row 1 passes the glmed1, glmed2 and glmax1
#: (outer) and iliacus (inner) origins, row 2 the glmin1-3 and glmed3 origins; row 3 is kept medial
#: so the gluteal lines pass outside it. Where a gluteal origin lies on the outer face (glmed1,
#: glmed2, glmin3, glmed3, glmax1) the control point sits one half thickness in from it, so that
#: the origin is on the bone's surface rather than buried in it (a path leaving a buried origin
#: runs inside the wing for centimetres). Column 0 is the anterior border (ASIS, notch,
#: AIIS), column 6 the posterior border (PSIS, PIIS, top of the greater sciatic notch). ASIS 7 mm
#: inside the RASI marker, PSIS 9 mm inside RPSI.
WING = (
    ((0.0000, 0.0100, 0.1180), (-0.0120, -0.0100, 0.1080), (-0.0260, -0.0340, 0.0920), (-0.0300, -0.0500, 0.0860)),
    ((-0.0220, 0.0290, 0.1270), (-0.0280, 0.0100, 0.1120), (-0.0340, -0.0170, 0.1010), (-0.0400, -0.0470, 0.0920)),
    ((-0.0450, 0.0460, 0.1320), (-0.0460, 0.0250, 0.1122), (-0.0470, -0.0150, 0.0990), (-0.0510, -0.0450, 0.0900)),
    ((-0.0700, 0.0570, 0.1180), (-0.0620, 0.0310, 0.0870), (-0.0610, -0.0142, 0.0915), (-0.0640, -0.0460, 0.0800)),
    ((-0.0950, 0.0600, 0.0980), (-0.0835, 0.0316, 0.0634), (-0.0775, -0.0155, 0.0740), (-0.0780, -0.0420, 0.0660)),
    ((-0.1200, 0.0540, 0.0700), (-0.1183, 0.0345, 0.0502), (-0.1087, -0.0073, 0.0478), (-0.0900, -0.0210, 0.0650)),
    ((-0.1450, 0.0320, 0.0460), (-0.1270, 0.0120, 0.0440), (-0.1240, -0.0020, 0.0455), (-0.1060, -0.0080, 0.0530)),
)
#: Half thickness of the wing at the same control points (shape: thin iliac fossa, thick body
#: above the acetabulum and thick posterior part at the sacroiliac joint).
WING_HALF_THICKNESS = (
    (0.0045, 0.0040, 0.0060, 0.0080),
    (0.0040, 0.0030, 0.0045, 0.0090),
    (0.0040, 0.0028, 0.0040, 0.0095),
    (0.0040, 0.0028, 0.0045, 0.0080),
    (0.0045, 0.0035, 0.0055, 0.0075),
    (0.0060, 0.0060, 0.0040, 0.0070),
    (0.0080, 0.0070, 0.0065, 0.0055),
)
#: Iliac crest rim: radius of the thickened lip along row 0 (tubercle and PSIS thickest, shape).
CREST_RADII = (0.0060, 0.0055, 0.0070, 0.0060, 0.0058, 0.0065, 0.0080)
#: Anterior superior iliac spine (ASIS) and anterior inferior iliac spine (AIIS, rect_fem origin
#: recfem_r pelvis point -0.0240 -0.0388 0.0933 on its tip), as ellipsoids (shape).
ASIS = ((0.0010, 0.0090, 0.1175), (0.0085, 0.0075, 0.0065))
AIIS = ((-0.0300, -0.0380, 0.0905), (0.0060, 0.0075, 0.0065))
#: Pelvic brim: arcuate line on the inner ilium from the sacral ala to the iliopubic eminence
#: (under the psoas_r via point -0.0205 -0.0654 0.0656), then the pecten pubis (shape).
PELVIC_BRIM = ((-0.1000, 0.0200, 0.0420), (-0.0840, -0.0150, 0.0560), (-0.0620, -0.0480, 0.0600),
               (-0.0360, -0.0660, 0.0580), (-0.0180, -0.0720, 0.0400), (-0.0080, -0.0760, 0.0180))
PELVIC_BRIM_RADII = (0.0050, 0.0045, 0.0040, 0.0045, 0.0040, 0.0045)
#: Sacroiliac joint: the auricular surface region bridging ilium and sacral ala (shape).
SACROILIAC = ((-0.1120, 0.0120, 0.0420), (0.0190, 0.0200, 0.0090))


def make_field() -> Callable[[FloatArray], FloatArray]:
    """Build the signed-distance field of the right ilium.

    Returns
    -------
    callable
        ``points : (n, 3) float`` in the pelvis frame -> ``(n,) float``, negative inside.
    """
    wing = Plate(WING, WING_HALF_THICKNESS)
    crest = Tube(np.asarray(WING)[:, 0], CREST_RADII)
    brim = Tube(PELVIC_BRIM, PELVIC_BRIM_RADII)

    def field(points: FloatArray) -> FloatArray:
        """Signed distance to the ilium, ``points : (n, 3) float -> (n,) float``."""
        d = wing.distance(points)
        d = smin(d, crest.distance(points), 0.006)
        d = smin(d, ellipsoid(points, *ASIS), 0.006)
        d = smin(d, ellipsoid(points, *AIIS), 0.008)
        d = smin(d, brim.distance(points), 0.008)
        return smin(d, ellipsoid(points, *SACROILIAC), 0.008)

    return field
