"""The browser app's state and callbacks: each one calls a :class:`~anatviz.desktop.WindowControls`
method, as the desktop window does, then pushes the new picture to every connected browser."""

from __future__ import annotations

import asyncio
import base64
import itertools
import time
from typing import Any

from trame.app import get_server

from ..desktop.charts import CHART_KINDS, figure_png, muscle_figure
from ..desktop.controls import (
    ABDUCTORS_SLIDER,
    POSE_COORDINATES,
    STRENGTH_GROUPS,
    WindowControls,
    one_render,
)
from ..desktop.lessons import LessonSteps
from ..hipmodel import HipModel
from ..lesson import Lesson
from ..render import HipView
from ..scene.schema import Scene
from ..scene.views import KEY_VIEWS

RENDERINGS = ("server", "client")
VIEW_SIZE = (1280, 720)
# trame's image delivery asks the JPEG encoder (a worker thread) for the picture, and when it is not
# ready yet asks again 0.5 s later: half a second of every slider change. Encoding takes a few ms.
IMAGE_POLL_S = 0.005
IMAGE_POLL_TRIES = 1000  # 5 s at most
DRAG_RATIO, DRAG_QUALITY = 0.5, 70  # pictures while a slider moves: half the size, JPEG quality 70
SETTLE_S = 0.3
PREFETCH_AFTER_S = 1.5  # a lesson step this long on screen: compute the next one's frames
WEB_NEXT_KEYS = ("ArrowRight", "ArrowDown", "PageDown", "n")  # as the window's (clickers send PageDown)
WEB_PREVIOUS_KEYS = ("ArrowLeft", "ArrowUp", "PageUp", "p")
_names = itertools.count()


def strength_key(group: str) -> str:
    """State name of a strength slider (percent of healthy), e.g. ``strength__gluteus_maximus``."""
    return f"strength__{group}"


def strength_label_key(group: str) -> str:
    """State name of a strength slider's label, e.g. ``strength_label__stance_abductors``."""
    return f"strength_label__{group}"


def show_key(group: str) -> str:
    """State name of a group's check box, e.g. ``show__gluteals_r``."""
    return f"show__{group}"


def pose_key(coordinate: str) -> str:
    """State name of a coordinate's slider, e.g. ``deg__hip_flexion_r``."""
    return f"deg__{coordinate}"


