"""The window's controls: each a method over a :class:`~anatviz.render.HipView`, callable off-screen.

Toolkit-free: the desktop panel, the keys and the browser app all call these same methods, and tests
drive them on an off-screen view. Also the muscle card at a pose, as data and as wrapped text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from ..activation.trendelenburg import abductor_strength
from ..atomic import replacing
from ..hipmodel import HipModel
from ..render import HipView
from ..render.export import toggle_groups
from ..scene.overrides import still_time_s
from ..scene.views import KEY_VIEWS

GROUP_KEYS = {"g": "gluteals", "m": "hamstrings", "r": "deep_rotators", "f": "hip_flexors", "a": "adductors"}
POSE_COORDINATES = ("hip_flexion", "hip_adduction", "hip_rotation", "knee_flexion")
SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
POSE_STEP_DEG = 5.0
STRENGTH_GROUPS = ("gluteus_maximus", "gluteus_medius")  # the strength sliders of an activation scene
ABDUCTORS_SLIDER = "stance_abductors"  # the one strength slider of a scene whose pelvis drop is solved
MOMENT_ACTIONS = {"hip_flexion": ("flexes the hip", "extends the hip"),
                  "hip_adduction": ("adducts", "abducts"),
                  "hip_rotation": ("rotates internally", "rotates externally"),
                  "knee_flexion": ("flexes the knee", "extends the knee")}


@contextmanager
def one_render(plotter) -> Iterator[None]:
    """Change the scene without drawing, then draw once.

    pyvista draws (and runs its on-render callbacks, which make a browser view push a picture) on
    every actor it adds; labels and legend entries are actors, so one click could cost a dozen
    renders.
    """
    callbacks = plotter._on_render_callbacks
    plotter.suppress_rendering, plotter._on_render_callbacks = True, set()
    try:
        yield
    finally:
        plotter.suppress_rendering, plotter._on_render_callbacks = False, callbacks
    plotter.render()


def pose_card(model: HipModel, muscle: str, pose_deg: dict[str, float]) -> dict[str, Any]:
    """A muscle's card with its length and moment arms at a pose: what the window and the browser show.

    Returns
    -------
    dict
        ``muscle``, ``title`` (the card's name), ``bundle``, ``origin``, ``insertion``, ``nerve``
        (with roots), ``blood_supply``, ``actions`` (lists of str), ``length_cm`` and
        ``moment_arms``: a list of ``{coordinate, label, cm, action}``, one per coordinate crossed.
    """
    card = model.card(muscle)

    def texts(facts) -> list[str]:
        return [f.text + (f" ({', '.join(f.roots)})" if f.roots else "") for f in facts]

    arms = model.moment_arms(**pose_deg)[muscle]
    rows = []
    for coordinate in model.crossed[muscle]:
        base = coordinate[:-2] if coordinate.endswith(("_r", "_l")) else coordinate
        cm = arms[coordinate] * 100.0
        positive, negative = MOMENT_ACTIONS.get(base, ("+", "-"))
        rows.append({"coordinate": coordinate, "label": base.replace("_", " ").capitalize(), "cm": round(cm, 2),
                     "action": positive if cm > 0 else negative})
    return {"muscle": muscle, "title": card.display_name, "bundle": model.muscle(muscle).label,
            "origin": texts(card.origin), "insertion": texts(card.insertion), "nerve": texts(card.innervation),
            "blood_supply": texts(card.blood_supply), "actions": texts(card.actions),
            "length_cm": round(model.lengths(**pose_deg)[muscle] * 100.0, 1), "moment_arms": rows}


def card_lines(card: dict[str, Any], width_chars: int = 48) -> list[str]:
    """A pose card as wrapped lines of text (the title first)."""
    lines = [card["bundle"]]
    for heading, key in (("Origin", "origin"), ("Insertion", "insertion"), ("Nerve", "nerve"),
                         ("Blood supply", "blood_supply"), ("Actions", "actions")):
        lines += textwrap.wrap(f"{heading}: " + "; ".join(card[key]), width_chars, subsequent_indent="    ")
    arms = ", ".join(f"{row['action']} {abs(row['cm']):.1f}" for row in card["moment_arms"])
    lines += textwrap.wrap(f"At this pose: length {card['length_cm']:.1f} cm; moment arms (cm): {arms}",
                           width_chars, subsequent_indent="    ")
    return lines


class WindowControls:
    """The controls over a :class:`HipView`, each a method callable off-screen.

    Parameters
    ----------
    view : HipView
    folder : path, optional
        Where screenshots go (default: the current folder).
    """

    def __init__(self, view: HipView, *, folder: str | Path = ".") -> None:
        self.folder = Path(folder)
        self.picture: Callable[[], NDArray[np.uint8]] | None = None  # what screenshot() saves, if not view.image()
        self.speed = 1.0
        self.switch_view(view)

    def switch_view(self, view: HipView) -> None:
        """Drive another view (a lesson's next step): its scene's pose, motion, labels and strength;
        the playback speed and the screenshot folder stay."""
        self.view = view
        self.model = view.model
        self.groups = toggle_groups(view.model)
        self.pose: dict[str, float] = dict(view.scene.pose_deg)
        self.holding = len(view.frames) == 1  # a held pose (sliders) rather than the scene's motion
        self.playing = False
        self._frame_clock = float(view.frame_index)
        self.help_shown = False
        self.labels_shown = bool(view.scene.labels)
        self.selected: str | None = None
        self.message = ""
        self.sides = [s for s in ("r", "l") if any(m.endswith(f"_{s}") for m in view.model.muscles)]
        # strength sliders: only where the view computes activations (a scene in activation mode); a
        # scene whose pelvis drop is solved ([pelvis_drop], Trendelenburg) has one, for its stance
        # abductors, and opens on its still (the pelvis dropped), so that the slider moves the pelvis
        active = view.scene.highlight.mode == "activation"
        drop = view.scene.pelvis_drop if active else None
        if drop is not None:
            self.strength_groups = [ABDUCTORS_SLIDER]
            self.strength = {ABDUCTORS_SLIDER: abductor_strength(self.model, view.scene, view.strength)}
            if len(view.frames) > 1:
                view.set_frame(int(np.argmin(np.abs(view.frames.times_s - still_time_s(view.scene)))))
                self._frame_clock = float(view.frame_index)
        else:
            self.strength_groups = [g for g in STRENGTH_GROUPS if g in self.model.groups] if active else []
            self.strength = {g: 1.0 for g in self.strength_groups}
            self.strength.update(view.strength)

    # -- what is shown -----------------------------------------------------------------------------
    def group_shown(self, group: str) -> bool:
        """True when any muscle of ``group`` (e.g. ``gluteals`` or ``gluteals_r``) is shown."""
        return any(self.view.visible[m] for m in self.model.groups[group])

    def toggle_group(self, group: str, visible: bool | None = None) -> bool:
        """Show or hide a group, both sides (``gluteals``) or one (``gluteals_r``); flip it when
        ``visible`` is None. Returns the new state."""
        state = not self.group_shown(group) if visible is None else bool(visible)
        self.view.set_visible(group, state)
        if not state and self.selected in self.model.groups[group]:
            self.select(None)
        return state

    def toggle_style(self) -> str:
        """Tubes or lines; returns the new style."""
        style = "lines" if self.view.muscle_style == "tubes" else "tubes"
        self.view.set_muscle_style(style)
        return style

    def toggle_labels(self) -> bool:
        self.labels_shown = not self.labels_shown
        self.view.set_labels(self.labels_shown)
        return self.labels_shown

    def toggle_help(self) -> bool:
        self.help_shown = not self.help_shown
        return self.help_shown

    def view_key(self, number: int) -> str:
        """Named view ``number`` (1 to 6); returns its name."""
        name = KEY_VIEWS[number - 1]
        self.view.set_view(name)
        return name

    # -- pose and motion ---------------------------------------------------------------------------
    def coordinate_value(self, name: str) -> float:
        """The angle (degrees) a slider shows: the held pose, or the motion's current frame."""
        return self.pose.get(name, 0.0) if self.holding else self.view.pose()[name]

    def set_coordinate(self, name: str, value_deg: float) -> None:
        """A slider: hold ``name`` at ``value_deg`` (clipped to its range) and pose the model; stops playback."""
        if not self.holding:  # leave the motion where it is drawn, so nothing jumps
            self.pose = {k: v for k, v in self.view.pose().items() if v != 0.0}
            self.holding = True
        self.playing = False
        lo, hi = self.model.coordinates[name]
        self.pose[name] = float(np.clip(value_deg, lo, hi))
        self.view.set_pose(**self.pose)

    def nudge(self, name: str, step_deg: float) -> float:
        """Change one coordinate by ``step_deg`` (the arrow keys); returns the new value."""
        self.set_coordinate(name, self.coordinate_value(name) + step_deg)
        return self.pose[name]

    def reset_pose(self) -> None:
        """Back to the scene: its motion's first frame, or its pose."""
        self.playing = False
        self.pose = dict(self.view.scene.pose_deg)
        self.holding = len(self.view.frames) == 1
        if self.holding:
            self.view.set_pose(**self.pose)
        else:
            self._frame_clock = 0.0
            self.view.set_frame(0)

    def toggle_play(self) -> bool:
        """Play or pause the scene's motion (a scene without one never plays); returns True when playing."""
        self.playing = not self.playing and len(self.view.frames) > 1
        if self.playing and self.holding:  # from a held pose back to the motion, where it was
            self.holding = False
            self.view.set_frame(self.view.frame_index)
        self._frame_clock = float(self.view.frame_index)
        return self.playing

    def set_speed(self, factor: float) -> float:
        """Playback speed, a factor of the scene's own (0.25 to 3)."""
        self.speed = float(np.clip(factor, SPEEDS[0], SPEEDS[-1]))
        return self.speed

    def faster(self) -> float:
        return self.set_speed(next((s for s in SPEEDS if s > self.speed), SPEEDS[-1]))

    def slower(self) -> float:
        return self.set_speed(next((s for s in reversed(SPEEDS) if s < self.speed), SPEEDS[0]))

    def tick(self, elapsed_s: float | None = None) -> bool:
        """Advance the motion while playing, by ``elapsed_s`` of scene time times the speed (default:
        one frame), so that playback keeps time even when drawing is slower than the frame rate.
        Returns True when the picture changed."""
        if not self.playing:
            return False
        fps = self.view.scene.motion.fps if self.view.scene.motion else 30.0
        frames = 1.0 if elapsed_s is None else elapsed_s * fps
        before = self.view.frame_index
        self._frame_clock = (self._frame_clock + frames * self.speed) % len(self.view.frames)
        if int(self._frame_clock) == before:
            return False
        self.view.set_frame(int(self._frame_clock))
        return True

    # -- strength (activation scenes) --------------------------------------------------------------
    def set_strength(self, group: str, factor: float) -> float:
        """Weaken a muscle group (``gluteus_maximus``) to ``factor`` of its healthy strength (clipped to
        0..1) and recompute the activations on screen; returns the factor set. :data:`ABDUCTORS_SLIDER`
        sets every stance abductor of a ``[pelvis_drop]`` scene, whose pelvis the view re-poses."""
        if group not in self.strength_groups:
            allowed = ", ".join(self.strength_groups) or "none (not an activation scene)"
            raise ValueError(f"strength: expected one of {allowed}, found {group!r}")
        self.strength[group] = float(np.clip(factor, 0.0, 1.0))
        drop = self.view.scene.pelvis_drop
        if group == ABDUCTORS_SLIDER and drop is not None:
            self.view.set_strength({m: self.strength[group] for m in drop.muscles})
        else:
            self.view.set_strength({g: f for g, f in self.strength.items() if f < 1.0})
        return self.strength[group]

    def strength_label(self, group: str) -> str:
        """A strength slider's label: the scene's for :data:`ABDUCTORS_SLIDER`, else the group's name."""
        drop = self.view.scene.pelvis_drop
        if group == ABDUCTORS_SLIDER and drop is not None:
            return drop.label
        return group.replace("_", " ").capitalize()

    # -- selection and cards -----------------------------------------------------------------------
    def select(self, muscle: str | None) -> dict[str, Any] | None:
        """Select a muscle (opaque, the others dimmed) and return its card; None clears the selection."""
        self.selected = muscle
        self.view.select(muscle)
        if muscle is None:
            highlight = self.view.scene.highlight
            self.view.highlight(highlight.mode, list(highlight.muscles))
            return None
        self.view.highlight("muscles", [muscle])
        return self.card()

    def pick(self, x_px: int, y_px: int) -> dict[str, Any] | None:
        """A click on the picture (column, row from the top): select the muscle there and return its
        card; a click on nothing clears the selection."""
        return self.select(self.view.muscle_at(x_px, y_px))

    def card(self) -> dict[str, Any] | None:
        """The selected muscle's card at the pose drawn now, or None."""
        return None if self.selected is None else pose_card(self.model, self.selected, self.view.pose())

    # -- files -------------------------------------------------------------------------------------
    def screenshot(self) -> Path:
        """Save the picture (without the panel) to a new ``anatviz-SCENE-N.png``; returns the path."""
        n = 1
        while (path := self.folder / f"anatviz-{self.view.scene.name}-{n}.png").exists():
            n += 1
        width, height = self.view.size
        image = (self.picture() if self.picture else self.view.image(transparent=False))[:height, :width]
        with replacing(path) as tmp:
            Image.fromarray(image).save(tmp)
        self.message = f"Saved {path}"
        return path
