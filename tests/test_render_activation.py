"""Drawing what the activation model computes: colours, the ratio, the readout, the levers and the
strength verb (small pictures, frames computed only where needed to keep the tests fast)."""

from __future__ import annotations

import colorsys

import numpy as np
import pytest

from anatviz.activation import activations
from anatviz.geometry.lever import HipLevers
from anatviz.render import HipView
from anatviz.render import style as S
from anatviz.render.levers import LEVER_COLOUR
from anatviz.resources import scenes_dir
from anatviz.scene import load_scene, with_overrides
from anatviz.scene.frames import compute_frames

SIZE = (480, 270)
TIMES = np.array([0.5, 1.5])


def _view(model, scene):
    scene = with_overrides(model, scene, size=SIZE)
    return HipView(model, scene, frames=compute_frames(model, scene, times_s=TIMES), anti_aliasing=None)


@pytest.fixture
def thrust(model):
    view = _view(model, load_scene("hip_thrust", model))
    yield view
    view.close()


def _side_ratio(model, result, k, side):
    gmax = [m for m in model.groups[f"gluteus_maximus_{side}"]]
    hamstrings = [m for m in model.groups[f"hamstrings_{side}"] if m != f"biceps_femoris_short_head_{side}"]
    g, h = result.weighted_activation(gmax)[k], result.weighted_activation(hamstrings)[k]
    return g / h


def _pixel(view, point):
    x, y = view.display_px(point)
    return int(round(x)), view.size[1] - 1 - int(round(y))


