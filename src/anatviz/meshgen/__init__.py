"""Procedural bone meshes for anatviz: pelvis, femora and tibiae (with fibulae).

Each bone is a signed-distance field built from smooth primitives (spheres, ellipsoids, tapered
capsules, thickened spline plates and tubes, rounded boxes) combined with smooth unions and
subtractions, in the bone's own frame (metres; x anterior, y up, z to the right). :func:`build_all`
samples the fields, contours, decimates and writes binary PLY files; ``python -m anatviz.meshgen``
runs it. Shapes follow the rajagopal2016 muscle attachments (see the constants at the top of each
bone module).

Nothing else in anatviz imports this package: the mesh files it writes are the interface.
"""

from anatviz.meshgen.build import BONES, DEFAULT_OUT, MIRRORS, BoneSpec, bone_mesh, build_all, mirror_mesh
from anatviz.meshgen.plyio import write_ply

__all__ = ["BONES", "DEFAULT_OUT", "MIRRORS", "BoneSpec", "bone_mesh", "build_all", "mirror_mesh", "write_ply"]
