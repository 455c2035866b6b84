"""Typed, immutable records of the anatomy data (built by :mod:`anatviz.model.reader`).

Positions are metres in the frame of the named bone (x anterior, y superior, z right); angles are
degrees unless the field name says ``_rad``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

Vec3 = tuple[float, float, float]

AXES = ("x", "y", "z")
QUADRANTS = ("all", "x", "-x", "y", "-y")
WRAP_SHAPES = ("cylinder", "sphere")
ACTION_COORDINATES = ("hip_flexion", "hip_adduction", "hip_rotation", "knee_flexion")
SIDES = ("r", "l")


@dataclass(frozen=True)
class Bone:
    name: str
    display_name: str
    mesh: str
    side: str | None


@dataclass(frozen=True)
class Landmark:
    name: str
    bone: str
    position_m: Vec3
    description: str
    source: str


@dataclass(frozen=True)
class Coordinate:
    name: str
    range_deg: tuple[float, float]
    description: str
    range_source: str
    range_note: str


@dataclass(frozen=True)
class Rotation:
    """One rotation of a joint: ``sign * coordinate`` about the body-fixed ``axis``."""

    axis: str
    coordinate: str
    sign: float = 1.0


@dataclass(frozen=True)
class TranslationSpline:
    """Child origin in the parent frame as natural cubic splines of one coordinate (degrees)."""

    coordinate: str
    x_knots_deg: tuple[float, ...]
    x_m: tuple[float, ...]
    y_knots_deg: tuple[float, ...]
    y_m: tuple[float, ...]
    z_m: float


@dataclass(frozen=True)
class Joint:
    name: str
    parent: str
    child: str
    location_in_parent_m: Vec3
    rotations: tuple[Rotation, ...]
    translation_spline: TranslationSpline | None
    source: str
    note: str


@dataclass(frozen=True)
class Wrap:
    """A wrap surface: a cylinder (axis along its frame's z) or a sphere, centred at ``translation_m``.

    ``quadrant`` names the side of the frame (x or y axis) the path must keep to. ``length_m`` is the
    cylinder's length (None for a sphere).
    """

    name: str
    bone: str
    shape: str
    translation_m: Vec3
    xyz_body_rotation_rad: Vec3
    radius_m: float
    length_m: float | None
    quadrant: str
    published_name: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class PathWrap:
    """One wrap surface on a muscle's path, tried on the segments between path points ``range``
    (counted from 1, as OpenSim's PathWrap range; None: every segment)."""

    surface: str
    range: tuple[int, int] | None = None
    key: str = "wrap"  # the data file's key that names it: 'wrap' or 'wraps'


@dataclass(frozen=True)
class Condition:
    """A conditional via point is used only while ``coordinate`` lies in ``range_deg``."""

    coordinate: str
    range_deg: tuple[float, float]


@dataclass(frozen=True)
class PathPoint:
    bone: str
    position_m: Vec3
    active_when: Condition | None = None


@dataclass(frozen=True)
class Muscle:
    """One path element (a whole muscle or one bundle of it) on one side."""

    name: str
    display_name: str
    card: str
    side: str
    path_source: str
    published_name: str
    max_isometric_force_n: float
    optimal_fiber_length_m: float
    tendon_slack_length_m: float
    pennation_deg: float
    path: tuple[PathPoint, ...]
    wrap: str | None
    path_note: str = ""
    origin_off_mesh: str = ""
    wrap_range: tuple[int, int] | None = None  # path points (from 1) between which the wrap is tried
    wraps: tuple[PathWrap, ...] = ()  # every wrap surface in path order (`wrap`, if given, first)

    @property
    def path_wraps(self) -> tuple[PathWrap, ...]:
        """Every wrap surface of the path in the order applied (``wraps``, or ``wrap`` alone)."""
        if self.wraps:
            return self.wraps
        return (PathWrap(self.wrap, self.wrap_range),) if self.wrap else ()

    @property
    def bundle(self) -> str | None:
        """Bundle name (``'superior'``...) or None for a muscle drawn as one path."""
        stem = self.name[: -len(self.side) - 1]
        return None if stem == self.card else stem[len(self.card) + 1 :]

    @property
    def label(self) -> str:
        """Display name with the side, e.g. ``'Gluteus medius, anterior bundle (right)'``."""
        return f"{self.display_name} ({'right' if self.side == 'r' else 'left'})"


@dataclass(frozen=True)
class Fact:
    """One sourced statement on a muscle card; actions also say what they drive."""

    text: str
    source: str
    roots: tuple[str, ...] = ()
    coordinate: str | None = None
    direction: int | None = None
    bundles: tuple[str, ...] = ()
    at_hip_flexion_deg: float = 0.0


@dataclass(frozen=True)
class Card:
    name: str
    display_name: str
    group: str
    origin: tuple[Fact, ...]
    insertion: tuple[Fact, ...]
    innervation: tuple[Fact, ...]
    blood_supply: tuple[Fact, ...]
    primary_actions: tuple[Fact, ...]
    secondary_actions: tuple[Fact, ...]
    notes: tuple[Fact, ...]
    tendon_at_origin_share: float = 0.0
    context: bool = False  # antagonists and partners, drawn faded unless a scene names them

    @property
    def actions(self) -> tuple[Fact, ...]:
        return self.primary_actions + self.secondary_actions


@dataclass(frozen=True)
class AnatomyData:
    """Everything one data file declares, validated, with the left side mirrored in."""

    path: Path
    name: str
    version: int
    sources: dict[str, str]
    bones: dict[str, Bone]
    landmarks: dict[str, Landmark]
    coordinates: dict[str, Coordinate]
    joints: dict[str, Joint]
    wraps: dict[str, Wrap]
    muscles: dict[str, Muscle]
    base_groups: dict[str, tuple[str, ...]]
    cards: dict[str, Card]
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