def _visible_belly_pixel(view, muscle):
    """A pixel where the muscle itself is drawn (not a bone in front), or None."""
    actor = view.muscle_actors[muscle]
    points = np.asarray(actor.source.points)
    for i in range(actor.points // 4, 3 * actor.points // 4):
        x, y = _pixel(view, points[i])
        if 0 <= x < view.size[0] and 0 <= y < view.size[1] and view.muscle_at(x, y) == muscle:
            return x, y
    return None


def test_muscles_are_coloured_by_their_activation(model, thrust):
    state = thrust.activation_state()
    expected = activations(model, thrust.scene, times_s=TIMES[:1])
    assert np.allclose(state.activation, expected.activation[0, [expected.muscles.index(m) for m in model.muscles]])
    colours = thrust._muscle_colours(thrust.frames.motion, 0, None, state)
    for i, m in enumerate(model.muscles):
        rgb = thrust.annotations.activity_rgb(state.activation[i])
        assert colours[m] == S.activation_look(state.activation[i], rgb, thrust._full_opacity[m],
                                               context=m in thrust.scene.faded), m
    image = thrust.image()
    right = [m for m in model.muscles if m.endswith("_r")]
    ranked = sorted(right, key=lambda m: state.activation[model.muscles.index(m)])
    active = next(m for m in reversed(ranked) if _visible_belly_pixel(thrust, m))
    silent = next(m for m in ranked if _visible_belly_pixel(thrust, m))
    assert state.activation[model.muscles.index(active)] > 0.2 > 0.02 > state.activation[model.muscles.index(silent)]
    hot = colorsys.rgb_to_hsv(*(image[_visible_belly_pixel(thrust, active)[::-1]] / 255.0))
    cold = colorsys.rgb_to_hsv(*(image[_visible_belly_pixel(thrust, silent)[::-1]] / 255.0))
    assert hot[1] > 0.4 and cold[1] < 0.25, (hot, cold)  # coloured by the scale vs dimmed grey
    bar = thrust.annotations.scalar_bar
    assert bar.GetVisibility() and bar.GetLookupTable().GetRange() == (0.0, 100.0)
    assert thrust.annotations.bar_title.GetInput() == "activation (% of maximum)"


def test_the_ratio_and_the_readout_show_the_models_numbers(model, thrust):
    result = activations(model, thrust.scene, times_s=TIMES)
    for k in (0, 1):
        thrust.set_frame(k)
        text = thrust.activation_overlay.ratio.GetInput()
        assert text.startswith("gluteus maximus : hamstrings")
        for side in ("r", "l"):
            assert f"{side.upper()} {_side_ratio(model, result, k, side):.2f}" in text, text
        rows = thrust.activation_overlay.readout.GetInput().splitlines()
        hamstrings = next(r for r in rows if r.startswith("hamstrings R"))
        members = [m for m in model.groups["hamstrings_r"] if m != "biceps_femoris_short_head_r"]  # at the hip
        index = [result.muscles.index(m) for m in members]
        w = result.max_force_n[index] / result.max_force_n[index].sum()
        assert hamstrings.split()[-1] == f"{100 * w @ result.activation[k, index]:.0f}%"
        assert f"{100 * w @ result.lengths_m[k, index]:.1f} cm" in hamstrings
        capacity = 100 * w @ (result.capacity_n[k, index] / result.max_force_n[index])
        assert f"{capacity:.0f}%" in hamstrings
    thrust.highlight("none")
    assert not thrust.activation_overlay.ratio.GetVisibility() and not thrust.annotations.scalar_bar.GetVisibility()
    thrust.highlight("activation")
    assert thrust.activation_overlay.ratio.GetVisibility()


def test_set_strength_recomputes_and_recolours(model, thrust):
    thrust.set_frame(1)
    before = thrust.activation_overlay.ratio.GetInput()
    colour_before = thrust.muscle_actors["semimembranosus_r"].source.point_data["rgb"].copy()
    thrust.set_strength({"gluteus_maximus": 0.3})
    weak = activations(model, thrust.scene, times_s=TIMES, strength={"gluteus_maximus": 0.3})
    order = [weak.muscles.index(m) for m in model.muscles]
    assert np.allclose(thrust.activation_state().activation, weak.activation[1, order])
    assert thrust.activation_overlay.ratio.GetInput() != before
    assert f"R {_side_ratio(model, weak, 1, 'r'):.2f}" in thrust.activation_overlay.ratio.GetInput()
    assert np.any(thrust.muscle_actors["semimembranosus_r"].source.point_data["rgb"] != colour_before)
    thrust.set_frame(0)  # a stale frame is computed when shown
    assert np.allclose(thrust.activation_state().activation, weak.activation[0, order])
    thrust.set_strength({})  # back to the scene's (healthy) muscles: the first picture's numbers come back
    thrust.set_frame(1)
    assert thrust.activation_overlay.ratio.GetInput() == before
    with pytest.raises(ValueError, match="unknown muscle or group 'glutes'"):
        thrust.set_strength({"glutes": 0.5})


def test_a_held_pose_is_coloured_by_its_own_activation(model, thrust):
    pose = {"pelvis_tilt": 75.3, "hip_flexion_r": 30.1, "hip_flexion_l": 30.1, "knee_flexion_r": 104.6,
            "knee_flexion_l": 104.6}
    thrust.set_pose(**pose)
    expected = activations(model, pose, thrust.scene.load)
    order = [expected.muscles.index(m) for m in model.muscles]
    assert np.allclose(thrust.activation_state().activation, expected.activation[0, order])
    thrust.set_strength({"gluteus_maximus_r": 0.5})  # on a held pose: that pose, recomputed
    weak = activations(model, pose, thrust.scene.load, strength={"gluteus_maximus_r": 0.5})
    assert np.allclose(thrust.activation_state().activation, weak.activation[0, order])


def test_set_strength_needs_an_activation_scene(model):
    view = HipView(model, with_overrides(model, load_scene("hip_extension", model), size=(160, 90)),
                   anti_aliasing=None)
    try:
        with pytest.raises(ValueError, match="set_strength needs a scene with a \\[load\\]"):
            view.set_strength({"gluteus_maximus": 0.5})
        with pytest.raises(ValueError, match="highlight 'activation' needs"):
            view.highlight("activation")
    finally:
        view.close()


def test_levers_are_drawn_where_the_geometry_puts_them(model, tmp_path):
    text = (scenes_dir() / "hip_thrust.toml").read_text().replace(
        "[output]", '[output]\nlevers = ["gluteus_maximus_r", "semimembranosus_r"]', 1)
    path = tmp_path / "levers.toml"
    path.write_text(text)
    view = _view(model, load_scene(path, model))
    try:
        geometry = HipLevers(model.data, model.bones)
        motion = view.frames.motion
        assert [m for m, _ in view.lever_overlay.items] == ["gluteus_maximus_middle_r", "semimembranosus_r"]
        for k in (0, 1):
            view.set_frame(k)
            for (muscle, _), actors in zip(view.lever_overlay.items, view.lever_overlay.actors):
                lever = geometry.lever(muscle, motion.paths[motion.muscles.index(muscle)][k],
                                       motion.bone_transforms[:, k])
                np.testing.assert_allclose(np.asarray(actors[2].points), [lever.centre_m, lever.foot_m])
                assert actors[6].GetInput().endswith(f"{100 * lever.lever_m:.1f} cm")
        image = view.image()
        lever = view.lever_overlay.levers["semimembranosus_r"]
        x, y = _pixel(view, 0.5 * (lever.centre_m + lever.foot_m))  # drawn over the femoral head
        hue = colorsys.rgb_to_hsv(*(image[y, x] / 255.0))[0]
        assert abs(hue - colorsys.rgb_to_hsv(*(np.array(S.hex_to_rgb(LEVER_COLOUR)) / 255.0))[0]) < 0.05
    finally:
        view.close()


def test_set_strength_keeps_the_scenes_own_weakness(model, tmp_path):
    text = (scenes_dir() / "hip_thrust.toml").read_text().replace("[output]", "[strength]\ngluteus_maximus = 0.5\n\n[output]", 1)
    path = tmp_path / "weak.toml"
    path.write_text(text)
    view = _view(model, load_scene(path, model))
    try:
        weak = view.activation_state().activation.copy()
        view.set_strength({"vasti": 1.0})
        assert view.strength == {"gluteus_maximus": 0.5, "vasti": 1.0}
        np.testing.assert_allclose(view.activation_state().activation, weak)
        view.set_strength({"gluteus_maximus": 1.0})
        assert not np.allclose(view.activation_state().activation, weak)
    finally:
        view.close()


def test_ratio_text_names_each_side_and_silent_hamstrings():
    from anatviz.render.readout import ratio_text
    from anatviz.scene import MuscleState

    def state(r, l):
        return MuscleState(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1), {"r": r, "l": l, "both": np.nan})

    assert ratio_text(state(1.304, 0.851)) == "gluteus maximus : hamstrings   R 1.30   L 0.85"
    assert ratio_text(state(2.0, np.nan)) == "gluteus maximus : hamstrings   R 2.00   L n/a"
    assert ratio_text(state(np.nan, np.nan)) == "gluteus maximus : hamstrings   n/a: hamstrings silent"


