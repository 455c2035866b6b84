"""The demonstration scenes: Trendelenburg computed, the knee sweep and synergistic dominance, and the
generated scene files equal to what the code computes."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from anatviz.activation import activations, scene_frames
from anatviz.activation.trendelenburg import (
    MAX_DROP_DEG,
    SUPERIOR_GLUTEAL,
    abduction_deficit_nm,
    dropped_pose,
    pelvis_drop,
)
from anatviz.demos import GENERATED, scene_texts, write_scenes
from anatviz.demos.bridge import bridge_pelvis_tilt_deg, sole_above_floor_m
from anatviz.demos.knee_sweep import knee_sweep_keyframes
from anatviz.demos.trendelenburg_scene import STRENGTH, stance_pose_deg
from anatviz.resources import scenes_dir
from anatviz.scene import load_scene

STRENGTHS = np.round(np.linspace(0.0, 1.0, 11), 2)
DEMOS = ("knee_changes_the_hamstrings", "synergistic_dominance", "trendelenburg", "anterior_pelvic_tilt",
         "moment_arm_lever")


@pytest.fixture(scope="module")
def stance(model) -> dict[str, float]:
    return stance_pose_deg(model)


@pytest.fixture(scope="module")
def drops(model, stance):
    return [pelvis_drop(model, stance, {m: float(s) for m in SUPERIOR_GLUTEAL}) for s in STRENGTHS]


@pytest.mark.parametrize("name", DEMOS)
def test_demonstration_scene_loads_with_a_load_and_a_sourced_comment(model, name):
    scene = load_scene(name, model)
    text = (scenes_dir() / f"{name}.toml").read_text()
    assert scene.load is not None and scene.highlight.mode == "activation"
    assert text.startswith("#") and "Posture" in text and ("What it shows" in text or "computed, not drawn" in text)
    result = activations(model, scene, strength=scene.strength, fps=4)
    assert np.all(np.abs(result.residual_moment_nm) < 0.01) or name == "trendelenburg"


def test_trendelenburg_level_at_full_strength(drops):
    full = drops[-1]
    assert full.drop_deg == 0.0 and full.held and full.level_deficit_nm < 1e-3


def test_trendelenburg_weaker_abductors_drop_the_pelvis_more(drops):
    angles = [d.drop_deg for d in drops]
    assert all(d.held for d in drops)
    assert all(a >= b for a, b in pairwise(angles)), angles  # weaker (first) -> more drop
    assert angles[0] > 3.0 > angles[-1]
    deficits = [d.level_deficit_nm for d in drops]
    assert all(a >= b - 1e-6 for a, b in pairwise(deficits))


def test_trendelenburg_pose_drops_the_swing_side_and_adducts_the_stance_hip(model, stance, drops):
    weak = drops[0]
    assert weak.pelvis_list_deg == pytest.approx(-weak.drop_deg)
    assert weak.stance_adduction_deg == pytest.approx(stance["hip_adduction_r"] + weak.drop_deg)
    level = model.landmarks(**{k: float(v[0]) for k, v in dropped_pose(stance, [0.0]).items()})
    dropped = model.landmarks(**{k: float(v[0]) for k, v in dropped_pose(stance, [weak.drop_deg]).items()})
    swing_fall = (level["hip_centre_l"][1] - level["hip_centre_r"][1]) - (dropped["hip_centre_l"][1]
                                                                         - dropped["hip_centre_r"][1])
    assert swing_fall > 0.1 * np.radians(weak.drop_deg)  # the left hip sinks relative to the right
    femur = lambda lm: lm["knee_centre_r"] - lm["hip_centre_r"]
    assert np.allclose(femur(level), femur(dropped), atol=1e-6)  # the stance femur keeps its orientation


def test_dropping_the_pelvis_never_helps_the_abductors(model, stance):
    deficit = abduction_deficit_nm(model, stance, np.linspace(0.0, MAX_DROP_DEG, 9),
                                   {m: 0.0 for m in SUPERIOR_GLUTEAL})
    assert deficit[0] > 5.0 and np.all(np.diff(deficit) > 0)


@pytest.mark.parametrize("stiffness", [3.0, 5.0, 10.0])
def test_a_stiffer_passive_spring_stops_the_pelvis_sooner(model, stance, stiffness):
    weak = {m: 0.0 for m in SUPERIOR_GLUTEAL}
    assert (pelvis_drop(model, stance, weak, stiffness_nm_per_deg=stiffness).drop_deg
            >= pelvis_drop(model, stance, weak, stiffness_nm_per_deg=2 * stiffness).drop_deg > 0)


def test_pelvis_drop_rejects_a_bad_stiffness(model, stance):
    with pytest.raises(ValueError, match="stiffness_nm_per_deg"):
        pelvis_drop(model, stance, stiffness_nm_per_deg=0.0)


def test_shipped_generated_scenes_equal_the_computation(model):
    for name, text in scene_texts(model).items():
        assert (scenes_dir() / f"{name}.toml").read_text() == text, f"regenerate with python -m anatviz.demos ({name})"


def test_shipped_trendelenburg_scene_solves_its_drop_when_read(model, stance):
    """The file writes the stance level and declares the drop solved ([pelvis_drop]): what is read and
    drawn holds pelvis_drop's answer for the scene's strength at the dropping keyframes."""
    scene = load_scene("trendelenburg", model)
    assert scene.strength == {m: STRENGTH for m in SUPERIOR_GLUTEAL}
    assert set(scene.pelvis_drop.muscles) == set(SUPERIOR_GLUTEAL)
    assert all(kf.values_deg["pelvis_list"] == 0.0 for kf in scene.motion.keyframes)  # level, as written
    drop = pelvis_drop(model, stance, scene.strength)
    assert scene.pelvis_drop.drop_deg == drop.drop_deg > 3.0 and scene.pelvis_drop.held
    _, values = scene_frames(scene, times_s=np.array([0.0, *scene.pelvis_drop.at_time_s]))
    assert values["pelvis_list"][0] == 0.0
    assert values["pelvis_list"][1:] == pytest.approx([drop.pelvis_list_deg] * 2)
    assert values["hip_adduction_r"][1:] == pytest.approx([drop.stance_adduction_deg] * 2)


def test_pelvis_drop_stops_at_the_first_holding_drop_of_the_whole_grid(model, stance):
    """The search computes the grid in chunks from level and stops early: the same answer as every drop."""
    from anatviz.activation.trendelenburg import PASSIVE_STIFFNESS_NM_PER_DEG, STEP_DEG

    weak = {m: 0.1 for m in SUPERIOR_GLUTEAL}
    drops = np.arange(0.0, MAX_DROP_DEG + STEP_DEG / 2, STEP_DEG)
    excess = abduction_deficit_nm(model, stance, drops, weak) - PASSIVE_STIFFNESS_NM_PER_DEG * drops
    i = int(np.flatnonzero(excess <= 1e-6)[0])
    expected = drops[i - 1] + STEP_DEG * excess[i - 1] / (excess[i - 1] - excess[i])
    assert pelvis_drop(model, stance, weak).drop_deg == round(float(expected), 1) > 0.0


def test_write_scenes_writes_loadable_files(tmp_path, model):
    paths = write_scenes(model, tmp_path)
    assert sorted(p.stem for p in paths) == sorted(GENERATED)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.toml" for n in GENERATED)  # no temp files
    for path in paths:
        assert load_scene(path, model).motion is not None
        assert path.stat().st_mode & 0o777 == 0o644  # readable by all, as the shipped files


def test_shipped_generated_scenes_are_readable_by_all():
    for name in GENERATED:
        assert (scenes_dir() / f"{name}.toml").stat().st_mode & 0o777 == 0o644, name


def test_demos_command_names_a_missing_folder_in_one_line(tmp_path, capsys):
    from anatviz.demos.__main__ import main

    missing = tmp_path / "missing"
    assert main([str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "no such folder" in err and not missing.exists()


def test_demos_writes_by_default_only_into_a_source_checkout(model, monkeypatch, capsys):
    from anatviz import demos
    from anatviz.demos.__main__ import main

    assert demos.source_scenes_dir() == scenes_dir()  # the tests run from a source checkout
    monkeypatch.setattr(demos, "source_scenes_dir", lambda: None)  # as in an installed wheel
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a source checkout" in err and "FOLDER" in err


def test_bridge_closes_the_loop_and_agrees_with_the_glute_bridge(model):
    assert bridge_pelvis_tilt_deg(model, 0.0, 77.6) == pytest.approx(115.2, abs=0.05)  # glute_bridge.toml's top
    for knee in (15.0, 60.0, 110.0):
        tilt = bridge_pelvis_tilt_deg(model, 0.0, knee)
        assert abs(sole_above_floor_m(model, tilt, 0.0, knee)) < 1e-4


def test_knee_sweep_takes_the_hamstrings_out(model):
    scene = load_scene("knee_changes_the_hamstrings", model)
    frames = knee_sweep_keyframes(model)
    down = frames[:len(frames) // 2]
    result = activations(model, scene, times_s=np.array([t for t, _, _ in down]))
    knees = result.q_deg[:, result.coordinates.index("knee_flexion_r")]
    assert np.all(np.diff(knees) > 0) and np.all(result.q_deg[:, result.coordinates.index("hip_flexion_r")] == 0)
    hamstrings = [m for m in model.groups["hamstrings_r"] if "short_head" not in m]
    index = [result.muscles.index(m) for m in hamstrings]
    assert np.all(np.diff(result.lengths_m[:, index], axis=0) < 0)  # they shorten as the knee bends
    hip = result.coordinates.index("hip_flexion_r")
    capacity_nm = (np.abs(np.nan_to_num(result.moment_arms_m[:, index, hip])) * result.capacity_n[:, index]).sum(1)
    assert np.all(np.diff(capacity_nm) < 0)  # and lose what they can do at the hip
    g, h = result.gluteus_maximus_activation, result.hamstrings_activation
    share = h / (g + h)
    first, middle, last = share[0], share[np.argmin(np.abs(knees - 65))], share[-1]
    assert first > middle > last and last < 0.6 < first


def test_synergistic_dominance_raises_the_hamstrings_at_every_frame(model):
    """The scene is single_leg_bridge with a weak right gluteus maximus: at every frame, the still at the
    top included, the hamstrings work harder and the ratio is lower than at full strength (0.23 to 0.60
    against 0.69 to 0.95), and below 1."""
    scene = load_scene("synergistic_dominance", model)
    assert set(scene.strength) == {"gluteus_maximus_r"} and scene.strength["gluteus_maximus_r"] < 0.5
    times = np.union1d(scene_frames(scene)[0], [scene.motion.still_time_s])
    weak = activations(model, scene, times_s=times)  # the scene's own [strength]
    healthy = activations(model, load_scene("single_leg_bridge", model), times_s=times)
    np.testing.assert_array_equal(weak.q_deg, healthy.q_deg)  # the same bridge
    assert np.all(weak.hamstrings_activation > 1.5 * healthy.hamstrings_activation)
    assert np.all(weak.ratio < healthy.ratio) and np.all(weak.ratio < 1.0)
    still = int(np.flatnonzero(times == scene.motion.still_time_s)[0])
    assert weak.ratio[still] < 0.9 * healthy.ratio[still]


def test_anterior_tilt_lengthens_hamstrings_and_shortens_hip_flexors(model):
    scene = load_scene("anterior_pelvic_tilt", model)
    result = activations(model, scene, times_s=np.array([0.0, 2.0]))
    assert result.q_deg[1, result.coordinates.index("pelvis_tilt")] == pytest.approx(-15.0)
    change = dict(zip(result.muscles, result.lengths_m[1] - result.lengths_m[0]))
    for m in ("semimembranosus_r", "semitendinosus_r", "biceps_femoris_long_head_r", "gluteus_maximus_middle_r"):
        assert change[m] > 0.002, m
    for m in ("iliacus_r", "psoas_r", "rectus_femoris_r"):
        assert change[m] < -0.002, m


def test_the_docs_trendelenburg_table_is_the_computed_one(model):
    from anatviz.demos.trendelenburg_scene import drop_table_markdown

    docs = (scenes_dir().parent / "docs" / "demonstrations.md").read_text(encoding="utf-8")
    assert drop_table_markdown(model) in docs, "paste drop_table_markdown(model) into docs/demonstrations.md"
