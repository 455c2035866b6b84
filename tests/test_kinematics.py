"""Forward kinematics: rigid, seated, mirrored, in the published rotation order and knee translation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anatviz.geometry.pose import PoseError
from anatviz.geometry.transforms import axis_rotation, xyz_body_rotation

MIRROR = np.diag([1.0, 1.0, -1.0])


def pose_strategy(model):
    return st.fixed_dictionaries({
        name: st.floats(lo, hi, allow_nan=False) for name, (lo, hi) in model.coordinates.items()})


@pytest.fixture(scope="module")
def random_poses(model):
    rng = np.random.default_rng(0)
    lo, hi = np.array(list(model.coordinates.values())).T
    return dict(zip(model.coordinates, (rng.uniform(lo, hi, size=(200, len(lo)))).T))


def test_transforms_stay_rigid(model, random_poses):
    transforms = model.compute(random_poses, paths=False, moment_arms=False).bone_transforms
    rotation = transforms[..., :3, :3]
    eye = np.broadcast_to(np.eye(3), rotation.shape)
    np.testing.assert_allclose(rotation @ rotation.swapaxes(-1, -2), eye, atol=1e-12)
    np.testing.assert_allclose(np.linalg.det(rotation), 1.0, atol=1e-12)
    np.testing.assert_array_equal(transforms[..., 3, :], np.broadcast_to([0, 0, 0, 1.0], transforms[..., 3, :].shape))


def test_landmarks_on_one_bone_keep_their_distances(model, random_poses):
    data = model.data
    motion = model.compute(random_poses, paths=False, moment_arms=False)
    for bone in model.bones:
        names = [n for n, lm in data.landmarks.items() if lm.bone == bone]
        local = np.array([data.landmarks[n].position_m for n in names])
        T = motion.bone_transforms[model.bones.index(bone)]
        world = np.einsum("nij,pj->npi", T[:, :3, :3], local) + T[:, None, :3, 3]
        for i, j in itertools.combinations(range(len(names)), 2):
            d = np.linalg.norm(world[:, i] - world[:, j], axis=-1)
            np.testing.assert_allclose(d, np.linalg.norm(local[i] - local[j]), atol=1e-12)


def test_femoral_head_stays_in_the_acetabulum(model, random_poses):
    """The head centre (femur origin) coincides with the acetabulum centre (pelvis landmark) in every pose."""
    motion = model.compute(random_poses, paths=False, moment_arms=False)
    for side in "rl":
        pelvis = motion.bone_transforms[model.bones.index("pelvis")]
        femur = motion.bone_transforms[model.bones.index(f"femur_{side}")]
        acetabulum = np.einsum("nij,j->ni", pelvis[:, :3, :3], model.data.landmarks[f"hip_centre_{side}"].position_m)
        acetabulum += pelvis[:, :3, 3]
        np.testing.assert_allclose(femur[:, :3, 3], acetabulum, atol=1e-12)


def test_world_is_the_pelvis_frame_at_zero(model):
    np.testing.assert_allclose(model.bone_transforms()["pelvis"], np.eye(4))
    np.testing.assert_allclose(model.bone_transforms(hip_flexion_r=40)["pelvis"], np.eye(4))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_left_mirrors_right(model, data):
    """A pose applied to both sides gives mirrored bones (z -> -z) and equal muscle lengths."""
    values = {c: data.draw(st.floats(*model.coordinates[f"{c}_r"])) for c in (
        "hip_flexion", "hip_adduction", "hip_rotation", "knee_flexion")}
    pose = {f"{c}_{s}": v for c, v in values.items() for s in "rl"}
    T = model.bone_transforms(**pose)
    for bone in ("femur", "tibia"):
        right, left = T[f"{bone}_r"], T[f"{bone}_l"]
        np.testing.assert_allclose(left[:3, :3], MIRROR @ right[:3, :3] @ MIRROR, atol=1e-12)
        np.testing.assert_allclose(left[:3, 3], MIRROR @ right[:3, 3], atol=1e-12)
    lengths = model.lengths(**pose)
    for m in model.muscles:
        if m.endswith("_r"):
            assert lengths[m] == pytest.approx(lengths[m[:-2] + "_l"], abs=1e-9)


def test_hip_rotation_order_is_flexion_adduction_rotation(model):
    pose = dict(hip_flexion_r=50.0, hip_adduction_r=20.0, hip_rotation_r=-30.0)
    expected = (axis_rotation("z", np.radians(50)) @ axis_rotation("x", np.radians(20))
                @ axis_rotation("y", np.radians(-30)))
    np.testing.assert_allclose(model.bone_transforms(**pose)["femur_r"][:3, :3], expected, atol=1e-12)


def test_positive_directions_are_anatomical(model):
    """Flexion swings the knee forward, adduction swings it medially, knee flexion swings the foot back."""
    knee = lambda **p: model.landmarks(**p)["knee_centre_r"]  # noqa: E731
    neutral = knee()
    assert knee(hip_flexion_r=30)[0] > neutral[0] + 0.1
    assert knee(hip_adduction_r=20)[2] < neutral[2] - 0.05
    # the left knee adducts toward the midline too, i.e. to the right
    assert model.landmarks(hip_adduction_l=20)["knee_centre_l"][2] > model.landmarks()["knee_centre_l"][2] + 0.05
    ankle = lambda **p: model.bone_transforms(**p)["tibia_r"] @ [0, -0.4, 0, 1]  # noqa: E731
    assert ankle(knee_flexion_r=90)[0] < ankle()[0] - 0.3
    # internal rotation turns the knee's front (the femur's +x at the knee) medially
    femur = model.bone_transforms(hip_rotation_r=30)["femur_r"]
    assert (femur[:3, :3] @ [1.0, 0, 0])[2] < 0


@pytest.mark.parametrize("flexion_deg, x_m, y_m", [
    (10.0, -0.00310, -0.39660), (20.0, -0.00100, -0.39760), (60.0, 0.00410, None), (120.0, -0.00320, -0.42260)])
def test_knee_follows_the_published_translation(model, flexion_deg, x_m, y_m):
    """At the gait2392 spline knots, the tibia origin sits exactly at the published values."""
    tibia_in_femur = np.linalg.inv(model.bone_transforms(knee_flexion_r=flexion_deg)["femur_r"]) @ \
        model.bone_transforms(knee_flexion_r=flexion_deg)["tibia_r"]
    assert tibia_in_femur[0, 3] == pytest.approx(x_m, abs=1e-12)
    if y_m is not None:
        assert tibia_in_femur[1, 3] == pytest.approx(y_m, abs=1e-12)
    np.testing.assert_allclose(tibia_in_femur[:3, :3], axis_rotation("z", -np.radians(flexion_deg)), atol=1e-12)


def test_xyz_body_rotation_is_x_then_y_then_z():
    angles = np.array([0.3, -0.2, 0.5])
    expected = axis_rotation("x", 0.3) @ axis_rotation("y", -0.2) @ axis_rotation("z", 0.5)
    np.testing.assert_allclose(xyz_body_rotation(angles), expected)


@pytest.mark.parametrize("pose, message", [
    ({"hip_flexion_r": 130}, "hip_flexion_r = 130 deg is outside its range [-30, 120] deg"),
    ({"knee_flexion_l": -20}, "knee_flexion_l = -20 deg is outside its range [-10, 120] deg"),
    ({"hip_flexon_r": 10}, "unknown coordinate 'hip_flexon_r'; expected one of pelvis_tilt"),
    ({"hip_flexion_r": float("nan")}, "hip_flexion_r: expected finite degrees"),
])
def test_bad_pose_is_a_clear_error(model, pose, message):
    with pytest.raises(PoseError) as info:
        model.lengths(**pose)
    assert message in str(info.value)
