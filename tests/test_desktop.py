"""The window's controls, driven through their callbacks on an off-screen view."""

from __future__ import annotations

import numpy as np
import pytest

from anatviz.cli import main
from anatviz.desktop import WindowControls
from anatviz.render import HipView
from anatviz.scene import load_scene, with_overrides


@pytest.fixture
def controls(model):
    view = HipView(model, with_overrides(model, load_scene("hip_extension", model), size=(320, 180)),
                   anti_aliasing=None)
    yield WindowControls(view)
    view.close()


def test_group_toggle_hides_and_shows_its_actors(model, controls):
    assert controls.toggle_group("hamstrings") is False
    assert not any(controls.view.muscle_actors[m].actor.GetVisibility() for m in model.groups["hamstrings"])
    assert controls.toggle_group("hamstrings") is True
    assert all(controls.view.muscle_actors[m].actor.GetVisibility() for m in model.groups["hamstrings_r"])


def test_slider_poses_the_model(model, controls):
    controls.set_coordinate("hip_flexion_r", 90.0)
    femur = np.array(controls.view.bone_actors["femur_r"].user_matrix)
    np.testing.assert_allclose(femur, model.bone_transforms(hip_flexion_r=90.0)["femur_r"], atol=1e-12)
    controls.set_coordinate("knee_flexion_r", 45.0)
    tibia = np.array(controls.view.bone_actors["tibia_r"].user_matrix)
    np.testing.assert_allclose(tibia, model.bone_transforms(hip_flexion_r=90.0, knee_flexion_r=45.0)["tibia_r"],
                               atol=1e-12)


def test_play_advances_frames_and_keys_change_view_and_style(controls):
    assert controls.toggle_play() is True
    controls.tick()
    controls.tick()
    assert controls.view.frame_index == 2
    before = controls.view.plotter.camera_position
    assert controls.view_key(2) == "posterior"
    assert controls.view.plotter.camera_position != before
    assert controls.toggle_style() == "lines"


