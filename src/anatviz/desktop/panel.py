"""The window's side panel: which controls it shows and where, drawn by
:class:`~anatviz.render.cardpanel.PanelCanvas`, each one calling a :class:`WindowControls` method."""

from __future__ import annotations

import textwrap

from ..lesson import Lesson
from ..render.cardpanel import PanelCanvas, Slider, caption_band_px, vtk_text_bbox
from ..scene.views import KEY_VIEWS
from .charts import CHART_KINDS, figure_rgba, muscle_figure
from .controls import POSE_COORDINATES, WindowControls, card_lines
from .lessons import LessonSteps

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
    ("c", "the selected muscle's plots: moment arm, length, none"),
    ("q", "quit"),
)
LESSON_KEYS_HELP = (
    ("Right Down PgDn n", "next step of the lesson"),
    ("Left Up PgUp p", "previous step"),
    ("k", "the step's caption or the controls (presentation mode)"),
)
CAPTION_SIZE = 16  # a lesson's caption, at 720 pixels high
CARD_TITLE_SIZE, CARD_TEXT_SIZE = 15, 12  # at 720 pixels high
STRENGTH_PREFIX = "strength:"  # slider names: a coordinate, or this and a muscle group


def caption_band(lesson: Lesson, picture_width_px: int, scale: float) -> int:
    """The height of the strip under the picture that holds the lesson's longest caption, so that no
    caption covers the picture's colour bar, readout or legend."""
    pages = [(f"{len(lesson.steps)}/{len(lesson.steps)}   {step.title}", step.caption) for step in lesson.steps]
    return caption_band_px(pages, picture_width_px, size=CAPTION_SIZE, scale=scale)


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

    def __init__(self, controls: WindowControls, *, width_px: int, scale: float, compact: bool = False,
                 lesson: LessonSteps | None = None) -> None:
        self.controls = controls
        self.view = controls.view
        # a lesson's caption: in presentation mode in the card's place (the picture stays whole), else in
        # a strip of its own under the picture (the window grows by it)
        self.caption_in_card = compact and lesson is not None
        self.caption_wanted = True  # k flips it; a step change shows the new step's caption
        band = caption_band(lesson.lesson, self.view.size[0], scale) if lesson and not compact else 0
        self.canvas = PanelCanvas(self.view.plotter, self.view.size, width_px=width_px, scale=scale, band_px=band)
        self.width, self.height, self.scale = self.canvas.width, self.canvas.height, scale
        self.compact = compact
        self.lesson = lesson
        self.buttons, self.sliders = self.canvas.buttons, self.canvas.sliders
        self.dragging: Slider | None = None
        self._build()
        keys = KEYS_HELP if lesson is None else (*KEYS_HELP[:6], *LESSON_KEYS_HELP, *KEYS_HELP[7:])
        key_w = max(len(k) for k, _ in keys)
        self.help = self.canvas.overlay_text(
            "Keys\n\n" + "\n".join(f"{k.ljust(key_w)}   {v}" for k, v in keys), size=17,
            max_width_px=0.92 * self.view.size[0])
        self.caption = self.canvas.caption(size=CAPTION_SIZE) if lesson is not None and not compact else None
        self.chart = self.canvas.image_overlay()
        self.chart_kind: str | None = None
        self._chart_key: tuple = ()
        self.refresh()

    def _layout_key(self) -> tuple[bool, bool, bool]:
        """What decides the panel's layout: strength sliders shown, playback shown, and (presentation
        mode) whether a card has the room of both."""
        c = self.controls
        return bool(c.strength_groups), len(c.view.frames) > 1, self._card_takes_room()

    def _caption_shown(self) -> bool:
        """Presentation mode in a lesson: the step's caption is in the card's place (unless a muscle's
        card is, or ``k`` put the controls back)."""
        return self.caption_in_card and self.caption_wanted and self.controls.selected is None

    def _card_takes_room(self) -> bool:
        """Presentation mode with a muscle's card or a lesson's caption shown: it takes the place of the
        strength sliders and playback, so that its text stays large (Esc or ``k`` brings them back)."""
        c = self.controls
        shown = c.selected is not None or self._caption_shown()
        return self.compact and shown and (bool(c.strength_groups) or len(c.view.frames) > 1)

    def toggle_caption(self) -> bool:
        """Presentation mode in a lesson: the step's caption or the controls (strength, playback) in the
        panel; returns True when the caption is shown."""
        self.caption_wanted = not self.caption_wanted
        return self._caption_shown()

    def rebuild(self) -> None:
        """Lay the panel out again for the controls' view (a lesson step changed it), if the view
        needs another layout; else only draw the new state (new text costs a render's time)."""
        self.view = self.controls.view
        self.dragging = None
        self.refresh()

    def toggle_chart(self) -> str | None:
        """Show the selected muscle's moment-arm plot over the picture, then its length plot, then
        nothing; returns the kind shown (None: hidden, or no muscle selected)."""
        c = self.controls
        if c.selected is None:
            self.chart_kind = None
            c.message = "Click a muscle first: c shows its plots"
        else:
            order = [None, *CHART_KINDS]
            self.chart_kind = order[(order.index(self.chart_kind) + 1) % len(order)]
        self._draw_chart()
        return self.chart_kind

    def _draw_chart(self) -> None:
        c = self.controls
        if self.chart_kind is None or c.selected is None:
            self.chart_kind = None
            self.chart.SetVisibility(False)
            return
        pose = c.view.pose()
        side = c.model.muscle(c.selected).side
        key = (c.selected, self.chart_kind, round(pose.get(f"knee_flexion_{side}", 0.0)), id(c.view))
        if key == self._chart_key and self.chart.GetVisibility():
            return
        self._chart_key = key
        figure = muscle_figure(c.model, c.selected, self.chart_kind, pose)
        width_px = min(0.62 * self.view.size[0], 1.4 * self.view.size[1])
        dpi = max(40, int(round(width_px / figure.get_figwidth())))
        self.canvas.set_image(self.chart, figure_rgba(figure, dpi=dpi), right=True)

    def px(self, at_720: float) -> float:
        return self.canvas.px(at_720)

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self._built_for = self._layout_key()
        c, view, canvas = self.controls, self.view, self.canvas
        pad, w = self.px(16), self.width
        y = self.height - self.px(26)
        canvas.text("Muscles", pad, y, 15, bold=True)
        side_x = {"r": w - pad - self.px(70), "l": w - pad - self.px(24)}
        for side in c.sides:
            canvas.text(side.upper(), side_x[side] + self.px(11), y, 13, bold=True, centred=True)
        for group in c.groups:
            y -= self.px(25 if self.compact else 30)
            colour = view.colours[view.model.muscle(view.model.groups[group][0]).card]
            canvas.rect(pad, y - self.px(8), pad + self.px(8), y + self.px(8), colour)
            canvas.text(group.replace("_", " ").capitalize(), pad + self.px(16), y, 14)
            for side in c.sides:
                name = f"{group}_{side}"
                if name in view.model.groups:
                    canvas.check(side_x[side], y, f"show:{name}", colour, lambda g=name: c.toggle_group(g),
                                 lambda g=name: c.group_shown(g))
        if not self.compact:
            y -= self.px(40)
            canvas.text("Pose, degrees", pad, y, 15, bold=True)
            label_w = self.px(96)
            column_w = (w - 2 * pad - label_w) / 2
            for base in POSE_COORDINATES:
                y -= self.px(30)
                canvas.text(base.replace("_", " ").capitalize(), pad, y, 13, colour="#c9ced8")
                for k, side in enumerate(c.sides):
                    name = f"{base}_{side}"
                    if name in view.model.coordinates:
                        x0 = pad + label_w + k * column_w
                        canvas.slider(name, *view.model.coordinates[name], x0 + self.px(20),
                                      x0 + column_w - self.px(46), y, side.upper())
        collapsed = self._card_takes_room()
        if c.strength_groups and not collapsed:
            y -= self.px(32 if self.compact else 36)
            canvas.text("Strength, % of healthy", pad, y, 15, bold=True)
            for group in c.strength_groups:
                y -= self.px(26 if self.compact else 30)
                canvas.text(c.strength_label(group), pad, y, 13, colour="#c9ced8")
                canvas.slider(STRENGTH_PREFIX + group, 0.0, 100.0, pad + self.px(118), w - pad - self.px(48), y)
        if len(view.frames) > 1 and not collapsed:
            y -= self.px(38)
            third = (w - 2 * pad) / 3
            self.play = canvas.button("Play", pad, y, pad + third * 1.4, c.toggle_play,
                                      state=lambda: c.playing, colour="#2e7d4f")
            canvas.button("-", pad + third * 1.55, y, pad + third * 1.95, c.slower)
            self.speed = canvas.text("", pad + third * 2.15, y, 14, centred=True)
            canvas.button("+", pad + third * 2.35, y, w - pad, c.faster)
        else:
            self.play = self.speed = None
        if not self.compact:
            y -= self.px(38)
            third = (w - 2 * pad - 2 * self.px(6)) / 3
            for i, name in enumerate(KEY_VIEWS):
                row, col = divmod(i, 3)
                x0 = pad + col * (third + self.px(6))
                label = f"{i + 1} " + name.replace("_r", " R").replace("_", " ").capitalize()
                canvas.button(label, x0, y - row * self.px(32), x0 + third, lambda n=i + 1: c.view_key(n), size=12)
            y -= self.px(32 + 34)
            canvas.button("Tubes / lines", pad, y, pad + third, c.toggle_style, size=12)
            canvas.button("Labels", pad + third + self.px(6), y, pad + 2 * third + self.px(6),
                          c.toggle_labels, state=lambda: c.labels_shown, size=12)
            canvas.button("Keys (h)", pad + 2 * (third + self.px(6)), y, w - pad, c.toggle_help,
                          state=lambda: c.help_shown, size=12)
        self.card_top = y - self.px(24 if self.compact else 28)
        self.card_title = canvas.text("", pad, self.card_top, CARD_TITLE_SIZE, bold=True)
        self.card_title.GetTextProperty().SetVerticalJustificationToTop()
        self.card_text = canvas.text("", pad, self.card_top - self.px(24), CARD_TEXT_SIZE)
        self.card_text.GetTextProperty().SetVerticalJustificationToTop()
        self.card_text.GetTextProperty().SetLineSpacing(1.1)
        self.footer = canvas.text("", pad, self.px(14), 12, colour="#aab2c0")

    # -- state -> drawing --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Draw the controls' state: boxes, slider knobs and values, playback, the card, messages (laid
        out again first when the layout changes: a lesson step, or a card taking the sliders' room)."""
        c = self.controls
        if self._layout_key() != self._built_for:
            self.canvas.clear()
            self._build()
        for b in self.buttons:
            self.canvas.paint_button(b)
        for s in self.sliders:
            if s.name.startswith(STRENGTH_PREFIX):
                value = 100.0 * c.strength[s.name[len(STRENGTH_PREFIX):]]
                self.canvas.paint_slider(s, value, f"{value:.0f}%")
            else:
                value = c.coordinate_value(s.name)
                self.canvas.paint_slider(s, value, f"{value:+.0f}\N{DEGREE SIGN}")
        if self.play is not None:
            self.play.text.SetInput("Pause" if c.playing else "Play")
            self.speed.SetInput(f"{c.speed:g}\N{MULTIPLICATION SIGN}")
        card = c.card()
        if card is None and self._caption_shown():
            heading = textwrap.wrap(self.lesson.heading(), self._chars_per_line(CARD_TITLE_SIZE * self.scale))
            self.card_title.SetInput("\n".join(heading))
            self._fit_card_text(len(heading), lambda width_chars: textwrap.wrap(self.lesson.step.caption, width_chars))
        elif card is None:
            self.card_title.SetInput("Click a muscle")
            self._fit_card_text(1, lambda width_chars: textwrap.wrap(
                "to see its card: origin, insertion, nerve, blood supply, actions, and its length and "
                "moment arms at this pose.", width_chars))
        else:
            width_chars = self._chars_per_line(CARD_TITLE_SIZE * self.scale)
            title = textwrap.wrap(card["bundle"], width_chars)
            self.card_title.SetInput("\n".join(title))
            self._fit_card_text(len(title), lambda width_chars: card_lines(card, width_chars)[1:])
        if card is not None:
            footer = ("Esc: back to the caption" if self.caption_in_card and self.caption_wanted else
                      "Esc: back to the sliders" if self._card_takes_room() else "")
        elif self._caption_shown():
            footer = "k: controls    click: a card"
        else:
            footer = "k: caption    h: keys" if self.caption_in_card else "h: keys    drag: rotate    scroll: zoom"
        self.footer.SetInput(c.message or footer)
        self.help.SetVisibility(c.help_shown)
        if self.caption is not None:
            self.canvas.set_caption(self.caption, self.lesson.heading(), self.lesson.step.caption)
            self.caption.SetVisibility(not c.help_shown)  # the keys' list takes the picture
        if self.chart_kind is not None:
            self._draw_chart()  # the selection or the knee angle may have changed

    def _chars_per_line(self, font_px: float) -> int:
        return max(12, int((self.width - 2 * self.px(16)) / (font_px * 0.5)))

    def _fit_card_text(self, title_lines: int, wrap) -> None:
        """Write the card's text below its title at the largest size (at most the panel's card size)
        whose lines, wrapped by ``wrap(width_chars)``, fit above the footer."""
        top = self.card_top - self.px(CARD_TITLE_SIZE * 1.3) * title_lines - self.px(6)
        room_px = top - self.px(30)
        prop = self.card_text.GetTextProperty()
        font = int(round(self.px(CARD_TEXT_SIZE)))
        bbox = [0, 0, 0, 0]
        while True:
            text = "\n".join(wrap(self._chars_per_line(font)))
            prop.SetFontSize(font)
            vtk_text_bbox(prop, text, bbox)
            if bbox[3] - bbox[2] <= room_px or font <= 10:
                break
            font -= 1
        self.card_text.SetPosition(self.px(16), top)
        self.card_text.SetInput(text)

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
        """Move the slider being dragged to panel column ``x``."""
        s = self.dragging
        if s is None:
            return
        if s.name.startswith(STRENGTH_PREFIX):
            self.controls.set_strength(s.name[len(STRENGTH_PREFIX):], round(s.value_at(x)) / 100.0)
        else:
            self.controls.set_coordinate(s.name, round(s.value_at(x)))
        self.refresh()

    def release(self) -> None:
        self.dragging = None
