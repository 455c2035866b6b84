"""Trendelenburg, computed: how far the pelvis drops on the swing side when the stance abductors are weak.

Single-leg stance on the right leg, the left knee lifted (the Trendelenburg test). The stance hip must
make an abduction moment that holds the pelvis against the weight of the trunk, the head, the arms and
the lifted leg. When the abductors cannot make it, the pelvis drops on the swing side.

The rule
--------
The pelvis rotates about the stance hip (``pelvis_list`` toward the swing side by ``drop``), and the
stance femur keeps its place under the body (``hip_adduction_r`` grows by the same ``drop``), so the stance
hip adducts. The trunk rides on the pelvis (the model has no lumbar joint). At every drop the
activation model (:func:`anatviz.activation.activations`, with the given strength factors) finds the
least-effort activations, each at most 1; the *deficit* is the abduction moment the muscles then fall
short by (its residual). Passive lateral hip tissues (iliotibial band, capsule), which the activation
model does not have, are given here as one linear rotational spring that resists adduction beyond the
level stance::

    passive_nm(drop) = PASSIVE_STIFFNESS_NM_PER_DEG * drop

The pelvis drop is the smallest ``drop`` at which ``deficit(drop) <= passive_nm(drop)``: the muscles,
working at most fully, and the passive tissues together hold the pelvis.

What the model computes, and what it does not
---------------------------------------------
- Computed: whether the abductors can hold a level pelvis (full strength: deficit 0, no drop), and how
  the deficit grows as the pelvis drops. It grows, for two computed reasons: the trunk tilts with the
  pelvis toward the swing side, moving the body's centre of mass away from the stance hip (the moment
  needed rises from about 57 to about 98 N m over 20 degrees of drop), and the abductors lengthen past
  their optimal fibre length (they work on the descending limb of the force-length curve), so their
  capacity falls. The drop therefore never helps the muscles: a weak abductor cannot pull the pelvis
  back up, and only passive tissue stops the fall.
- Not measured: the spring. No in-vivo stiffness of the lateral hip tissues in stance was at hand;
  :data:`PASSIVE_STIFFNESS_NM_PER_DEG` is our choice. It sets the size of the drop (stiffer: smaller);
  the order (weaker abductors, larger drop; full strength, level pelvis) does not depend on it.
- Not modelled: leaning the trunk over the stance leg (the compensated Trendelenburg or Duchenne
  pattern), which moves the centre of mass toward the stance hip and lowers the moment needed, and the
  dynamics of gait. The stance is on the right leg only.

In a scene
----------
A scene file's ``[pelvis_drop]`` (:class:`anatviz.scene.PelvisDropSpec`) declares its drop solved:
:func:`scene_with_drop` solves it for the scene's strength when the scene is read and again for each
new strength (a view's strength slider), and :func:`motion_with_drop` drops the keyframes it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel
from ..scene.motion import sample_motion
from ..scene.schema import Keyframe, MotionSpec, Scene
from .analysis import activations, merged_strength, strength_factors
from .loads import LoadSpec
from .result import weighted_activation

PASSIVE_STIFFNESS_NM_PER_DEG = 5.0
"""The passive lateral hip tissues' resistance to adduction beyond level stance, N m per degree of drop.
Our choice, not a measurement (see the module docstring): with it, the pelvis of a stance leg whose
superior gluteal nerve muscles are paralysed drops about 9 degrees, well within the searched range."""

MAX_DROP_DEG = 20.0
"""The largest drop searched: the stance hip then adducts about 26 degrees, within the model's 30."""

STEP_DEG = 0.5
"""Grid of drops on which the deficit is computed; the crossing is interpolated linearly between."""

CHUNK_STEPS = 8
"""The grid is computed in chunks of this many drops, stopping at the first chunk where the pelvis holds
(the answer is the grid's first crossing all the same): level first alone, so that muscles strong enough
to hold a level pelvis cost one frame of the activation model; then from the last drop below the level
deficit over the stiffness, which the pelvis must pass since the deficit only grows as it drops."""

HOLD_TOLERANCE_NM = 1e-6
"""The pelvis holds where the deficit exceeds the spring's moment by at most this."""

STANCE_LOAD = LoadSpec(supports=("foot_r",))
"""Body weight on the right foot, the default body (75 kg, 1.70 m)."""

SUPERIOR_GLUTEAL = ("gluteus_medius_r", "gluteus_minimus_r", "tensor_fasciae_latae_r")
"""The stance-side muscles of the superior gluteal nerve (L4 to S1): the hip abductors a Trendelenburg
sign tests. The seed (Dr. de Castro, 'Let's talk booty') names the nerve for medius and minimus; the
tensor fasciae latae shares it (its card in the model data)."""


