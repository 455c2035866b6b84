"""The pelvis's tilt, drawn, for a scene whose pelvis drop is solved (``[pelvis_drop]``: Trendelenburg):
a thick line through the two hip centres and a thin level line from the stance hip centre, so that the
drop reads from the back of a lecture hall as the angle between them (stated in degrees under the title,
:mod:`.readout`).

Drawn on top of the bones (the hip centres lie inside the femoral heads), in the layer the levers use;
the points are updated in place every frame. The world's y axis is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ..hipmodel import Motion
from .camera import landmark_at
from .levers import line_actor, remove_top_layer, top_layer

if TYPE_CHECKING:
    from .view import HipView

PELVIS_LINE_COLOUR = "#56B4E9"  # sky blue (Okabe-Ito), as the levers: not in the activation scale
PELVIS_LINE_WIDTH_PX_AT_720 = 6.0
LEVEL_LINE_WIDTH_PX_AT_720 = 2.5
STANCE_HIP, SWING_HIP = "hip_centre_r", "hip_centre_l"  # the solved drop is for stance on the right leg
BEYOND_STANCE, BEYOND_SWING = 0.35, 0.6  # how far the lines run past the hip centres, in hip widths


class PelvisLevelOverlay:
    """The pelvis line and the level line of a :class:`HipView` (none without a ``[pelvis_drop]``).

    Parameters
    ----------
    view : HipView
    text_colour : str
        The level line's colour (the picture's text colour: it reads on the background).
    """

    def __init__(self, view: "HipView", text_colour: str) -> None:
        self.view = view
        self.layer = None
        if view.scene.pelvis_drop is None:
            return
        scale = view.size[1] / 720.0
        self.layer = top_layer(view)
        self.level, self.level_actor = line_actor(self.layer, text_colour, LEVEL_LINE_WIDTH_PX_AT_720 * scale)
        self.pelvis, self.pelvis_actor = line_actor(self.layer, PELVIS_LINE_COLOUR,
                                                    PELVIS_LINE_WIDTH_PX_AT_720 * scale)

    def remove(self) -> None:
        """Take the lines' layer out of the picture."""
        if self.layer is not None:
            remove_top_layer(self.view, self.layer)
            self.layer = None

    def update(self, motion: Motion, frame: int) -> None:
        """Put the lines at a frame of ``motion``; shown while the pelvis is."""
        if self.layer is None:
            return
        shown = bool(self.view.visible.get("pelvis", False))
        self.pelvis_actor.SetVisibility(shown)
        self.level_actor.SetVisibility(shown)
        if not shown:
            return
        stance = landmark_at(self.view.model, motion, frame, STANCE_HIP)
        across = landmark_at(self.view.model, motion, frame, SWING_HIP) - stance
        level = across * np.array([1.0, 0.0, 1.0])  # the same, horizontal
        level *= np.linalg.norm(across) / max(float(np.linalg.norm(level)), 1e-12)
        for line, direction in ((self.pelvis, across), (self.level, level)):
            line.points[:] = np.array([stance - BEYOND_STANCE * direction, stance + (1.0 + BEYOND_SWING) * direction])
            line.Modified()
