"""The browser app's state and callbacks: each one calls a :class:`~anatviz.desktop.WindowControls`
method, as the desktop window does, then pushes the new picture to every connected browser."""

from __future__ import annotations

import asyncio
import itertools
import time
from typing import Any

from trame.app import get_server

from ..desktop import POSE_COORDINATES, WindowControls, one_render
from ..hipmodel import HipModel
from ..render import HipView
from ..scene.schema import Scene
from ..scene.views import KEY_VIEWS

RENDERINGS = ("server", "client")
VIEW_SIZE = (1280, 720)
_names = itertools.count()


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

    def __init__(self, model: HipModel, scene: Scene, *, rendering: str = "server") -> None:
        if rendering not in RENDERINGS:
            raise ValueError(f"rendering: expected one of {', '.join(RENDERINGS)}, found {rendering!r}")
        self.rendering = rendering
        self.server = get_server(f"anatviz-{next(_names)}", client_type="vue3")
        self.state, self.ctrl = self.server.state, self.server.controller
        # no anti-aliasing: the pictures are JPEG-compressed anyway, and every millisecond counts
        self.view = HipView(model, scene.with_changes(size=VIEW_SIZE), anti_aliasing=None)
        # depth peeling on EGL hid the dimmed (translucent) muscles entirely; plain blending shows them
        self.view.plotter.disable_depth_peeling()
        self.controls = WindowControls(self.view)
        self.sides = self.controls.sides
        self.sliders = [f"{base}_{side}" for base in POSE_COORDINATES for side in self.sides
                        if f"{base}_{side}" in model.coordinates]
        self.toggles = [f"{g}_{s}" for g in self.controls.groups for s in self.sides if f"{g}_{s}" in model.groups]
        self._player: asyncio.Task | None = None
        self._pressed: tuple[float, float] | None = None
        self.view.plotter.render_window.AddObserver("WindowResizeEvent", self._on_resize)
        self._init_state()
        self._bind()
        from .layout import build_layout

        self.ui = build_layout(self)

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
        s.has_motion = len(self.view.frames) > 1
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
        s.change("tubes")(lambda **state: self.on_tubes(state["tubes"]))
        s.change("labels")(lambda **state: self.on_labels(state["labels"]))
        self.ctrl.add("on_server_ready")(lambda **_: self.view.render())

    def on_toggle(self, group: str, shown: bool) -> None:
        if bool(shown) != self.controls.group_shown(group):
            self.act(self.controls.toggle_group, group, bool(shown))

    def on_slider(self, coordinate: str, value: float) -> None:
        if value is not None and round(float(value)) != round(self.controls.coordinate_value(coordinate)):
            self.act(self.controls.set_coordinate, coordinate, float(value))

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

    def _on_resize(self, window, _event) -> None:
        """Browsers size the picture to their page: lay the labels out for the new size."""
        size = tuple(window.GetSize()[:2])
        if size != self.view.size and min(size) > 10:
            self.view.size = size
            self.view.annotations.camera_changed()

    # -- the server ----------------------------------------------------------------------------------
    def close(self) -> None:
        self.controls.playing = False
        self.view.close()

    @property
    def views(self) -> list[str]:
        return list(KEY_VIEWS)


def _position(event: dict | None) -> tuple[float, float] | None:
    """The pointer position of a vtk.js interactor event (display pixels, origin lower left)."""
    if not event or "position" not in event:
        return None
    position = event["position"]
    return float(position["x"]), float(position["y"])
