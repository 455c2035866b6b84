"""Scene files and motions: the shipped scenes load, broken copies give one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from anatviz.activation import activations
from anatviz import PoseError
from anatviz.model import AnatomyDataError
from anatviz.resources import scenes_dir
from anatviz.scene import load_scene, shipped_scenes, with_overrides
from anatviz.scene.frames import compute_frames
from anatviz.scene.motion import directions, ease, frame_count, frame_times, sample_motion

REQUIRED = {"overview", "gluteal_layers", "hamstrings", "hip_extension", "knee_flexion"}


def test_required_scenes_are_shipped():
    assert REQUIRED <= set(shipped_scenes())


@pytest.mark.parametrize("name", shipped_scenes())
def test_every_shipped_scene_loads(model, name):
    scene = load_scene(name, model)
    assert scene.title and scene.muscles and scene.bones
    assert set(scene.muscles) <= set(model.muscles)


def test_scene_groups_resolve_to_muscles(model):
    layers = load_scene("gluteal_layers", model)
    assert set(layers.muscles) == set(model.groups["gluteals_r"]) | set(model.groups["deep_rotators_r"])
    assert layers.style.opacity == {"gluteus_maximus": 0.3}
    assert layers.bones == ("pelvis", "femur_r")


BROKEN = [
    ('view = "lateral_r"', 'view = "sideways"', "camera.view", "expected one of anterior"),
    ('mode = "active"', 'mode = "glow"', "highlight.mode", "expected one of none, active, activation, muscles"),
    ('{ time_s = 2.5, hip_flexion_r = -15.0 }', '{ time_s = 2.5, hip_flexion_r = -45.0 }',
     "motion.keyframes[1].hip_flexion_r", ">= -30"),
    ('{ time_s = 3.0, hip_flexion_r = -15.0 }', '{ time_s = 2.0, hip_flexion_r = -15.0 }',
     "motion.keyframes[2].time_s", "strictly increasing"),
    ('groups = ["gluteals_r", "hamstrings_r", "deep_rotators_r"]', 'groups = ["glutes_r"]',
     "show.groups", "unknown group 'glutes_r'"),
    ('size = [1280, 720]', 'size = [10000, 720]', "output.size", "16..7680"),
    ('task = { hip_flexion_r = -1 }', 'task = { hip_flexion_r = -2 }', "highlight.task.hip_flexion_r", "1 or -1"),
    ('easing = "ease_in_out"', 'easing = "bounce"', "motion.easing", "linear, ease_in_out"),
    ('fit = ["pelvis", "femur_r"]', 'fit = ["pelvis", "femur_x"]', "camera.fit", "unknown bone"),
    ('[output]', '[outputs]', "outputs", "unknown key"),
    ('[output]', '[strength]\ngluteus_maximus_r = 1.5\n[output]', "strength.gluteus_maximus_r", "<= 1"),
    ('[output]', '[strength]\nglutes = 0.5\n[output]', "strength.glutes", "unknown group or muscle"),
    ('[output]', '[output]\nratio = true', "output.ratio", "expected highlight.mode = 'activation'"),
    ('[output]', '[output]\nreadout = ["hamstrings_r"]', "output.readout", "expected highlight.mode = 'activation'"),
    ('[output]', '[output]\nlevers = ["glutes_r"]', "output.levers", "unknown group or muscle 'glutes_r'"),
    ('[output]', '[output]\nlevers = ["biceps_femoris_short_head_r"]', "output.levers", "does not cross a hip"),
]


@pytest.mark.parametrize("old, new, key, expected", BROKEN, ids=[b[2] for b in BROKEN])
def test_broken_scene_is_a_one_line_error(tmp_path, model, old, new, key, expected):
    text = (scenes_dir() / "hip_extension.toml").read_text()
    assert old in text, f"test case out of date: {old!r}"
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(AnatomyDataError) as info:
        load_scene(path, model)
    message = str(info.value)
    assert message.startswith("broken.toml: ") and key in message and expected in message, message
    assert "\n" not in message


BROKEN_DROP = [
    ("at_time_s = [2.4, 4.0]", "at_time_s = [2.5]", "pelvis_drop.at_time_s",
     "expected times of [motion] keyframes (0, 1.2, 2.4, 4, 5.2), found 2.5"),
    ("at_time_s = [2.4, 4.0]", "at_time_s = [0.0, 2.4]", "pelvis_drop.at_time_s", "one stance pose"),
    ('muscles = ["gluteus_medius_r",', 'muscles = ["gluteus_medius_x",', "pelvis_drop.muscles",
     "unknown group or muscle 'gluteus_medius_x'"),
    ('supports = ["foot_r"]', 'supports = ["foot_r", "foot_l"]', "pelvis_drop",
     "expected a [load] with supports = ['foot_r']"),
    ("label = ", "colour = ", "pelvis_drop.colour", "unknown key"),
    ("hip_adduction_r = 5.8", "hip_adduction_r = 15.0", "pelvis_drop.at_time_s",
     "hip_adduction_r is 15 deg at the stance: a drop of up to 20 deg would leave its range"),
]


@pytest.mark.parametrize("old, new, key, expected", BROKEN_DROP, ids=[b[1] for b in BROKEN_DROP])
def test_broken_pelvis_drop_is_a_one_line_error(tmp_path, model, old, new, key, expected):
    text = (scenes_dir() / "trendelenburg.toml").read_text()
    assert old in text, f"test case out of date: {old!r}"
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new))
    with pytest.raises(AnatomyDataError) as info:
        load_scene(path, model)
    message = str(info.value)
    assert message.startswith(f"broken.toml: {key}: ") and expected in message, message
    assert "\n" not in message


def test_active_highlight_needs_a_motion_or_task(tmp_path, model):
    path = tmp_path / "still.toml"
    path.write_text('[scene]\ntitle = "x"\n[highlight]\nmode = "active"\n')
    with pytest.raises(AnatomyDataError, match="highlight.mode: expected a \\[motion\\] or highlight.task"):
        load_scene(path, model)


def test_activation_highlight_needs_a_load(tmp_path, model):
    path = tmp_path / "unloaded.toml"
    path.write_text('[scene]\ntitle = "x"\n[highlight]\nmode = "activation"\n')
    with pytest.raises(AnatomyDataError, match="highlight.mode: expected a \\[load\\]"):
        load_scene(path, model)


EXERCISES = ("standing_hip_extension", "glute_bridge", "single_leg_bridge", "hip_thrust", "romanian_deadlift",
             "single_leg_romanian_deadlift", "back_squat", "deadlift", "side_lying_hip_abduction", "single_leg_stance")


@pytest.mark.parametrize("name", EXERCISES)
def test_exercise_scenes_colour_by_activation(model, name):
    scene = load_scene(name, model)
    assert scene.load is not None and scene.highlight.mode == "activation"
    assert "estimated activation" in scene.description
    assert scene.readout and all(r in model.groups or r in model.muscles for r in scene.readout)


def _activation_scene(tmp_path, model, output: str) -> Path:
    text = (scenes_dir() / "hip_thrust.toml").read_text()
    head, _, _ = text.partition("[output]")
    path = tmp_path / "thrust.toml"
    path.write_text(head + "[output]\n" + output)
    return path


def test_output_overlays_are_read_and_checked(tmp_path, model):
    scene = load_scene(_activation_scene(tmp_path, model, 'readout = ["hamstrings_r", "gluteus_maximus_middle_r"]\n'
                                         'levers = ["gluteus_maximus_r"]\n'), model)
    assert scene.ratio is True  # on by default in activation mode
    assert scene.readout == ("hamstrings_r", "gluteus_maximus_middle_r") and scene.levers == ("gluteus_maximus_r",)
    assert load_scene(_activation_scene(tmp_path, model, "ratio = false\n"), model).ratio is False
    assert load_scene("hip_extension", model).ratio is False  # no activation, no ratio
    for output, expected in (('readout = ["hamstring_r"]', "output.readout: unknown group or muscle 'hamstring_r'"),
                             ('readout = ' + str(["hamstrings_r"] * 7).replace("'", '"'), "at most 6"),
                             ('ratio = "yes"', "output.ratio")):
        with pytest.raises(AnatomyDataError, match=re.escape(expected)) as info:
            load_scene(_activation_scene(tmp_path, model, output + "\n"), model)
        assert "\n" not in str(info.value)


def test_activation_track_holds_the_models_answer(model):
    """Every frame of the track is activations() at that frame; a strength change recomputes lazily and
    gives what a fresh computation with that strength gives; a held pose is one frame of the model."""
    scene = load_scene("hip_thrust", model)
    times = np.array([0.0, 0.75, 1.5])
    frames = compute_frames(model, scene, times_s=times)
    track = frames.activation
    expected = activations(model, scene, times_s=times)
    order = [expected.muscles.index(m) for m in track.muscles]
    for k in range(3):
        state = track.frame(k)
        assert np.allclose(state.activation, expected.activation[k, order])
        assert np.allclose(state.capacity_share, expected.capacity_n[k, order] / expected.max_force_n[order])
        assert np.allclose(state.lengths_m, frames.motion.lengths_m[k])
        assert state.ratio["both"] == pytest.approx(expected.ratio[k], nan_ok=True)
        right = [track.muscles.index(m) for m in model.groups["gluteus_maximus_r"]]
        assert state.ratio["r"] > 0 and np.all(state.activation[right] >= 0)
    track.set_strength({"gluteus_maximus": 0.4}, now=1)
    weak = activations(model, scene, times_s=times, strength={"gluteus_maximus": 0.4})
    assert np.allclose(track.frame(1).activation, weak.activation[1, order])
    assert np.allclose(track.frame(2).activation, weak.activation[2, order])
    assert track.frame(1).ratio["both"] < expected.ratio[1]  # a weak gluteus maximus: the hamstrings take over
    pose = dict(zip(frames.motion.coordinates, frames.motion.q_deg[2]))
    assert np.allclose(track.at_pose(pose).activation, weak.activation[2, order], atol=1e-9)
    with pytest.raises(ValueError, match="glutes"):
        track.set_strength({"glutes": 0.5})


def test_strength_weakens_muscles_and_groups(tmp_path, model):
    text = (scenes_dir() / "hip_extension.toml").read_text()
    path = tmp_path / "weak.toml"
    path.write_text(text + '\n[strength]\ngluteus_maximus_r = 0.3\nvasti = 0.8\n')
    assert load_scene(path, model).strength == {"gluteus_maximus_r": 0.3, "vasti": 0.8}


def test_unknown_scene_name_lists_the_shipped_ones(model):
    with pytest.raises(AnatomyDataError, match="one of .*hip_extension"):
        load_scene("hip_extensions", model)


def test_easing_starts_and_ends_at_rest():
    u = np.linspace(0, 1, 101)
    eased = ease(u, "ease_in_out")
    assert eased[0] == 0 and eased[-1] == 1 and np.all(np.diff(eased) >= 0)
    assert np.diff(eased)[0] < 1e-3 and np.diff(eased)[-1] < 1e-3
    np.testing.assert_array_equal(ease(u, "linear"), u)


def test_motion_frames_at_a_fixed_rate_through_the_keyframes(model):
    spec = load_scene("hip_extension", model).motion
    assert frame_count(spec) == 150  # 5 s at 30 fps, looping: the last frame would repeat the first
    times = frame_times(spec)
    np.testing.assert_allclose(np.diff(times), 1 / 30)
    values = sample_motion(spec, np.array([0.0, 2.5, 2.75, 3.0, 5.0]), {})["hip_flexion_r"]
    np.testing.assert_allclose(values, [60.0, -15.0, -15.0, -15.0, 60.0])
    assert np.all(np.abs(np.diff(sample_motion(spec, times, {})["hip_flexion_r"])) < 2.0)  # no jumps
    assert len(frame_times(spec, frames=12)) == 12


def test_directions_carry_through_pauses():
    d = directions({"q": np.array([0.0, -1, -2, -2, -2, -1, 0])})["q"]
    np.testing.assert_array_equal(d, [-1, -1, -1, -1, 1, 1, 1])  # central differences: the turn shows one frame early


def test_active_rule_lights_extensors_in_hip_extension(model):
    scene = load_scene("hip_extension", model)
    frames = compute_frames(model, scene, frames=10)
    drive = frames.drive_nm.mean(axis=0)
    names = frames.motion.muscles
    assert drive[names.index("gluteus_maximus_middle_r")] > 0.3 * frames.drive_scale_nm
    assert drive[names.index("semitendinosus_r")] > 0
    assert drive[names.index("biceps_femoris_short_head_r")] == 0  # does not cross the hip
    assert drive[names.index("gluteus_maximus_middle_l")] == 0  # the left hip does not move


def test_knee_flexion_lights_hamstrings_not_gluteals(model):
    frames = compute_frames(model, load_scene("knee_flexion", model), frames=8)
    names = frames.motion.muscles
    for m in model.groups["hamstrings_r"]:
        assert frames.drive_nm[:, names.index(m)].max() > 0, m
    for m in model.groups["gluteals_r"]:
        assert frames.drive_nm[:, names.index(m)].max() == 0, m


def test_overrides(model):
    scene = load_scene("overview", model)
    changed = with_overrides(model, scene, size=(320, 200), transparent=True, view="posterior",
                             show=["hamstrings_r", "pelvis"], hide=["semitendinosus_r"],
                             pose_deg={"hip_flexion_r": 30.0})
    assert changed.size == (320, 200) and changed.transparent and changed.camera.view == "posterior"
    assert set(changed.muscles) == set(model.groups["hamstrings_r"]) - {"semitendinosus_r"}
    assert changed.bones == ("pelvis",)
    assert changed.pose_deg["hip_flexion_r"] == 30.0
    with pytest.raises(ValueError, match="hip_flexion_r = 200 deg is outside"):
        with_overrides(model, scene, pose_deg={"hip_flexion_r": 200.0})
    motion = with_overrides(model, load_scene("hip_extension", model), pose_deg={"hip_flexion_r": 10.0})
    assert all("hip_flexion_r" not in k.values_deg for k in motion.motion.keyframes)


def test_frames_for_another_strength_solve_the_pelvis_drop_again(model):
    """compute_frames with a strength (a movie of a weakened view) poses a [pelvis_drop] scene for it."""
    scene = load_scene("trendelenburg", model)
    hold = np.array([3.2])
    coordinate = lambda frames: frames.motion.q_deg[0, frames.motion.coordinates.index("pelvis_list")]  # noqa: E731
    assert coordinate(compute_frames(model, scene, times_s=hold)) == pytest.approx(-scene.pelvis_drop.drop_deg)
    strong = compute_frames(model, scene, times_s=hold, strength={m: 1.0 for m in scene.pelvis_drop.muscles})
    assert scene.pelvis_drop.drop_deg > 3.0 and coordinate(strong) == 0.0
    assert strong.activation.scene.pelvis_drop.drop_deg == 0.0  # its activations are of the level pose


def test_a_pelvis_drop_scene_refuses_overrides_of_the_coordinates_it_solves(model):
    """The drop is solved from the stance abductors' strength: holding pelvis_list or the stance hip's
    adduction would draw a pose the solve did not make. Other coordinates may still be held."""
    scene = load_scene("trendelenburg", model)
    for name in ("pelvis_list", "hip_adduction_r"):
        with pytest.raises(PoseError, match=f"{name} cannot be set: \\[pelvis_drop\\] solves"):
            with_overrides(model, scene, pose_deg={name: 0.0})
    assert with_overrides(model, scene, pose_deg={"knee_flexion_l": 60.0}).pose_deg["knee_flexion_l"] == 60.0


def test_an_unsolved_pelvis_drop_is_an_error_not_a_level_pelvis(model):
    """A [pelvis_drop] built by hand and never solved must not be drawn as a level pelvis."""
    from dataclasses import replace

    from anatviz.scene.frames import scene_values

    scene = load_scene("trendelenburg", model)
    unsolved = scene.with_changes(pelvis_drop=replace(scene.pelvis_drop, drop_deg=None))
    with pytest.raises(ValueError, match=r"trendelenburg: \[pelvis_drop\] is not solved"):
        scene_values(unsolved, np.array([0.0, 3.0]))
    assert scene_values(scene, np.array([3.0]))["pelvis_list"][0] < -3.0  # solved on load
