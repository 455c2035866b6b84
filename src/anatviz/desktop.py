"""The interactive window: widgets and keys that call the same HipView verbs the CLI uses.

Every control is a method of :class:`WindowControls`, so tests drive them on an off-screen view.
"""

from __future__ import annotations

from .hipmodel import HipModel
from .render import HipView
from .render import style as S
from .scene.schema import Scene
from .scene.views import KEY_VIEWS

TOGGLE_GROUPS = ("gluteals", "hamstrings", "deep_rotators")
SLIDERS = (("hip_flexion_r", "Hip flexion R"), ("knee_flexion_r", "Knee flexion R"))
KEYS_HELP = ("g gluteals   m hamstrings   r deep rotators   t tubes/lines   space play/pause   "
             "1-6 views   s screenshot")


class WindowControls:
    """The window's controls over a :class:`HipView`.

    Parameters
    ----------
    view : HipView
    """

    def __init__(self, view: HipView) -> None:
        self.view = view
        self.pose = dict(view.scene.pose_deg)
        self.playing = False
        self.screenshots = 0

    # -- the controls ------------------------------------------------------------------------------
    def toggle_group(self, group: str, visible: bool | None = None) -> bool:
        """Show or hide a group on both sides (flip it when ``visible`` is None); returns the new state."""
        members = self.view.model.groups[group]
        state = (not any(self.view.visible[m] for m in members)) if visible is None else visible
        self.view.set_visible(group, state)
        return state

    def set_coordinate(self, name: str, value_deg: float) -> None:
        """A slider: hold ``name`` at ``value_deg`` and pose the model."""
        self.playing = False
        self.pose[name] = float(value_deg)
        self.view.set_pose(**self.pose)

    def toggle_style(self) -> str:
        style = "lines" if self.view.muscle_style == "tubes" else "tubes"
        self.view.set_muscle_style(style)
        return style

    def view_key(self, number: int) -> str:
        name = KEY_VIEWS[number - 1]
        self.view.set_view(name)
        return name

    def toggle_play(self) -> bool:
        self.playing = not self.playing and len(self.view.frames) > 1
        return self.playing

    def tick(self) -> None:
        """Advance the scene's motion by one frame while playing."""
        if self.playing:
            self.view.set_frame(self.view.frame_index + 1)

    def screenshot(self) -> str:
        self.screenshots += 1
        path = f"anatviz-{self.view.scene.name}-{self.screenshots}.png"
        self.view.screenshot(path)
        return path

    # -- wiring to a real window -------------------------------------------------------------------
    def attach(self) -> None:
        """Add the widgets, keys and the playback timer to the view's plotter."""
        plotter, height = self.view.plotter, self.view.size[1]
        font = S.font_px(height, 13)
        for row, group in enumerate(TOGGLE_GROUPS):
            y = height * 0.86 - (row + 1) * (font * 2.4)
            colour = self.view.colours[self.view.model.muscle(self.view.model.groups[group][0]).card]
            plotter.add_checkbox_button_widget(
                lambda state, g=group: self.toggle_group(g, bool(state)),
                value=any(self.view.visible[m] for m in self.view.model.groups[group]),
                position=(10, y), size=int(font * 1.8), color_on=colour, color_off="grey")
            plotter.add_text(group.replace("_", " "), position=(int(font * 2.6) + 10, int(y + font * 0.3)),
                             font_size=font, color=S.TEXT_COLOUR_ON_DARK)
        for i, (name, title) in enumerate(SLIDERS):
            lo, hi = self.view.model.coordinates[name]
            x0 = 0.03 + i * 0.30
            plotter.add_slider_widget(lambda value, n=name: self.set_coordinate(n, value), rng=[lo, hi],
                                      value=self.pose.get(name, 0.0), title=title, pointa=(x0, 0.12),
                                      pointb=(x0 + 0.25, 0.12), style="modern", fmt="%.0f",
                                      title_height=0.025, slider_width=0.02, tube_width=0.006)
        plotter.add_text(KEYS_HELP, position="upper_right", font_size=S.font_px(height, 10),
                         color=S.TEXT_COLOUR_ON_DARK)
        for key, group in (("g", "gluteals"), ("m", "hamstrings"), ("r", "deep_rotators")):
            plotter.add_key_event(key, lambda g=group: (self.toggle_group(g), plotter.render()))
        plotter.add_key_event("t", lambda: (self.toggle_style(), plotter.render()))
        plotter.add_key_event("space", lambda: self.toggle_play())
        plotter.add_key_event("s", lambda: print(self.screenshot()))
        for number in range(1, 7):
            plotter.add_key_event(str(number), lambda n=number: (self.view_key(n), plotter.render()))
        fps = self.view.scene.motion.fps if self.view.scene.motion else 30.0
        plotter.add_timer_event(max_steps=10**9, duration=int(1000 / fps), callback=lambda _: self._on_timer())

    def _on_timer(self) -> None:
        if self.playing:
            self.tick()
            self.view.plotter.render()


def run_window(model: HipModel, scene: Scene) -> None:
    """Open the interactive window on a scene (needs a display)."""
    view = HipView(model, scene, off_screen=False, anti_aliasing="fxaa")
    controls = WindowControls(view)
    controls.attach()
    view.plotter.show(title=f"anatviz: {scene.title}")
