"""The drawn muscles: one tube polyline per muscle and one translucent sheet per fan, updated in place."""

from __future__ import annotations

import numpy as np
import pyvista as pv
import vtk
from numpy.typing import NDArray

from . import style as S


class MuscleActor:
    """One muscle's fibres as one polydata -> (tube filter) -> actor, updated in place."""

    def __init__(self, fibres: int, points: int, radius_m: NDArray[np.float64]) -> None:
        self.fibres, self.points = fibres, points
        self.source = pv.PolyData()
        self.source.points = np.zeros((fibres * points, 3))
        lines = np.hstack([[points, *range(f * points, (f + 1) * points)] for f in range(fibres)])
        self.source.lines = lines
        self.radius = np.repeat(np.asarray(radius_m, float), points)
        self.source.point_data["radius"] = self.radius.copy()
        self.source.point_data["rgb"] = np.zeros((fibres * points, 3), dtype=np.uint8)
        self.source.GetPointData().SetActiveScalars("radius")
        self.tube = vtk.vtkTubeFilter()
        self.tube.SetInputData(self.source)
        self.tube.SetNumberOfSides(S.TUBE_SIDES)
        self.tube.SetVaryRadiusToVaryRadiusByAbsoluteScalar()
        self.tube.CappingOn()
        self.mapper = vtk.vtkPolyDataMapper()
        self.mapper.SetScalarModeToUsePointFieldData()
        self.mapper.SelectColorArray("rgb")
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.ScalarVisibilityOn()
        self.actor = vtk.vtkActor()
        self.actor.SetMapper(self.mapper)
        prop = self.actor.GetProperty()
        prop.SetSpecular(0.35)
        prop.SetSpecularPower(25)
        self.set_style("tubes", line_width_px=4.0)

    def set_style(self, style: str, line_width_px: float) -> None:
        if style == "tubes":
            self.mapper.SetInputConnection(self.tube.GetOutputPort())
        else:
            self.mapper.SetInputData(self.source)
            self.actor.GetProperty().SetLineWidth(line_width_px)
            self.actor.GetProperty().SetRenderLinesAsTubes(True)

    def update(self, points: NDArray[np.float64], rgb: NDArray[np.uint8], tendon: NDArray[np.bool_]) -> None:
        self.source.points[:] = points
        self.source.point_data["rgb"][:] = rgb
        self.source.point_data["radius"][:] = np.where(
            np.tile(tendon, self.fibres), self.radius * S.TENDON_RADIUS_SHARE, self.radius)
        self.source.Modified()


class FanSheet:
    """A broad muscle's surface: quads between neighbouring fibres, coloured per point (RGBA)."""

    def __init__(self, fibres: int, points: int) -> None:
        self.fibres, self.points = fibres, points
        quads = [[4, f * points + i, f * points + i + 1, (f + 1) * points + i + 1, (f + 1) * points + i]
                 for f in range(fibres - 1) for i in range(points - 1)]
        self.source = pv.PolyData(np.zeros((fibres * points, 3)), faces=np.array(quads).ravel())
        self.source.point_data["rgba"] = np.zeros((fibres * points, 4), dtype=np.uint8)
        self.mapper = vtk.vtkPolyDataMapper()
        self.mapper.SetInputData(self.source)
        self.mapper.SetScalarModeToUsePointFieldData()
        self.mapper.SelectColorArray("rgba")
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.ScalarVisibilityOn()
        self.actor = vtk.vtkActor()
        self.actor.SetMapper(self.mapper)
        self.actor.GetProperty().SetAmbient(0.25)
        self.actor.GetProperty().SetSpecular(0.2)
        self.actor.ForceTranslucentOn()

    def update(self, points: NDArray[np.float64], rgba: NDArray[np.uint8]) -> None:
        self.source.points[:] = points
        self.source.point_data["rgba"][:] = rgba
        self.source.Modified()
