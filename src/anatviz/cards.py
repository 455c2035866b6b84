"""Muscle cards as JSON-ready dicts and as text: what the CLI prints and the views show."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from .model import AnatomyData, Card, Fact, Muscle
from .model.reader import CARD_FACT_LISTS


def _fact_json(data: AnatomyData, fact: Fact) -> dict[str, Any]:
    out: dict[str, Any] = {"text": fact.text, "source": fact.source, "reference": data.sources[fact.source]}
    if fact.roots:
        out["roots"] = list(fact.roots)
    if fact.coordinate is not None:
        out.update(coordinate=fact.coordinate, direction=fact.direction, bundles=list(fact.bundles),
                   at_hip_flexion_deg=fact.at_hip_flexion_deg)
    return out


def muscle_json(data: AnatomyData, muscle: Muscle) -> dict[str, Any]:
    """Every field of a muscle (path element), with the full reference of its path's source."""
    out = asdict(muscle)
    out["label"] = muscle.label
    out["bundle"] = muscle.bundle
    out["path_reference"] = data.sources[muscle.path_source]
    out["wrap"] = asdict(data.wraps[muscle.wrap]) if muscle.wrap else None
    out["wrap_surfaces"] = [{**asdict(data.wraps[w.surface]), "range": list(w.range) if w.range else None}
                            for w in muscle.path_wraps]
    return out


def card_json(data: AnatomyData, card: Card, muscles: list[str]) -> dict[str, Any]:
    """Every field of a card, its facts with their references, and the listed muscles' data."""
    out: dict[str, Any] = {"name": card.name, "display_name": card.display_name, "group": card.group}
    for field_name in CARD_FACT_LISTS:
        out[field_name] = [_fact_json(data, f) for f in getattr(card, field_name)]
    out["muscles"] = [muscle_json(data, data.muscles[m]) for m in muscles]
    return out


def _facts_text(facts: tuple[Fact, ...]) -> list[str]:
    lines = []
    for f in facts:
        roots = f" ({', '.join(f.roots)})" if f.roots else ""
        lines.append(f"  - {f.text}{roots}  [{f.source}]")
    return lines or ["  (none stated)"]


def card_text(data: AnatomyData, card: Card, muscles: list[str]) -> str:
    """A card as plain text, for the terminal."""
    lines = [card.display_name, "=" * len(card.display_name), f"Group: {card.group}"]
    for field_name in CARD_FACT_LISTS:
        lines += ["", field_name.replace("_", " ").capitalize() + ":", *_facts_text(getattr(card, field_name))]
    lines += ["", "Model (path elements):"]
    for name in muscles:
        m = data.muscles[name]
        surfaces = [w.surface for w in m.path_wraps]
        wrap = f", wraps over {', '.join(surfaces)}" if surfaces else ""
        lines.append(f"  - {name}: {m.label}; F_max {m.max_isometric_force_n:g} N, optimal fibre "
                     f"{m.optimal_fiber_length_m * 100:.1f} cm, tendon slack {m.tendon_slack_length_m * 100:.1f} cm, "
                     f"pennation {m.pennation_deg:g} deg; {len(m.path)} path points{wrap}; "
                     f"from {m.path_source} ({m.published_name})")
    used = sorted({f.source for fl in CARD_FACT_LISTS for f in getattr(card, fl)}
                  | {data.muscles[n].path_source for n in muscles})
    lines += ["", "Sources:", *(f"  [{s}] {data.sources[s]}" for s in used)]
    return "\n".join(lines)
