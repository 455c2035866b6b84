"""Title, status line, legend, colour bar and labels with leader lines; sized for the picture.

Labels sit in two columns at the picture's left and right edges, ordered by the height of the muscle
they point to, so leader lines do not cross; they are laid out again whenever the camera changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import vtk
from matplotlib import colormaps
from numpy.typing import NDArray

from ..hipmodel import Motion
from . import style as S
from .readout import text_box

STATUS_MAX_ITEMS = 4
BAR_HEIGHT = 0.11  # the colour bar's height, a share of the picture's, at text scale 1

if TYPE_CHECKING:
    from .view import HipView


class Annotations:
    """The 2D overlays of a :class:`HipView`."""

    def __init__(self, view: "HipView") -> None:
        self.view = view
        scene = view.scene
        dark = S.is_dark(scene.background) and not scene.transparent
        self.text_colour = S.TEXT_COLOUR_ON_DARK if dark else S.TEXT_COLOUR_ON_LIGHT
        self.height = view.size[1]
        cmap = colormaps[S.ACTIVITY_CMAP]
        lo, hi = S.ACTIVITY_CMAP_RANGE
        self._cmap = lambda share: cmap(lo + (hi - lo) * float(np.clip(share, 0.0, 1.0)))  # noqa: E731
        self._owned: list[vtk.vtkProp] = []  # every actor added here, for remove()
        self.title = self._text(scene.title, (0.015, 0.955), self.view.font_px(22), bold=True)
        S.fit_font(self.title.GetTextProperty(), scene.title, 0.97 * view.size[0])
        self.status = self._text("", (0.015, 0.02), self.view.font_px(15))
        self.captions: dict[tuple[str, str], vtk.vtkCaptionActor2D] = {}
        self.scalar_bar = None
        self.bar_title = None
        if scene.colorbar and view.frames.drive_nm is not None:
            self.scalar_bar = self._scalar_bar("Drive, N m", view.frames.drive_scale_nm, "%.0f")
        elif scene.colorbar and view.frames.activation is not None:
            # the scale a lecturer points at: larger type, its title above the bar, labels below
            self.scalar_bar = self._scalar_bar("", 100.0, "%.0f", font_at_720=15, blend=True)
            self.bar_title = self._text("activation (% of maximum)", (0.81, self._bar_top() + 0.003),
                                        self.view.font_px(16), bold=True)
            self.bar_title.GetTextProperty().SetJustificationToCentered()
        self._legend_key: tuple = ()
        self.legend_actors: list[vtk.vtkTextActor] = []
        self._label_anchor_cache: dict[tuple[str, str], NDArray[np.float64]] = {}

    # -- pieces ------------------------------------------------------------------------------------
    def _text(self, text: str, position: tuple[float, float], size_px: int, *, bold: bool = False) -> vtk.vtkTextActor:
        actor = vtk.vtkTextActor()
        actor.SetInput(text)
        actor.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
        actor.SetPosition(*position)
        prop = actor.GetTextProperty()
        prop.SetFontSize(size_px)
        prop.SetColor(*(c / 255 for c in S.hex_to_rgb(self.text_colour)))
        prop.SetBold(bold)
        prop.SetVerticalJustificationToBottom() if position[1] < 0.5 else prop.SetVerticalJustificationToTop()
        self.view.plotter.add_actor(actor, render=False)
        self._owned.append(actor)
        return actor

    def remove(self) -> None:
        """Take every overlay drawn here out of the picture (the view is about to build new ones)."""
        plotter = self.view.plotter
        for actor in [*self._owned, *self.captions.values()]:
            plotter.remove_actor(actor, render=False)
        self._owned, self.captions, self.legend_actors = [], {}, []

    def _bar_top(self) -> float:
        """Normalised height of the colour bar's top edge (the bar grows with the text scale)."""
        return 0.015 + BAR_HEIGHT * self.view.text_scale

    def activity_rgb(self, share: float) -> tuple[int, int, int]:
        """Colour of a muscle whose drive is ``share`` of the scene's largest."""
        r, g, b, _ = self._cmap(share)
        return int(r * 255), int(g * 255), int(b * 255)

    def title_bottom(self) -> float:
        """Normalised height just below the title line (where the ratio line goes)."""
        return 0.955 - 1.45 * self.title.GetTextProperty().GetFontSize() / self.height

    def _scalar_bar(self, title: str, scale: float, label_format: str, *, font_at_720: int = 13,
                    blend: bool = False) -> vtk.vtkScalarBarActor:
        """A horizontal colour bar; ``blend`` draws the activation scale's grey start as the muscles show it
        (see :func:`.style.activation_look`)."""
        lut = vtk.vtkLookupTable()
        lut.SetNumberOfTableValues(256)
        for i in range(256):
            rgba = self._cmap(i / 255)
            if blend:
                rgb = S.activation_look(i / 255, self.activity_rgb(i / 255), 1.0, context=False)[0]
                rgba = (*(c / 255 for c in rgb), 1.0)
            lut.SetTableValue(i, *rgba)
        lut.SetTableRange(0.0, scale)
        lut.Build()
        bar = vtk.vtkScalarBarActor()
        bar.SetLookupTable(lut)
        bar.SetTitle(title)
        bar.SetNumberOfLabels(5 if scale != 100.0 else 6)
        bar.SetLabelFormat(label_format)
        bar.SetOrientationToHorizontal()
        bar.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
        bar.SetPosition(0.64, 0.015)
        bar.SetWidth(0.34)
        bar.SetHeight(BAR_HEIGHT * self.view.text_scale)
        bar.UnconstrainedFontSizeOn()
        for prop, size in ((bar.GetTitleTextProperty(), font_at_720), (bar.GetLabelTextProperty(), font_at_720)):
            prop.SetFontSize(self.view.font_px(size))
            prop.SetJustificationToCentered()
            prop.SetColor(*(c / 255 for c in S.hex_to_rgb(self.text_colour)))
            prop.SetBold(False)
            prop.SetItalic(False)
            prop.ShadowOff()
        bar.SetTextPositionToPrecedeScalarBar()
        self.view.plotter.add_actor(bar, render=False)
        self._owned.append(bar)
        return bar

    def _legend(self) -> None:
        """One line per visible muscle card: a coloured square and the name, lower right."""
        view = self.view
        cards = list(dict.fromkeys(view.model.muscle(m).card for m in view.model.muscles if view.visible[m]))
        key = (tuple(cards), view.highlight_mode)
        if key == self._legend_key:
            return
        self._legend_key = key
        for actor in self.legend_actors:
            view.plotter.remove_actor(actor, render=False)
            self._owned.remove(actor)
        had_legend, self.legend_actors = bool(self.legend_actors), []
        if not view.scene.legend or not cards or view.highlight_mode in ("active", "activation"):
            if had_legend and self.captions:
                self._layout_labels()  # the labels may come down again
            return
        font = self.view.font_px(15)
        line = 1.45 * font / self.height
        names = [view.model.data.cards[c].display_name for c in cards]
        widest = max(self._width_px(n, font) for n in names) + 1.6 * font
        x = max(0.5, 1.0 - (widest + 0.015 * view.size[0]) / view.size[0])  # right-aligned, never clipped
        for row, (card, text) in enumerate(reversed(list(zip(cards, names)))):
            y = 0.03 + row * line
            swatch = self._text("   ", (x, y), font)
            swatch.GetTextProperty().SetBackgroundColor(*(c / 255 for c in S.hex_to_rgb(view.colours[card])))
            swatch.GetTextProperty().SetBackgroundOpacity(1.0)
            name = self._text(text, (x + 1.6 * font / view.size[0], y), font)
            self.legend_actors += [swatch, name]
        if self.captions:
            self._layout_labels()  # above the legend's new top row (it came with a click or a toggle)

    # -- labels ------------------------------------------------------------------------------------
    def _label_targets(self, motion: Motion, frame: int) -> dict[tuple[str, str], NDArray[np.float64]]:
        """One anchor per visible (card, side): the middle of the middle bundle's path."""
        view = self.view
        groups: dict[tuple[str, str], list[int]] = {}
        for i, m in enumerate(motion.muscles):
            if view.visible[m] and m in view.scene.labels:
                muscle = view.model.muscle(m)
                groups.setdefault((muscle.card, muscle.side), []).append(i)
        anchors = {}
        for key, indices in groups.items():
            line = motion.paths[indices[len(indices) // 2]][frame]  # type: ignore[index]
            seg = np.linalg.norm(np.diff(line, axis=0), axis=-1)
            s = np.concatenate([[0.0], np.cumsum(seg)])
            anchors[key] = np.array([np.interp(s[-1] * 0.5, s, line[:, k]) for k in range(3)])
        # with both sides shown, label each card once, on the side nearer the camera
        camera = np.asarray(view.plotter.camera.position)
        for card in {c for c, _ in anchors}:
            if (card, "r") in anchors and (card, "l") in anchors:
                far = max(("r", "l"), key=lambda s: np.linalg.norm(anchors[(card, s)] - camera))
                anchors.pop((card, far))
        return anchors

    def _layout_labels(self) -> None:
        """Place label boxes in the left and right margins, ordered by their anchors' heights."""
        view = self.view
        width, height = view.size
        font = self.view.font_px(15)
        gap = font * 1.7
        sides: dict[str, list[tuple[float, tuple[str, str]]]] = {"left": [], "right": []}
        for key, anchor in self._label_anchor_cache.items():
            x, y = self.view.display_px(anchor)
            sides["left" if x < width / 2 else "right"].append((y, key))
        for side, items in sides.items():
            items.sort(reverse=True)
            top = min(height * 0.86, self._below_headline_px() - 0.6 * font)
            previous = top + gap  # the first label may sit as high as ``top``
            for rank, (y, key) in enumerate(items):
                target_y = min(y, previous - gap)
                target_y = max(target_y, self._labels_floor_px() + (len(items) - rank - 1) * gap)
                previous = target_y
                caption = self.captions[key]
                box_w = self._text_width_px(caption) + font * 0.5
                x = width * 0.015 if side == "left" else width * 0.985 - box_w
                caption.SetPosition(x, target_y - font * 0.6)
                caption.SetWidth(box_w / width)
                caption.SetHeight(font * 1.4 / height)

    def _labels_floor_px(self) -> float:
        """Lowest height for a label: above the colour bar and the legend, whichever is shown."""
        floor = max(0.06 * self.height, self.view.activation_overlay.top_of_readout() + 0.5 * self.view.font_px(15)
                    if hasattr(self.view, "activation_overlay") else 0.0)
        if self.scalar_bar is not None and self.scalar_bar.GetVisibility():
            # above the bar and its title, which grow with the text scale
            floor = max(floor, (0.17 + (BAR_HEIGHT + 0.03) * (self.view.text_scale - 1.0)) * self.height)
        if self.legend_actors:
            rows = len(self.legend_actors) // 2
            floor = max(floor, (0.03 + rows * 1.45 * self.view.font_px(15) / self.height) * self.height
                        + 1.5 * self.view.font_px(15))
        return floor

    def _text_width_px(self, caption: vtk.vtkCaptionActor2D) -> float:
        bbox = [0, 0, 0, 0]
        vtk.vtkTextRenderer().GetBoundingBox(caption.GetCaptionTextProperty(), caption.GetCaption(), bbox, 72)
        return float(bbox[1] - bbox[0])

    @staticmethod
    def _width_px(text: str, font_px: int) -> float:
        prop = vtk.vtkTextProperty()
        prop.SetFontSize(font_px)
        bbox = [0, 0, 0, 0]
        vtk.vtkTextRenderer().GetBoundingBox(prop, text, bbox, 72)
        return float(bbox[1] - bbox[0])

    def _update_labels(self, motion: Motion, frame: int) -> None:
        anchors = self._label_targets(motion, frame)
        for key in list(self.captions):
            if key not in anchors:
                self.view.plotter.remove_actor(self.captions.pop(key), render=False)
        relayout = set(anchors) != set(self._label_anchor_cache)
        for key, anchor in anchors.items():
            if key not in self.captions:
                self.captions[key] = self._caption(self.view.model.data.cards[key[0]].display_name)
            self.captions[key].SetAttachmentPoint(*anchor)
        self._label_anchor_cache = anchors
        if relayout:
            self._layout_labels()

    def _caption(self, text: str) -> vtk.vtkCaptionActor2D:
        caption = vtk.vtkCaptionActor2D()
        caption.SetCaption(text)
        caption.BorderOff()
        caption.LeaderOn()
        caption.ThreeDimensionalLeaderOff()
        caption.GetTextActor().SetTextScaleModeToNone()
        prop = caption.GetCaptionTextProperty()
        prop.SetFontSize(self.view.font_px(15))
        prop.SetColor(*(c / 255 for c in S.hex_to_rgb(self.text_colour)))
        prop.SetBold(True)
        prop.ShadowOff()
        prop.SetItalic(False)
        if self.view.text_scale > 1.0:  # large labels cover more of the bones: a box keeps them readable
            text_box(prop, self.text_colour, self.view.scene.background)
        caption.GetProperty().SetColor(*(c / 255 for c in S.hex_to_rgb(self.text_colour)))
        caption.GetProperty().SetLineWidth(max(1.0, self.height / 540))
        coordinate = caption.GetPositionCoordinate()
        coordinate.SetCoordinateSystemToViewport()  # pixels in the picture, wherever it sits in the window
        coordinate.SetReferenceCoordinate(None)
        self.view.plotter.add_actor(caption, render=False)
        return caption

    # -- updates -----------------------------------------------------------------------------------
    def update(self, motion: Motion, frame: int, drive: NDArray[np.float64] | None) -> None:
        """Refresh the overlays for a frame (cheap: text and points change in place)."""
        self._legend()
        if self.view.scene.labels:
            self._update_labels(motion, frame)
        self.status.SetInput(self._status_text(motion, frame))
        if self.scalar_bar is not None:
            wanted = "active" if self.view.frames.drive_nm is not None else "activation"
            self.scalar_bar.SetVisibility(self.view.highlight_mode == wanted)
            if self.bar_title is not None:
                self.bar_title.SetVisibility(self.view.highlight_mode == wanted)

    def _below_headline_px(self) -> float:
        """Height (pixels from the bottom) of the headline lines' bottom edge (the ratio's, the pelvis
        drop's); the picture's top without them."""
        overlay = getattr(self.view, "activation_overlay", None)
        bottom = overlay.bottom_of_headline_px() if overlay is not None else None
        return float(self.height) if bottom is None else bottom

    def camera_changed(self) -> None:
        if self.captions:
            self._layout_labels()

    def _status_text(self, motion: Motion, frame: int) -> str:
        """The coordinates that move in the scene (on a still, those held away from 0), e.g.
        'hip flexion R +30°', at most :data:`STATUS_MAX_ITEMS` of them so the line fits the picture."""
        q = motion.q_deg[frame]
        scene_q = self.view.frames.motion.q_deg
        moving = np.ptp(scene_q, axis=0) > 1e-9 if len(scene_q) > 1 else np.zeros(len(q), bool)
        shown = moving if moving.any() else np.abs(q) > 1e-9
        parts = []
        for c in np.flatnonzero(shown)[:STATUS_MAX_ITEMS]:
            name = motion.coordinates[c]
            side = {"r": " R", "l": " L"}.get(name[-1], "") if name[-2] == "_" else ""
            label = name[:-2] if side else name
            parts.append(f"{label.replace('_', ' ')}{side} {q[c]:+.0f}\N{DEGREE SIGN}")
        return "   ".join(parts)
