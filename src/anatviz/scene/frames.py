"""Everything to draw, computed up front for every frame of a scene (pure numpy)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel, Motion
from .activation_track import ActivationTrack
from .activity import drive_nm
from .motion import directions, frame_times, sample_motion
from .schema import Scene


@dataclass(frozen=True)
class Frames:
    """A scene's frames.

    Attributes
    ----------
    times_s : (n,) float
    motion : Motion
        Bone transforms, paths, lengths and moment arms for every frame.
    drive_nm : (n, m) float or None
        Drive of each muscle (see :mod:`anatviz.scene.activity`), when the scene highlights active muscles.
    drive_scale_nm : float
        The largest drive over the scene's whole motion (even when only some frames were computed), so
        that a still and the animation share one brightness scale.
    activation : ActivationTrack or None
        The activation model's answer per frame, when the scene highlights activation.
    """

    times_s: NDArray[np.float64]
    motion: Motion
    drive_nm: NDArray[np.float64] | None
    drive_scale_nm: float = 0.0
    activation: ActivationTrack | None = None

    def __len__(self) -> int:
        return len(self.times_s)


def scene_values(scene: Scene, times_s: NDArray[np.float64] | None) -> dict[str, NDArray[np.float64]]:
    """Coordinate values (degrees) at ``times_s``; the scene's pose when it has no motion. A scene with a
    ``[pelvis_drop]`` drops its pelvis by the solved drop at the keyframes it names."""
    if scene.motion is None or times_s is None:
        return {k: np.array([v]) for k, v in scene.pose_deg.items()}
    motion = scene.motion
    if scene.pelvis_drop is not None:
        from ..activation.trendelenburg import motion_with_drop  # the activation model imports this module

        motion = motion_with_drop(scene)
    return sample_motion(motion, times_s, scene.pose_deg)


def scene_motion(model: HipModel, scene: Scene, values: dict[str, NDArray[np.float64]]) -> Motion:
    """The model posed at a scene's coordinate values (:func:`scene_values`), with moment arms when the
    scene highlights active muscles."""
    n = len(next(iter(values.values()))) if values else 1
    return model.compute({k: np.broadcast_to(v, (n,)) for k, v in values.items()} or None,
                         moment_arms=scene.highlight.mode == "active")


def motion_drive(model: HipModel, motion: Motion, moving: dict[str, NDArray[np.float64] | float],
                 ) -> NDArray[np.float64]:
    """Drive (N m) of every muscle at every frame of ``motion`` for the given directions of motion
    (per coordinate: +1 / -1, or an (n,) array of them)."""
    direction = np.zeros((len(motion.q_deg), len(motion.coordinates)))
    for name, sign in moving.items():
        direction[:, motion.coordinates.index(name)] = sign
    force = np.array([model.muscle(m).max_isometric_force_n for m in motion.muscles])
    return drive_nm(motion.moment_arms_m, force, direction)  # type: ignore[arg-type]


def compute_frames(model: HipModel, scene: Scene, *, times_s: NDArray[np.float64] | None = None,
                   fps: float | None = None, frames: int | None = None,
                   strength: Mapping[str, float] | None = None) -> Frames:
    """Compute a scene's frames.

    Parameters
    ----------
    model : HipModel
    scene : Scene
    times_s : (n,) float, optional
        Times to compute; by default every frame of the motion at ``fps`` (or ``frames`` frames),
        or the single pose of a scene without motion.
    strength : mapping of str to float, optional
        Strength factors for the activations (the scene's ``[strength]`` by default), and for the drop
        of a scene with a ``[pelvis_drop]``, solved again for them.
    """
    full_motion = times_s is None
    if scene.pelvis_drop is not None and strength is not None:
        from ..activation.trendelenburg import scene_with_drop  # the drop these strengths let the pelvis take

        scene = scene_with_drop(model, scene, strength)
    if times_s is None and scene.motion is not None:
        times_s = frame_times(scene.motion, fps, frames)
    values = scene_values(scene, times_s)
    motion = scene_motion(model, scene, values)
    drive = None
    if scene.highlight.mode == "active":
        drive = motion_drive(model, motion, scene.highlight.task_direction or directions(values))
    scale = float(drive.max()) if drive is not None else 0.0
    if drive is not None and not full_motion and scene.motion is not None:
        scale = compute_frames(model, scene).drive_scale_nm
    times = np.zeros(1) if times_s is None else np.asarray(times_s, float)
    track = ActivationTrack(model, scene, times, strength) if scene.highlight.mode == "activation" else None
    return Frames(times, motion, drive, scale, track)
