"""The supports' grip (anatviz.activation.friction): the body stays in equilibrium, every support twists
within its friction limit and rolls within its contact, pairs are decided frame by frame; and invariants
over random postures."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anatviz.activation import LoadSpec, Weight, activations
from anatviz.activation.anthropometry import Anthropometry
from anatviz.activation.body import SHOULDER_HALF_WIDTH_M
from anatviz.activation.friction import TORSION_RADIUS_SHARE
from anatviz.scene import load_scene

ARCHES = ["glute_bridge", "single_leg_bridge", "hip_thrust"]
SUPPORTED = ["standing_hip_extension", "romanian_deadlift", "single_leg_romanian_deadlift", "back_squat", "deadlift",
             "single_leg_stance", "knee_changes_the_hamstrings", "synergistic_dominance", "trendelenburg",
             "anterior_pelvic_tilt", "moment_arm_lever"]  # and the arches: every shipped scene standing or lying on supports
FPS = 10.0


@pytest.fixture(scope="module")
def results(model):
    return {name: activations(model, load_scene(name, model), fps=FPS) for name in ARCHES}


@pytest.mark.parametrize("name", ["glute_bridge", "single_leg_bridge", "hip_thrust"])
def test_the_fore_aft_grip_of_an_arch_leaves_the_body_in_equilibrium(results, name):
    """The back and the feet push apart along the line between them: no net force, no net moment, even
    from a bench 0.42 m above the floor; and it is there to be used."""
    grip = results[name].statics.grip
    pairs = [k for k, n in enumerate(grip.names) if n.endswith("fore-aft")]
    assert len(pairs) == (1 if name == "single_leg_bridge" else 2)
    assert np.abs(grip.wrench[:, :, pairs]).max() < 1e-9
    assert np.abs(grip.generalised_nm[:, :, pairs]).max() > 1.0


LEG = st.fixed_dictionaries({"hip_flexion": st.floats(-10.0, 100.0), "hip_adduction": st.floats(-10.0, 10.0),
                             "hip_rotation": st.floats(-15.0, 15.0), "knee_flexion": st.floats(0.0, 100.0)})


@given(tilt=st.floats(-40.0, 10.0), stance=LEG, free=LEG, one_leg=st.booleans(), barbell_kg=st.floats(0.0, 30.0))
@settings(max_examples=25, deadline=None)
def test_invariants_over_random_poses(model, tilt, stance, free, one_leg, barbell_kg):
    """Random postures: on both feet (legs alike) or on the right foot (the left leg anywhere)."""
    pose = {"pelvis_tilt": tilt, **{f"{k}_r": v for k, v in stance.items()},
            **{f"{k}_l": v for k, v in (free if one_leg else stance).items()}}
    load = LoadSpec(("foot_r",) if one_leg else ("foot_r", "foot_l"), weights=(Weight(barbell_kg, "hands"),))
    r = activations(model, {k: np.array([v]) for k, v in pose.items()}, load)
    assert r.activation.min() >= 0.0 and r.activation.max() <= 1.0 and r.vasti_activation.max() <= 1.0
    assert np.all(r.force_n >= 0.0) and np.all(r.force_n <= r.strength * r.max_force_n + 1e-9)
    assert np.all(r.capacity_n <= r.max_force_n + 1e-9)
    assert all(np.all(np.abs(g) <= 1.0 + 1e-9) for g in r.grip.values())
    solved = [r.coordinates.index(c) for c in r.solved]
    total = r.made_moment_nm + r.passive_moment_nm + r.grip_moment_nm
    np.testing.assert_allclose((total - r.required_moment_nm)[:, solved], r.residual_moment_nm[:, solved], atol=1e-9)
    np.testing.assert_allclose(sum(r.statics.reactions_n.values()), r.statics.carried_weight_n, rtol=1e-9)
    # the whole body stays in equilibrium with its grip, no support twists beyond its friction limit, and
    # no centre of pressure rolls out of its contact
    assert_grip_within_its_limits(r, load)


def assert_grip_within_its_limits(r, load):
    """The chosen grip adds no net force or moment to the body; each support's whole twist (its grip
    twist plus its own free moment) is at most mu N r, r a quarter of the contact's length (the foot's
    length, the shoulder blades' breadth); and each support's roll keeps its centre of pressure within
    the contact's width (the foot's; the shoulder blades'), or moves it back toward it where the statics
    put it outside."""
    grip = r.statics.grip
    x = np.stack([r.grip[name] for name in grip.names], axis=1) if grip.names else np.zeros((len(r), 0))
    assert np.abs(np.einsum("nwf,nf->nw", grip.wrench, x)).max(initial=0.0) < 1e-9
    body = Anthropometry(load.body_mass_kg, load.height_m, load.sex)
    feet = [s for s in r.statics.reactions_n if s.startswith("foot_")]
    length_m = {s: body.length_m("foot") if s in feet else 2 * SHOULDER_HALF_WIDTH_M for s in r.statics.reactions_n}
    half_width_m = {s: body.foot_width_m / 2 if s in feet else SHOULDER_HALF_WIDTH_M for s in r.statics.reactions_n}
    twist = grip.support_twist_nm(x)
    assert set(twist) == set(length_m)
    for support, length in length_m.items():
        limit = load.friction * np.clip(r.statics.reactions_n[support], 0.0, None) * TORSION_RADIUS_SHARE * length
        np.testing.assert_allclose(grip.twist_limit_nm[support], limit, rtol=1e-12)
        assert np.all(np.abs(twist[support]) <= limit + 1e-9), support
    shift = grip.support_shift_m(x)
    assert grip.half_width_m == pytest.approx(half_width_m, rel=1e-12)
    for support, half in half_width_m.items():
        allowed = np.maximum(half, np.abs(grip.offset_m[support]))
        assert np.all(np.abs(shift[support]) <= allowed + 1e-9), support


@pytest.mark.parametrize("name", ["glute_bridge", "single_leg_bridge", "hip_thrust"])
def test_a_sideways_pair_is_limited_by_what_its_supports_can_twist(results, model, name):
    """Shoulders and a foot about 1 m apart: a sideways push of the pair at its friction limit would turn
    the body about the vertical far more than the supports can twist back. The twists cancel the pair's
    turn, and each stays within its own limit."""
    r = results[name]
    assert_grip_within_its_limits(r, load_scene(name, model).load)
    grip = r.statics.grip
    pairs = [k for k, n in enumerate(grip.names) if n.endswith("sideways")]
    if name == "single_leg_bridge":
        assert len(pairs) == 1
        turn_nm = np.abs(grip.yaw_nm[:, pairs[0]])
        assert np.all(turn_nm > 2.0 * sum(grip.twist_limit_nm.values()))  # unbounded, it would be free
        assert np.all(np.abs(r.grip[grip.names[pairs[0]]]) * turn_nm <= sum(grip.twist_limit_nm.values()) + 1e-9)


def test_one_frame_alone_gives_what_the_batch_gives(results, model):
    """The grip's pairs are decided frame by frame, so the renderer's single-frame recomputation (a held
    pose) agrees with the whole motion."""
    r = results["single_leg_bridge"]
    scene = load_scene("single_leg_bridge", model)
    for frame in (0, len(r) // 2, len(r) - 1):
        alone = activations(model, scene, times_s=r.times_s[frame:frame + 1])
        np.testing.assert_allclose(alone.activation[0], r.activation[frame], atol=1e-6)
        assert alone.ratio[0] == pytest.approx(r.ratio[frame], rel=1e-5)


@pytest.mark.parametrize("name", ARCHES + SUPPORTED)
def test_every_shipped_scene_grips_within_its_limits(results, model, name):
    scene = load_scene(name, model)
    r = results[name] if name in results else activations(model, scene, fps=3.0)
    assert_grip_within_its_limits(r, scene.load)


def test_a_foot_presses_through_the_outer_edge_of_its_heel_to_turn_the_stance_thigh_in(results, model):
    """Single-leg bridge: the thigh lies along the body, so the hip's rotation axis is nearly the body's
    fore-aft axis. With the hips up the foot's centre of pressure moves to the outer edge of the heel and
    the shoulders' the other way (the roll): the floor turns the thigh inward, against the gluteus
    maximus's outward rotation (7 to 11 N m), with no sideways push and so no turn about the vertical.
    This is not friction: on a slippery floor the foot still rolls."""
    scene = load_scene("single_leg_bridge", model)
    slippery = activations(model, scene, dataclasses.replace(scene.load, friction=0.0), fps=FPS)
    for r in (results["single_leg_bridge"], slippery):
        grip = r.statics.grip
        x = np.stack([r.grip[name] for name in grip.names], axis=1)
        up = r.q_deg[:, r.coordinates.index("hip_flexion_r")] < 10.0
        shift = grip.support_shift_m(x)
        assert np.all(shift["foot_r"][up] > grip.half_width_m["foot_r"] - 1e-6)  # the outer edge
        assert np.all(shift["shoulders"][up] < grip.offset_m["shoulders"][up] - 0.02)  # the other way
        roll = grip.names.index("foot_r roll")
        inward_nm = grip.generalised_nm[:, r.coordinates.index("hip_rotation_r"), roll] * x[:, roll]
        assert np.all(inward_nm[up] > 6.0)
        assert np.abs(grip.yaw_nm[:, roll]).max() < 1e-9 and np.abs(grip.roll_nm[:, roll]).min() > 1.0


def test_pairs_are_decided_frame_by_frame(model):
    """Two frames: the supports level in the first, 20 cm apart in height in the second. The sideways pair
    exists in the first frame only, and each frame computed alone gives the same grip as both together."""
    from anatviz.activation.friction import Contact, grip_freedoms
    from anatviz.activation.kinematics import pose_derivatives
    from anatviz.geometry.pose import pose_array

    q = np.radians(np.vstack([pose_array(model.coordinates, {"hip_flexion_r": 10.0})] * 2))
    pose = pose_derivatives(model, q)
    back = Contact("shoulders", "pelvis", np.array([[-0.5, 0.0, 0.0], [-0.5, 0.0, 0.0]]), np.full(2, 300.0), 0.3)
    foot = Contact("foot_r", "tibia_r", np.array([[0.5, 0.0, 0.1], [0.5, 0.2, 0.1]]), np.full(2, 300.0), 0.25)
    sideways = np.tile([0.0, 0.0, 1.0], (2, 1))
    both = grip_freedoms(pose, [back, foot], sideways)
    k = both.names.index("shoulders and foot_r sideways")
    assert (both.lower[:, k].tolist(), both.upper[:, k].tolist()) == ([-1.0, 0.0], [1.0, 0.0])
    assert np.abs(both.generalised_nm[1, :, k]).max() == 0.0 < np.abs(both.generalised_nm[0, :, k]).max()
    for frame in (0, 1):
        one = [Contact(c.name, c.bone, c.point_m[frame:frame + 1], c.normal_n[frame:frame + 1], c.length_m)
               for c in (back, foot)]
        alone = grip_freedoms(pose_derivatives(model, q[frame:frame + 1]), one, sideways[:1])
        for name in alone.names:
            j = both.names.index(name)
            np.testing.assert_allclose(alone.generalised_nm[0, :, alone.names.index(name)],
                                       both.generalised_nm[frame, :, j], atol=1e-12)
            assert alone.upper[0, alone.names.index(name)] == both.upper[frame, j]
