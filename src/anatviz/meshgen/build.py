"""Turn each bone's signed-distance field into a clean triangle mesh and write the mesh files.

The field is sampled near its surface and contoured (:mod:`anatviz.meshgen.grid`), Taubin-smoothed,
decimated with fast-simplification, smoothed again and cleaned with trimesh into one watertight
body with outward normals; left bones are mirror images of the right ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import fast_simplification
import numpy as np
import trimesh
from numpy.typing import NDArray

from anatviz.meshgen import femur, pelvis, tibia
from anatviz.meshgen.grid import Field, contour, sample_field
from anatviz.meshgen.plyio import write_ply

FloatArray = NDArray[np.float64]

#: Default output folder: the repository's top-level ``meshes/``.
DEFAULT_OUT = Path(__file__).resolve().parents[3] / "meshes"

_DECIMATION_AGGRESSION = 5.0  # fast-simplification's `agg`: lower keeps shape better


@dataclass(frozen=True)
class BoneSpec:
    """How to mesh one bone.

    Attributes
    ----------
    name : str
        Mesh name, also the file stem (``femur_r`` -> ``femur_r.ply``).
    make_field : callable
        Builds the signed-distance field, ``points : (n, 3) float -> (n,) float``, in the bone
        frame.
    bounds : (2, 3) float
        Lower and upper corner of the sampled box, metres.
    spacing_m : float
        Fine grid spacing.
    target_faces : int
        Triangle count after decimation.
    """

    name: str
    make_field: Callable[[], Field]
    bounds: tuple[tuple[float, float, float], tuple[float, float, float]]
    spacing_m: float
    target_faces: int


#: The right-side bones; the left ones are their mirror images.
BONES: tuple[BoneSpec, ...] = (
    BoneSpec("pelvis", pelvis.make_field, pelvis.BOUNDS, pelvis.SPACING_M, pelvis.TARGET_FACES),
    BoneSpec("femur_r", femur.make_field, femur.BOUNDS, femur.SPACING_M, femur.TARGET_FACES),
    BoneSpec("tibia_r", tibia.make_field, tibia.BOUNDS, tibia.SPACING_M, tibia.TARGET_FACES),
)

#: Left meshes and the right mesh each mirrors.
MIRRORS: Mapping[str, str] = MappingProxyType({"femur_l": "femur_r", "tibia_l": "tibia_r"})


def finish_mesh(
    vertices: FloatArray, faces: NDArray[np.int64], target_faces: int, smoothing_iterations: int = 6
) -> trimesh.Trimesh:
    """Decimate, smooth and clean a contoured surface into one watertight outward-facing body.

    Parameters
    ----------
    vertices : (n, 3) float
    faces : (m, 3) int
    target_faces : int
        Triangle count to decimate to (only ever reduced).
    smoothing_iterations : int
        Taubin smoothing steps before and after decimation.

    Returns
    -------
    trimesh.Trimesh
        The largest connected body, watertight, with consistent outward winding.
    """
    raw = _largest_body(trimesh.Trimesh(vertices, faces, process=True))
    if smoothing_iterations:  # smooth the marching-cubes staircase before decimating
        trimesh.smoothing.filter_taubin(raw, lamb=0.5, nu=-0.53, iterations=smoothing_iterations)
    reduction = max(0.0, 1.0 - target_faces / len(raw.faces))
    vertices, faces = fast_simplification.simplify(
        np.asarray(raw.vertices), np.asarray(raw.faces), target_reduction=reduction, agg=_DECIMATION_AGGRESSION
    )
    mesh = trimesh.Trimesh(vertices, faces, process=True)
    if smoothing_iterations:
        trimesh.smoothing.filter_taubin(mesh, lamb=0.5, nu=-0.53, iterations=smoothing_iterations)
    mesh = _largest_body(mesh)
    trimesh.repair.fix_normals(mesh)
    if mesh.volume < 0:
        mesh.invert()
    return mesh


def _largest_body(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """The connected body with the most faces (drops specks where the field touches zero)."""
    body = max(mesh.split(only_watertight=False), key=lambda part: len(part.faces))
    return trimesh.Trimesh(body.vertices, body.faces, process=True)


def bone_mesh(spec: BoneSpec) -> trimesh.Trimesh:
    """Build the mesh of one bone from its specification."""
    values, origin = sample_field(spec.make_field(), spec.bounds, spec.spacing_m)
    vertices, faces = contour(values, origin, spec.spacing_m)
    return finish_mesh(vertices, faces, spec.target_faces)


def mirror_mesh(mesh: trimesh.Trimesh) -> trimesh.Trimesh:
    """Mirror a mesh through the sagittal plane (z -> -z), flipping winding to keep normals outward."""
    vertices = np.array(mesh.vertices) * np.array([1.0, 1.0, -1.0])
    return trimesh.Trimesh(vertices, np.array(mesh.faces)[:, ::-1], process=False)


def build_all(out_dir: Path = DEFAULT_OUT, log: Callable[[str], None] | None = print) -> dict[str, trimesh.Trimesh]:
    """Build every bone mesh and write it to ``out_dir`` as ``<name>.ply``.

    Parameters
    ----------
    out_dir : Path
        Output folder (created if missing).
    log : callable, optional
        Receives one line per mesh: name, triangle count, seconds.

    Returns
    -------
    dict of str to trimesh.Trimesh
        The meshes written, by name.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)  # fail before the work, not after
    meshes: dict[str, trimesh.Trimesh] = {}
    for spec in BONES:
        start = time.perf_counter()
        meshes[spec.name] = bone_mesh(spec)
        write_ply(out_dir / f"{spec.name}.ply", meshes[spec.name])
        if log:
            log(f"{spec.name:8s} {len(meshes[spec.name].faces):6d} triangles {time.perf_counter() - start:5.2f} s")
    for left, right in MIRRORS.items():
        start = time.perf_counter()
        meshes[left] = mirror_mesh(meshes[right])
        write_ply(out_dir / f"{left}.ply", meshes[left])
        if log:
            log(f"{left:8s} {len(meshes[left].faces):6d} triangles {time.perf_counter() - start:5.2f} s")
    return meshes
