"""How a :class:`~anatviz.render.HipView` builds its muscles (one tube actor per muscle, one sheet per
fan of bundles) and works out, per frame, where their fibres run and how they are coloured: a part
of the view, kept in a file of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from ..geometry.display import fan, resample, tendon_mask, tube_radius_m
from ..hipmodel import Motion
from ..scene.activation_track import MuscleState
from ..scene.activity import ACTIVE_THRESHOLD
from . import style as S
from .actors import FanSheet, MuscleActor

if TYPE_CHECKING:
    import pyvista as pv

    from ..hipmodel import HipModel
    from ..scene.frames import Frames
    from ..scene.schema import Scene
    from .annotations import Annotations


class MuscleDrawing:
    """The muscle part of :class:`~anatviz.render.HipView` (a mixin: it uses the view's model, scene,
    plotter, frames, visibility, highlight and opacity)."""

    model: HipModel
    scene: Scene
    plotter: pv.Plotter
    frames: Frames
    size: tuple[int, int]
    annotations: Annotations
    colours: dict[str, str]
    muscle_style: str
    highlight_mode: str
    highlighted: set[str]
    selected: str | None
    visible: dict[str, bool]
    _opacity: dict[str, float]
    _full_opacity: dict[str, float]

    def _resolve_opacity(self, *, fade: bool = True) -> dict[str, float]:
        """Each muscle's opacity: the scene's, the context muscles it fades (unless not ``fade``), then
        its ``[style] opacity`` by group or muscle."""
        opacity = {m: self.scene.style.muscle_opacity for m in self.model.muscles}
        groups = {**self.model.groups, **{m: [m] for m in self.model.muscles}}
        for m in self.scene.faded if fade else ():
            opacity[m] = min(opacity[m], S.FADED_OPACITY)
        for name, value in self.scene.style.opacity.items():
            for m in groups[name]:
                opacity[m] = value
        return opacity

    def _fibre_layout(self) -> dict[str, list[float]]:
        """Group bundles into fans (per card and side) and return each muscle's fibre weights: the
        share of its cross-section each fibre it draws carries."""
        by_card_side: dict[tuple[str, str], list[str]] = {}
        for m in self.model.muscles:
            muscle = self.model.muscle(m)
            by_card_side.setdefault((muscle.card, muscle.side), []).append(m)
        self._fans: list[tuple[list[str], int]] = []
        weights: dict[str, list[float]] = {}
        for members in by_card_side.values():
            between = S.FAN_FIBRES_BETWEEN if self.scene.style.fans and len(members) > 1 else 0
            _, owner, weight = fan([np.zeros((1, 1, 3))] * len(members), between)
            self._fans.append((members, between))
            for b, m in enumerate(members):
                weights[m] = [w for o, w in zip(owner, weight) if o == b]
        return weights

    def _remove_muscles(self) -> None:
        for actor in [a.actor for a in getattr(self, "muscle_actors", {}).values()]:
            self.plotter.remove_actor(actor, render=False)
        for sheet in getattr(self, "sheets", []):
            if sheet is not None:
                self.plotter.remove_actor(sheet.actor, render=False)

    def _build_muscles(self) -> None:
        self._muscles_built_for = (self.scene.style.fans, self.scene.style.tube_scale)
        layout = self._fibre_layout()
        force = np.array([self.model.muscle(m).max_isometric_force_n for m in self.model.muscles])
        radius = dict(zip(self.model.muscles, tube_radius_m(force) * self.scene.style.tube_scale))
        self.muscle_actors: dict[str, MuscleActor] = {}
        for m in self.model.muscles:
            weights = np.sqrt(np.array(layout[m]))  # split the cross-section between the fibres
            actor = MuscleActor(len(weights), S.RESAMPLED_POINTS, radius[m] * weights)
            actor.set_style(self.muscle_style, self._line_width())
            self.plotter.add_actor(actor.actor, name=f"muscle:{m}", render=False)
            self.muscle_actors[m] = actor
        self.sheets: list[FanSheet | None] = []
        for k, (members, between) in enumerate(self._fans):
            fibres = len(fan([np.zeros((1, 1, 3))] * len(members), between)[0])
            sheet = FanSheet(fibres, S.RESAMPLED_POINTS) if between else None
            if sheet is not None:
                self.plotter.add_actor(sheet.actor, name=f"sheet:{k}", render=False)
            self.sheets.append(sheet)

    def _line_width(self) -> float:
        return S.LINE_WIDTH_PX_AT_720 * self.size[1] / 720.0

    def _draw_muscles(self, motion: Motion, frame: int, drive: NDArray[np.float64] | None,
                      state: MuscleState | None) -> None:
        """Move and colour every muscle's tube (its tendon ends in the tendon colour) and every fan's
        sheet to a frame, in place."""
        points, fans = self._fibre_points(motion, frame)
        colours = self._muscle_colours(motion, frame, drive, state)
        tendon_rgb = np.array(S.hex_to_rgb(S.TENDON_COLOUR), dtype=np.uint8)
        rgb_of = {}
        for i, m in enumerate(motion.muscles):
            actor = self.muscle_actors[m]
            muscle = self.model.muscle(m)
            mask = tendon_mask(motion.lengths_m[frame:frame + 1, i], muscle.tendon_slack_length_m,
                               S.RESAMPLED_POINTS, self.model.card(m).tendon_at_origin_share)[0]
            belly, opacity = colours[m]
            rgb = np.where(mask[:, None], tendon_rgb, np.array(belly, dtype=np.uint8)).astype(np.uint8)
            rgb_of[m] = rgb
            actor.update(points[m], np.tile(rgb, (actor.fibres, 1)), mask)
            actor.actor.GetProperty().SetOpacity(opacity)
            actor.actor.SetVisibility(bool(self.visible[m] and opacity > 0.0))
        for sheet, (fan_points, owners) in zip(self.sheets, fans):
            if sheet is None:
                continue
            alpha = [int(255 * S.SHEET_OPACITY * colours[o][1]) if self.visible[o] else 0 for o in owners]
            rgba = np.concatenate([np.column_stack([rgb_of[o], np.full(len(rgb_of[o]), a, np.uint8)])
                                   for o, a in zip(owners, alpha)])
            sheet.update(fan_points, rgba)
            sheet.actor.SetVisibility(any(alpha))

    def _fibre_points(self, motion: Motion, frame: int,
                      ) -> tuple[dict[str, NDArray[np.float64]], list[tuple[NDArray[np.float64], list[str]]]]:
        """World points of the fibres at one frame.

        Returns
        -------
        per_muscle : dict of str to (fibres * N, 3) float
        per_fan : list of ((fibres * N, 3) float, owner muscle of each fibre), one per fan
        """
        assert motion.paths is not None
        lines = {m: resample(motion.paths[i][frame:frame + 1], S.RESAMPLED_POINTS)
                 for i, m in enumerate(motion.muscles)}
        out: dict[str, list] = {m: [] for m in motion.muscles}
        fans = []
        for members, between in self._fans:
            fibres, owner, _ = fan([lines[m] for m in members], between)
            for fibre, o in zip(fibres, owner):
                out[members[o]].append(fibre[0])
            fans.append((np.concatenate([f[0] for f in fibres]), [members[o] for o in owner]))
        return {m: np.concatenate(v) for m, v in out.items()}, fans

    def _muscle_colours(self, motion: Motion, frame: int, drive: NDArray[np.float64] | None,
                        state: MuscleState | None = None) -> dict[str, tuple[tuple[int, int, int], float]]:
        """Belly colour and opacity of each muscle at a frame, under the current highlight."""
        out = {}
        scale = self.frames.drive_scale_nm
        activation = None
        if self.highlight_mode == "activation" and state is not None:
            activation = dict(zip(self.frames.activation.muscles, state.activation))  # type: ignore[union-attr]
        faded = set(self.scene.faded)
        for i, m in enumerate(motion.muscles):
            colour, opacity = S.hex_to_rgb(self.colours[self.model.muscle(m).card]), self._opacity[m]
            if self.highlight_mode == "muscles" and m not in self.highlighted:
                colour, opacity = S.hex_to_rgb(S.DIMMED_COLOUR), min(opacity, S.DIMMED_OPACITY)
            elif self.highlight_mode == "active" and drive is not None:
                share = drive[frame, i] / scale if scale > 0 else 0.0
                if share < ACTIVE_THRESHOLD:
                    colour, opacity = S.hex_to_rgb(S.DIMMED_COLOUR), min(opacity, S.DIMMED_OPACITY)
                else:
                    colour = self.annotations.activity_rgb(share)
            elif activation is not None:
                colour, opacity = S.activation_look(activation[m], self.annotations.activity_rgb(activation[m]),
                                                    self._full_opacity[m], context=m in faded)
            if m == self.selected:
                opacity = 1.0
            out[m] = (colour, opacity)
        return out
