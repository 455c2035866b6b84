"""Bone level of detail: while the user drags a slider or turns the camera, each bone is drawn from a
decimated copy of its surface (a fifth of its triangles: the shape stays recognisable), and from the
full surface again once the picture rests.

In software GL the bones' triangles are most of a frame's drawing time; the copies are made once per
view, the first time they are needed (about 0.1 s for the five bones with ``fast-simplification``,
0.4 s with VTK's quadric decimation when it is not installed).
"""

from __future__ import annotations

import numpy as np
import pyvista as pv
import vtk

INTERACTIVE_TRIANGLE_SHARE = 0.2  # share of each bone's triangles drawn while interacting


def decimated(surface: pv.PolyData, keep: float) -> pv.PolyData:
    """A copy of a triangle surface with about ``keep`` (0..1) of its triangles and smooth point normals.

    Parameters
    ----------
    surface : pyvista.PolyData
        Triangles only; ``(n, 3)`` points in metres.
    keep : float
        Share of the triangles to keep, in (0, 1].
    """
    if not 0.0 < keep <= 1.0:
        raise ValueError(f"keep: expected a share in (0, 1], found {keep!r}")
    triangles = surface.triangulate()
    try:
        import fast_simplification
    except ImportError:
        light = triangles.decimate(1.0 - keep)
    else:
        faces = np.asarray(triangles.faces).reshape(-1, 4)[:, 1:]
        points, faces = fast_simplification.simplify(np.asarray(triangles.points, float), faces, 1.0 - keep)
        light = pv.PolyData.from_regular_faces(points, faces)
    return light.compute_normals(cell_normals=False, split_vertices=False)


class BoneDetail:
    """The full and the decimated surface of each bone actor, and which one the actors draw.

    Parameters
    ----------
    actors : dict of str to vtkActor
        The bone actors (their mappers' inputs are the full surfaces).
    """

    def __init__(self, actors: dict[str, vtk.vtkActor]) -> None:
        self.actors = actors
        self.full = {bone: actor.GetMapper().GetInput() for bone, actor in actors.items()}
        self.light: dict[str, pv.PolyData] = {}
        self.interactive = False

    def set(self, interactive: bool) -> bool:
        """Draw the decimated surfaces (``interactive``) or the full ones; True when anything changed."""
        interactive = bool(interactive)
        if interactive == self.interactive:
            return False
        if interactive and not self.light:
            self.light = {bone: decimated(pv.wrap(surface), INTERACTIVE_TRIANGLE_SHARE)
                          for bone, surface in self.full.items()}
        source = self.light if interactive else self.full
        for bone, actor in self.actors.items():
            actor.GetMapper().SetInputData(source[bone])
        self.interactive = interactive
        return True

    def triangles(self) -> int:
        """How many triangles the bone actors draw now."""
        return sum(int(actor.GetMapper().GetInput().GetNumberOfCells()) for actor in self.actors.values())
