"""The shipped bone meshes: clean closed bodies, mirrored pairs, reproducible from anatviz.meshgen."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import trimesh

from anatviz.meshgen import BONES, DEFAULT_OUT, bone_mesh, write_ply
from anatviz.meshgen import femur as femur_shape
from anatviz.meshgen import pelvis as pelvis_shape

NAMES = ("pelvis", "femur_r", "femur_l", "tibia_r", "tibia_l")
MIRRORED = {"femur_l": "femur_r", "tibia_l": "tibia_r"}
MAX_TRIANGLES = 40_000


@pytest.fixture(scope="module")
def meshes() -> dict[str, trimesh.Trimesh]:
    return {name: trimesh.load(DEFAULT_OUT / f"{name}.ply", force="mesh") for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_mesh_is_one_clean_closed_body(meshes, name):
    mesh = meshes[name]
    assert mesh.is_watertight, name
    assert mesh.is_winding_consistent, name
    assert mesh.volume > 0, (name, mesh.volume)  # outward normals
    assert len(mesh.split(only_watertight=False)) == 1, name
    assert 5_000 <= len(mesh.faces) <= MAX_TRIANGLES, (name, len(mesh.faces))


@pytest.mark.parametrize("left", sorted(MIRRORED))
def test_left_is_the_mirrored_right(meshes, left):
    right = meshes[MIRRORED[left]]
    assert np.array_equal(meshes[left].vertices, right.vertices * [1.0, 1.0, -1.0])
    assert np.array_equal(meshes[left].faces, right.faces[:, ::-1])


def test_committed_femur_comes_from_the_code(tmp_path: Path, meshes):
    """Regenerating one bone with the public function gives the committed file's mesh."""
    spec = next(spec for spec in BONES if spec.name == "femur_r")
    write_ply(tmp_path / "femur_r.ply", bone_mesh(spec))
    fresh = trimesh.load(tmp_path / "femur_r.ply", force="mesh")
    assert np.array_equal(fresh.vertices, meshes["femur_r"].vertices)
    assert np.array_equal(fresh.faces, meshes["femur_r"].faces)
    assert (tmp_path / "femur_r.ply").read_bytes() == (DEFAULT_OUT / "femur_r.ply").read_bytes()


def _femur_in_pelvis(meshes: dict[str, trimesh.Trimesh]) -> tuple[trimesh.Trimesh, np.ndarray]:
    """The right femur placed at the neutral pose in the pelvis frame, and the hip centre."""
    centre = np.asarray(pelvis_shape.HIP_CENTRE)
    femur = meshes["femur_r"]
    return trimesh.Trimesh(femur.vertices + centre, femur.faces, process=False), centre


def test_femoral_head_is_centred_on_the_hip(meshes):
    """Head-centre landmark = femur origin = hip centre; the head surface is a sphere about it."""
    femur, centre = _femur_in_pelvis(meshes)
    head = femur.vertices[np.linalg.norm(femur.vertices - centre, axis=1) < femur_shape.HEAD_RADIUS_M + 0.002]
    radius = np.linalg.norm(head - centre, axis=1)
    top = head[(head - centre)[:, 1] > 0.5 * femur_shape.HEAD_RADIUS_M]  # the cap above the neck
    assert len(top) > 50
    assert np.allclose(np.linalg.norm(top - centre, axis=1), femur_shape.HEAD_RADIUS_M, atol=0.0015)
    assert radius.max() < femur_shape.HEAD_RADIUS_M + 0.002


def test_femoral_head_sits_in_the_acetabulum(meshes):
    """Head points facing the socket lie within 5 mm of the pelvis; the bones overlap by < 2 mm."""
    femur, centre = _femur_in_pelvis(meshes)
    pelvis = meshes["pelvis"]
    axis = pelvis_shape.acetabulum_axis()
    directions = trimesh.creation.icosphere(subdivisions=3).vertices
    facing = directions[directions @ -axis > np.cos(np.radians(60.0))]
    head_points = centre + facing * femur_shape.HEAD_RADIUS_M
    gap = trimesh.proximity.signed_distance(pelvis, head_points)  # > 0 inside the pelvis
    assert np.abs(gap).max() < 0.005, np.abs(gap).max()
    near = femur.vertices[np.linalg.norm(femur.vertices - centre, axis=1) < 0.06]
    assert trimesh.proximity.signed_distance(pelvis, near).max() < 0.002
    near_pelvis = pelvis.vertices[np.linalg.norm(pelvis.vertices - centre, axis=1) < 0.06]
    assert trimesh.proximity.signed_distance(femur, near_pelvis).max() < 0.002
