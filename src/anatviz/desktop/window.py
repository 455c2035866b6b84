"""The desktop window (``anatviz show``): lay out the picture and the panel, wire the mouse, the keys
and the playback timer to :class:`WindowControls`, and open it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ..hipmodel import HipModel
from ..lesson import Lesson
from ..render import HipView
from ..scene.schema import Scene
from ..scene.views import KEY_VIEWS
from .controls import GROUP_KEYS, POSE_STEP_DEG, WindowControls, one_render
from .lessons import NEXT_KEYS, PREVIOUS_KEYS, LessonSteps
from .panel import Panel

PRESENT_TEXT_FACTOR = 1.6
PRESENT_PICTURE_TEXT_SCALE = 1.4  # the picture's labels, title, ratio, legend... in presentation mode
PRESENT_PANEL_SHARE = 0.3
PREFETCH_AFTER_S = 1.5  # a lesson step this long on screen: compute the next one's frames


def attach(controls: WindowControls, *, panel_width_px: int, scale: float, compact: bool = False,
           lesson: LessonSteps | None = None) -> Panel:
    """Wire the panel, the mouse, the keys and the playback timer into the view's plotter.

    With a ``lesson`` over ``controls.view``, the lesson keys step through it: each step's scene is
    loaded into the same view.
    """
    view, plotter = controls.view, controls.view.plotter
    panel = Panel(controls, width_px=panel_width_px, scale=scale, compact=compact, lesson=lesson)
    iren = plotter.iren.interactor

    def picture():
        """The window's picture as drawn (whichever view fills it), with the overlays, without the panel."""
        plotter.render()
        return plotter.screenshot(transparent_background=False, return_img=True)

    controls.picture = picture
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

    fxaa = plotter.renderer.GetUseFXAA()

    def interacting(on: bool) -> None:
        """While a slider or the camera moves, draw without anti-aliasing (about a quarter of a frame's
        time in software GL) and the bones with a fifth of their triangles; the still picture after it
        is smooth and whole again."""
        if fxaa:
            controls.view.plotter.renderer.SetUseFXAA(not on)
        controls.view.set_detail(on)

    def on_move(obj, event) -> None:
        if panel.dragging is not None:
            interacting(True)
            act(lambda: panel.drag(obj.GetEventPosition()[0] - view.size[0]))
            obj.GetCommand(tags["move"]).SetAbortFlag(1)

    def on_release(obj, event) -> None:
        if panel.dragging is not None:
            panel.release()
            interacting(False)
            act(lambda: None)
            obj.GetCommand(tags["release"]).SetAbortFlag(1)

    def on_view_release(obj, event) -> None:
        x, y = iren.GetEventPosition()
        start = pressed.pop("at", None)
        if start is not None and abs(start[0] - x) + abs(start[1] - y) <= 4 and not in_panel(x):
            # a click, not a drag: pick a muscle (rows counted from the window's top, where the picture is)
            act(lambda: controls.pick(x, panel.canvas.height - 1 - y))

    def on_wheel(obj, event) -> None:
        if in_panel(obj.GetEventPosition()[0]):
            obj.GetCommand(tags[event]).SetAbortFlag(1)

    clock = {"last": time.monotonic()}

    def on_timer(obj, event) -> None:
        now = time.monotonic()
        elapsed, clock["last"] = min(now - clock["last"], 1.0), now
        if controls.playing:
            act(lambda: controls.tick(elapsed))
        elif lesson is not None and panel.dragging is None and now - clock.get("step", 0.0) > PREFETCH_AFTER_S:
            clock["step"] = now
            lesson.prefetch()  # the next step's frames, computed while this one is on screen

    tags = {"press": iren.AddObserver("LeftButtonPressEvent", on_press, 10.0),
            "move": iren.AddObserver("MouseMoveEvent", on_move, 10.0),
            "release": iren.AddObserver("LeftButtonReleaseEvent", on_release, 10.0)}
    for event in ("MouseWheelForwardEvent", "MouseWheelBackwardEvent"):
        tags[event] = iren.AddObserver(event, on_wheel, 10.0)
    # a press in the picture makes the camera style grab the mouse: the release then goes to the
    # style's observers only (pyvista's own capturing style relies on the same)
    iren.GetInteractorStyle().AddObserver("LeftButtonReleaseEvent", on_view_release, 10.0)
    iren.GetInteractorStyle().AddObserver("StartInteractionEvent", lambda *_: interacting(True))
    iren.GetInteractorStyle().AddObserver("EndInteractionEvent", lambda *_: (interacting(False), plotter.render()))
    _bind_keys(controls, plotter, act, panel)
    # our own timer: pyvista's renders at every tick even when nothing moves
    fps = view.scene.motion.fps if view.scene.motion else 30.0
    iren.AddObserver("TimerEvent", on_timer)
    panel.timer_ms = int(1000 / fps)
    return panel


