"""HipView: one pyvista Plotter drawing one scene, driven by small verbs.

Shells (the CLI, the window, the web app, notebooks) only call these verbs: ``set_frame``,
``set_pose``, ``set_visible``, ``show_only``, ``set_muscle_style``, ``highlight``, ``set_strength``,
``set_view``, ``load_scene``, ``set_text_scale``, ``set_detail``, ``screenshot``. Bones move by their
actor's matrix; muscle tubes are built once and their points and colours are updated in place.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pyvista as pv
from numpy.typing import NDArray

from ..activation.trendelenburg import scene_with_drop
from ..hipmodel import HipModel, Motion
from ..scene.activation_track import MuscleState
from ..scene.frames import Frames, compute_frames, motion_drive, scene_motion, scene_values
from ..scene.schema import CameraSpec, Scene
from . import camera as C
from . import picking
from . import style as S
from .annotations import Annotations
from .detail import BoneDetail
from .levers import LeverOverlay
from .muscles import MuscleDrawing
from .output import set_anti_aliasing, take_picture, write_picture
from .pelvis_level import PelvisLevelOverlay
from .readout import ActivationOverlay


class HipView(MuscleDrawing):
    """A view of one scene.

    Parameters
    ----------
    model : HipModel
    scene : Scene
    off_screen : bool
        Render without a window (pictures, movies, tests).
    frames : Frames, optional
        Precomputed frames (computed from the scene if omitted).
    size : (int, int), optional
        Window size in pixels; the scene's by default.
    anti_aliasing : {'ssaa', 'msaa', 'fxaa', None}
    text_scale : float
        Every text of the picture this many times its normal size (1: sized for the picture's height
        alone; presentation mode about 1.4, for the back of a lecture hall).
    """

    def __init__(self, model: HipModel, scene: Scene, *, off_screen: bool = True, frames: Frames | None = None,
                 size: tuple[int, int] | None = None, anti_aliasing: str | None = "ssaa",
                 text_scale: float = 1.0) -> None:
        self.model, self.scene = model, scene
        self.size = tuple(size or scene.size)
        self.text_scale = S.checked_text_scale(text_scale)
        self.plotter = pv.Plotter(off_screen=off_screen, window_size=list(self.size))
        self._jitter_passes = set_anti_aliasing(self.plotter, self.size, anti_aliasing)
        self._bar_unsettled = False  # a new colour bar's labels need a second render (see _settle_bar)
        if anti_aliasing != "ssaa":  # SSAA renders several times itself
            self.plotter.render_window.AddObserver("EndEvent", self._settle_bar)
        self.colours = S.card_colours(list(model.data.cards))
        self._build_bones()
        self.detail = BoneDetail(self.bone_actors)
        self._muscles_built_for: tuple | None = None
        self._show(scene, frames)

    def _show(self, scene: Scene, frames: Frames | None) -> None:
        """Draw ``scene`` with the bone actors there are: what the constructor and :meth:`load_scene` share."""
        model = self.model
        self.scene = scene
        self.plotter.set_background(scene.background)
        self.frames = frames if frames is not None else compute_frames(model, scene)
        track = self.frames.activation
        if track is not None and (track.strength != dict(scene.strength)
                                  or track.scene.pelvis_drop != scene.pelvis_drop):
            track.set_strength(scene.strength, scene=scene)  # frames kept from an earlier visit
        self.frame_index = 0
        self.muscle_style = scene.style.muscles
        self.visible = {m: m in scene.muscles for m in model.muscles}
        self.visible.update({b: b in scene.bones for b in model.bones})
        self.highlight_mode = scene.highlight.mode
        self.highlighted = set(scene.highlight.muscles)
        self.selected: str | None = None
        self.strength = dict(scene.strength)
        self.drop_pending = False  # the strength changed while interacting: the pelvis drop is solved at rest
        self.__dict__.pop("_scene_labels", None)
        self._opacity = self._resolve_opacity()
        self._full_opacity = self._resolve_opacity(fade=False)
        opacity = S.XRAY_BONE_OPACITY if scene.style.xray else scene.style.bone_opacity
        for actor in self.bone_actors.values():
            actor.GetProperty().SetOpacity(opacity)
        if self._muscles_built_for != (scene.style.fans, scene.style.tube_scale):
            self._remove_muscles()
            self._build_muscles()
        for actor in self.muscle_actors.values():
            actor.set_style(self.muscle_style, self._line_width())
        self._build_overlays()
        self.set_camera(scene.camera)
        self.set_frame(0)

    def _build_overlays(self) -> None:
        self.annotations = Annotations(self)
        self._bar_unsettled = self.annotations.scalar_bar is not None
        self.activation_overlay = ActivationOverlay(self, self.annotations.text_colour,
                                                    self.annotations.title_bottom())
        self.lever_overlay = LeverOverlay(self, self.annotations.text_colour)
        self.pelvis_overlay = PelvisLevelOverlay(self, self.annotations.text_colour)

    def _settle_bar(self, window, _event: str) -> None:
        """VTK lays a new colour bar's labels out from their sizes in the render before (in the first
        render they lie over the bar): render once more, whichever shell rendered."""
        if self._bar_unsettled:
            self._bar_unsettled = False
            window.Render()

    def _remove_overlays(self) -> None:
        for overlay in (self.annotations, self.activation_overlay, self.lever_overlay, self.pelvis_overlay):
            overlay.remove()

    def font_px(self, at_720: float) -> int:
        """A font size given at a 720-pixel-high picture, for this picture's height and text scale."""
        return S.font_px(self.size[1], at_720 * self.text_scale)

    # -- construction -----------------------------------------------------------------------------
    def _build_bones(self) -> None:
        self.bone_actors = {}
        for bone, mesh in self.model.local_meshes.items():
            surface = pv.PolyData.from_regular_faces(np.asarray(mesh.vertices), np.asarray(mesh.faces))
            actor = self.plotter.add_mesh(surface, color=S.BONE_COLOUR, smooth_shading=True, specular=0.25,
                                          specular_power=20, name=bone, render=False)
            self.bone_actors[bone] = actor

    # -- per-frame data ------------------------------------------------------------------------------
    def _apply(self, motion: Motion, frame: int, drive: NDArray[np.float64] | None,
               state: MuscleState | None = None) -> None:
        for b, bone in enumerate(motion.bones):
            self.bone_actors[bone].user_matrix = motion.bone_transforms[b, frame]
            self.bone_actors[bone].SetVisibility(self.visible[bone])
        self._draw_muscles(motion, frame, drive, state)
        self._current = (motion, frame, drive, state)
        self.annotations.update(motion, frame, drive)
        self.activation_overlay.update(state, self.highlight_mode == "activation")
        self.lever_overlay.update(motion, frame)
        self.pelvis_overlay.update(motion, frame)

    # -- verbs -------------------------------------------------------------------------------------
    def set_frame(self, index: int) -> None:
        """Show precomputed frame ``index`` of the scene."""
        self.frame_index = int(index) % len(self.frames)
        track = self.frames.activation
        state = track.frame(self.frame_index) if track is not None else None
        self._apply(self.frames.motion, self.frame_index, self.frames.drive_nm, state)

    def load_scene(self, scene: Scene, *, frames: Frames | None = None) -> None:
        """Show another scene in this view (a lesson's next step), re-using the plotter and the bone
        actors: the muscles are rebuilt only when the scene's fans or tube scale differ, the overlays,
        camera, highlight, visibility, strength and activation track are the new scene's. The view
        keeps its size, text scale and anti-aliasing (the scene's ``size`` is not used).

        Parameters
        ----------
        scene : Scene
        frames : Frames, optional
            The scene's precomputed frames (e.g. kept from an earlier visit); computed if omitted.
        """
        self._remove_overlays()
        self._show(scene, frames)

    def set_text_scale(self, scale: float) -> None:
        """Make every text of the picture (title, ratio, labels, legend, colour bar, readout, lever
        labels) ``scale`` times its normal size (presentation mode: about 1.4), and lay it out again."""
        scale = S.checked_text_scale(scale)
        if scale == self.text_scale:
            return
        self.text_scale = scale
        self._relayout()

    def window_resized(self, size: tuple[int, int]) -> None:
        """The render window now has ``size`` pixels (a browser sized the picture to its page, say): size
        and lay out every text again for it, as a view made at that size would."""
        size = (int(size[0]), int(size[1]))
        if size == self.size or min(size) <= 10:
            return
        self.size = size
        self._relayout()

    def _relayout(self) -> None:
        self._remove_overlays()
        self._build_overlays()
        self._refresh()  # lays the labels and the lever labels out for the new sizes

    def set_detail(self, interactive: bool) -> None:
        """Draw the bones from decimated copies (a fifth of their triangles) while the user drags a
        slider or turns the camera (``interactive``), from their full surfaces when the picture rests.
        While interacting, multi-sample anti-aliasing is off and translucent muscles are blended in
        drawing order rather than with order-independent transparency (each an extra cost per frame in
        software GL; the transparency pictures differ by well under one grey level on average). A
        pelvis drop left unsolved by :meth:`set_strength` while interacting is solved when the picture
        comes to rest, and the scene re-posed. Does not render."""
        if not interactive and self.drop_pending:
            self._restrength(self.strength, solve=True)
        if not self.detail.set(interactive):
            return
        renderer, window = self.plotter.renderer, self.plotter.render_window
        if interactive:
            self._at_rest = renderer.GetUseOIT(), window.GetMultiSamples()
            renderer.SetUseOIT(False)
            window.SetMultiSamples(0)
        else:
            oit, samples = getattr(self, "_at_rest", (True, 0))
            renderer.SetUseOIT(oit)
            window.SetMultiSamples(samples)

    def set_pose(self, **pose_deg: float) -> Motion:
        """Pose the model (degrees; coordinates not named are 0) and redraw. Returns the computed frame.

        In activation mode the muscles are coloured by their activation at this pose under the scene's
        load (one frame of the activation model: about 20 ms).
        """
        motion = self.model.compute(pose_deg, moment_arms=self.highlight_mode == "active")
        drive, state = None, None
        if self.highlight_mode == "active":
            # a held pose has no velocity: the scene's task says which way the muscles must drive,
            # else the direction the scene's motion was moving at the current frame
            moving = self.scene.highlight.task_direction or {
                name: float(np.sign(np.gradient(self.frames.motion.q_deg[:, c])[self.frame_index]))
                for c, name in enumerate(self.frames.motion.coordinates) if len(self.frames) > 1}
            drive = motion_drive(self.model, motion, moving)
        if self.frames.activation is not None:
            state = self.frames.activation.at_pose(dict(zip(motion.coordinates, motion.q_deg[0])))
        self._apply(motion, 0, drive, state)
        return motion

    def set_strength(self, strength: dict[str, float]) -> None:
        """Weaken (or restore) muscles: ``{muscle, group or 'vasti': factor}``, from 0 (paralysed) to 1
        (healthy), on top of the scene's own ``[strength]`` (a name given here wins; ``{}`` goes back to
        the scene's). E.g. a 'gluteus maximus strength' slider calls
        ``view.set_strength({"gluteus_maximus": value})``.

        Activations are recomputed under the scene's load for what is on screen now (a frame or a held
        pose: about 20 ms) and for the other frames when they are next shown (or recorded); the muscles
        are recoloured and the ratio and the readout updated.

        A scene with a ``[pelvis_drop]`` (Trendelenburg) is also re-posed: the drop is solved for the new
        strength (:func:`~anatviz.activation.trendelenburg.scene_with_drop`: 0.05 to 0.5 s, each answer
        kept) and the motion's frames posed anew (about 0.2 s for 156 frames). While a slider is dragged
        (:meth:`set_detail` interactive) only the colours follow; the drop is solved once it rests.

        Raises
        ------
        ValueError
            Not an activation scene, an unknown muscle or group, or a factor outside [0, 1].
        """
        if self.frames.activation is None:
            raise ValueError("set_strength needs a scene with a [load] and highlight.mode = 'activation'")
        self._restrength({**self.scene.strength, **strength}, solve=not self.detail.interactive)

    def _restrength(self, merged: dict[str, float], *, solve: bool) -> None:
        """Recompute for the strength ``merged`` (the scene's with the user's on top); ``solve``: solve the
        pelvis drop now (else when the picture rests) and re-pose the frames if it moved."""
        track = self.frames.activation
        motion, frame, drive, _ = self._current
        held = motion is not self.frames.motion
        scene = scene_with_drop(self.model, self.scene, merged) if solve else self.scene
        self.drop_pending = self.scene.pelvis_drop is not None and not solve
        reposed = scene.pelvis_drop != self.scene.pelvis_drop
        if reposed:  # solved before anything changes (a bad strength raises here)
            values = scene_values(scene, self.frames.times_s)
            self.frames = replace(self.frames, motion=scene_motion(self.model, scene, values))
            self.scene, motion = scene, motion if held else self.frames.motion
        track.set_strength(merged, now=None if held else frame, scene=scene)
        self.strength = merged
        state = track.at_pose(dict(zip(motion.coordinates, motion.q_deg[frame]))) if held else track.frame(frame)
        self._apply(motion, frame, drive, state)

    def activation_state(self) -> MuscleState | None:
        """Every muscle's activation, capacity and lengths as drawn now (None outside activation mode)."""
        return self._current[3]

    def set_visible(self, names: str | list[str], visible: bool) -> None:
        """Show or hide groups, muscles or bones by name (the view keeps this state)."""
        for name in [names] if isinstance(names, str) else names:
            for item in self._expand(name):
                self.visible[item] = visible
        self._refresh()

    def show_only(self, names: list[str]) -> None:
        """Show exactly these groups, muscles or bones (bones stay as they are unless named)."""
        wanted = {item for name in names for item in self._expand(name)}
        for m in self.model.muscles:
            self.visible[m] = m in wanted
        if any(b in wanted for b in self.model.bones):
            for b in self.model.bones:
                self.visible[b] = b in wanted
        self._refresh()

    def set_muscle_style(self, style: str) -> None:
        """'tubes' or 'lines'."""
        if style not in ("tubes", "lines"):
            raise ValueError(f"style: expected 'tubes' or 'lines', found {style!r}")
        self.muscle_style = style
        for actor in self.muscle_actors.values():
            actor.set_style(style, self._line_width())
        self._refresh()

    def highlight(self, mode: str, muscles: list[str] = ()) -> None:
        """'none', 'active' (needs a motion or a task in the scene), 'activation' (needs a scene with
        highlight.mode = 'activation') or 'muscles' with names or groups."""
        if mode not in ("none", "active", "activation", "muscles"):
            raise ValueError(f"highlight: expected 'none', 'active', 'activation' or 'muscles', found {mode!r}")
        if mode == "active" and self.frames.drive_nm is None:
            raise ValueError("highlight 'active' needs a scene with a motion or a task and highlight.mode = 'active'")
        if mode == "activation" and self.frames.activation is None:
            raise ValueError("highlight 'activation' needs a scene with a [load] and highlight.mode = 'activation'")
        self.highlight_mode = mode
        self.highlighted = {item for name in muscles for item in self._expand(name)}
        self._refresh()

    def select(self, muscle: str | None) -> None:
        """Select one muscle (drawn opaque, its card shown), or none."""
        if muscle is not None and muscle not in self.model.data.muscles:
            raise ValueError(f"unknown muscle {muscle!r}")
        self.selected = muscle
        self._refresh()

    def set_view(self, name: str, zoom: float | None = None) -> None:
        """A named view (see :data:`anatviz.scene.VIEWS`), keeping the scene's zoom and focus."""
        spec = self.scene.camera
        self.set_camera(CameraSpec(view=name, zoom=spec.zoom if zoom is None else zoom, focus=spec.focus, fit=spec.fit))

    def set_camera(self, spec: CameraSpec) -> None:
        """A named view fitted to the visible bones, or an explicit camera (see :mod:`.camera`)."""
        C.place_camera(self, spec)
        self.annotations.camera_changed()
        self.lever_overlay.camera_changed()

    def camera(self) -> CameraSpec:
        """The current camera, as an explicit spec that restores it exactly."""
        return C.camera_spec(self)

    def pose(self) -> dict[str, float]:
        """The pose drawn now (a frame of the motion or a held pose): every coordinate, in degrees."""
        motion, frame = self._current[:2]
        return {name: float(motion.q_deg[frame, c]) for c, name in enumerate(motion.coordinates)}

    def display_px(self, point_m) -> tuple[float, float]:
        """Where a world point (3,) lands in the picture: ``(x, y)`` pixels from its lower-left corner."""
        return C.display_px(self, point_m)

    def muscle_at(self, x_px: int, y_px: int) -> str | None:
        """The muscle drawn at a pixel of the picture (column ``x_px``, row ``y_px`` from the top, as in
        :meth:`image`), or None where a bone or the background is in front."""
        return picking.muscle_at(self, x_px, y_px)

    def muscle_near(self, point_m, within_m: float = 0.015) -> str | None:
        """The shown muscle whose drawn fibres pass nearest a world point (metres), if within ``within_m``."""
        return picking.muscle_near(self, point_m, within_m)

    def set_labels(self, shown: bool) -> None:
        """Show the muscle labels (the scene's, or every visible muscle's if the scene has none) or hide them."""
        if not hasattr(self, "_scene_labels"):
            self._scene_labels = self.scene.labels or tuple(self.model.muscles)
        self.scene = self.scene.with_changes(labels=self._scene_labels if shown else ())
        if not shown:
            motion, frame = self._current[:2]
            self.annotations._update_labels(motion, frame)  # no labels wanted: removes the captions
        self._refresh()

    def render(self) -> None:
        self.plotter.render()

    def image(self, *, transparent: bool | None = None) -> NDArray[np.uint8]:
        """The current picture: ``(height, width, 3)``, or ``(height, width, 4)`` with transparency."""
        transparent = self.scene.transparent if transparent is None else transparent
        return take_picture(self.plotter, self.size, self._jitter_passes, transparent=transparent)

    def screenshot(self, path: str | Path, *, transparent: bool | None = None) -> Path:
        """Write the picture (PNG, JPEG, SVG, PDF, EPS...) atomically; returns the path."""
        return write_picture(self, Path(path), transparent=self.scene.transparent if transparent is None else transparent)

    def close(self) -> None:
        self.plotter.close()

    # -- helpers -----------------------------------------------------------------------------------
    def _expand(self, name: str) -> list[str]:
        if name in self.model.groups:
            return list(self.model.groups[name])
        if name in self.model.data.muscles or name in self.model.bones:
            return [name]
        raise ValueError(f"unknown group, muscle or bone {name!r}; expected one of {', '.join(self.model.groups)}, "
                         f"a muscle name or one of {', '.join(self.model.bones)}")

    def _refresh(self) -> None:
        self._apply(*self._current)
