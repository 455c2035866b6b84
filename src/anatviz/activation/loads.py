"""The load a scene puts on the body: its ``[load]`` table, read into a :class:`LoadSpec`.

::

    [load]
    supports = ["foot_r", "foot_l"]     # what carries the body: foot_r, foot_l, shoulders, lying_l, lying_r
    body_mass_kg = 75.0                 # optional (default 75 kg), with height_m (1.70) and sex ("male")
    friction = 0.5                      # optional: static friction coefficient of the supports (0.5)
    weights = [{ mass_kg = 60.0, at = "upper_back", label = "barbell" }]
    bands = [{ at = "ankle_r", anchor_m = [1.0, -0.85, 0.08], tension_n = 60.0 }]

Where loads sit (``at``): ``upper_back`` (a bar across the upper trapezius at C7, high-bar squat),
``hands`` (held in hanging hands: the load hangs straight below the shoulders), ``hips`` (a bar across
the hip crease, hip thrust), ``knee_r``/``knee_l`` and ``ankle_r``/``ankle_l`` (a cuff weight or a band).
Supports: ``foot_r``/``foot_l`` (that foot flat on the floor), ``shoulders`` (the shoulder blades on the
floor, head and arms resting on the floor: a glute bridge), ``bench`` (the lower edge of the shoulder
blades on a bench, the head held beyond its edge, the arms resting along it: a hip thrust),
``lying_l``/``lying_r`` (lying on that side: the trunk and that leg rest on the floor, the other leg is
free). Every error is one line naming the file, the key and the allowed values.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.reader import Table
from .anthropometry import DEFAULT_BODY_MASS_KG, DEFAULT_HEIGHT_M, SEXES

SUPPORTS = ("foot_r", "foot_l", "shoulders", "bench", "lying_l", "lying_r")

DEFAULT_FRICTION_COEFFICIENT = 0.5
"""mu, the supports' static friction coefficient unless ``[load] friction`` says otherwise: our choice,
a conservative value for a shoe or a clothed back on a gym floor or bench (rubber soles on dry floors
measure about 0.5 to 1). The grip of the supports (:mod:`.friction`) is limited by it."""
LOAD_POINTS = ("upper_back", "hands", "hips", "knee_r", "knee_l", "ankle_r", "ankle_l")


@dataclass(frozen=True)
class Weight:
    """A mass carried by the body (a barbell, a dumbbell, a cuff weight)."""

    mass_kg: float
    at: str
    label: str = "weight"


@dataclass(frozen=True)
class Band:
    """An elastic band or a cable pulling a body point toward a fixed anchor.

    Tension is ``tension_n`` at the first frame and changes by ``stiffness_n_per_m`` per metre of
    stretch (0: a cable over a pulley, constant tension).
    """

    at: str
    anchor_m: tuple[float, float, float]
    tension_n: float
    stiffness_n_per_m: float = 0.0


@dataclass(frozen=True)
class LoadSpec:
    """An exercise's load case.

    Attributes
    ----------
    supports : tuple of str
        Subset of :data:`SUPPORTS`: feet, with the shoulders or a bench or neither; or one side lying.
    body_mass_kg, height_m : float
    sex : str
    weights : tuple of Weight
    bands : tuple of Band
    friction : float
        Static friction coefficient of the supports (0: a slippery floor, no grip).
    """

    supports: tuple[str, ...]
    body_mass_kg: float = DEFAULT_BODY_MASS_KG
    height_m: float = DEFAULT_HEIGHT_M
    sex: str = "male"
    weights: tuple[Weight, ...] = ()
    bands: tuple[Band, ...] = ()
    friction: float = DEFAULT_FRICTION_COEFFICIENT

    @property
    def feet(self) -> tuple[str, ...]:
        """Sides whose foot is on the floor: ``('r',)``, ``('r', 'l')``..."""
        return tuple(s[-1] for s in self.supports if s.startswith("foot_"))

    @property
    def upper_back(self) -> str | None:
        """'shoulders' or 'bench' when the upper back is supported, else None."""
        return next((s for s in self.supports if s in ("shoulders", "bench")), None)

    @property
    def lying_side(self) -> str | None:
        """'l' or 'r' when lying on a side, else None."""
        return next((s[-1] for s in self.supports if s.startswith("lying_")), None)


def read_load(table: Table, model: object = None) -> LoadSpec:
    """Read and check a scene's ``[load]`` table.

    Parameters
    ----------
    table : anatviz.model.reader.Table
        The ``[load]`` table, which knows its file and key.
    model : HipModel, optional
        Unused for now; taken so that later checks can use the model.

    Returns
    -------
    LoadSpec

    Raises
    ------
    anatviz.model.AnatomyDataError
        One line naming the file, the key and the allowed values.
    """
    table.only("supports", "body_mass_kg", "height_m", "sex", "weights", "bands", "friction")
    supports = _supports(table)
    sex = table.str("sex", "male")
    if sex not in SEXES:
        raise table.error(f"expected one of {', '.join(SEXES)}, found {sex!r}", "sex")
    return LoadSpec(
        supports=supports,
        body_mass_kg=table.float("body_mass_kg", DEFAULT_BODY_MASS_KG, low=20.0, high=250.0),
        height_m=table.float("height_m", DEFAULT_HEIGHT_M, low=1.0, high=2.5),
        sex=sex,
        weights=tuple(_weight(t) for t in table.list_of_tables("weights", [])),
        bands=tuple(_band(t) for t in table.list_of_tables("bands", [])),
        friction=table.float("friction", DEFAULT_FRICTION_COEFFICIENT, low=0.0, high=2.0),
    )


def _supports(table: Table) -> tuple[str, ...]:
    names = table.strs("supports")
    for name in names:
        if name not in SUPPORTS:
            raise table.error(f"unknown support {name!r}; expected some of {', '.join(SUPPORTS)}", "supports")
    if not names or len(set(names)) != len(names):
        raise table.error(f"expected distinct supports from {', '.join(SUPPORTS)}, found {list(names)}",
                          "supports")
    lying = [n for n in names if n.startswith("lying_")]
    if lying and len(names) > 1:
        raise table.error(f"expected {lying[0]!r} alone (lying on a side rests the trunk and that leg on the "
                          f"floor), found {list(names)}", "supports")
    backs = [n for n in names if n in ("shoulders", "bench")]
    if len(backs) > 1 or backs and not any(n.startswith("foot_") for n in names):
        raise table.error(f"expected one of shoulders, bench with at least one of foot_r, foot_l (a bridge rests "
                          f"on the upper back and the feet), found {list(names)}", "supports")
    return tuple(names)


def _at(t: Table) -> str:
    at = t.str("at")
    if at not in LOAD_POINTS:
        raise t.error(f"expected one of {', '.join(LOAD_POINTS)}, found {at!r}", "at")
    return at


def _weight(t: Table) -> Weight:
    t.only("mass_kg", "at", "label")
    return Weight(t.float("mass_kg", low=0.0, high=500.0), _at(t), t.str("label", "weight"))


def _band(t: Table) -> Band:
    t.only("at", "anchor_m", "tension_n", "stiffness_n_per_m")
    anchor = t.vec3_m("anchor_m", max_norm_m=5.0)
    return Band(_at(t), anchor, t.float("tension_n", low=0.0, high=5000.0),
                t.float("stiffness_n_per_m", 0.0, low=0.0, high=1e5))