def step_lesson(panel: Panel, forward: bool) -> bool:
    """Show the next (or previous) step of the panel's lesson in the window: its scene is loaded into
    the view, the controls take its state and the panel is laid out for it. True when it changed."""
    lesson, controls = panel.lesson, panel.controls
    controls.playing = False
    if lesson is None or not (lesson.next() if forward else lesson.previous()):
        return False
    controls.switch_view(lesson.view)
    panel.caption_wanted = True  # the new step's caption
    panel.chart_kind = None
    panel.rebuild()
    return True


def _bind_keys(controls: WindowControls, plotter, act: Callable[[Callable[[], Any]], None], panel: Panel) -> None:
    """Our keys replace VTK's and pyvista's one-letter defaults (w, s, r, e, f, p, v... would otherwise
    also fire). In a lesson, the arrows, PageUp, PageDown, n and p step through it."""
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
    keys["c"] = panel.toggle_chart
    if panel.caption_in_card:
        keys["k"] = panel.toggle_caption
    if panel.lesson is not None:
        for key in NEXT_KEYS:
            keys[key] = lambda: step_lesson(panel, True)
        for key in PREVIOUS_KEYS:
            keys[key] = lambda: step_lesson(panel, False)
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

    A normal window keeps the scene's picture size; presentation mode fills the screen, the panel
    :data:`PRESENT_PANEL_SHARE` of its width, with its text :data:`PRESENT_TEXT_FACTOR` times larger
    again than the screen's height alone would make it, for the back of a lecture hall (card text about
    30 pixels high on a 1080-line projector).
    """
    if present:
        width, height = screen or (1920, 1080)
        scale = PRESENT_TEXT_FACTOR * height / 720
        panel = int(round(width * PRESENT_PANEL_SHARE))
        return (width - panel, height), panel, scale
    height = scene.size[1]
    scale = height / 720
    return tuple(scene.size), int(round(400 * scale)), scale


def run_window(model: HipModel, scene: Scene | None = None, *, present: bool = False,
               lesson: Lesson | None = None) -> None:
    """Open the interactive window on a scene, or on a lesson's first step (needs a display);
    ``present`` for presentation mode."""
    if lesson is not None:
        scene = lesson.steps[0].scene
    if scene is None:
        raise ValueError("run_window: expected a scene or a lesson")
    size, panel_width, scale = window_layout(scene, present=present, screen=screen_size() if present else None)
    view = HipView(model, scene, off_screen=False, size=size, anti_aliasing="fxaa",
                   text_scale=PRESENT_PICTURE_TEXT_SCALE if present else 1.0)
    steps = LessonSteps(lesson, view) if lesson is not None else None  # every step in this one view
    controls = WindowControls(view)
    panel = attach(controls, panel_width_px=panel_width, scale=scale, compact=present, lesson=steps)
    plotter = view.plotter
    if lesson is not None:
        scene = scene.with_changes(title=lesson.title)
    if present:  # the screen's size without borders (VTK's full-screen switch remaps the window and crashed)
        plotter.render_window.SetBorders(False)
        plotter.render_window.SetPosition(0, 0)
    plotter.iren.initialize()
    plotter.iren.interactor.CreateRepeatingTimer(panel.timer_ms)
    plotter.show(title=f"anatviz: {scene.title}")