class ClassroomApp:
    """One scene in the browser: a trame server, a :class:`HipView` and its controls.

    Parameters
    ----------
    model : HipModel
    scene : Scene
    rendering : {'server', 'client'}
        Pictures rendered here and streamed as images (default), or the scene sent to the browser
        and drawn there by vtk.js.
    """

    def __init__(self, model: HipModel, scene: Scene, *, rendering: str = "server",
                 lesson: Lesson | None = None) -> None:
        if rendering not in RENDERINGS:
            raise ValueError(f"rendering: expected one of {', '.join(RENDERINGS)}, found {rendering!r}")
        self.rendering = rendering
        self.server = get_server(f"anatviz-{next(_names)}", client_type="vue3")
        self.state, self.ctrl = self.server.state, self.server.controller
        self.model = model
        self.view = self._make_view(lesson.steps[0].scene if lesson else scene)
        self.lesson = LessonSteps(lesson, self.view) if lesson else None  # every step in this one view
        self.controls = WindowControls(self.view)
        self.sides = self.controls.sides
        self.sliders = [f"{base}_{side}" for base in POSE_COORDINATES for side in self.sides
                        if f"{base}_{side}" in model.coordinates]
        self.toggles = [f"{g}_{s}" for g in self.controls.groups for s in self.sides if f"{g}_{s}" in model.groups]
        # every strength slider a scene (a lesson's step) may have; the page shows those of the scene on screen
        self.strength_groups = [g for g in STRENGTH_GROUPS if g in model.groups] + [ABDUCTORS_SLIDER]
        self._player: asyncio.Task | None = None
        self._pressed: tuple[float, float] | None = None
        self._chart_key: tuple = ()
        self._settle: asyncio.TimerHandle | None = None
        self._still: dict = {}
        self._prefetch: asyncio.TimerHandle | None = None
        self.remote_view = None  # the page's view widget (set by the layout)
        self._init_state()
        self._bind()
        from .layout import build_layout

        self.ui = build_layout(self)

    def _make_view(self, scene: Scene) -> HipView:
        """A view of a scene at the browser's picture size."""
        # no anti-aliasing: the pictures are JPEG-compressed anyway, and every millisecond counts
        view = HipView(self.model, scene.with_changes(size=VIEW_SIZE), anti_aliasing=None)
        # depth peeling on EGL hid the dimmed (translucent) muscles entirely; plain blending shows them
        view.plotter.disable_depth_peeling()
        view.plotter.render_window.AddObserver("WindowResizeEvent", lambda window, _: self._on_resize(view, window))
        return view

    # -- state ---------------------------------------------------------------------------------------
    def _init_state(self) -> None:
        s, c = self.state, self.controls
        s.trame__title = f"anatviz: {self.view.scene.title}"
        s.scene_title = self.view.scene.title
        s.playing = False
        s.speed = c.speed
        s.tubes = self.view.muscle_style == "tubes"
        s.labels = c.labels_shown
        s.card = None
        s.chart_open, s.chart_kind, s.chart_png = False, CHART_KINDS[0], ""
        s.lesson_title = self.lesson.lesson.title if self.lesson else ""
        self.sync()

    def sync(self) -> None:
        """Copy the controls' state into the browsers' state (check boxes, sliders, card...)."""
        s, c = self.state, self.controls
        for group in self.toggles:
            s[show_key(group)] = c.group_shown(group)
        for name in self.sliders:
            s[pose_key(name)] = round(c.coordinate_value(name))
        s.playing, s.speed, s.card = c.playing, c.speed, c.card()
        s.tubes, s.labels = self.view.muscle_style == "tubes", c.labels_shown
        s.has_motion = len(self.view.frames) > 1
        s.has_strength = bool(c.strength_groups)
        s.drop_text = self.view.activation_overlay.drop_line()
        s.strength_shown = list(c.strength_groups)
        for group in self.strength_groups:
            s[strength_key(group)] = round(100 * c.strength.get(group, 1.0))
            s[strength_label_key(group)] = c.strength_label(group)
        if self.lesson is not None:
            s.lesson_heading, s.lesson_caption = self.lesson.heading(), self.lesson.step.caption
            s.lesson_first, s.lesson_last = self.lesson.index == 0, self.lesson.index == len(self.lesson.lesson) - 1
        self._sync_chart()

    def _sync_chart(self) -> None:
        """The selected muscle's plot for the side panel, drawn again only when what it shows changed."""
        s, c = self.state, self.controls
        if not s.chart_open or c.selected is None:
            self._chart_key, s.chart_png = (), ""
            return
        pose = self.view.pose()
        knee = round(pose.get(f"knee_flexion_{self.model.muscle(c.selected).side}", 0.0))
        key = (c.selected, s.chart_kind, knee if s.chart_kind == "moment_arm" else None)
        if key != self._chart_key:
            self._chart_key = key
            png = figure_png(muscle_figure(self.model, c.selected, s.chart_kind, pose))
            s.chart_png = "data:image/png;base64," + base64.b64encode(png).decode("ascii")

    def act(self, action, *args: Any) -> Any:
        """Run a control, draw once (pushing the picture to every browser), then sync the state."""
        with one_render(self.view.plotter):  # one render, which pushes the picture to the browsers
            result = action(*args)
        self.sync()
        return result

    # -- callbacks -----------------------------------------------------------------------------------
    def _bind(self) -> None:
        s = self.state
        for group in self.toggles:
            s.change(show_key(group))(lambda g=group, **state: self.on_toggle(g, state[show_key(g)]))
        for name in self.sliders:
            s.change(pose_key(name))(lambda n=name, **state: self.on_slider(n, state[pose_key(n)]))
        for group in self.strength_groups:
            s.change(strength_key(group))(lambda g=group, **state: self.on_strength(g, state[strength_key(g)]))
        s.change("chart_open", "chart_kind")(lambda **_: self._sync_chart())
        self.server.trigger("key")(self.on_key)
        s.change("tubes")(lambda **state: self.on_tubes(state["tubes"]))
        s.change("labels")(lambda **state: self.on_labels(state["labels"]))
        self.ctrl.add("on_server_ready")(self._on_server_ready)

    def _on_server_ready(self, **_) -> None:
        tune_image_delivery(self.server)
        self.view.render()
        self._schedule_prefetch()

    def on_toggle(self, group: str, shown: bool) -> None:
        if bool(shown) != self.controls.group_shown(group):
            self.act(self.controls.toggle_group, group, bool(shown))

    def on_slider(self, coordinate: str, value: float) -> None:
        if value is not None and round(float(value)) != round(self.controls.coordinate_value(coordinate)):
            self._interactive()
            self.act(self.controls.set_coordinate, coordinate, float(value))

    def _interactive(self) -> None:
        """While a slider moves, send smaller pictures (:data:`DRAG_RATIO` of the size, drawn in about a
        third of the time) with the bones drawn from a fifth of their triangles; :data:`SETTLE_S` after
        the last change, one full picture."""
        view = self.remote_view
        if view is None or self.rendering != "server" or not self.server.protocol:
            return
        self.view.set_detail(True)
        if self._settle is None:
            window = self.view.plotter.render_window
            self._still = view._helper.get_current_image_quality(window)  # {quality, ratio}
            view._helper.set_image_quality(window, DRAG_QUALITY, DRAG_RATIO)
        else:
            self._settle.cancel()
        self._settle = asyncio.get_event_loop().call_later(SETTLE_S, self._settled)

    def _settled(self) -> None:
        self._settle = None
        self.view.set_detail(False)  # solves a pelvis drop left for the slider to settle
        with self.state:  # pushed to the browsers at once (a timer is outside trame's callbacks)
            self.sync()  # the drop text, and the pose sliders a solved drop moved
        if self.remote_view is not None and self.server.protocol:
            self.remote_view._helper.set_image_quality(self.view.plotter.render_window, **self._still)
            self.remote_view.update()

    def on_strength(self, group: str, percent: float) -> None:
        c = self.controls
        if percent is not None and group in c.strength_groups and round(float(percent)) != round(100 * c.strength[group]):
            self._interactive()  # a solved pelvis drop is solved again once the slider settles
            self.act(c.set_strength, group, float(percent) / 100.0)

    # -- lessons -------------------------------------------------------------------------------------
    def on_step(self, delta: int) -> bool:
        """Show the lesson's next (``delta`` 1) or previous (-1) step: its scene is loaded into the view
        and the controls take its state. True when the step changed."""
        if self.lesson is None:
            return False
        self.controls.playing = False
        changed = self.act(self.lesson.go, self.lesson.index + int(delta))  # one render for the new step
        if not changed:
            return False
        self.controls.switch_view(self.view)
        self.sync()
        self._schedule_prefetch()
        return True

    def _schedule_prefetch(self) -> None:
        """Compute the next step's frames :data:`PREFETCH_AFTER_S` after a step is shown, unless the step
        changes again first."""
        if self.lesson is None:
            return
        if self._prefetch is not None:
            self._prefetch.cancel()
        index = self.lesson.index
        self._prefetch = asyncio.get_event_loop().call_later(
            PREFETCH_AFTER_S, lambda: self.lesson.index == index and self.lesson.prefetch())

    def on_key(self, key: str) -> None:
        """A key pressed in the page (outside the controls): the lesson keys, as in the window."""
        if key in WEB_NEXT_KEYS:
            self.on_step(1)
        elif key in WEB_PREVIOUS_KEYS:
            self.on_step(-1)

    def on_tubes(self, tubes: bool) -> None:
        if bool(tubes) != (self.view.muscle_style == "tubes"):
            self.act(self.controls.toggle_style)

    def on_labels(self, labels: bool) -> None:
        if bool(labels) != self.controls.labels_shown:
            self.act(self.controls.toggle_labels)

    def on_view(self, number: int) -> None:
        self.act(self.controls.view_key, int(number))

    def on_reset_pose(self) -> None:
        self.act(self.controls.reset_pose)

    def on_faster(self) -> None:
        self.act(self.controls.faster)

    def on_slower(self) -> None:
        self.act(self.controls.slower)

    def on_clear(self) -> None:
        self.act(self.controls.select, None)

    def on_play(self) -> None:
        playing = self.act(self.controls.toggle_play)
        if playing and (self._player is None or self._player.done()):
            self._player = asyncio.ensure_future(self._play())

    async def _play(self) -> None:
        """Advance the motion in real time while playing (frames are dropped when drawing is slow)."""
        last = time.monotonic()
        while self.controls.playing:
            await asyncio.sleep(1.0 / (self.view.scene.motion.fps if self.view.scene.motion else 30.0))
            now = time.monotonic()
            elapsed, last = min(now - last, 0.25), now
            with self.state:
                self.act(self.controls.tick, elapsed)

    # -- picking -------------------------------------------------------------------------------------
    def on_press(self, event: dict | None) -> None:
        self._pressed = _position(event)

    def on_release(self, event: dict | None) -> None:
        """A click (not a drag) on the picture selects the muscle there and shows its card."""
        start, end = self._pressed, _position(event)
        self._pressed = None
        if start is None or end is None or abs(start[0] - end[0]) + abs(start[1] - end[1]) > 4:
            return
        self.pick_display(*end)

    def pick_display(self, x: float, y: float) -> str | None:
        """Select the muscle at a point of the picture in VTK display pixels (origin lower left)."""
        height = self.view.plotter.render_window.GetSize()[1]
        self.act(self.controls.pick, int(round(x)), int(round(height - 1 - y)))
        return self.controls.selected

    def on_client_pick(self, event: dict | None) -> str | None:
        """A click in the browser-drawn (vtk.js) view: the point it hit selects the nearest muscle."""
        point = (event or {}).get("worldPosition")
        muscle = None if point is None else self.view.muscle_near(point)
        self.act(self.controls.select, muscle)
        return muscle

    @staticmethod
    def _on_resize(view: HipView, window) -> None:
        """Browsers size the picture to their page: size and lay out the texts for the new size."""
        view.window_resized(tuple(window.GetSize()[:2]))

    # -- the server ----------------------------------------------------------------------------------
    def close(self) -> None:
        self.controls.playing = False
        if self.lesson is not None:
            self.lesson.close()
        self.view.close()

    @property
    def views(self) -> list[str]:
        return list(KEY_VIEWS)


