"""Cross-reference validators: small, named checks over the whole data set, run in order.

Each takes the right-side :class:`~anatviz.model.schema.AnatomyData` as read (before mirroring) and
raises :class:`~anatviz.model.errors.AnatomyDataError` naming the offending key.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import AnatomyDataError
from .schema import ACTION_COORDINATES, AnatomyData

NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def _err(data: AnatomyData, key: str, message: str) -> AnatomyDataError:
    return AnatomyDataError(data.path, key, message)


def _one_of(names) -> str:
    return ", ".join(sorted(names)) or "(none declared)"


def names_are_snake_case(data: AnatomyData) -> None:
    for table in ("bones", "landmarks", "coordinates", "joints", "wraps", "muscles", "cards",
                  "base_groups"):
        for name in getattr(data, table):
            if not NAME.match(name):
                key = "groups" if table == "base_groups" else table
                raise _err(data, f"{key}.{name}", "expected a lower-case snake_case name")


def right_side_only(data: AnatomyData) -> None:
    """The file declares the right side; ``_l`` twins are made by mirroring."""
    for table in ("bones", "landmarks", "coordinates", "joints", "wraps", "muscles"):
        for name in getattr(data, table):
            if name.endswith("_l"):
                raise _err(data, f"{table}.{name}",
                           "expected only right-side (_r) or midline names; the left side is mirrored")


def sources_resolve(data: AnatomyData) -> None:
    def check(key: str, source: str) -> None:
        if source not in data.sources:
            raise _err(data, key, f"unknown source {source!r}; expected one of {_one_of(data.sources)}")

    for name, lm in data.landmarks.items():
        check(f"landmarks.{name}.source", lm.source)
    for name, c in data.coordinates.items():
        check(f"coordinates.{name}.range_source", c.range_source)
    for name, j in data.joints.items():
        check(f"joints.{name}.source", j.source)
    for name, w in data.wraps.items():
        check(f"wraps.{name}.source", w.source)
    for name, m in data.muscles.items():
        check(f"muscles.{name}.path_source", m.path_source)
    for name, card in data.cards.items():
        for field_name in ("origin", "insertion", "innervation", "blood_supply", "primary_actions",
                           "secondary_actions", "notes"):
            for i, fact in enumerate(getattr(card, field_name)):
                check(f"cards.{name}.{field_name}[{i}].source", fact.source)


def bones_resolve(data: AnatomyData) -> None:
    def check(key: str, bone: str) -> None:
        if bone not in data.bones:
            raise _err(data, key, f"unknown bone {bone!r}; expected one of {_one_of(data.bones)}")

    for name, lm in data.landmarks.items():
        check(f"landmarks.{name}.bone", lm.bone)
    for name, w in data.wraps.items():
        check(f"wraps.{name}.bone", w.bone)
    for name, m in data.muscles.items():
        for i, p in enumerate(m.path):
            check(f"muscles.{name}.path[{i}].bone", p.bone)


def joints_form_a_tree(data: AnatomyData) -> None:
    """Every bone is the child of exactly one joint, and every chain reaches 'ground'."""
    parent_of: dict[str, str] = {}
    for name, j in data.joints.items():
        if j.child not in data.bones:
            raise _err(data, f"joints.{name}.child", f"unknown bone {j.child!r}; expected one of "
                       f"{_one_of(data.bones)}")
        if j.parent != "ground" and j.parent not in data.bones:
            raise _err(data, f"joints.{name}.parent", f"unknown bone {j.parent!r}; expected 'ground' "
                       f"or one of {_one_of(data.bones)}")
        if j.child in parent_of:
            raise _err(data, f"joints.{name}.child", f"bone {j.child!r} is already the child of another "
                       "joint; expected each bone to have one parent joint")
        parent_of[j.child] = j.parent
    for bone in data.bones:
        if bone not in parent_of:
            raise _err(data, f"bones.{bone}", "expected a joint with this bone as its child")
        seen, current = {bone}, parent_of[bone]
        while current != "ground":
            if current in seen:
                raise _err(data, f"bones.{bone}", "expected the joints to form a tree; found a cycle")
            seen.add(current)
            current = parent_of[current]


def coordinates_resolve(data: AnatomyData) -> None:
    """Each coordinate drives exactly one joint rotation; splines and conditions name known ones."""
    driven: dict[str, str] = {}

    def check(key: str, coordinate: str) -> None:
        if coordinate not in data.coordinates:
            raise _err(data, key, f"unknown coordinate {coordinate!r}; expected one of "
                       f"{_one_of(data.coordinates)}")

    for name, j in data.joints.items():
        for i, r in enumerate(j.rotations):
            key = f"joints.{name}.rotations[{i}].coordinate"
            check(key, r.coordinate)
            if r.coordinate in driven:
                raise _err(data, key, f"coordinate {r.coordinate!r} already drives joint "
                           f"{driven[r.coordinate]!r}; expected one rotation per coordinate")
            driven[r.coordinate] = name
        spline = j.translation_spline
        if spline is not None:
            key = f"joints.{name}.translation_spline"
            check(f"{key}.coordinate", spline.coordinate)
            lo, hi = data.coordinates[spline.coordinate].range_deg
            for axis, knots in (("x", spline.x_knots_deg), ("y", spline.y_knots_deg)):
                if knots[0] > lo or knots[-1] < hi:
                    raise _err(data, f"{key}.{axis}_knots_deg", f"expected knots spanning the "
                               f"coordinate's range [{lo}, {hi}], found [{knots[0]}, {knots[-1]}]")
    for name in data.coordinates:
        if name not in driven:
            raise _err(data, f"coordinates.{name}", "expected a joint rotation driven by this coordinate")
    for name, m in data.muscles.items():
        for i, p in enumerate(m.path):
            if p.active_when is not None:
                check(f"muscles.{name}.path[{i}].active_when.coordinate", p.active_when.coordinate)


def _chain(data: AnatomyData, bone: str) -> list[str]:
    parent_of = {j.child: j.parent for j in data.joints.values()}
    chain = [bone]
    while parent_of.get(chain[-1], "ground") != "ground":
        chain.append(parent_of[chain[-1]])
    return chain


def muscle_paths_are_sound(data: AnatomyData) -> None:
    """Fixed ends, no two conditional points in a row, bones on one chain, wrap on that chain."""
    for name, m in data.muscles.items():
        key = f"muscles.{name}"
        for i in (0, len(m.path) - 1):
            if m.path[i].active_when is not None:
                raise _err(data, f"{key}.path[{i}].active_when",
                           "expected origin and insertion to be fixed points, not conditional")
        for i in range(1, len(m.path)):
            if m.path[i].active_when is not None and m.path[i - 1].active_when is not None:
                raise _err(data, f"{key}.path[{i}].active_when",
                           "expected a fixed point before each conditional via point")
        bones = {p.bone for p in m.path}
        insertion_chain = _chain(data, m.path[-1].bone)
        if not bones <= set(insertion_chain):
            raise _err(data, f"{key}.path", f"expected every point on the insertion's chain of bones "
                       f"({', '.join(insertion_chain)}), found {', '.join(sorted(bones))}")
        surfaces = [w.surface for w in m.path_wraps]
        for use in m.path_wraps:
            surface, wrap_key = use.surface, f"{key}.{use.key}"
            if surface not in data.wraps:
                raise _err(data, wrap_key, f"unknown wrap surface {surface!r}; expected one of "
                           f"{_one_of(data.wraps)}")
            if data.wraps[surface].bone not in insertion_chain:
                raise _err(data, wrap_key, f"wrap surface {surface!r} is on bone "
                           f"{data.wraps[surface].bone!r}, not on the muscle's chain of bones")
        if len(set(surfaces)) != len(surfaces):
            raise _err(data, f"{key}.wraps", f"expected each wrap surface once, found {', '.join(surfaces)}")
        if m.card not in data.cards:
            raise _err(data, f"{key}.card", f"unknown card {m.card!r}; expected one of {_one_of(data.cards)}")
        if not name.startswith(m.card):
            raise _err(data, key, f"expected the muscle name to start with its card name {m.card!r}")


def cards_are_consistent(data: AnatomyData) -> None:
    """Card groups exist, actions name known coordinates, bundles exist, every card has muscles."""
    bundles: dict[str, set[str | None]] = {}
    for m in data.muscles.values():
        bundles.setdefault(m.card, set()).add(m.bundle)
    for name, card in data.cards.items():
        key = f"cards.{name}"
        if card.group not in data.base_groups:
            raise _err(data, f"{key}.group", f"unknown group {card.group!r}; expected one of "
                       f"{_one_of(data.base_groups)}")
        if name not in bundles:
            raise _err(data, key, "expected at least one muscle whose card is this one")
        for field_name in ("primary_actions", "secondary_actions"):
            for i, fact in enumerate(getattr(card, field_name)):
                if fact.coordinate not in ACTION_COORDINATES:
                    raise _err(data, f"{key}.{field_name}[{i}].coordinate", f"unknown action coordinate "
                               f"{fact.coordinate!r}; expected one of {', '.join(ACTION_COORDINATES)}")
                for bundle in fact.bundles:
                    if bundle not in bundles[name]:
                        known = sorted(b for b in bundles[name] if b)
                        raise _err(data, f"{key}.{field_name}[{i}].bundles", f"unknown bundle "
                                   f"{bundle!r}; expected one of {_one_of(known)}")


def groups_resolve(data: AnatomyData) -> None:
    for group, members in data.base_groups.items():
        if group in data.cards:
            raise _err(data, f"groups.{group}", "expected a group name different from every card name")
        for member in members:
            if member not in data.cards:
                raise _err(data, f"groups.{group}", f"unknown card {member!r}; expected one of "
                           f"{_one_of(data.cards)}")


VALIDATORS: tuple[Callable[[AnatomyData], None], ...] = (
    names_are_snake_case, right_side_only, sources_resolve, bones_resolve, joints_form_a_tree,
    coordinates_resolve, muscle_paths_are_sound, groups_resolve, cards_are_consistent,
)


def validate(data: AnatomyData) -> None:
    """Run every validator in :data:`VALIDATORS`; the first failure raises."""
    for validator in VALIDATORS:
        validator(data)
