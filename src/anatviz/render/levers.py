"""The moment arm as a lever, drawn: for each listed muscle, the perpendicular from its hip centre to its
line of action (:mod:`anatviz.geometry.lever`), labelled with its length in centimetres.

Drawn on top of the bones (a second renderer layer sharing the camera), since the hip centre lies
inside the femoral head: a thick line from the hip centre to the foot of the perpendicular, a thinner
line along the line of action (its path piece, extended to the foot when the foot lies beyond it) and a
dot at the hip centre. The points are updated in place every frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyvista as pv
import vtk
from numpy.typing import NDArray

from ..geometry.lever import HipLevers, Lever
from ..hipmodel import Motion
from . import style as S
from .readout import text_box

if TYPE_CHECKING:
    from .view import HipView

LEVER_COLOUR = "#56B4E9"        # sky blue (Okabe-Ito): not in the activation scale
LINE_OF_ACTION_COLOUR = "#F0E442"  # yellow (Okabe-Ito)
LEVER_WIDTH_PX_AT_720 = 5.0
LINE_WIDTH_PX_AT_720 = 2.5
LABEL_FONT_AT_720 = 17


def lever_muscles(view: "HipView", names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(muscle, label) for each listed name: a muscle itself, or a group's middle member that crosses
    the hip (as labels pick the middle bundle), labelled with its card's name."""
    levers = HipLevers(view.model.data, view.model.bones)
    out = []
    for name in names:
        members = [m for m in view._expand(name) if levers.crosses_hip(m)]
        muscle = members[len(members) // 2]
        card = view.model.card(muscle).display_name
        label = card.lower() if name in view.model.groups else view.model.muscle(muscle).display_name.lower()
        out.append((muscle, label))
    return out


_FOLLOWING: dict[vtk.vtkRenderer, int] = {}  # each top layer's observer on its view's renderer


def top_layer(view: "HipView") -> vtk.vtkRenderer:
    """A renderer drawn over the view's (a second layer sharing its camera and, before every render, its
    viewport: the window's panel narrows the view's), for lines that must show through the bones. Take it
    out with :func:`remove_top_layer`."""
    layer = vtk.vtkRenderer()
    layer.SetLayer(1)
    layer.InteractiveOff()
    main = view.plotter.renderer
    layer.SetActiveCamera(main.GetActiveCamera())
    layer.SetViewport(*main.GetViewport())
    _FOLLOWING[layer] = main.AddObserver("StartEvent", lambda *_: layer.SetViewport(*main.GetViewport()))
    window = view.plotter.render_window
    window.SetNumberOfLayers(max(2, window.GetNumberOfLayers()))
    window.AddRenderer(layer)
    return layer


def remove_top_layer(view: "HipView", layer: vtk.vtkRenderer) -> None:
    """Take a :func:`top_layer` out of the view's window."""
    view.plotter.renderer.RemoveObserver(_FOLLOWING.pop(layer))
    view.plotter.render_window.RemoveRenderer(layer)


def line_actor(renderer: vtk.vtkRenderer, colour: str, width_px: float) -> tuple[pv.PolyData, vtk.vtkActor]:
    """A straight line (its two points in the returned data, to move in place) drawn as a lit-free tube."""
    data = pv.PolyData(np.zeros((2, 3)), lines=np.array([2, 0, 1]))
    mapper = vtk.vtkPolyDataMapper()
    mapper.SetInputData(data)
    actor = vtk.vtkActor()
    actor.SetMapper(mapper)
    prop = actor.GetProperty()
    prop.SetColor(*(c / 255 for c in S.hex_to_rgb(colour)))
    prop.SetLineWidth(width_px)
    prop.SetRenderLinesAsTubes(True)
    prop.LightingOff()
    renderer.AddActor(actor)
    return data, actor


class LeverOverlay:
    """Lever actors of a :class:`HipView` (none when the scene lists no levers)."""

    def __init__(self, view: "HipView", text_colour: str) -> None:
        self.view = view
        self.geometry = HipLevers(view.model.data, view.model.bones)
        self.items = lever_muscles(view, view.scene.levers)
        self.levers: dict[str, Lever] = {}
        self.actors: list[tuple] = []  # per lever: line of action, lever, centre (data, actor each), label
        if not self.items:
            return
        height = view.size[1]
        scale = height / 720.0
        self.layer = top_layer(view)
        for _ in self.items:
            action, action_actor = line_actor(self.layer, LINE_OF_ACTION_COLOUR, LINE_WIDTH_PX_AT_720 * scale)
            lever, lever_actor = line_actor(self.layer, LEVER_COLOUR, LEVER_WIDTH_PX_AT_720 * scale)
            centre = pv.PolyData(np.zeros((1, 3)))
            centre_mapper = vtk.vtkPolyDataMapper()
            centre_mapper.SetInputData(centre)
            centre_actor = vtk.vtkActor()
            centre_actor.SetMapper(centre_mapper)
            centre_actor.GetProperty().SetColor(*(c / 255 for c in S.hex_to_rgb(LEVER_COLOUR)))
            centre_actor.GetProperty().SetPointSize(3.0 * LEVER_WIDTH_PX_AT_720 * scale)
            centre_actor.GetProperty().SetRenderPointsAsSpheres(True)
            self.layer.AddActor(centre_actor)
            label = vtk.vtkTextActor()
            anchor = vtk.vtkCoordinate()  # the foot, in the world; the label sits a few pixels beyond it
            anchor.SetCoordinateSystemToWorld()
            label.GetPositionCoordinate().SetCoordinateSystemToDisplay()
            label.GetPositionCoordinate().SetReferenceCoordinate(anchor)
            prop = label.GetTextProperty()
            prop.SetVerticalJustificationToCentered()
            prop.SetFontSize(view.font_px(LABEL_FONT_AT_720))
            prop.SetBold(True)
            prop.SetColor(*(c / 255 for c in S.hex_to_rgb(text_colour)))
            text_box(prop, text_colour, view.scene.background)
            view.plotter.add_actor(label, render=False)
            self.actors.append((action, action_actor, lever, lever_actor, centre, centre_actor, label, anchor))

    def remove(self) -> None:
        """Take the lever layer and the lever labels out of the picture."""
        if not self.items:
            return
        remove_top_layer(self.view, self.layer)
        for actors in self.actors:
            self.view.plotter.remove_actor(actors[6], render=False)
        self.items, self.actors, self.levers = [], [], {}

    def update(self, motion: Motion, frame: int) -> None:
        """Recompute and redraw every lever at a frame of ``motion``."""
        if not self.items:
            return
        transforms = motion.bone_transforms[:, frame]
        placed = []
        for (muscle, label_text), (action, action_actor, lever_line, lever_actor, centre,
                                           centre_actor, label, anchor) in zip(self.items, self.actors):
            shown = bool(self.view.visible.get(muscle, False)) and motion.paths is not None
            for actor in (action_actor, lever_actor, centre_actor, label):
                actor.SetVisibility(shown)
            if not shown:
                continue
            lever = self.geometry.lever(muscle, motion.paths[motion.muscles.index(muscle)][frame], transforms)  # type: ignore[index]
            self.levers[muscle] = lever
            lever_line.points[:] = np.array([lever.centre_m, lever.foot_m])
            lever_line.Modified()
            action.points[:] = _extended(lever)
            action.Modified()
            label.SetInput(f"{label_text}  {100.0 * lever.lever_m:.1f} cm")
            anchor.SetValue(*lever.foot_m)
            centre.points[:] = lever.centre_m[None]
            centre.Modified()
            placed.append((label, *self._outward_px(lever)))
        self._place(placed)

    def camera_changed(self) -> None:
        """Place the labels again for the new camera (the lines follow by themselves)."""
        placed = [(actors[6], *self._outward_px(self.levers[muscle]))
                  for (muscle, _), actors in zip(self.items, self.actors)
                  if muscle in self.levers and actors[6].GetVisibility()]
        self._place(placed)

    def _display(self, point_m: NDArray[np.float64]) -> NDArray[np.float64]:
        renderer = self.view.plotter.renderer
        renderer.SetWorldPoint(*point_m, 1.0)
        renderer.WorldToDisplay()
        return np.array(renderer.GetDisplayPoint()[:2])

    def _outward_px(self, lever: Lever) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The foot on screen (pixels) and the unit screen direction from the hip centre to it."""
        foot = self._display(lever.foot_m)
        d = foot - self._display(lever.centre_m)
        norm = float(np.linalg.norm(d))
        return foot, (d / norm if norm > 1e-6 else np.array([1.0, 0.0]))

    def _place(self, placed: list) -> None:
        """Put each label just beyond its lever's foot, away from the hip centre, and move labels apart
        that would overlap (one line apart, on the same side)."""
        font = self.view.font_px(LABEL_FONT_AT_720)
        spots = []
        for label, foot, direction in placed:
            right = direction[0] >= 0.0
            label.GetTextProperty().SetJustification(0 if right else 2)  # left or right justified
            offset = direction * 0.8 * font
            spots.append([label, foot[1] + offset[1], offset[0], foot[1], right])
        spots.sort(key=lambda s: -s[1])
        for i in range(1, len(spots)):
            for j in range(i):
                if spots[j][4] == spots[i][4] and abs(spots[j][1] - spots[i][1]) < 1.3 * font:
                    spots[i][1] = spots[j][1] - 1.3 * font
        for label, y, dx, foot_y, _ in spots:
            label.GetPositionCoordinate().SetValue(dx, y - foot_y)


def _extended(lever: Lever) -> NDArray[np.float64]:
    """(2, 3) the line of action's piece, stretched to include the foot of the perpendicular."""
    d = lever.end_m - lever.start_m
    t = float(np.dot(lever.foot_m - lever.start_m, d) / np.dot(d, d))
    lo, hi = min(0.0, t), max(1.0, t)
    return np.array([lever.start_m + lo * d, lever.start_m + hi * d])
