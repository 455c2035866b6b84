"""The view's classroom verbs: text scale (presentation mode), bone level of detail while interacting,
and loading another scene into an existing view (lesson steps)."""

from __future__ import annotations

import numpy as np
import pytest

from anatviz.desktop import LessonSteps
from anatviz.lesson import load_lesson
from anatviz.render import HipView
from anatviz.scene import load_scene, with_overrides

SIZE = (480, 270)


def _view(model, name, size=SIZE, **options):
    return HipView(model, with_overrides(model, load_scene(name, model), size=size), anti_aliasing=None, **options)


def _caption_boxes(view):
    """(x0, y0, x1, y1) display pixels of every label box."""
    out = []
    for caption in view.annotations.captions.values():
        x, y = caption.GetPosition()
        out.append((x, y, x + caption.GetWidth() * view.size[0], y + caption.GetHeight() * view.size[1]))
    return out


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_text_scale_grows_every_text_and_labels_still_do_not_collide(model):
    plain, large = _view(model, "hip_thrust", size=(1280, 720)), _view(model, "hip_thrust", size=(1280, 720),
                                                                      text_scale=1.4)
    try:
        def sizes(view):
            a, r = view.annotations, view.activation_overlay
            return {"label": next(iter(a.captions.values())).GetCaptionTextProperty().GetFontSize(),
                    "title": a.title.GetTextProperty().GetFontSize(),
                    "status": a.status.GetTextProperty().GetFontSize(),
                    "ratio": r.ratio.GetTextProperty().GetFontSize(),
                    "readout": r.readout.GetTextProperty().GetFontSize(),
                    "bar": a.scalar_bar.GetLabelTextProperty().GetFontSize()}

        before, after = sizes(plain), sizes(large)
        assert before["label"] == 15 and after["label"] == 21
        for key in before:
            assert after[key] > before[key], key
        boxes = _caption_boxes(large)
        assert len(boxes) >= 4
        assert not any(_overlaps(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
        assert all(0 <= b[0] and b[2] <= 1280 for b in boxes)  # inside the picture
        # live: the plain view grows to the large one's sizes, and back
        plain.set_text_scale(1.4)
        assert sizes(plain) == after
        plain.set_text_scale(1.0)
        assert sizes(plain) == before
        with pytest.raises(ValueError, match="text_scale"):
            plain.set_text_scale(0.0)
    finally:
        plain.close()
        large.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_labels_stay_above_the_legend_once_it_appears(model, size):
    """hip_extension, lateral view: a click dims the other muscles and shows the legend in place of the
    colour bar; the lowest right-hand label used to sit on the legend's top row."""
    view = _view(model, "hip_extension", size=size)
    try:
        view.select("semitendinosus_r")
        view.highlight("muscles", ["semitendinosus_r"])
        legend = view.annotations.legend_actors
        assert legend
        legend_top = max(a.GetPosition()[1] * size[1] + a.GetTextProperty().GetFontSize() * 1.2 for a in legend)
        assert min(b[1] for b in _caption_boxes(view)) > legend_top
    finally:
        view.close()


def test_set_detail_draws_decimated_bones_while_interacting(model):
    view = _view(model, "hip_extension")
    try:
        full = view.detail.triangles()
        inputs = {b: a.GetMapper().GetInput() for b, a in view.bone_actors.items()}
        view.image()  # (the very first picture differs slightly from every later one)
        still = view.image()
        view.set_detail(True)
        light = view.detail.triangles()
        assert 0.1 * full < light < 0.3 * full
        moving = view.image()
        assert np.abs(moving.astype(int) - still.astype(int)).mean() < 3  # the same bones, coarser
        view.set_detail(False)
        assert view.detail.triangles() == full
        assert all(a.GetMapper().GetInput() is inputs[b] for b, a in view.bone_actors.items())
        assert np.array_equal(view.image(), still)
    finally:
        view.close()


@pytest.mark.parametrize("first, then", [("overview", "hip_thrust"), ("hip_thrust", "moment_arm_lever"),
                                         ("moment_arm_lever", "hamstrings")])
def test_load_scene_draws_what_a_fresh_view_draws(model, first, then):
    view, fresh = _view(model, first), _view(model, then)
    try:
        view.load_scene(with_overrides(model, load_scene(then, model), size=SIZE))
        a, b = view.image().astype(int), fresh.image().astype(int)
        difference = np.abs(a - b)
        assert difference.mean() < 0.5 and (difference > 40).mean() < 0.002, (difference.mean(), (difference > 40).mean())
        assert view.scene.name == then and view.frames is not fresh.frames
    finally:
        view.close()
        fresh.close()


def _props(view) -> tuple[int, int, int]:
    window = view.plotter.render_window
    return (view.plotter.renderer.GetViewProps().GetNumberOfItems(), len(view.plotter.renderer._actors),
            window.GetRenderers().GetNumberOfItems())


def short_lesson(tmp_path, *scenes: str):
    """A lesson file of the given shipped scenes (the shipped lesson's 16 steps take long to build)."""
    steps = "".join(f'[[steps]]\nscene = "{name}"\ncaption = "Step {i}."\n\n' for i, name in enumerate(scenes, 1))
    path = tmp_path / "short.toml"
    path.write_text(f'[lesson]\ntitle = "A short lesson"\n\n{steps}')
    return path


def test_stepping_through_a_lesson_twice_leaks_no_actors(model, tmp_path):
    lesson = load_lesson(short_lesson(tmp_path, "overview", "hip_thrust", "moment_arm_lever", "gluteal_layers"),
                         model)
    view = HipView(model, lesson.steps[0].scene, size=(240, 135), anti_aliasing=None)
    steps = LessonSteps(lesson, view)
    try:
        counts = []
        for _ in range(2):
            while steps.next():
                pass
            while steps.previous():
                pass
            counts.append(_props(view))
        assert counts[0] == counts[1]
        assert len(steps.frames) == len(lesson.steps) and steps.view is view
    finally:
        view.close()


def test_a_resized_window_sizes_its_texts_as_a_view_made_at_that_size(model):
    """A browser sizes the picture to its page after the view is made (1280x720 to about 960x820, here
    scaled by 3/4): the readout must then still leave the colour bar free, as in a view made at the new
    size (it overlapped it before)."""
    import vtk

    view, fresh = _view(model, "trendelenburg", size=(960, 540)), _view(model, "trendelenburg", size=(720, 615))
    try:
        view.plotter.window_size = [720, 615]
        view.window_resized((720, 615))
        assert view.size == (720, 615)
        for overlay in (view.activation_overlay, fresh.activation_overlay):
            prop = overlay.readout.GetTextProperty()
            bbox = [0, 0, 0, 0]
            vtk.vtkTextRenderer().GetBoundingBox(prop, overlay.readout.GetInput(), bbox, 72)
            assert 0.015 * 720 + bbox[1] - bbox[0] <= 0.64 * 720  # left of the colour bar
        fonts = [[a.GetTextProperty().GetFontSize() for a in (v.activation_overlay.readout, v.activation_overlay.drop)]
                 for v in (view, fresh)]
        assert fonts[0] == fonts[1]
        assert view.image().shape[:2] == (615, 720)
    finally:
        view.close()
        fresh.close()


def test_a_new_colour_bar_is_laid_out_in_the_first_picture(model):
    """VTK places a new colour bar's labels from the render before; the window and the browser draw
    without SSAA, where the first picture had the labels over the bar. It must equal the next one."""
    view = _view(model, "trendelenburg", size=(640, 360))
    try:
        bar = slice(int(0.8 * 360), 360), slice(int(0.6 * 640), 640)
        first, second = view.image()[bar].astype(int), view.image()[bar].astype(int)
        assert np.abs(first - second).max() == 0
    finally:
        view.close()