@dataclass(frozen=True)
class PelvisDrop:
    """The answer for one set of strength factors.

    Attributes
    ----------
    drop_deg : float
        How far the pelvis drops on the swing side (0: level), at most :data:`MAX_DROP_DEG`.
    held : bool
        False when even :data:`MAX_DROP_DEG` does not hold (the drop is then that maximum).
    pelvis_list_deg, stance_adduction_deg : float
        The pose at the drop: ``pelvis_list`` (negative: the left side down) and ``hip_adduction_r``.
    level_deficit_nm : float
        The abduction moment the muscles fall short by with the pelvis level (0 when they hold it).
    """

    drop_deg: float
    held: bool
    pelvis_list_deg: float
    stance_adduction_deg: float
    level_deficit_nm: float


def dropped_pose(stance_pose_deg: Mapping[str, float], drop_deg: NDArray[np.float64]) -> dict[str, NDArray]:
    """The stance pose with the pelvis dropped on the left (swing) side: (n,) drops -> (n,) per coordinate.

    ``pelvis_list`` falls by ``drop`` (positive list lowers the right side) and ``hip_adduction_r`` rises by
    it, so that the stance femur keeps its orientation in the world.
    """
    drop = np.atleast_1d(np.asarray(drop_deg, float))
    out = {k: np.full(drop.shape, float(v)) for k, v in stance_pose_deg.items()}
    out["pelvis_list"] = out.get("pelvis_list", np.zeros(drop.shape)) - drop
    out["hip_adduction_r"] = out.get("hip_adduction_r", np.zeros(drop.shape)) + drop
    return out


def abduction_deficit_nm(model: HipModel, stance_pose_deg: Mapping[str, float], drop_deg: NDArray[np.float64],
                         strength: Mapping[str, float] | None = None, load: LoadSpec = STANCE_LOAD,
                         ) -> NDArray[np.float64]:
    """The stance hip's abduction moment the muscles fall short by, at each drop: (n,) -> (n,) N m, >= 0."""
    result = activations(model, dropped_pose(stance_pose_deg, drop_deg), load, strength=strength)
    c = result.coordinates.index("hip_adduction_r")
    required = result.required_moment_nm[:, c]
    return np.maximum(result.residual_moment_nm[:, c] * -np.sign(required), 0.0)


def pelvis_drop(model: HipModel, stance_pose_deg: Mapping[str, float], strength: Mapping[str, float] | None = None,
                *, stiffness_nm_per_deg: float = PASSIVE_STIFFNESS_NM_PER_DEG, load: LoadSpec = STANCE_LOAD,
                ) -> PelvisDrop:
    """How far the pelvis drops in single-leg stance on the right leg with these strength factors.

    Parameters
    ----------
    model : HipModel
    stance_pose_deg : mapping of str to float
        The level stance (e.g. ``{'hip_adduction_r': 5.8, 'hip_flexion_l': 45, 'knee_flexion_l': 90}``).
    strength : mapping of str to float, optional
        ``{muscle or group: factor}`` as for :func:`~anatviz.activation.activations`.
    stiffness_nm_per_deg : float
        The passive spring (see the module docstring).

    Returns
    -------
    PelvisDrop

    Examples
    --------
    Full strength holds the pelvis level; paralysed superior gluteal muscles let it drop:

    >>> import anatviz
    >>> model = anatviz.load_model()
    >>> stance = {"hip_adduction_r": 5.8, "hip_flexion_l": 45.0, "knee_flexion_l": 90.0}
    >>> pelvis_drop(model, stance).drop_deg
    0.0
    >>> bool(pelvis_drop(model, stance, {m: 0.0 for m in SUPERIOR_GLUTEAL}).drop_deg > 3)
    True
    """
    if not stiffness_nm_per_deg > 0:
        raise ValueError(f"stiffness_nm_per_deg: expected a positive number, found {stiffness_nm_per_deg}")
    drops = np.arange(0.0, MAX_DROP_DEG + STEP_DEG / 2, STEP_DEG)
    excess = np.full(len(drops), np.nan)  # deficit less the spring's moment: > 0, the pelvis keeps dropping

    def compute(lo: int, hi: int) -> None:
        deficit = abduction_deficit_nm(model, stance_pose_deg, drops[lo:hi], strength, load)
        excess[lo:hi] = deficit - stiffness_nm_per_deg * drops[lo:hi]

    compute(0, 1)
    level_deficit_nm = float(excess[0])
    below_deg = level_deficit_nm / stiffness_nm_per_deg
    i = 0 if excess[0] <= HOLD_TOLERANCE_NM else _first_holding(excess, compute, below_deg)
    if i is None:
        drop, held = MAX_DROP_DEG, False
    elif i == 0:
        drop, held = 0.0, True
    else:
        share = excess[i - 1] / (excess[i - 1] - excess[i])
        drop, held = float(drops[i - 1] + share * STEP_DEG), True
    drop = round(drop, 1)
    pose = dropped_pose(stance_pose_deg, np.array([drop]))
    return PelvisDrop(drop, held, round(float(pose["pelvis_list"][0]), 1),
                      round(float(pose["hip_adduction_r"][0]), 1), level_deficit_nm)


