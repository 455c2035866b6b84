"""Which muscle is where: picking by pixel (a window's click) or by a 3D point (a browser that draws
the scene itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import vtk

from ..geometry.display import fan

if TYPE_CHECKING:
    from .view import HipView


def muscle_at(view: "HipView", x_px: int, y_px: int) -> str | None:
    """The muscle drawn at a pixel of the picture (column ``x_px``, row ``y_px`` from the top, as in
    :meth:`image`), or None where a bone or the background is in front."""
    owners = {}  # a fan's sheet: the muscle drawn with each of its fibres
    for sheet, (members, between) in zip(view.sheets, view._fans):
        if sheet is not None:
            owner = fan([np.zeros((1, 1, 3))] * len(members), between)[1]
            owners[id(sheet.actor)] = (sheet, [members[o] for o in owner])
    names = {id(a.actor): m for m, a in view.muscle_actors.items()}
    picker = vtk.vtkCellPicker()
    picker.SetTolerance(0.003)
    picker.PickFromListOn()
    for actor in [*view.bone_actors.values(), *(a.actor for a in view.muscle_actors.values()),
                  *(s.actor for s in view.sheets if s is not None)]:
        picker.AddPickList(actor)
    height = view.plotter.render_window.GetSize()[1]
    if not picker.Pick(float(x_px), float(height - 1 - y_px), 0.0, view.plotter.renderer):
        return None
    actor = picker.GetActor()
    if id(actor) in names:
        return names[id(actor)]
    if id(actor) in owners:
        sheet, fibre_owner = owners[id(actor)]
        return fibre_owner[picker.GetPointId() // sheet.points]
    return None


def muscle_near(view: "HipView", point_m, within_m: float = 0.015) -> str | None:
    """The shown muscle whose drawn fibres pass nearest a world point (metres), if within ``within_m``:
    picking where only a 3D point is known (a browser that draws the scene itself)."""
    best, best_d = None, within_m
    for m, actor in view.muscle_actors.items():
        if actor.actor.GetVisibility():
            d = float(np.min(np.linalg.norm(np.asarray(actor.source.points) - np.asarray(point_m), axis=1)))
            if d < best_d:
                best, best_d = m, d
    return best
