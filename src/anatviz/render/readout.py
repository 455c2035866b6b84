"""What the activation model says, on screen: the gluteus-maximus-to-hamstrings ratio, the computed
pelvis drop of a Trendelenburg scene and a readout table of length, force capacity and activation, all
updated in place every frame.

The ratio sits under the title in large bold type (28 px at 720p, so it reads from the back of a lecture
theatre), one value per side: always both, so that a still and the animation read alike and a
one-sided weakness shows at once (even a symmetric exercise can load the sides differently). A scene
with a ``[pelvis_drop]`` states its solved drop the same way, above the ratio if it has one.
The readout table sits at the lower left, in a fixed-width font on a translucent box. For a group its row shows means weighted by the maximum
isometric forces (as the ratio's activations are), so that the large bundles count for more:

- ``length``: musculotendon length (cm);
- ``fibre/optimal``: fibre length as a percentage of the optimal fibre length (the force-length relation's
  peak is at 100 %);
- ``capacity``: the force a fully active muscle can make at that length (strength x force-length x
  cos pennation) as a percentage of its maximum isometric force;
- ``activation``: the estimated activation, percent of maximum.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import vtk
from numpy.typing import NDArray

from ..activation.trendelenburg import MAX_DROP_DEG, abductor_strength
from ..scene.activation_track import SIDES, MuscleState
from ..scene.schema import PelvisDropSpec
from . import style as S

if TYPE_CHECKING:
    from .view import HipView

RATIO_FONT_AT_720 = 28
RATIO_WIDEST = "gluteus maximus : hamstrings   R 10.00   L 10.00"  # what the ratio line must fit
READOUT_FONT_AT_720 = 16
HEADLINE_LINE_HEIGHT = 1.35  # a headline line's height, in font sizes


def hip_members(model, members: list[str]) -> list[str]:
    """The members of a readout row: a group's muscles that cross a hip, when some do (the readout is
    about the hip: the biceps femoris short head, which crosses only the knee, is left out of the
    hamstrings' row, as it is of the ratio); otherwise all of them."""
    members = [m for m in members if m in model.muscles]
    at_hip = [m for m in members if any(c.startswith("hip_") for c in model.crossed[m])]
    return at_hip or members


def ratio_text(state: MuscleState) -> str:
    """'gluteus maximus : hamstrings   R 1.30   L 0.85': each side's ratio at the frame; a side whose
    hamstrings are silent (NaN) reads 'n/a', and both silent read 'n/a: hamstrings silent'."""
    if not any(np.isfinite(state.ratio[side]) for side in SIDES):
        return "gluteus maximus : hamstrings   n/a: hamstrings silent"
    parts = [f"{side.upper()} {state.ratio[side]:.2f}" if np.isfinite(state.ratio[side]) else f"{side.upper()} n/a"
             for side in SIDES]
    return "gluteus maximus : hamstrings   " + "   ".join(parts)


def drop_text(spec: PelvisDropSpec, strength: float, *, solved: bool = True) -> str:
    """'pelvis drops 6.4° on the left   (Hip abductors R at 5%)': the solved drop and the abductors'
    strength (0 to 1) it was solved for; ``solved`` False while a slider moves (solved at rest)."""
    if not solved:
        drop = "pelvis drop: solved when the slider stops"
    elif not spec.held:
        drop = f"pelvis drops over {MAX_DROP_DEG:.0f}\N{DEGREE SIGN} on the left"
    elif spec.drop_deg == 0.0:
        drop = "pelvis level"
    else:
        drop = f"pelvis drops {spec.drop_deg:.1f}\N{DEGREE SIGN} on the left"
    return f"{drop}   ({spec.label} at {strength:.0%})"


def row_label(name: str) -> str:
    """'hamstrings_r' -> 'hamstrings R'; 'gluteus_maximus_middle_l' -> 'gluteus maximus middle L'."""
    side = {"_r": " R", "_l": " L"}.get(name[-2:], "")
    return (name[:-2] if side else name).replace("_", " ") + side


def readout_rows(muscles: list[str], max_force_n: NDArray[np.float64], state: MuscleState,
                 rows: dict[str, list[str]]) -> list[tuple[str, float, float, float, float]]:
    """Per row: (label, length cm, fibre % of optimal, capacity %, activation %), force-weighted means
    over the row's muscles.

    Parameters
    ----------
    muscles : list of str
        The order of ``state``'s arrays; ``max_force_n`` is (m,) in the same order.
    rows : dict of str to list of str
        Row name (a muscle or group) -> its muscles.
    """
    out = []
    for name, members in rows.items():
        index = [muscles.index(m) for m in members]
        w = max_force_n[index] / max_force_n[index].sum()
        out.append((row_label(name), 100.0 * float(w @ state.lengths_m[index]),
                    100.0 * float(w @ state.normalised_fibre_length[index]),
                    100.0 * float(w @ state.capacity_share[index]), 100.0 * float(w @ state.activation[index])))
    return out


def readout_text(rows: list[tuple[str, float, float, float, float]]) -> str:
    """The table as fixed-width text, a header line first."""
    width = max([len(r[0]) for r in rows] + [6])
    lines = [f"{'':<{width}}  {'length':>7}  {'fibre/optimal':>13}  {'capacity':>8}  {'activation':>10}"]
    for label, length_cm, fibre, capacity, activation in rows:
        lines.append(f"{label:<{width}}  {length_cm:>4.1f} cm  {fibre:>12.0f}%  {capacity:>7.0f}%  {activation:>9.0f}%")
    return "\n".join(lines)


