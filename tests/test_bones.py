"""The bones agree with the muscles: attachments on the surface, paths outside the bone."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import trimesh

from anatviz.geometry.display import resample

# The regular grid of issue 2: hip flexion every 30 degrees, adduction every 15, rotation every 20, knee
# flexion every 30 (750 poses, right side; the left mirrors it).
GRID = {"hip_flexion": np.arange(-30.0, 121.0, 30.0), "hip_adduction": np.arange(-30.0, 31.0, 15.0),
        "hip_rotation": np.arange(-40.0, 41.0, 20.0), "knee_flexion": np.arange(0.0, 121.0, 30.0)}
MAX_INSIDE = 0.01


def test_every_origin_and_insertion_is_on_its_bone(model):
    """Within 5 mm of the bone's surface (inside or outside)."""
    for name, muscle in model.data.muscles.items():
        for point in (muscle.path[0], muscle.path[-1]):
            if point is muscle.path[0] and muscle.origin_off_mesh:
                continue  # e.g. the psoas on the lumbar spine, which is not drawn
            mesh = model.local_meshes[point.bone]
            distance = abs(trimesh.proximity.signed_distance(mesh, [point.position_m])[0])
            assert distance <= 0.005, (name, point.bone, round(distance * 1000, 1))


def test_landmarks_on_the_surface(model):
    for name in ("ischial_tuberosity_r", "greater_trochanter_r", "gluteal_tuberosity_r", "fibular_head_r"):
        landmark = model.data.landmarks[name]
        distance = abs(trimesh.proximity.signed_distance(model.local_meshes[landmark.bone], [landmark.position_m])[0])
        assert distance <= 0.005, (name, distance)


def _samples(points: np.ndarray) -> np.ndarray:
    """Points every 5 mm along a path, leaving out 10 mm at each end."""
    length = np.linalg.norm(np.diff(points, axis=0), axis=-1).sum()
    count = max(int(length / 0.005) + 1, 2)
    dense = resample(points[None], count)[0]
    s = np.linspace(0.0, length, count)
    return dense[(s >= 0.010) & (s <= length - 0.010)]


def _inside_counts(model) -> dict[str, tuple[int, int]]:
    """{right-side muscle: (samples inside a bone, samples)} over GRID.

    Samples are tested only against the bones whose bounding box they fall in, with embree's ray
    test (trimesh's ``contains``), all poses of a bone at once.
    """
    poses = [dict(zip((f"{k}_r" for k in GRID), values)) for values in itertools.product(*GRID.values())]
    motion = model.compute({k: np.array([p[k] for p in poses]) for k in poses[0]}, moment_arms=False)
    counts = {}
    for i, name in enumerate(motion.muscles):
        if not name.endswith("_r"):
            continue
        samples = [_samples(motion.paths[i][f]) for f in range(len(poses))]
        inside = 0
        for b, bone in enumerate(motion.bones):
            if bone.endswith("_l"):
                continue
            mesh = model.local_meshes[bone]
            lo, hi = mesh.bounds
            T = motion.bone_transforms[b]  # (n, 4, 4)
            local = np.concatenate([(s - T[f, :3, 3]) @ T[f, :3, :3] for f, s in enumerate(samples)])
            near = np.all((local > lo) & (local < hi), axis=1)
            inside += int(mesh.contains(local[near]).sum()) if near.any() else 0
        counts[name] = (inside, sum(len(s) for s in samples))
    return counts


@pytest.fixture(scope="module")
def inside_counts(model):
    return _inside_counts(model)


def _share(counts, names):
    return sum(counts[m][0] for m in names) / sum(counts[m][1] for m in names)


def _worst(counts, names, k=5):
    return sorted(((m, round(counts[m][0] / counts[m][1], 4)) for m in names), key=lambda x: -x[1])[:k]


def test_paths_do_not_pass_through_bone(model, inside_counts):
    """Issue 2: over GRID, at most 1% of the path samples (every 5 mm, leaving out 10 mm at each end)
    lie inside a bone: the gluteal, hamstring and piriformis paths, and all muscles together."""
    muscles = list(inside_counts)
    required = [m for m in muscles if not model.card(m).context]
    assert len(required) == 14 and len(muscles) == 22
    assert _share(inside_counts, required) <= MAX_INSIDE, _worst(inside_counts, required)
    assert _share(inside_counts, muscles) <= MAX_INSIDE, _worst(inside_counts, muscles)


CONTEXT_MAX_INSIDE = 0.012


def test_context_paths_stay_nearly_out_of_bone(model, inside_counts):
    """The context muscles reach 1.06%, not the 1% of the muscles issue 2 names: the published
    pelvic-brim cylinders (Rajagopal 2016) carry the psoas and iliacus through the femoral head with the
    hip extended and rotated, and in a third of the grid's hip poses the femur itself enters the pelvis
    (neck against the rim at 120 deg flexion with adduction or rotation). Held here so it cannot grow."""
    context = [m for m in inside_counts if model.card(m).context]
    assert _share(inside_counts, context) <= CONTEXT_MAX_INSIDE, _worst(inside_counts, context)


def test_femoral_head_is_seated_in_the_acetabulum(model):
    """At neutral the head's surface facing the socket is within 5 mm of the pelvis, and the two
    bones overlap by no more than 2 mm."""
    meshes = model.bone_meshes()
    pelvis, femur = meshes["pelvis"], meshes["femur_r"]
    centre = model.landmarks()["hip_centre_r"]
    head = femur.vertices[np.linalg.norm(femur.vertices - centre, axis=1) < 0.03]
    facing = head[(head - centre) @ np.array([0.0, 0.6, 0.8]) > 0.0]  # toward the acetabular roof and fossa
    gap = trimesh.proximity.signed_distance(pelvis, facing)
    assert np.median(np.abs(gap)) < 0.005
    assert gap.max() < 0.002  # signed distance > 0 means inside the pelvis
