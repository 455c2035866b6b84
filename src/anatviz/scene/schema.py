"""What a scene shows: a typed, immutable record read from a scene file (see :mod:`.load`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

MUSCLE_STYLES = ("tubes", "lines")
HIGHLIGHT_MODES = ("none", "active", "activation", "muscles")
EASINGS = ("linear", "ease_in_out")
MAX_SIZE = (7680, 4320)
READOUT_MAX_ROWS = 6  # rows of the on-screen readout table that fit a 720p picture


@dataclass(frozen=True)
class Keyframe:
    """Coordinate values (degrees) reached at ``time_s``; coordinates not named keep their value."""

    time_s: float
    values_deg: dict[str, float]


@dataclass(frozen=True)
class MotionSpec:
    keyframes: tuple[Keyframe, ...]
    fps: float = 30.0
    easing: str = "ease_in_out"
    loop: bool = True
    still_time_s: float | None = None

    @property
    def duration_s(self) -> float:
        return self.keyframes[-1].time_s


@dataclass(frozen=True)
class CameraSpec:
    """A named view, or an explicit position, focal point and up vector (world metres)."""

    view: str | None = "oblique"
    position_m: tuple[float, float, float] | None = None
    focal_point_m: tuple[float, float, float] | None = None
    up: tuple[float, float, float] | None = None
    zoom: float = 1.0
    focus: str | None = None  # a landmark to centre a named view on (e.g. 'hip_centre_r')
    fit: tuple[str, ...] = ()  # bones to frame (default: the visible bones)


@dataclass(frozen=True)
class Style:
    muscles: str = "tubes"
    fans: bool = True
    tube_scale: float = 1.0
    bone_opacity: float = 1.0
    muscle_opacity: float = 1.0
    xray: bool = False
    opacity: dict[str, float] = field(default_factory=dict)  # group, card or muscle -> opacity


@dataclass(frozen=True)
class Highlight:
    mode: str = "none"
    muscles: tuple[str, ...] = ()
    task_direction: dict[str, float] = field(default_factory=dict)  # coordinate -> +1 / -1


@dataclass(frozen=True)
class PelvisDropSpec:
    """``[pelvis_drop]``: the pelvis's drop in single-leg stance is solved, not written.

    At the motion's keyframes at ``at_time_s`` the pelvis drops on the swing side by ``drop_deg``,
    which :func:`anatviz.activation.trendelenburg.scene_with_drop` solves from the strength of
    ``muscles`` (the stance abductors) when the scene is read, and again for every new strength.

    Attributes
    ----------
    muscles : tuple of str
        Muscles or groups, as named: the stance abductors, one strength slider for all of them.
    at_time_s : tuple of float
        Times of the keyframes that drop (each a keyframe's ``time_s``).
    label : str
        The strength slider's label.
    drop_deg : float or None
        The solved drop (0: level), for the scene's ``[strength]`` until solved again; None until solved
        (:func:`~anatviz.scene.load_scene` solves it).
    held : bool
        False when the pelvis is not held within the solver's largest drop (``drop_deg`` is then that).
    """

    muscles: tuple[str, ...]
    at_time_s: tuple[float, ...]
    label: str = "Stance abductors"
    drop_deg: float | None = None
    held: bool = True


@dataclass(frozen=True)
class Scene:
    """Everything a view needs to draw: what is shown, the pose or motion, style, camera and output.

    ``muscles`` are resolved muscle names (groups expanded); ``bones`` are bone names.
    """

    name: str
    path: Path | None
    title: str
    description: str
    bones: tuple[str, ...]
    muscles: tuple[str, ...]
    pose_deg: dict[str, float]
    motion: MotionSpec | None
    style: Style
    highlight: Highlight
    camera: CameraSpec
    size: tuple[int, int] = (1280, 720)
    background: str = "#1f2430"
    transparent: bool = False
    labels: tuple[str, ...] = ()
    legend: bool = True
    colorbar: bool = True
    faded: tuple[str, ...] = ()  # context muscles shown but not asked for: drawn faded
    load: Any = None  # the exercise's load case (anatviz.activation.read_load), or None
    strength: dict[str, float] = field(default_factory=dict)  # muscle or group -> strength factor 0..1
    ratio: bool = False  # show the gluteus-maximus-to-hamstrings ratio (activation mode; on by default there)
    readout: tuple[str, ...] = ()  # muscles or groups, as named: length, capacity and activation on screen
    levers: tuple[str, ...] = ()  # muscles or groups, as named: the hip lever drawn in 3D
    pelvis_drop: PelvisDropSpec | None = None  # the pelvis drop solved from the stance abductors' strength

    def with_changes(self, **changes) -> "Scene":
        """A copy with some fields replaced (scenes are immutable)."""
        return replace(self, **changes)