def _first_holding(excess: NDArray[np.float64], compute: Callable[[int, int], None], below_deg: float,
                   ) -> int | None:
    """The first grid drop (index, from 1) at which the pelvis holds, computing ``excess`` in chunks from
    the last drop below ``below_deg`` (the level deficit over the stiffness: the deficit does not fall as
    the pelvis drops, so the pelvis keeps dropping at least that far); from the first drop if that drop
    already holds after all. None when no drop of the grid holds."""
    n = len(excess)
    start = lo = int(np.clip(np.ceil(below_deg / STEP_DEG) - 1, 1, n - 1))
    while lo < n:
        hi = min(lo + CHUNK_STEPS, n)
        compute(lo, hi)
        if lo == start > 1 and excess[start] <= HOLD_TOLERANCE_NM:  # the deficit fell: search from level
            start = lo = 1
            continue
        holding = np.flatnonzero(excess[lo:hi] <= HOLD_TOLERANCE_NM)
        if len(holding):
            return lo + int(holding[0])
        lo = hi
    return None


# -- a scene whose pelvis drop is solved ([pelvis_drop], see anatviz.scene.schema.PelvisDropSpec) --------
def scene_stance_deg(scene: Scene) -> dict[str, float]:
    """The level stance a scene's ``[pelvis_drop]`` is solved at: every coordinate the scene names, at its
    first dropping keyframe, before the drop."""
    assert scene.pelvis_drop is not None and scene.motion is not None
    values = sample_motion(scene.motion, np.array(scene.pelvis_drop.at_time_s[:1]), scene.pose_deg)
    return {name: float(v[0]) for name, v in values.items()}


def scene_with_drop(model: HipModel, scene: Scene, strength: Mapping[str, float] | None = None) -> Scene:
    """``scene`` with its ``[pelvis_drop]`` solved by :func:`pelvis_drop` for the scene's ``[strength]``
    with ``strength`` on top (merged as :func:`~anatviz.activation.activations` merges them), under the
    scene's ``[load]``; a scene without ``[pelvis_drop]`` comes back as it is.

    Each answer is kept (per model, stance, strength and load; the last 256), so that a strength slider
    going back to a value it had costs nothing: a solve costs one frame of the activation model when the
    muscles hold the pelvis level, 9 to 17 when they do not (about 0.05 to 0.6 s on 2 cores; see
    benchmarks/bench_trendelenburg.py).
    """
    spec = scene.pelvis_drop
    if spec is None:
        return scene
    merged = merged_strength(scene.strength, strength)
    result = _solved(model, tuple(scene_stance_deg(scene).items()), tuple(merged.items()), scene.load)
    return scene.with_changes(pelvis_drop=replace(spec, drop_deg=result.drop_deg, held=result.held))


@lru_cache(maxsize=256)
def _solved(model: HipModel, stance: tuple, strength: tuple, load: LoadSpec) -> PelvisDrop:
    return pelvis_drop(model, dict(stance), dict(strength), load=load)


def motion_with_drop(scene: Scene) -> MotionSpec | None:
    """The scene's motion as drawn: the keyframes its ``[pelvis_drop]`` names dropped by the solved drop
    (:func:`dropped_pose`); the motion as written without one."""
    spec, motion = scene.pelvis_drop, scene.motion
    if spec is not None and spec.drop_deg is None:
        raise ValueError(f"{scene.name}: [pelvis_drop] is not solved; read the scene with load_scene or "
                         "pass it through scene_with_drop")
    if spec is None or motion is None or spec.drop_deg == 0.0:
        return motion
    dropped = dropped_pose(scene_stance_deg(scene), np.array([spec.drop_deg]))
    changed = {name: float(dropped[name][0]) for name in ("pelvis_list", "hip_adduction_r")}
    keyframes = tuple(Keyframe(kf.time_s, {**kf.values_deg, **changed}) if kf.time_s in spec.at_time_s else kf
                      for kf in motion.keyframes)
    return replace(motion, keyframes=keyframes)


def abductor_strength(model: HipModel, scene: Scene, strength: Mapping[str, float] | None = None) -> float:
    """The strength factor of a ``[pelvis_drop]`` scene's stance abductors (0 to 1) under its
    ``[strength]`` with ``strength`` on top: their mean, weighted by maximum isometric force."""
    assert scene.pelvis_drop is not None
    factors, _ = strength_factors(model, merged_strength(scene.strength, strength))
    members = {m for name in scene.pelvis_drop.muscles for m in model.groups.get(name, [name])}
    index = [i for i, m in enumerate(model.muscles) if m in members]
    force = np.array([model.muscle(m).max_isometric_force_n for m in model.muscles])
    return float(weighted_activation(factors[None], force, index)[0])