def text_box(prop: vtk.vtkTextProperty, text_colour: str, background: str) -> None:
    """A translucent box behind the text, so that it reads over bones: the background's colour behind
    light text, white behind dark text (a light or transparent background)."""
    box = background if not S.is_dark(text_colour) else "#ffffff"
    prop.SetBackgroundColor(*(c / 255 for c in S.hex_to_rgb(box)))
    prop.SetBackgroundOpacity(0.7)


class ActivationOverlay:
    """The pelvis drop and ratio lines and the readout table of a :class:`HipView` in activation mode."""

    def __init__(self, view: "HipView", text_colour: str, title_bottom: float) -> None:
        self.view = view
        self._title_bottom = title_bottom
        scene = view.scene
        self.track = view.frames.activation
        self.ratio = self.drop = self.readout = None
        rgb = tuple(c / 255 for c in S.hex_to_rgb(text_colour))
        self._colours = (text_colour, rgb)
        self._next_top = title_bottom  # where the next headline line goes (normalised height)
        if scene.pelvis_drop is not None and self.track is not None:
            widest = max(drop_text(replace(scene.pelvis_drop, drop_deg=MAX_DROP_DEG - 0.1), 1.0),
                         drop_text(scene.pelvis_drop, 1.0, solved=False), key=len)
            self.drop = self._headline(widest)
        if scene.ratio and self.track is not None:
            self.ratio = self._headline(RATIO_WIDEST)
        self._rows = {name: hip_members(view.model, view._expand(name)) for name in scene.readout}
        if self._rows and self.track is not None:
            self.readout = vtk.vtkTextActor()
            prop = self.readout.GetTextProperty()
            prop.SetFontFamilyToCourier()
            prop.SetFontSize(view.font_px(READOUT_FONT_AT_720))
            prop.SetBold(True)
            prop.SetColor(*rgb)
            text_box(prop, text_colour, scene.background)
            prop.SetVerticalJustificationToBottom()
            # the table must leave the colour bar (from 64% of the width) free
            widest = readout_text([(row_label(name), 99.9, 100.0, 100.0, 100.0) for name in self._rows])
            S.fit_font(prop, widest, 0.6 * view.size[0])
            self.readout.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
            self.readout.SetPosition(0.015, 0.075)
            view.plotter.add_actor(self.readout, render=False)

    def _headline(self, widest: str) -> vtk.vtkTextActor:
        """A large bold line under the title (or under the headline line before it), its font fitted so
        that ``widest`` fits the picture's width."""
        view = self.view
        text_colour, rgb = self._colours
        actor = vtk.vtkTextActor()
        prop = actor.GetTextProperty()
        prop.SetFontSize(view.font_px(RATIO_FONT_AT_720))
        prop.SetBold(True)
        prop.SetColor(*rgb)
        prop.SetVerticalJustificationToTop()
        text_box(prop, text_colour, view.scene.background)
        S.fit_font(prop, widest, 0.97 * view.size[0])
        actor.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
        actor.SetPosition(0.015, self._next_top)
        self._next_top -= HEADLINE_LINE_HEIGHT * prop.GetFontSize() / view.size[1]
        view.plotter.add_actor(actor, render=False)
        return actor

    def remove(self) -> None:
        """Take the drop and ratio lines and the readout out of the picture."""
        for actor in (self.drop, self.ratio, self.readout):
            if actor is not None:
                self.view.plotter.remove_actor(actor, render=False)
        self.ratio = self.drop = self.readout = None

    def update(self, state: MuscleState | None, shown: bool) -> None:
        """Show ``state`` (None hides them all: not in activation mode)."""
        for actor in (self.drop, self.ratio, self.readout):
            if actor is not None:
                actor.SetVisibility(state is not None and shown)
        if state is None:
            return
        if self.drop is not None:
            self.drop.SetInput(self.drop_line())
        if self.ratio is not None:
            self.ratio.SetInput(ratio_text(state))
        if self.readout is not None and self.track is not None:
            rows = readout_rows(self.track.muscles, self.track.max_force_n, state, self._rows)
            self.readout.SetInput(readout_text(rows))

    def drop_line(self) -> str:
        """The pelvis drop line (:func:`drop_text`) for the view's scene and strength now; '' for a scene
        without a ``[pelvis_drop]``."""
        view = self.view
        if view.scene.pelvis_drop is None:
            return ""
        return drop_text(view.scene.pelvis_drop, abductor_strength(view.model, view.scene, view.strength),
                         solved=not view.drop_pending)

    def bottom_of_headline_px(self) -> float | None:
        """Height (pixels from the bottom) of the lowest shown headline line's lower edge (the ratio's,
        or the pelvis drop's), or None when none is shown."""
        shown = [a for a in (self.drop, self.ratio) if a is not None and a.GetVisibility()]
        if not shown:
            return None
        return (self._title_bottom * self.view.size[1]
                - HEADLINE_LINE_HEIGHT * sum(a.GetTextProperty().GetFontSize() for a in shown))

    def top_of_readout(self) -> float:
        """Height (pixels from the bottom) above which labels may go."""
        if self.readout is None or not self.readout.GetVisibility():
            return 0.0
        lines = len(self._rows) + 1
        return 0.075 * self.view.size[1] + lines * 1.25 * self.readout.GetTextProperty().GetFontSize()
