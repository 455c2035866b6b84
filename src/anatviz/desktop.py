"""The interactive window: a side panel and keys that call the same HipView verbs the CLI uses.

Every control is a method of :class:`WindowControls`, so tests (and the browser app, which reuses
them) drive them on an off-screen view. :class:`Panel` draws the controls beside the picture in a
second VTK renderer and turns clicks into those calls; :func:`run_window` opens the window.
"""

from __future__ import annotations

import os
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PIL import Image

from .hipmodel import HipModel
from .render import HipView
from .render import style as S
from .render.export import toggle_groups
from .render.output import temporary_sibling
from .scene.schema import Scene
from .scene.views import KEY_VIEWS

GROUP_KEYS = {"g": "gluteals", "m": "hamstrings", "r": "deep_rotators", "f": "hip_flexors", "a": "adductors"}
POSE_COORDINATES = ("hip_flexion", "hip_adduction", "hip_rotation", "knee_flexion")
SPEEDS = (0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
POSE_STEP_DEG = 5.0
KEYS_HELP = (
    ("h  or  ?", "show or hide this list"),
    ("g  m  r  f  a", "gluteals, hamstrings, deep rotators, hip flexors, adductors"),
    ("space", "play or pause the motion"),
    ("+  -", "faster, slower"),
    ("1 2 3", ", ".join(v.replace("_r", " R").replace("_", " ") for v in KEY_VIEWS[:3]) + " views"),
    ("4 5 6", ", ".join(v.replace("_r", " R").replace("_", " ") for v in KEY_VIEWS[3:]) + " views"),
    ("arrows", "hip flexion (up, down), knee flexion (left, right)"),
    ("0", "back to the scene's pose"),
    ("click", "a muscle: its card; Esc clears it"),
    ("t", "tubes or lines"),
    ("l", "labels on or off"),
    ("s", "screenshot to a PNG file"),
    ("q", "quit"),
)
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
        self.view = view
        self.model = view.model
        self.folder = Path(folder)
        self.groups = toggle_groups(view.model)
        self.pose: dict[str, float] = dict(view.scene.pose_deg)
        self.holding = len(view.frames) == 1  # a held pose (sliders) rather than the scene's motion
        self.playing = False
        self.speed = 1.0
        self._frame_clock = float(view.frame_index)
        self.help_shown = False
        self.labels_shown = bool(view.scene.labels)
        self.selected: str | None = None
        self.message = ""
        self.sides = [s for s in ("r", "l") if any(m.endswith(f"_{s}") for m in view.model.muscles)]

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
        width = self.view.size[0]
        image = self.view.image(transparent=False)[:, :width]
        tmp = temporary_sibling(path)
        try:
            Image.fromarray(image).save(tmp)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        self.message = f"Saved {path}"
        return path


# -- the panel beside the picture ---------------------------------------------------------------------
@dataclass
class _Button:
    """A clickable box in panel pixels (origin at the panel's lower left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    on_click: Callable[[], Any]
    box: Any = None
    text: Any = None
    state: Callable[[], bool] | None = None  # drawn filled when True (check boxes, toggles)
    colour: str = "#6b7585"
    name: str = ""

    def hit(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass
class _Slider:
    x0: float
    x1: float
    y: float
    coordinate: str
    track: Any = None
    knob: Any = None
    value: Any = None

    def hit(self, x: float, y: float, grab_px: float) -> bool:
        return self.x0 - grab_px <= x <= self.x1 + grab_px and abs(y - self.y) <= grab_px


PANEL_BACKGROUND = "#151922"
PANEL_ACCENT = "#4c8bf5"


class Panel:
    """The window's controls drawn in a second renderer at the right of the picture.

    Parameters
    ----------
    controls : WindowControls
    width_px : int
        The panel's width; the window becomes the view's width plus this.
    scale : float
        Font and spacing scale (1 at 720 pixels high; presentation mode makes it larger).
    compact : bool
        Presentation mode: groups, playback and the card only (keys do the rest).
    """

    def __init__(self, controls: WindowControls, *, width_px: int, scale: float, compact: bool = False) -> None:
        import vtk

        self.vtk = vtk
        self.controls = controls
        self.view = controls.view
        self.width = width_px
        self.height = self.view.size[1]
        self.scale = scale
        self.compact = compact
        self.buttons: list[_Button] = []
        self.sliders: list[_Slider] = []
        self.dragging: _Slider | None = None
        plotter = self.view.plotter
        total = self.view.size[0] + width_px
        plotter.window_size = [total, self.height]
        plotter.renderer.SetViewport(0.0, 0.0, self.view.size[0] / total, 1.0)
        self.renderer = vtk.vtkRenderer()
        self.renderer.SetViewport(self.view.size[0] / total, 0.0, 1.0, 1.0)
        self.renderer.SetBackground(*(c / 255 for c in S.hex_to_rgb(PANEL_BACKGROUND)))
        self.renderer.InteractiveOff()
        plotter.render_window.AddRenderer(self.renderer)
        self._build()
        self.help = self._help_overlay()
        self.refresh()

    # -- drawing helpers ---------------------------------------------------------------------------
    def px(self, at_720: float) -> float:
        return at_720 * self.scale

    def _text(self, text: str, x: float, y: float, size: float, *, bold: bool = False, colour: str = "#f5f5f5",
              centred: bool = False, renderer: Any = None):
        actor = self.vtk.vtkTextActor()
        actor.SetInput(text)
        actor.SetPosition(x, y)
        prop = actor.GetTextProperty()
        prop.SetFontSize(int(round(self.px(size))))
        prop.SetBold(bold)
        prop.SetColor(*(c / 255 for c in S.hex_to_rgb(colour)))
        prop.SetVerticalJustificationToCentered()
        if centred:
            prop.SetJustificationToCentered()
        (renderer or self.renderer).AddViewProp(actor)
        return actor

    def _rect(self, x0: float, y0: float, x1: float, y1: float, colour: str, *, renderer: Any = None,
              opacity: float = 1.0):
        vtk = self.vtk
        points = vtk.vtkPoints()
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
            points.InsertNextPoint(x, y, 0.0)
        quad = vtk.vtkCellArray()
        quad.InsertNextCell(4, [0, 1, 2, 3])
        polydata = vtk.vtkPolyData()
        polydata.SetPoints(points)
        polydata.SetPolys(quad)
        mapper = vtk.vtkPolyDataMapper2D()
        mapper.SetInputData(polydata)
        actor = vtk.vtkActor2D()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColor(*(c / 255 for c in S.hex_to_rgb(colour)))
        actor.GetProperty().SetOpacity(opacity)
        (renderer or self.renderer).AddViewProp(actor)
        return actor

    def _move_rect(self, actor, x0: float, y0: float, x1: float, y1: float) -> None:
        points = actor.GetMapper().GetInput().GetPoints()
        for i, (x, y) in enumerate(((x0, y0), (x1, y0), (x1, y1), (x0, y1))):
            points.SetPoint(i, x, y, 0.0)
        points.Modified()

    def _button(self, label: str, x0: float, y: float, x1: float, on_click: Callable[[], Any], *,
                state: Callable[[], bool] | None = None, colour: str = "#6b7585", size: float = 13) -> _Button:
        h = self.px(size * 1.9)
        button = _Button(x0, y - h / 2, x1, y + h / 2, on_click, state=state, colour=colour, name=label)
        button.box = self._rect(button.x0, button.y0, button.x1, button.y1, colour)
        button.text = self._text(label, (x0 + x1) / 2, y, size, centred=True)
        self.buttons.append(button)
        return button

    def _check(self, x: float, y: float, group: str, colour: str) -> _Button:
        s = self.px(22)
        button = _Button(x, y - s / 2, x + s, y + s / 2, lambda: self.controls.toggle_group(group),
                         state=lambda: self.controls.group_shown(group), colour=colour, name=f"show:{group}")
        self._rect(x - 2, y - s / 2 - 2, x + s + 2, y + s / 2 + 2, "#d8dde6")  # the box's border
        button.box = self._rect(button.x0, button.y0, button.x1, button.y1, colour)
        self.buttons.append(button)
        return button

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        c, view = self.controls, self.view
        pad, w = self.px(16), self.width
        y = self.height - self.px(26)
        self._text("Muscles", pad, y, 15, bold=True)
        side_x = {"r": w - pad - self.px(70), "l": w - pad - self.px(24)}
        for side in c.sides:
            self._text(side.upper(), side_x[side] + self.px(11), y, 13, bold=True, centred=True)
        for group in c.groups:
            y -= self.px(30)
            card = view.model.muscle(view.model.groups[group][0]).card
            colour = view.colours[card]
            self._rect(pad, y - self.px(8), pad + self.px(8), y + self.px(8), colour)
            self._text(group.replace("_", " ").capitalize(), pad + self.px(16), y, 14)
            for side in c.sides:
                if f"{group}_{side}" in view.model.groups:
                    self._check(side_x[side], y, f"{group}_{side}", colour)
        if not self.compact:
            y -= self.px(40)
            self._text("Pose, degrees", pad, y, 15, bold=True)
            label_w = self.px(96)
            column_w = (w - 2 * pad - label_w) / 2
            for base in POSE_COORDINATES:
                y -= self.px(30)
                self._text(base.replace("_", " ").capitalize(), pad, y, 13, colour="#c9ced8")
                for k, side in enumerate(c.sides):
                    name = f"{base}_{side}"
                    if name in view.model.coordinates:
                        x0 = pad + label_w + k * column_w
                        self._slider(name, x0 + self.px(20), x0 + column_w - self.px(46), y, side.upper())
        if len(view.frames) > 1:
            y -= self.px(38)
            third = (w - 2 * pad) / 3
            self.play = self._button("Play", pad, y, pad + third * 1.4, c.toggle_play,
                                     state=lambda: c.playing, colour="#2e7d4f")
            self._button("-", pad + third * 1.55, y, pad + third * 1.95, c.slower)
            self.speed = self._text("", pad + third * 2.15, y, 14, centred=True)
            self._button("+", pad + third * 2.35, y, w - pad, c.faster)
        else:
            self.play = self.speed = None
        if not self.compact:
            y -= self.px(38)
            third = (w - 2 * pad - 2 * self.px(6)) / 3
            for i, name in enumerate(KEY_VIEWS):
                row, col = divmod(i, 3)
                x0 = pad + col * (third + self.px(6))
                label = f"{i + 1} " + name.replace("_r", " R").replace("_", " ").capitalize()
                self._button(label, x0, y - row * self.px(32), x0 + third, lambda n=i + 1: c.view_key(n),
                             size=12)
            y -= self.px(32 + 34)
            self._button("Tubes / lines", pad, y, pad + third, c.toggle_style, size=12)
            self._button("Labels", pad + third + self.px(6), y, pad + 2 * third + self.px(6),
                         c.toggle_labels, state=lambda: c.labels_shown, size=12)
            self._button("Keys (h)", pad + 2 * (third + self.px(6)), y, w - pad, c.toggle_help,
                         state=lambda: c.help_shown, size=12)
        self.card_top = y - self.px(24)
        self.card_title = self._text("", pad, self.card_top, 15, bold=True)
        self.card_title.GetTextProperty().SetVerticalJustificationToTop()
        self.card_text = self._text("", pad, self.card_top - self.px(24), 12)
        self.card_text.GetTextProperty().SetVerticalJustificationToTop()
        self.card_text.GetTextProperty().SetLineSpacing(1.1)
        self.footer = self._text("", pad, self.px(14), 12, colour="#aab2c0")

    def _slider(self, coordinate: str, x0: float, x1: float, y: float, label: str) -> None:
        slider = _Slider(x0, x1, y, coordinate)
        self._text(label, x0 - self.px(16), y, 12, bold=True, colour="#aab2c0")
        slider.track = self._rect(x0, y - self.px(2.5), x1, y + self.px(2.5), "#59606d")
        slider.knob = self._rect(x0, y, x0, y, PANEL_ACCENT)
        slider.value = self._text("", x1 + self.px(12), y, 12)
        self.sliders.append(slider)

    def _help_overlay(self):
        """The keys, centred over the picture (shown with h or ?)."""
        key_w = max(len(k) for k, _ in KEYS_HELP)
        text = "Keys\n\n" + "\n".join(f"{k.ljust(key_w)}   {v}" for k, v in KEYS_HELP)
        actor = self.vtk.vtkTextActor()
        actor.SetInput(text)
        prop = actor.GetTextProperty()
        prop.SetFontFamilyToCourier()
        prop.SetFontSize(int(round(self.px(17))))
        prop.SetColor(1, 1, 1)
        prop.SetBackgroundColor(*(c / 255 for c in S.hex_to_rgb("#0b0e14")))
        prop.SetBackgroundOpacity(0.88)
        prop.SetFrame(True)
        prop.SetFrameColor(*(c / 255 for c in S.hex_to_rgb(PANEL_ACCENT)))
        prop.SetJustificationToLeft()
        prop.SetVerticalJustificationToCentered()
        prop.SetLineSpacing(1.2)
        bbox = [0, 0, 0, 0]
        while True:  # as large as fits in the picture
            self.vtk.vtkTextRenderer().GetBoundingBox(prop, text, bbox, 72)
            if bbox[1] - bbox[0] <= 0.92 * self.view.size[0] or prop.GetFontSize() <= 10:
                break
            prop.SetFontSize(prop.GetFontSize() - 1)
        actor.SetPosition((self.view.size[0] - (bbox[1] - bbox[0])) / 2, self.height / 2)
        self.view.plotter.renderer.AddViewProp(actor)
        actor.SetVisibility(False)
        return actor

    # -- state -> drawing --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Draw the controls' state: boxes, slider knobs and values, playback, the card, messages."""
        c = self.controls
        for b in self.buttons:
            if b.state is not None:
                on = b.state()
                b.box.GetProperty().SetColor(*(x / 255 for x in S.hex_to_rgb(b.colour if on else "#2a2f3a")))
        for s in self.sliders:
            lo, hi = c.model.coordinates[s.coordinate]
            value = c.coordinate_value(s.coordinate)
            x = s.x0 + (s.x1 - s.x0) * (value - lo) / (hi - lo)
            r = self.px(8)
            self._move_rect(s.knob, x - r, s.y - r, x + r, s.y + r)
            s.value.SetInput(f"{value:+.0f}\N{DEGREE SIGN}")
        if self.play is not None:
            self.play.text.SetInput("Pause" if c.playing else "Play")
            self.speed.SetInput(f"{c.speed:g}\N{MULTIPLICATION SIGN}")
        card = c.card()
        width_chars = int((self.width - 2 * self.px(16)) / self.px(12 * 0.5))
        if card is None:
            self.card_title.SetInput("Click a muscle")
            self.card_text.SetInput("\n".join(textwrap.wrap(
                "to see its card: origin, insertion, nerve, blood supply, actions, and its length and "
                "moment arms at this pose.", width_chars)))
        else:
            lines = card_lines(card, width_chars)
            title = textwrap.wrap(lines[0], int(width_chars * 12 / 16))
            self.card_title.SetInput("\n".join(title))
            self.card_text.SetPosition(self.px(16), self.card_top - self.px(24) * len(title))
            self.card_text.SetInput("\n".join(lines[1:]))
        self.footer.SetInput(c.message or ("" if card else "h: keys    drag: rotate    scroll: zoom"))
        self.help.SetVisibility(c.help_shown)

    # -- clicks ------------------------------------------------------------------------------------
    def press(self, x: float, y: float) -> bool:
        """A left-button press at panel pixel (x, y) (origin lower left); True when a control took it."""
        for s in self.sliders:
            if s.hit(x, y, self.px(12)):
                self.dragging = s
                self.drag(x)
                return True
        for b in self.buttons:
            if b.hit(x, y):
                b.on_click()
                self.refresh()
                return True
        return False

    def drag(self, x: float) -> None:
        s = self.dragging
        if s is None:
            return
        lo, hi = self.controls.model.coordinates[s.coordinate]
        t = float(np.clip((x - s.x0) / (s.x1 - s.x0), 0.0, 1.0))
        self.controls.set_coordinate(s.coordinate, round(lo + t * (hi - lo)))
        self.refresh()

    def release(self) -> None:
        self.dragging = None


def attach(controls: WindowControls, *, panel_width_px: int, scale: float, compact: bool = False) -> Panel:
    """Wire the panel, the mouse, the keys and the playback timer into the view's plotter."""
    view, plotter = controls.view, controls.view.plotter
    panel = Panel(controls, width_px=panel_width_px, scale=scale, compact=compact)
    iren = plotter.iren.interactor
    pressed: dict[str, Any] = {}

    def act(action: Callable[[], Any]) -> None:
        """Run a control, then draw once."""
        with one_render(plotter):
            action()
            panel.refresh()

    def in_panel(x: float) -> bool:
        return x >= view.size[0]

    def on_press(obj, event) -> None:
        x, y = obj.GetEventPosition()
        controls.message = ""
        if in_panel(x):
            act(lambda: panel.press(x - view.size[0], y))
            obj.GetCommand(tags["press"]).SetAbortFlag(1)  # no camera rotation from the panel
        else:
            pressed["at"] = (x, y)

    def on_move(obj, event) -> None:
        if panel.dragging is not None:
            act(lambda: panel.drag(obj.GetEventPosition()[0] - view.size[0]))
            obj.GetCommand(tags["move"]).SetAbortFlag(1)

    def on_release(obj, event) -> None:
        if panel.dragging is not None:
            panel.release()
            obj.GetCommand(tags["release"]).SetAbortFlag(1)

    def on_view_release(obj, event) -> None:
        x, y = iren.GetEventPosition()
        start = pressed.pop("at", None)
        if start is not None and abs(start[0] - x) + abs(start[1] - y) <= 4 and not in_panel(x):
            act(lambda: controls.pick(x, view.size[1] - 1 - y))  # a click, not a drag: pick a muscle

    def on_wheel(obj, event) -> None:
        if in_panel(obj.GetEventPosition()[0]):
            obj.GetCommand(tags[event]).SetAbortFlag(1)

    clock = {"last": time.monotonic()}

    def on_timer(obj, event) -> None:
        now = time.monotonic()
        elapsed, clock["last"] = min(now - clock["last"], 1.0), now
        if controls.playing:
            act(lambda: controls.tick(elapsed))

    tags = {"press": iren.AddObserver("LeftButtonPressEvent", on_press, 10.0),
            "move": iren.AddObserver("MouseMoveEvent", on_move, 10.0),
            "release": iren.AddObserver("LeftButtonReleaseEvent", on_release, 10.0)}
    for event in ("MouseWheelForwardEvent", "MouseWheelBackwardEvent"):
        tags[event] = iren.AddObserver(event, on_wheel, 10.0)
    # a press in the picture makes the camera style grab the mouse: the release then goes to the
    # style's observers only (pyvista's own capturing style relies on the same)
    iren.GetInteractorStyle().AddObserver("LeftButtonReleaseEvent", on_view_release, 10.0)
    _bind_keys(controls, plotter, act)
    # our own timer: pyvista's renders at every tick even when nothing moves
    fps = view.scene.motion.fps if view.scene.motion else 30.0
    iren.AddObserver("TimerEvent", on_timer)
    panel.timer_ms = int(1000 / fps)
    return panel


def _bind_keys(controls: WindowControls, plotter, act: Callable[[Callable[[], Any]], None]) -> None:
    """Our keys replace VTK's and pyvista's one-letter defaults (w, s, r, e, f, p, v... would otherwise
    also fire)."""
    style = plotter.iren.interactor.GetInteractorStyle()
    if style is not None:
        style.AddObserver("CharEvent", lambda *_: None)  # an observer turns the style's own OnChar off
    plotter.iren.clear_key_event_callbacks()
    c = controls
    side = c.sides[0] if c.sides else "r"
    keys: dict[str, Callable[[], Any]] = {
        "h": c.toggle_help, "question": c.toggle_help, "t": c.toggle_style, "l": c.toggle_labels,
        "space": c.toggle_play, "plus": c.faster, "equal": c.faster, "KP_Add": c.faster,
        "minus": c.slower, "KP_Subtract": c.slower, "0": c.reset_pose, "Escape": lambda: c.select(None),
        "s": lambda: print(c.screenshot(), flush=True),
        "Up": lambda: c.nudge(f"hip_flexion_{side}", POSE_STEP_DEG),
        "Down": lambda: c.nudge(f"hip_flexion_{side}", -POSE_STEP_DEG),
        "Right": lambda: c.nudge(f"knee_flexion_{side}", POSE_STEP_DEG),
        "Left": lambda: c.nudge(f"knee_flexion_{side}", -POSE_STEP_DEG),
    }
    for key, group in GROUP_KEYS.items():
        if group in c.groups:
            keys[key] = lambda g=group: c.toggle_group(g)
    for number in range(1, len(KEY_VIEWS) + 1):
        keys[str(number)] = lambda n=number: c.view_key(n)
    for key, action in keys.items():
        plotter.add_key_event(key, lambda a=action: act(a))
    plotter.add_key_event("q", plotter._prep_for_close)


def screen_size() -> tuple[int, int]:
    """The display's size in pixels (needs a display)."""
    import vtk

    window = vtk.vtkRenderWindow()
    width, height = window.GetScreenSize()
    window.Finalize()
    return int(width), int(height)


def window_layout(scene: Scene, *, present: bool, screen: tuple[int, int] | None = None,
                  ) -> tuple[tuple[int, int], int, float]:
    """The view's size, the panel's width and the text scale of a window.

    A normal window keeps the scene's picture size; presentation mode fills the screen, the panel a
    quarter of it, with its text 1.2 times larger again for the back of a lecture hall.
    """
    if present:
        width, height = screen or (1920, 1080)
        scale = 1.2 * height / 720
        panel = int(round(width * 0.24))
        return (width - panel, height), panel, scale
    height = scene.size[1]
    scale = height / 720
    return tuple(scene.size), int(round(400 * scale)), scale


def run_window(model: HipModel, scene: Scene, *, present: bool = False) -> None:
    """Open the interactive window on a scene (needs a display); ``present`` for presentation mode."""
    size, panel_width, scale = window_layout(scene, present=present, screen=screen_size() if present else None)
    view = HipView(model, scene, off_screen=False, size=size, anti_aliasing="fxaa")
    controls = WindowControls(view)
    panel = attach(controls, panel_width_px=panel_width, scale=scale, compact=present)
    plotter = view.plotter
    if present:  # the screen's size without borders (VTK's full-screen switch remaps the window and crashed)
        plotter.render_window.SetBorders(False)
        plotter.render_window.SetPosition(0, 0)
    plotter.iren.initialize()
    plotter.iren.interactor.CreateRepeatingTimer(panel.timer_ms)
    plotter.show(title=f"anatviz: {scene.title}")
