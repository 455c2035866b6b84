"""Anatomy as data: the TOML schema, its validation and mirroring. No geometry, no rendering."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path

from . import reader
from .errors import AnatomyDataError
from .mirror import left_name, with_left_side
from .schema import AnatomyData, Card, Coordinate, Fact, Joint, Landmark, Muscle, PathPoint, Wrap
from .validate import validate

DEFAULT_DATA_FILE = Path(__file__).parent / "data" / "hip_model.toml"

__all__ = [
    "AnatomyData", "AnatomyDataError", "Card", "Coordinate", "DEFAULT_DATA_FILE", "Fact", "Joint",
    "Landmark", "Muscle", "PathPoint", "Wrap", "left_name", "load_anatomy", "read_toml",
]


def read_toml(path: Path) -> dict:
    """Parse a TOML file; a missing file or a syntax error becomes an :class:`AnatomyDataError`."""
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise AnatomyDataError(path, "<file>", "no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise AnatomyDataError(path, "<syntax>", f"not valid TOML ({exc})") from None


def load_anatomy(path: str | Path | None = None) -> AnatomyData:
    """Read, validate and mirror an anatomy data file.

    Parameters
    ----------
    path : str or Path, optional
        A TOML data file; the bundled hip model when omitted.

    Returns
    -------
    AnatomyData
        Both sides, with groups expanded per side (``gluteals``, ``gluteals_r``, ``gluteals_l``) and one
        group per card (``gluteus_maximus``...).

    Raises
    ------
    AnatomyDataError
        One line naming the file, the key and what was expected.
    """
    path = Path(path) if path is not None else DEFAULT_DATA_FILE
    top = reader.Table(read_toml(path), "", path)
    top.only("model", "sources", "bones", "landmarks", "coordinates", "joints", "wraps", "muscles",
             "groups", "cards")
    meta = top.table("model")
    meta.only("name", "version", "mirror")
    name, version = meta.str("name"), meta.int("version")
    if meta.str("mirror") != "z":
        raise meta.error("expected 'z' (the left side is the right mirrored through z = 0)", "mirror")
    sources = top.table("sources")
    groups = top.table("groups")
    data = AnatomyData(
        path=path, name=name, version=version,
        sources={k: sources.str(k) for k in sources.data},
        bones={k: reader.read_bone(t, k) for k, t in top.tables("bones").items()},
        landmarks={k: reader.read_landmark(t, k) for k, t in top.tables("landmarks").items()},
        coordinates={k: reader.read_coordinate(t, k) for k, t in top.tables("coordinates").items()},
        joints={k: reader.read_joint(t, k) for k, t in top.tables("joints").items()},
        wraps={k: reader.read_wrap(t, k) for k, t in top.tables("wraps").items()} if top.has("wraps") else {},
        muscles={k: reader.read_muscle(t, k) for k, t in top.tables("muscles").items()},
        base_groups={k: groups.strs(k) for k in groups.data},
        cards={k: reader.read_card(t, k) for k, t in top.tables("cards").items()},
    )
    data = replace(data, bones={k: replace(b, side=_side(k)) for k, b in data.bones.items()})
    validate(data)
    data = with_left_side(data)
    return replace(data, groups=_expand_groups(data))


def _side(name: str) -> str | None:
    return name[-1] if name.endswith(("_r", "_l")) else None


def _expand_groups(data: AnatomyData) -> dict[str, tuple[str, ...]]:
    """Muscle names per group, per side and per card, in the data file's muscle order."""
    by_card: dict[str, list[str]] = {}
    for name, m in data.muscles.items():
        by_card.setdefault(m.card, []).append(name)
    members = {**data.base_groups, **{card: (card,) for card in data.cards}}
    groups: dict[str, tuple[str, ...]] = {}
    for group, cards in members.items():
        muscles = [m for card in cards for m in by_card[card]]
        groups[group] = tuple(sorted(muscles, key=list(data.muscles).index))
        for side in ("r", "l"):
            groups[f"{group}_{side}"] = tuple(m for m in groups[group] if data.muscles[m].side == side)
    return groups
