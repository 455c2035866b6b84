"""Read the TOML tables into :mod:`anatviz.model.schema` records, checking every field's type.

Each table is read through :class:`Table`, which knows its dotted key so that any error names the file,
the key and what was expected. Unknown keys are errors too: a misspelt key must not be ignored.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from .errors import AnatomyDataError
from .schema import (
    QUADRANTS, WRAP_SHAPES, Bone, Card, Condition, Coordinate, Fact, Joint, Landmark, Muscle, PathPoint,
    PathWrap, Rotation, TranslationSpline, Wrap,
)


def _type_name(value: Any) -> str:
    return type(value).__name__


class Table:
    """A TOML table with its dotted key, read with type checks.

    Parameters
    ----------
    data : dict
        The parsed table.
    key : str
        Its dotted key in the file ('' for the top level).
    file : Path
        The file it came from.
    """

    def __init__(self, data: Any, key: str, file: Path) -> None:
        self.key, self.file = key, file
        if not isinstance(data, dict):
            raise self.error(f"expected a table, found {_type_name(data)}")
        self.data = data

    def sub(self, name: str) -> str:
        return f"{self.key}.{name}" if self.key else name

    def error(self, message: str, name: str | None = None) -> AnatomyDataError:
        return AnatomyDataError(self.file, self.sub(name) if name else (self.key or "<top>"), message)

    def only(self, *allowed: str) -> None:
        """Reject keys other than ``allowed``."""
        for name in self.data:
            if name not in allowed:
                raise self.error(f"unknown key; expected one of {', '.join(allowed)}", name)

    def has(self, name: str) -> bool:
        return name in self.data

    def table(self, name: str) -> "Table":
        if name not in self.data:
            raise self.error("missing table", name)
        return Table(self.data[name], self.sub(name), self.file)

    def tables(self, name: str) -> dict[str, "Table"]:
        """Sub-tables of a table of tables, e.g. every ``[muscles.X]``."""
        outer = self.table(name)
        return {k: Table(v, outer.sub(k), self.file) for k, v in outer.data.items()}

    def str(self, name: str, default: str | None = None) -> str:
        value = self._get(name, default)
        if not isinstance(value, str) or not value.strip() and default is None:
            raise self.error(f"expected a non-empty string, found {value!r}", name)
        return value

    def float(self, name: str, default: float | None = None, *, low: float | None = None,
              high: float | None = None, low_open: bool = False) -> float:
        value = self._get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.error(f"expected a finite number, found {value!r}", name)
        return self._in_range(float(value), name, low, high, low_open)

    def bool(self, name: str, default: bool | None = None) -> bool:
        value = self._get(name, default)
        if not isinstance(value, bool):
            raise self.error(f"expected true or false, found {value!r}", name)
        return value

    def int(self, name: str) -> int:
        value = self._get(name, None)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"expected an integer, found {value!r}", name)
        return value

    def floats(self, name: str, length: int | None = None, *, min_length: int = 1) -> tuple[float, ...]:
        value = self._get(name, None)
        ok = isinstance(value, list) and all(
            isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)
        if not ok or (length is not None and len(value) != length) or len(value) < min_length:
            what = f"{length} finite numbers" if length else f"a list of at least {min_length} finite numbers"
            raise self.error(f"expected {what}, found {value!r}", name)
        return tuple(float(v) for v in value)

    def vec3_m(self, name: str, *, max_norm_m: float = 2.0) -> tuple[float, float, float]:
        v = self.floats(name, 3)
        if math.dist(v, (0.0, 0.0, 0.0)) > max_norm_m:
            raise self.error(f"expected a position within {max_norm_m} m of the bone's origin "
                             f"(metres, not millimetres), found {list(v)}", name)
        return v  # type: ignore[return-value]

    def range_deg(self, name: str) -> tuple[float, float]:
        lo, hi = self.floats(name, 2)
        if not lo < hi:
            raise self.error(f"expected [min, max] with min < max, found {[lo, hi]}", name)
        return lo, hi

    def strs(self, name: str, default: list[str] | None = None) -> tuple[str, ...]:
        value = self._get(name, default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(f"expected a list of strings, found {value!r}", name)
        return tuple(value)

    def list_of_tables(self, name: str, default: list | None = None) -> list["Table"]:
        value = self._get(name, default)
        if not isinstance(value, list):
            raise self.error(f"expected a list of tables, found {_type_name(value)}", name)
        return [Table(v, f"{self.sub(name)}[{i}]", self.file) for i, v in enumerate(value)]

    def _get(self, name: str, default: Any) -> Any:
        if name in self.data:
            return self.data[name]
        if default is None:
            raise self.error("missing key", name)
        return default

    def _in_range(self, value: float, name: str, low: float | None, high: float | None,
                  low_open: bool) -> float:
        if low is not None and (value <= low if low_open else value < low):
            raise self.error(f"expected a number {'>' if low_open else '>='} {low}, found {value}", name)
        if high is not None and value > high:
            raise self.error(f"expected a number <= {high}, found {value}", name)
        return value


def read_bone(t: Table, name: str) -> Bone:
    t.only("display_name", "mesh")
    return Bone(name, t.str("display_name"), t.str("mesh"), None)


def read_landmark(t: Table, name: str) -> Landmark:
    t.only("bone", "position_m", "description", "source")
    return Landmark(name, t.str("bone"), t.vec3_m("position_m"), t.str("description"), t.str("source"))


def read_coordinate(t: Table, name: str) -> Coordinate:
    t.only("range_deg", "description", "range_source", "range_note")
    return Coordinate(name, t.range_deg("range_deg"), t.str("description"), t.str("range_source"),
                      t.str("range_note"))


def _read_rotation(t: Table) -> Rotation:
    t.only("axis", "coordinate", "sign")
    axis = t.str("axis")
    if axis not in ("x", "y", "z"):
        raise t.error(f"expected one of x, y, z, found {axis!r}", "axis")
    sign = t.float("sign", 1.0)
    if sign not in (1.0, -1.0):
        raise t.error(f"expected 1 or -1, found {sign}", "sign")
    return Rotation(axis, t.str("coordinate"), sign)


def _read_spline(t: Table) -> TranslationSpline:
    t.only("coordinate", "x_knots_deg", "x_m", "y_knots_deg", "y_m", "z_m")
    parts = {}
    for axis in ("x", "y"):
        knots, values = t.floats(f"{axis}_knots_deg", min_length=2), t.floats(f"{axis}_m", min_length=2)
        if len(knots) != len(values):
            raise t.error(f"expected as many values as knots ({len(knots)}), found {len(values)}",
                          f"{axis}_m")
        if any(b <= a for a, b in zip(knots, knots[1:])):
            raise t.error(f"expected strictly increasing knots, found {list(knots)}", f"{axis}_knots_deg")
        parts[axis] = (knots, values)
    return TranslationSpline(t.str("coordinate"), *parts["x"], *parts["y"], t.float("z_m"))


def read_joint(t: Table, name: str) -> Joint:
    t.only("parent", "child", "location_in_parent_m", "rotations", "translation_spline", "source", "note")
    spline = _read_spline(t.table("translation_spline")) if t.has("translation_spline") else None
    if spline is None and not t.has("location_in_parent_m"):
        raise t.error("missing key: a joint needs location_in_parent_m or a translation_spline")
    location = t.vec3_m("location_in_parent_m") if t.has("location_in_parent_m") else (0.0, 0.0, 0.0)
    rotations = tuple(_read_rotation(r) for r in t.list_of_tables("rotations"))
    return Joint(name, t.str("parent"), t.str("child"), location, rotations, spline, t.str("source"),
                 t.str("note"))


def read_wrap(t: Table, name: str) -> Wrap:
    t.only("bone", "shape", "translation_m", "xyz_body_rotation_rad", "radius_m", "length_m",
           "quadrant", "published_name", "source", "note")
    shape = t.str("shape")
    if shape not in WRAP_SHAPES:
        raise t.error(f"expected one of {', '.join(WRAP_SHAPES)}, found {shape!r}", "shape")
    quadrant = t.str("quadrant")
    if quadrant not in QUADRANTS:
        raise t.error(f"expected one of {', '.join(QUADRANTS)}, found {quadrant!r}", "quadrant")
    if shape == "sphere" and t.has("length_m"):
        raise t.error("a sphere has no length; expected no length_m", "length_m")
    length = t.float("length_m", low=0.0, low_open=True, high=2.0) if shape == "cylinder" else None
    return Wrap(name, t.str("bone"), shape, t.vec3_m("translation_m"),
                t.floats("xyz_body_rotation_rad", 3),  # type: ignore[arg-type]
                t.float("radius_m", low=0.0, low_open=True, high=0.5), length, quadrant,
                t.str("published_name"), t.str("source"), t.str("note", ""))


def _read_point(t: Table) -> PathPoint:
    t.only("bone", "position_m", "active_when")
    condition = None
    if t.has("active_when"):
        c = t.table("active_when")
        c.only("coordinate", "range_deg")
        condition = Condition(c.str("coordinate"), c.range_deg("range_deg"))
    return PathPoint(t.str("bone"), t.vec3_m("position_m"), condition)


def read_muscle(t: Table, name: str) -> Muscle:
    t.only("display_name", "card", "path_source", "published_name", "max_isometric_force_n",
           "optimal_fiber_length_m", "tendon_slack_length_m", "pennation_deg", "path", "wrap", "path_note",
           "origin_off_mesh", "wrap_range", "wraps")
    path = tuple(_read_point(p) for p in t.list_of_tables("path"))
    if len(path) < 2:
        raise t.error(f"expected at least 2 path points (origin and insertion), found {len(path)}", "path")
    side = name.rsplit("_", 1)[-1]
    if side not in ("r", "l"):
        raise t.error("expected a muscle name ending in _r (the left side is mirrored from it)")
    wraps = _path_wraps(t, len(path))
    return Muscle(
        name, t.str("display_name"), t.str("card"), side, t.str("path_source"), t.str("published_name"),
        t.float("max_isometric_force_n", low=0.0, low_open=True, high=1e5),
        t.float("optimal_fiber_length_m", low=0.0, low_open=True, high=1.0),
        t.float("tendon_slack_length_m", low=0.0, high=1.0),
        t.float("pennation_deg", low=0.0, high=60.0),
        path, wraps[0].surface if wraps else None, t.str("path_note", ""), t.str("origin_off_mesh", ""),
        wraps[0].range if wraps else None, wraps)


def _path_wraps(t: Table, points: int) -> tuple[PathWrap, ...]:
    """The path's wrap surfaces in the order they apply along it: ``wrap`` (with an optional
    ``wrap_range``) first, then the tables of ``wraps`` (each ``{ surface, range }``) in order."""
    uses = []
    if t.has("wrap"):
        uses.append(PathWrap(t.str("wrap"), _wrap_range(t, "wrap_range", points)))
    elif t.has("wrap_range"):
        raise t.error("expected a wrap surface for this range (wrap = ...)", "wrap_range")
    if t.has("wraps"):
        tables = t.list_of_tables("wraps")
        if not tables:
            raise t.error("expected at least one wrap surface, or no wraps key", "wraps")
        for w in tables:
            w.only("surface", "range")
            uses.append(PathWrap(w.str("surface"), _wrap_range(w, "range", points), "wraps"))
    return tuple(uses)


def _wrap_range(t: Table, key: str, points: int) -> tuple[int, int] | None:
    if not t.has(key):
        return None
    first, last = t.floats(key, 2)
    if not (first == int(first) and last == int(last) and 1 <= first < last <= points):
        raise t.error(f"expected [first, last] path points with 1 <= first < last <= {points}, found "
                      f"{[first, last]}", key)
    return int(first), int(last)


def _read_fact(t: Table, *, action: bool) -> Fact:
    keys = ["text", "source", "roots"] + (
        ["coordinate", "direction", "bundles", "at_hip_flexion_deg"] if action else [])
    t.only(*keys)
    if not action:
        return Fact(t.str("text"), t.str("source"), t.strs("roots", []))
    direction = t.int("direction")
    if direction not in (1, -1):
        raise t.error(f"expected 1 or -1, found {direction}", "direction")
    return Fact(t.str("text"), t.str("source"), t.strs("roots", []), t.str("coordinate"), direction,
                t.strs("bundles", []), t.float("at_hip_flexion_deg", 0.0, low=-30.0, high=120.0))


CARD_FACT_LISTS = ("origin", "insertion", "innervation", "blood_supply", "primary_actions",
                   "secondary_actions", "notes")


def read_card(t: Table, name: str) -> Card:
    t.only("display_name", "group", "tendon_at_origin_share", "context", *CARD_FACT_LISTS)
    facts = {}
    for field_name in CARD_FACT_LISTS:
        action = field_name.endswith("actions")
        required = field_name not in ("secondary_actions", "notes")
        tables = t.list_of_tables(field_name, None if required else [])
        if required and not tables:
            raise t.error("expected at least one fact", field_name)
        facts[field_name] = tuple(_read_fact(f, action=action) for f in tables)
    return Card(name, t.str("display_name"), t.str("group"), **facts,
                tendon_at_origin_share=t.float("tendon_at_origin_share", 0.0, low=0.0, high=1.0),
                context=t.bool("context", False))