def test_a_movie_keeps_the_views_strength(model, tmp_path, monkeypatch):
    import anatviz.render.movie as movie

    made = []
    original = movie.compute_frames
    monkeypatch.setattr(movie, "compute_frames", lambda *a, **k: made.append(original(*a, **k)) or made[-1])
    scene = with_overrides(model, load_scene("hip_thrust", model), size=(160, 90))
    view = HipView(model, scene, frames=compute_frames(model, scene, times_s=TIMES), anti_aliasing=None)
    try:
        view.set_strength({"gluteus_maximus": 0.2})
        movie.record(view, tmp_path / "weak.gif", fps=10, frames=3, progress=False)
        weak = activations(model, scene, times_s=made[0].times_s, strength={"gluteus_maximus": 0.2})
        order = [weak.muscles.index(m) for m in model.muscles]
        assert np.allclose(made[0].activation.frame(2).activation, weak.activation[2, order])
        assert view.frames.activation.strength == {"gluteus_maximus": 0.2}  # the view's own frames, restored
    finally:
        view.close()


def test_a_readout_row_averages_the_group_muscles_that_cross_the_hip(model):
    from anatviz.render.readout import hip_members

    assert hip_members(model, model.groups["hamstrings_r"]) == [
        m for m in model.groups["hamstrings_r"] if m != "biceps_femoris_short_head_r"]
    assert hip_members(model, ["biceps_femoris_short_head_r"]) == ["biceps_femoris_short_head_r"]


