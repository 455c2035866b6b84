"""Where a :class:`~anatviz.render.HipView` looks from: named views fitted to the bones, explicit
cameras, and where a world point lands in the picture.

A named view (see :data:`anatviz.scene.VIEWS`) looks along its direction at the box around the bones
to fit (the visible ones by default) as posed at the frame on screen, optionally centred on a landmark,
then zooms by the scene's factor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..hipmodel import HipModel, Motion
from ..scene.schema import CameraSpec
from ..scene.views import view_direction

if TYPE_CHECKING:
    from .view import HipView


def place_camera(view: "HipView", spec: CameraSpec) -> None:
    """Point the view's camera as ``spec`` says: a named view fitted to the bones, or an explicit camera."""
    plotter = view.plotter
    if spec.view is None:
        plotter.camera_position = [spec.position_m, spec.focal_point_m, spec.up]
    else:
        direction, up = view_direction(spec.view)
        bounds = visible_bounds(view, spec.fit)
        centre = bounds.mean(axis=0)
        plotter.camera_position = [tuple(centre + direction), tuple(centre), tuple(up)]
        plotter.reset_camera(bounds=tuple(np.column_stack([bounds[0], bounds[1]]).ravel()))
        if spec.focus is not None:
            shift = landmark_m(view, spec.focus) - centre
            camera = plotter.camera
            camera.focal_point = tuple(np.asarray(camera.focal_point) + shift)
            camera.position = tuple(np.asarray(camera.position) + shift)
    plotter.camera.zoom(spec.zoom)


def camera_spec(view: "HipView") -> CameraSpec:
    """The view's camera now, as an explicit spec that restores it exactly."""
    position, focal, up = view.plotter.camera_position
    return CameraSpec(view=None, position_m=tuple(position), focal_point_m=tuple(focal), up=tuple(up))


def landmark_m(view: "HipView", name: str) -> NDArray[np.float64]:
    """A landmark's world position (3,), metres, at the scene's frame on screen."""
    return landmark_at(view.model, view.frames.motion, view.frame_index, name)


def landmark_at(model: HipModel, motion: Motion, frame: int, name: str) -> NDArray[np.float64]:
    """A landmark's world position (3,), metres, at a frame of ``motion``."""
    landmark = model.data.landmarks[name]
    T = motion.bone_transforms[motion.bones.index(landmark.bone), frame]
    return T[:3, :3] @ np.asarray(landmark.position_m) + T[:3, 3]


def visible_bounds(view: "HipView", fit: tuple[str, ...] = ()) -> NDArray[np.float64]:
    """(2, 3) min and max corners of the bones to fit (by default the visible ones, or all) at the
    scene's frame on screen."""
    model = view.model
    bones = list(fit) or [b for b in model.bones if view.visible[b]] or model.bones
    motion, frame = view.frames.motion, view.frame_index
    corners = []
    for b in bones:
        T = motion.bone_transforms[motion.bones.index(b), frame]
        v = model.local_meshes[b].bounds
        box = np.array([[x, y, z] for x in v[:, 0] for y in v[:, 1] for z in v[:, 2]])
        corners.append(box @ T[:3, :3].T + T[:3, 3])
    stacked = np.concatenate(corners)
    return np.array([stacked.min(axis=0), stacked.max(axis=0)])


def display_px(view: "HipView", point_m: ArrayLike) -> tuple[float, float]:
    """Where a world point (3,) lands in the picture: ``(x, y)`` pixels from its lower-left corner."""
    renderer = view.plotter.renderer
    renderer.SetWorldPoint(*point_m, 1.0)
    renderer.WorldToDisplay()
    x, y, _ = renderer.GetDisplayPoint()
    origin = renderer.GetOrigin()  # the picture's corner in the window (a lesson's caption strip)
    return x - origin[0], y - origin[1]