def tune_image_delivery(server) -> int:
    """Make trame's image delivery ask the JPEG encoder again every :data:`IMAGE_POLL_S` until the
    picture is ready (at most :data:`IMAGE_POLL_TRIES` times) instead of once after 0.5 s; returns how
    many delivery protocols were changed (0 when trame changes its internals: it still works, slower)."""
    protocol = server.protocol
    changed = 0
    for link in protocol.getLinkProtocols() if protocol is not None else ():
        if not all(hasattr(link, a) for a in ("delta_stale_time_before_render", "stale_handler_count",
                                               "last_stale_time", "push_render")):
            continue

        def retry(view_id, stale_count=0, link=link) -> None:
            # trame's own retry waits longer each time and stops when a retry comes early; this one
            # asks at a steady pace until the encoder is done
            link.stale_handler_count[view_id] = max(0, link.stale_handler_count.get(view_id, 0) - 1)
            if link.last_stale_time.get(view_id, 0) != 0 and stale_count < IMAGE_POLL_TRIES:
                link.push_render(view_id, False, stale_count + 1)

        link.delta_stale_time_before_render = IMAGE_POLL_S
        link.render_stale_image = retry
        changed += 1
    return changed


def _position(event: dict | None) -> tuple[float, float] | None:
    """The pointer position of a vtk.js interactor event (display pixels, origin lower left)."""
    if not event or "position" not in event:
        return None
    position = event["position"]
    return float(position["x"]), float(position["y"])