# -- Trendelenburg: the pelvis re-posed at the computed drop -----------------------------------------------
@pytest.fixture
def trendelenburg(model):
    scene = with_overrides(model, load_scene("trendelenburg", model), size=SIZE)
    hold = np.array([3.2])  # the hold of the drop
    view = HipView(model, scene, frames=compute_frames(model, scene, times_s=hold), anti_aliasing=None)
    yield view
    view.close()


def test_set_strength_re_poses_the_trendelenburg_pelvis_at_the_computed_drop(model, trendelenburg):
    from anatviz.activation.trendelenburg import pelvis_drop, scene_stance_deg

    view = trendelenburg
    stance, abductors = scene_stance_deg(view.scene), view.scene.pelvis_drop.muscles
    assert view.scene.pelvis_drop.drop_deg > 3.0
    assert view.pose()["pelvis_list"] == pytest.approx(-view.scene.pelvis_drop.drop_deg)
    drops = []
    for factor in (0.0, 0.2):
        view.set_strength({m: factor for m in abductors})
        expected = pelvis_drop(model, stance, {m: factor for m in abductors})
        pose = view.pose()
        assert pose["pelvis_list"] == pytest.approx(expected.pelvis_list_deg)
        assert pose["hip_adduction_r"] == pytest.approx(expected.stance_adduction_deg)
        np.testing.assert_allclose(np.array(view.bone_actors["pelvis"].user_matrix),
                                   model.bone_transforms(**pose)["pelvis"], atol=1e-12)  # the bones moved
        weak = activations(model, pose, view.scene.load, strength={m: factor for m in abductors})
        order = [weak.muscles.index(m) for m in model.muscles]
        np.testing.assert_allclose(view.activation_state().activation, weak.activation[0, order], atol=1e-9)
        assert f"pelvis drops {expected.drop_deg:.1f}\N{DEGREE SIGN}" in view.activation_overlay.drop.GetInput()
        drops.append(expected.drop_deg)
    assert drops[0] > drops[1] > 0.0  # weaker abductors, a larger drop
    view.set_strength({m: 1.0 for m in abductors})
    assert view.pose()["pelvis_list"] == 0.0 and view.activation_overlay.drop.GetInput().startswith("pelvis level")


def test_a_dragged_strength_slider_solves_the_drop_when_it_rests(trendelenburg):
    view = trendelenburg
    abductors = view.scene.pelvis_drop.muscles
    dropped = view.pose()["pelvis_list"]
    view.set_detail(True)
    view.set_strength({m: 1.0 for m in abductors})
    assert view.pose()["pelvis_list"] == dropped and view.drop_pending  # recoloured only
    assert "solved when the slider stops" in view.activation_overlay.drop.GetInput()
    # the colours while dragging are those of the pose drawn (the old drop), not of the drop to come
    drawn = activations(view.model, view.pose(), view.scene.load, strength=view.strength)
    assert np.allclose(view.activation_state().activation, drawn.activation[0], atol=1e-6)
    view.set_detail(False)
    assert view.pose()["pelvis_list"] == 0.0 and not view.drop_pending


def test_drop_text_states_the_drop_and_the_strength():
    from dataclasses import replace

    from anatviz.render.readout import drop_text
    from anatviz.scene import PelvisDropSpec

    spec = PelvisDropSpec(("gluteus_medius_r",), (2.4,), "Gluteus medius R", drop_deg=6.4)
    assert drop_text(spec, 0.05) == "pelvis drops 6.4\N{DEGREE SIGN} on the left   (Gluteus medius R at 5%)"
    assert drop_text(replace(spec, drop_deg=0.0), 1.0).startswith("pelvis level")
    assert drop_text(replace(spec, drop_deg=20.0, held=False), 0.0).startswith("pelvis drops over 20")
