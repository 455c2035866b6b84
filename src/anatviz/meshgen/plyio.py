"""Binary PLY files of triangle meshes, written atomically and byte for byte reproducibly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import trimesh
from numpy.typing import NDArray

from ..atomic import write_atomically

FloatArray = NDArray[np.float64]


def ply_bytes(vertices: FloatArray, faces: NDArray[np.int64]) -> bytes:
    """Encode a triangle mesh as binary little-endian PLY (float32 vertices, int32 indices).

    Parameters
    ----------
    vertices : (n, 3) float
    faces : (m, 3) int
    """
    header = (
        "ply\nformat binary_little_endian 1.0\ncomment anatviz.meshgen, metres, bone frame\n"
        f"element vertex {len(vertices)}\nproperty float x\nproperty float y\nproperty float z\n"
        f"element face {len(faces)}\nproperty list uchar int vertex_indices\nend_header\n"
    )
    face_dtype = np.dtype([("n", "u1"), ("i", "<i4", (3,))])
    packed = np.empty(len(faces), dtype=face_dtype)
    packed["n"] = 3
    packed["i"] = faces
    return header.encode("ascii") + np.asarray(vertices, dtype="<f4").tobytes() + packed.tobytes()


def write_ply(path: Path, mesh: trimesh.Trimesh) -> None:
    """Write ``mesh`` to ``path`` atomically (temporary file in the same folder, then replace)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ply_bytes(np.asarray(mesh.vertices), np.asarray(mesh.faces))
    write_atomically(path, data)
