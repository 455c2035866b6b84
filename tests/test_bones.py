"""The bones agree with the muscles: attachments on the surface, paths outside the bone."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import trimesh

from anatviz.geometry.display import resample

GRID = {"hip_flexion": (-30.0, 15.0, 60.0, 120.0), "hip_adduction": (-30.0, 0.0, 30.0),
        "hip_rotation": (-40.0, 0.0, 40.0), "knee_flexion": (0.0, 60.0, 120.0)}


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


def test_paths_do_not_pass_through_bone(model):
    """Over a grid of poses, at most 1% of path samples lie inside a bone (right side; the left mirrors it)."""
    poses = [dict(zip((f"{k}_r" for k in GRID), values)) for values in itertools.product(*GRID.values())]
    columns = {k: np.array([p[k] for p in poses]) for k in poses[0]}
    motion = model.compute(columns, moment_arms=False)
    inside = total = 0
    worst: dict[str, int] = {}
    right = [i for i, m in enumerate(motion.muscles) if m.endswith("_r")]
    for b, bone in enumerate(motion.bones):
        if bone.endswith("_l"):
            continue
        mesh = model.local_meshes[bone]
        lo, hi = mesh.bounds
        for i in right:
            for f in range(len(poses)):
                samples = _samples(motion.paths[i][f])
                if b == 0:
                    total += len(samples)
                T = motion.bone_transforms[b, f]
                local = (samples - T[:3, 3]) @ T[:3, :3]
                near = np.all((local > lo) & (local < hi), axis=1)
                if near.any():
                    count = int(mesh.contains(local[near]).sum())
                    inside += count
                    worst[motion.muscles[i]] = worst.get(motion.muscles[i], 0) + count
    assert inside / total <= 0.01, (inside, total, sorted(worst.items(), key=lambda kv: -kv[1])[:5])


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