def test_show_without_a_display_says_so_in_one_line(capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["show", "overview"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err and "anatviz render" in err and "anatviz animate" in err


# -- the controls added for the classroom ----------------------------------------------------------------
from anatviz import desktop  # noqa: E402
from anatviz.desktop import pose_card, toggle_groups, window_layout  # noqa: E402


def _pixel(view, point):
    """Image pixel (column, row from the top) of a world point."""
    renderer = view.plotter.renderer
    renderer.SetWorldPoint(*point, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    return int(round(x)), view.plotter.render_window.GetSize()[1] - 1 - int(round(y))


def _mid_belly(view, muscle):
    actor = view.muscle_actors[muscle]
    points = np.asarray(actor.source.points)[: actor.points]
    return points[len(points) // 2]


def test_toggle_groups_are_the_models_top_level_groups(model):
    assert toggle_groups(model)[:3] == ["gluteals", "hamstrings", "deep_rotators"]
    assert "biceps_femoris" not in toggle_groups(model)  # inside the hamstrings


def test_one_side_toggles_alone(model, controls):
    controls.toggle_group("gluteals_l", True)
    assert controls.toggle_group("gluteals_r") is False
    visible = {m: controls.view.muscle_actors[m].actor.GetVisibility() for m in model.groups["gluteals"]}
    assert not any(visible[m] for m in model.groups["gluteals_r"])
    assert all(visible[m] for m in model.groups["gluteals_l"])


def test_a_click_on_a_muscle_selects_it_and_shows_its_card_at_this_pose(model, controls):
    view = controls.view
    controls.set_coordinate("hip_flexion_r", 30.0)
    muscle = "biceps_femoris_long_head_r"  # the outermost hamstring, seen from the side
    card = controls.pick(*_pixel(view, _mid_belly(view, muscle)))
    assert card is not None and card["muscle"] == muscle == controls.selected == view.selected
    assert card["title"] == "Biceps femoris, long head" and "Ischial tuberosity" in card["origin"][0]
    assert any("L5" in n for n in card["nerve"]) and card["blood_supply"] and card["actions"]
    pose = view.pose()
    assert card["length_cm"] == pytest.approx(model.lengths(**pose)[muscle] * 100, abs=0.05)
    hip = next(r for r in card["moment_arms"] if r["coordinate"] == "hip_flexion_r")
    assert hip["cm"] == pytest.approx(model.moment_arms(**pose)[muscle]["hip_flexion_r"] * 100, abs=0.01)
    assert hip["action"] == "extends the hip" and hip["cm"] < 0
    assert view.highlight_mode == "muscles" and view.highlighted == {muscle}
    # the card follows the pose; a click on the background clears it
    controls.set_coordinate("knee_flexion_r", 90.0)
    assert controls.card()["length_cm"] < card["length_cm"]
    assert controls.pick(0, 0) is None and view.selected is None and view.highlight_mode == "active"


def test_card_lines_name_every_fact(model):
    lines = desktop.card_lines(pose_card(model, "gluteus_maximus_middle_r", {}), 60)
    text = " ".join(" ".join(lines).split())
    for word in ("Origin:", "Insertion:", "Nerve:", "Inferior gluteal", "L5", "Blood supply:", "Actions:",
                 "length", "extends the hip"):
        assert word in text
    assert max(len(line) for line in lines[1:]) <= 60


def test_labels_toggle_removes_and_restores_the_captions(controls):
    assert controls.view.annotations.captions
    assert controls.toggle_labels() is False and not controls.view.annotations.captions
    assert controls.toggle_labels() is True and controls.view.annotations.captions


def test_playback_keeps_time_at_any_speed(controls):
    controls.toggle_play()
    controls.tick(1.0)  # one second at 30 frames per second
    assert controls.view.frame_index == 30
    assert controls.faster() == 1.5
    controls.tick(1.0)
    assert controls.view.frame_index == 75
    controls.set_coordinate("hip_flexion_r", 10.0)  # a slider holds the pose and stops playback
    assert not controls.playing and controls.coordinate_value("hip_flexion_r") == 10.0
    controls.reset_pose()
    assert controls.view.frame_index == 0 and not controls.holding


def test_screenshot_is_the_picture_without_the_panel(controls, tmp_path):
    controls.folder = tmp_path
    desktop.attach(controls, panel_width_px=200, scale=0.25)
    assert controls.view.plotter.render_window.GetSize()[0] == 320 + 200
    first, second = controls.screenshot(), controls.screenshot()
    assert first.name == "anatviz-hip_extension-1.png" and second.name.endswith("-2.png")
    from PIL import Image

    assert Image.open(first).size == (320, 180)
    assert not list(tmp_path.glob(".*partial*"))


def test_panel_clicks_and_keys_call_the_controls(model, controls):
    panel = desktop.attach(controls, panel_width_px=400, scale=1.0)
    box = next(b for b in panel.buttons if b.name == "show:hamstrings_r")
    assert panel.press((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    assert not controls.group_shown("hamstrings_r")
    slider = next(s for s in panel.sliders if s.name == "knee_flexion_r")
    panel.press(slider.x1, slider.y)  # the right end of the track: the largest knee flexion
    panel.release()
    assert controls.pose["knee_flexion_r"] == model.coordinates["knee_flexion_r"][1]
    keys = controls.view.plotter.iren._key_press_event_callbacks
    for callback in keys["g"]:
        callback()
    assert not controls.group_shown("gluteals")
    for callback in keys["question"]:
        callback()
    assert controls.help_shown and panel.help.GetVisibility()
    for callback in keys["l"]:
        callback()
    assert not controls.labels_shown


def test_presentation_mode_fills_the_screen_with_larger_text(model):
    scene = load_scene("hip_extension", model)
    (width, height), panel, scale = window_layout(scene, present=True, screen=(1920, 1080))
    assert width + panel == 1920 and height == 1080
    assert scale >= 1.8  # text nearly twice its size in a 720-pixel window
    assert window_layout(scene, present=False)[2] == 1.0


# -- issue 5 in the window: strength, lessons, plots ------------------------------------------------------
def test_strength_sliders_weaken_the_muscle_and_recolour_the_activations(model):
    view = HipView(model, with_overrides(model, load_scene("hip_thrust", model), size=(320, 180)),
                   anti_aliasing=None)
    try:
        controls = WindowControls(view)
        assert controls.strength_groups == ["gluteus_maximus", "gluteus_medius"]
        panel = desktop.attach(controls, panel_width_px=300, scale=0.5)
        slider = next(s for s in panel.sliders if s.name == "strength:gluteus_maximus")
        hamstrings = [view.model.muscles.index(m) for m in model.groups["hamstrings_r"]]
        before = view.activation_state().activation[hamstrings].copy()
        colour = np.asarray(view.muscle_actors[model.groups["gluteus_maximus_r"][0]].source.point_data["rgb"]).copy()
        panel.press(slider.x0 + 0.5 * (slider.x1 - slider.x0), slider.y)  # the middle of the track: 50%
        panel.release()
        assert controls.strength["gluteus_maximus"] == 0.5 and view.strength == {"gluteus_maximus": 0.5}
        after = view.activation_state().activation[hamstrings]
        assert after.sum() > before.sum() + 0.02  # the synergists take over from the weakened muscle
        recoloured = np.asarray(view.muscle_actors[model.groups["gluteus_maximus_r"][0]].source.point_data["rgb"])
        assert np.any(recoloured != colour)
        assert controls.set_strength("gluteus_maximus", 1.7) == 1.0 and view.strength == {}
    finally:
        view.close()


def test_the_trendelenburg_window_has_the_abductor_slider_and_dragging_it_drops_the_pelvis(model):
    """One strength slider, for the stance abductors the scene names; the window opens on the held drop;
    dragging recolours, and the release solves the drop (full strength: a level pelvis)."""
    from anatviz.activation.trendelenburg import pelvis_drop, scene_stance_deg
    from anatviz.scene.frames import compute_frames

    scene = with_overrides(model, load_scene("trendelenburg", model), size=(320, 180))
    view = HipView(model, scene, frames=compute_frames(model, scene, times_s=np.array([0.0, 3.2])), anti_aliasing=None)
    try:
        controls = WindowControls(view)
        assert controls.strength_groups == ["stance_abductors"] and controls.strength["stance_abductors"] == 0.05
        assert controls.strength_label("stance_abductors") == scene.pelvis_drop.label
        assert view.frame_index == 1 and view.pose()["pelvis_list"] < -3.0  # the still: the pelvis dropped
        panel = desktop.attach(controls, panel_width_px=300, scale=0.5)
        view.image()  # the pelvis lines' layer takes the view's viewport, which the panel narrowed
        assert view.pelvis_overlay.layer.GetViewport() == view.plotter.renderer.GetViewport() != (0, 0, 1, 1)
        slider = next(s for s in panel.sliders if s.name == "strength:stance_abductors")
        iren = view.plotter.iren.interactor
        iren.SetEventPosition(int(320 + slider.x0), int(slider.y))
        iren.InvokeEvent("LeftButtonPressEvent")  # a click at 0%: solved at once
        paralysed = pelvis_drop(model, scene_stance_deg(scene), {m: 0.0 for m in scene.pelvis_drop.muscles})
        assert view.pose()["pelvis_list"] == pytest.approx(paralysed.pelvis_list_deg)
        iren.SetEventPosition(int(320 + slider.x1), int(slider.y))
        iren.InvokeEvent("MouseMoveEvent")  # dragged to 100%: recoloured, the drop waits for the release
        assert controls.strength["stance_abductors"] == 1.0 and view.drop_pending
        iren.InvokeEvent("LeftButtonReleaseEvent")
        assert view.pose()["pelvis_list"] == 0.0 and not view.drop_pending
        assert view.strength == {m: 1.0 for m in scene.pelvis_drop.muscles}
    finally:
        view.close()


def test_no_strength_sliders_outside_activation_scenes(controls):
    assert controls.strength_groups == []
    with pytest.raises(ValueError, match="strength: expected one of none"):
        controls.set_strength("gluteus_maximus", 0.5)


def test_lesson_keys_step_through_the_lesson_in_one_view(model):
    from anatviz.lesson import load_lesson

    lesson = load_lesson("glutes_and_hamstrings", model)
    first = HipView(model, lesson.steps[0].scene.with_changes(size=(320, 180)), anti_aliasing=None)
    steps = desktop.LessonSteps(lesson, first)
    controls = WindowControls(first)
    try:
        panel = desktop.attach(controls, panel_width_px=300, scale=0.5, lesson=steps)
        assert panel.caption.GetInput().startswith("1/16")
        keys = first.plotter.iren._key_press_event_callbacks
        for callback in keys["Next"]:  # PageDown, as a presenter's clicker sends it
            callback()
        assert controls.view is first and first.scene.name == lesson.steps[1].scene.name
        assert first.size == (320, 180)  # the view keeps its size whatever the step's scene says
        assert panel.caption.GetInput().startswith("2/16") and lesson.steps[1].caption[:30] in " ".join(
            panel.caption.GetInput().split())
        frames = first.frames
        for callback in keys["p"]:
            callback()
        assert first.scene.name == lesson.steps[0].scene.name and panel.caption.GetInput().startswith("1/16")
        for callback in keys["Right"]:
            callback()
        assert first.frames is frames  # computed once, then kept
        assert steps.prefetch() and 2 in steps.frames and not steps.prefetch()  # the next step's, ahead
        for callback in keys["n"]:
            callback()
        assert first.frames is steps.frames[2] and first.scene.name == lesson.steps[2].scene.name
        image = controls.picture()
        band = panel.canvas.band  # the captions' strip under the picture: no caption covers the picture
        bbox = [0, 0, 0, 0]
        panel.caption.GetBoundingBox(panel.canvas.overlay, bbox)
        assert 0 < bbox[3] <= band
        assert image.shape[:2] == (180 + band, 320 + 300) and image[:180, :320].std() > 10
    finally:
        first.close()


def test_c_shows_the_selected_muscles_plots_over_the_picture(model, controls):
    panel = desktop.attach(controls, panel_width_px=300, scale=0.5)
    keys = controls.view.plotter.iren._key_press_event_callbacks
    for callback in keys["c"]:
        callback()
    assert not panel.chart.GetVisibility() and "Click a muscle first" in controls.message
    controls.select("semitendinosus_r")
    assert panel.toggle_chart() == "moment_arm" and panel.chart.GetVisibility()
    width, height = panel.chart.GetMapper().GetInput().GetDimensions()[:2]
    assert 100 < width <= 320 and height > 50
    assert panel.toggle_chart() == "length" and panel.toggle_chart() is None
    assert not panel.chart.GetVisibility()


def test_show_lesson_names_a_bad_lesson_in_one_line(capsys, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    assert main(["show", "--lesson", "no_such_lesson"]) == 2
    err = capsys.readouterr().err
    assert "argument --lesson" in err and err.count("\n") == 1


def test_dragging_a_slider_draws_without_anti_aliasing_and_light_bones_then_whole_again(model):
    view = HipView(model, with_overrides(model, load_scene("hip_extension", model), size=(320, 180)),
                   anti_aliasing=None)
    try:
        renderer = view.plotter.renderer
        renderer.SetUseFXAA(True)  # as in the window on a display (pyvista replaces FXAA by SSAA on EGL)
        controls = WindowControls(view)
        panel = desktop.attach(controls, panel_width_px=300, scale=0.5)
        slider = next(s for s in panel.sliders if s.name == "knee_flexion_r")
        iren = view.plotter.iren.interactor
        for event, x in (("LeftButtonPressEvent", slider.x0), ("MouseMoveEvent", slider.x1)):
            iren.SetEventPosition(int(320 + x), int(slider.y))
            iren.InvokeEvent(event)
        assert not renderer.GetUseFXAA() and controls.pose["knee_flexion_r"] > 100
        assert view.detail.interactive  # the bones drawn from their decimated copies while dragging
        iren.InvokeEvent("LeftButtonReleaseEvent")
        assert renderer.GetUseFXAA() and panel.dragging is None and not view.detail.interactive
    finally:
        view.close()


def test_presentation_card_takes_the_room_of_the_sliders_and_playback(model):
    """In presentation mode a selected muscle's card hides the strength sliders and playback, so that
    its text stays large (about 30 px on a 1080-line screen); Esc brings them back."""
    from anatviz.desktop.panel import CARD_TEXT_SIZE

    scene = load_scene("hip_thrust", model)
    (width, height), panel_width, scale = window_layout(scene, present=True, screen=(1920, 1080))
    view = HipView(model, scene, size=(width, height), anti_aliasing=None)
    try:
        controls = WindowControls(view)
        panel = desktop.attach(controls, panel_width_px=panel_width, scale=scale, compact=True)
        assert any(s.name.startswith("strength:") for s in panel.sliders) and panel.play is not None
        controls.select("gluteus_maximus_middle_r" if "gluteus_maximus_middle_r" in model.muscles
                        else model.groups["gluteus_maximus_r"][0])
        panel.refresh()
        assert not panel.sliders and panel.play is None
        assert panel.card_text.GetTextProperty().GetFontSize() >= 0.8 * CARD_TEXT_SIZE * scale  # 25 px, was 17
        assert "Esc" in panel.footer.GetInput()
        controls.select(None)
        panel.refresh()
        assert any(s.name.startswith("strength:") for s in panel.sliders) and panel.play is not None
    finally:
        view.close()


def test_presentation_lesson_caption_takes_the_cards_place_and_k_brings_the_controls_back(model, tmp_path):
    """In presentation mode a lesson's caption sits in the panel (the picture's colour bar and readout
    stay uncovered), large, in the place of the strength sliders and playback; k toggles."""
    from anatviz.desktop.panel import CARD_TEXT_SIZE
    from anatviz.lesson import load_lesson

    lesson_file = tmp_path / "three_steps.toml"
    lesson_file.write_text('[lesson]\ntitle = "Three steps"\n\n[[steps]]\nscene = "overview"\ncaption = "First."\n\n'
                           '[[steps]]\nscene = "hip_thrust"\ncaption = "The hip thrust, computed."\n\n'
                           '[[steps]]\nscene = "glute_bridge"\ncaption = "The bridge."\n')
    lesson = load_lesson(lesson_file, model)
    scene = lesson.steps[0].scene
    (width, height), panel_width, scale = window_layout(scene, present=True, screen=(1920, 1080))
    view = HipView(model, scene, size=(width, height), anti_aliasing=None)
    steps = desktop.LessonSteps(lesson, view)
    controls = WindowControls(view)
    try:
        panel = desktop.attach(controls, panel_width_px=panel_width, scale=scale, compact=True, lesson=steps)
        assert panel.caption is None and panel.canvas.band == 0  # nothing over or under the picture
        keys = view.plotter.iren._key_press_event_callbacks
        while lesson.steps[steps.index].scene.name != "hip_thrust":
            for callback in keys["n"]:
                callback()
        assert panel.card_title.GetInput().startswith(f"{steps.index + 1}/3")
        assert lesson.steps[steps.index].caption[:20] in " ".join(panel.card_text.GetInput().split())
        assert not panel.sliders and panel.play is None
        assert panel.card_text.GetTextProperty().GetFontSize() >= 0.8 * CARD_TEXT_SIZE * scale
        for callback in keys["k"]:
            callback()
        assert any(s.name.startswith("strength:") for s in panel.sliders) and panel.play is not None
        assert panel.card_title.GetInput() == "Click a muscle"
        for callback in keys["n"]:  # the next step shows its caption again
            callback()
        assert panel.card_title.GetInput().startswith(f"{steps.index + 1}/3")
    finally:
        view.close()
