"""A panel of flat 2D controls drawn with VTK in a second renderer beside the picture.

The window's side panel (check boxes, sliders, buttons, the muscle card) is drawn here, in the
rendering layer; what the controls *do* is handed in as callbacks, so this module knows nothing of
the window. Coordinates are panel pixels with the origin at the panel's lower left; sizes are given
at a 720-pixel-high window and multiplied by ``scale``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import vtk
from numpy.typing import NDArray
from vtk.util.numpy_support import numpy_to_vtk

from . import style as S

PANEL_BACKGROUND = "#151922"
CAPTION_BACKGROUND = "#0b0e14"
CAPTION_PAD = 10  # around a caption, at 720 pixels high
CAPTION_LINE_SPACING = 1.15
PANEL_ACCENT = "#4c8bf5"
OFF_COLOUR = "#2a2f3a"


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(c / 255 for c in S.hex_to_rgb(colour))  # type: ignore[return-value]


def caption_text(heading: str, text: str, picture_width_px: float, font_px: int, margin_px: float) -> str:
    """A caption's heading and its paragraph wrapped to the picture's width, as one text."""
    width_chars = max(20, int((picture_width_px - 2 * margin_px) / (font_px * 0.5)))
    return "\n".join([heading, *textwrap.wrap(text, width_chars)] if text else [heading])


def caption_band_px(pages: list[tuple[str, str]], picture_width_px: int, *, size: float, scale: float) -> int:
    """The height of a strip under the picture that holds the tallest of these captions (heading,
    paragraph) drawn by :meth:`PanelCanvas.caption` at ``size`` (at 720 pixels high) times ``scale``."""
    prop = vtk.vtkTextProperty()
    prop.SetFontSize(int(round(size * scale)))
    prop.SetLineSpacing(CAPTION_LINE_SPACING)
    bbox = [0, 0, 0, 0]
    tallest = 0
    for heading, text in pages:
        vtk_text_bbox(prop, caption_text(heading, text, picture_width_px, prop.GetFontSize(), 14 * scale), bbox)
        tallest = max(tallest, bbox[3] - bbox[2])
    return int(round(tallest + 2 * CAPTION_PAD * scale))


def vtk_text_bbox(prop: vtk.vtkTextProperty, text: str, bbox: list[int]) -> list[int]:
    """Fill ``bbox`` with the pixel extent ``[x0, x1, y0, y1]`` of ``text`` drawn with ``prop``."""
    vtk.vtkTextRenderer().GetBoundingBox(prop, text, bbox, 72)
    return bbox


@dataclass
class Button:
    """A clickable box in panel pixels (origin at the panel's lower left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    on_click: Callable[[], Any]
    box: Any = None
    text: Any = None
    state: Callable[[], bool] | None = None  # drawn filled when True (check boxes, toggles)
    colour: str = "#6b7585"
    name: str = ""

    def hit(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass
class Slider:
    """A horizontal track from ``x0`` to ``x1`` at height ``y`` for a value in ``[lo, hi]``."""

    x0: float
    x1: float
    y: float
    name: str
    lo: float
    hi: float
    track: Any = None
    knob: Any = None
    value: Any = None

    def hit(self, x: float, y: float, grab_px: float) -> bool:
        return self.x0 - grab_px <= x <= self.x1 + grab_px and abs(y - self.y) <= grab_px

    def value_at(self, x: float) -> float:
        """The value under panel column ``x`` (clipped to the track)."""
        t = float(np.clip((x - self.x0) / (self.x1 - self.x0), 0.0, 1.0))
        return self.lo + t * (self.hi - self.lo)


class PanelCanvas:
    """A second renderer at the right of a plotter's window, and the primitives drawn in it.

    Parameters
    ----------
    plotter : pyvista.Plotter
        Its window grows by ``width_px``; its own renderer keeps the left part.
    picture_size : (int, int)
        The picture's width and height in pixels.
    width_px : int
    scale : float
        Font and spacing scale (1 at 720 pixels high).
    """

    def __init__(self, plotter, picture_size: tuple[int, int], *, width_px: int, scale: float,
                 band_px: int = 0) -> None:
        self.plotter = plotter
        self.picture_width, self.picture_height = int(picture_size[0]), int(picture_size[1])
        self.band = int(band_px)
        self.height = self.picture_height + self.band  # the window's, and the panel's
        self.width = int(width_px)
        self.scale = float(scale)
        self.buttons: list[Button] = []
        self.sliders: list[Slider] = []
        total = self.picture_width + self.width
        plotter.window_size = [total, self.height]
        column = self.picture_width / total
        plotter.renderer.SetViewport(0.0, self.band / self.height, column, 1.0)
        self.renderer = vtk.vtkRenderer()
        self.renderer.SetViewport(column, 0.0, 1.0, 1.0)
        self.renderer.SetBackground(*_rgb(PANEL_BACKGROUND))
        self.renderer.InteractiveOff()
        plotter.render_window.AddRenderer(self.renderer)
        if self.band:  # a strip of its own under the picture, for a lesson's caption
            strip = vtk.vtkRenderer()
            strip.SetViewport(0.0, 0.0, column, self.band / self.height)
            strip.SetBackground(*_rgb(CAPTION_BACKGROUND))
            strip.InteractiveOff()
            plotter.render_window.AddRenderer(strip)
        # text over the picture column (the keys, a lesson's caption, a plot) in a layer of its own
        self.overlay = vtk.vtkRenderer()
        self.overlay.SetViewport(0.0, 0.0, column, 1.0)
        self.overlay.SetLayer(1)
        self.overlay.InteractiveOff()
        plotter.render_window.SetNumberOfLayers(2)
        plotter.render_window.AddRenderer(self.overlay)

    def clear(self) -> None:
        """Remove every control from the panel (to lay it out again)."""
        self.renderer.RemoveAllViewProps()
        self.buttons.clear()
        self.sliders.clear()

    def px(self, at_720: float) -> float:
        """A length given at a 720-pixel-high window, in this panel's pixels."""
        return at_720 * self.scale

    # -- primitives --------------------------------------------------------------------------------
    def text(self, text: str, x: float, y: float, size: float, *, bold: bool = False, colour: str = "#f5f5f5",
             centred: bool = False, renderer: Any = None) -> vtk.vtkTextActor:
        """A text actor vertically centred on ``y`` (font ``size`` at 720 pixels)."""
        actor = vtk.vtkTextActor()
        actor.SetInput(text)
        actor.SetPosition(x, y)
        prop = actor.GetTextProperty()
        prop.SetFontSize(int(round(self.px(size))))
        prop.SetBold(bold)
        prop.SetColor(*_rgb(colour))
        prop.SetVerticalJustificationToCentered()
        if centred:
            prop.SetJustificationToCentered()
        (renderer or self.renderer).AddViewProp(actor)
        return actor

    def rect(self, x0: float, y0: float, x1: float, y1: float, colour: str, *, renderer: Any = None,
             opacity: float = 1.0) -> vtk.vtkActor2D:
        """A filled rectangle."""
        points = vtk.vtkPoints()
        for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1)):
            points.InsertNextPoint(x, y, 0.0)
        quad = vtk.vtkCellArray()
        quad.InsertNextCell(4, [0, 1, 2, 3])
        polydata = vtk.vtkPolyData()
        polydata.SetPoints(points)
        polydata.SetPolys(quad)
        mapper = vtk.vtkPolyDataMapper2D()
        mapper.SetInputData(polydata)
        actor = vtk.vtkActor2D()
        actor.SetMapper(mapper)
        actor.GetProperty().SetColor(*_rgb(colour))
        actor.GetProperty().SetOpacity(opacity)
        (renderer or self.renderer).AddViewProp(actor)
        return actor

    @staticmethod
    def move_rect(actor: vtk.vtkActor2D, x0: float, y0: float, x1: float, y1: float) -> None:
        points = actor.GetMapper().GetInput().GetPoints()
        for i, (x, y) in enumerate(((x0, y0), (x1, y0), (x1, y1), (x0, y1))):
            points.SetPoint(i, x, y, 0.0)
        points.Modified()

    def button(self, label: str, x0: float, y: float, x1: float, on_click: Callable[[], Any], *,
               state: Callable[[], bool] | None = None, colour: str = "#6b7585", size: float = 13) -> Button:
        """A labelled button centred on ``y``; with ``state`` it is drawn filled while the state is True."""
        h = self.px(size * 1.9)
        button = Button(x0, y - h / 2, x1, y + h / 2, on_click, state=state, colour=colour, name=label)
        button.box = self.rect(button.x0, button.y0, button.x1, button.y1, colour)
        button.text = self.text(label, (x0 + x1) / 2, y, size, centred=True)
        self.buttons.append(button)
        return button

    def check(self, x: float, y: float, name: str, colour: str, on_click: Callable[[], Any],
              state: Callable[[], bool]) -> Button:
        """A square check box with a light border, filled with ``colour`` while ``state()``."""
        s = self.px(22)
        button = Button(x, y - s / 2, x + s, y + s / 2, on_click, state=state, colour=colour, name=name)
        self.rect(x - 2, y - s / 2 - 2, x + s + 2, y + s / 2 + 2, "#d8dde6")  # the box's border
        button.box = self.rect(button.x0, button.y0, button.x1, button.y1, colour)
        self.buttons.append(button)
        return button

    def slider(self, name: str, lo: float, hi: float, x0: float, x1: float, y: float, label: str = "") -> Slider:
        """A track with a knob and its value written at the right."""
        slider = Slider(x0, x1, y, name, lo, hi)
        if label:
            self.text(label, x0 - self.px(16), y, 12, bold=True, colour="#aab2c0")
        slider.track = self.rect(x0, y - self.px(2.5), x1, y + self.px(2.5), "#59606d")
        slider.knob = self.rect(x0, y, x0, y, PANEL_ACCENT)
        slider.value = self.text("", x1 + self.px(12), y, 12)
        self.sliders.append(slider)
        return slider

    def overlay_text(self, text: str, *, size: float, max_width_px: float) -> vtk.vtkTextActor:
        """Monospaced text in a framed dark box centred over the picture, as large as fits
        ``max_width_px`` (at most ``size``); hidden until shown."""
        actor = vtk.vtkTextActor()
        actor.SetInput(text)
        prop = actor.GetTextProperty()
        prop.SetFontFamilyToCourier()
        prop.SetFontSize(int(round(self.px(size))))
        prop.SetColor(1, 1, 1)
        prop.SetBackgroundColor(*_rgb("#0b0e14"))
        prop.SetBackgroundOpacity(0.88)
        prop.SetFrame(True)
        prop.SetFrameColor(*_rgb(PANEL_ACCENT))
        prop.SetJustificationToLeft()
        prop.SetVerticalJustificationToCentered()
        prop.SetLineSpacing(1.2)
        bbox = [0, 0, 0, 0]
        while True:
            vtk.vtkTextRenderer().GetBoundingBox(prop, text, bbox, 72)
            if bbox[1] - bbox[0] <= max_width_px or prop.GetFontSize() <= 10:
                break
            prop.SetFontSize(prop.GetFontSize() - 1)
        actor.SetPosition((self.picture_width - (bbox[1] - bbox[0])) / 2, self.height / 2)
        self.overlay.AddViewProp(actor)
        actor.SetVisibility(False)
        return actor

    def caption(self, *, size: float) -> vtk.vtkTextActor:
        """An empty text box across the bottom of the picture (a lesson step's caption): white on a
        dark translucent band, ``size`` at 720 pixels high. Set its text with :meth:`set_caption`."""
        actor = vtk.vtkTextActor()
        prop = actor.GetTextProperty()
        prop.SetFontSize(int(round(self.px(size))))
        prop.SetColor(1, 1, 1)
        prop.SetBackgroundColor(*_rgb(CAPTION_BACKGROUND))
        prop.SetBackgroundOpacity(0.9)
        prop.SetJustificationToLeft()
        prop.SetVerticalJustificationToBottom()
        prop.SetLineSpacing(CAPTION_LINE_SPACING)
        actor.SetPosition(self.px(14), self.px(CAPTION_PAD))
        self.overlay.AddViewProp(actor)
        return actor

    def set_caption(self, actor: vtk.vtkTextActor, heading: str, text: str) -> None:
        """Write a heading and a paragraph into a :meth:`caption`, wrapped to the picture's width."""
        actor.SetInput(caption_text(heading, text, self.picture_width, actor.GetTextProperty().GetFontSize(),
                                    self.px(14)))

    def image_overlay(self) -> vtk.vtkActor2D:
        """An empty picture over the 3D view (a plot); fill it with :meth:`set_image`."""
        mapper = vtk.vtkImageMapper()
        mapper.SetColorWindow(255.0)
        mapper.SetColorLevel(127.5)
        actor = vtk.vtkActor2D()
        actor.SetMapper(mapper)
        actor.SetVisibility(False)
        self.overlay.AddViewProp(actor)
        return actor

    def set_image(self, actor: vtk.vtkActor2D, rgba: NDArray[np.uint8], *, right: bool = True) -> None:
        """Show ``rgba`` ((h, w, 4) uint8, top row first) in an :meth:`image_overlay`, at the picture's
        upper right (or left) corner."""
        height, width = rgba.shape[:2]
        image = vtk.vtkImageData()
        image.SetDimensions(width, height, 1)
        scalars = numpy_to_vtk(np.ascontiguousarray(rgba[::-1]).reshape(-1, rgba.shape[2]), deep=True)
        image.GetPointData().SetScalars(scalars)
        actor.GetMapper().SetInputData(image)
        margin = self.px(12)
        x = self.picture_width - width - margin if right else margin
        actor.SetPosition(max(0.0, x), max(0.0, self.height - height - margin))
        actor.SetVisibility(True)

    # -- state -> drawing --------------------------------------------------------------------------
    def paint_button(self, button: Button) -> None:
        """Fill a stateful button with its colour when on, a dark grey when off."""
        if button.state is not None:
            button.box.GetProperty().SetColor(*_rgb(button.colour if button.state() else OFF_COLOUR))

    def paint_slider(self, slider: Slider, value: float, text: str) -> None:
        """Move the knob to ``value`` and write ``text`` beside the track."""
        x = slider.x0 + (slider.x1 - slider.x0) * (value - slider.lo) / (slider.hi - slider.lo)
        r = self.px(8)
        self.move_rect(slider.knob, x - r, slider.y - r, x + r, slider.y + r)
        slider.value.SetInput(text)
