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
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel
from .analysis import activations
from .loads import LoadSpec

PASSIVE_STIFFNESS_NM_PER_DEG = 5.0
"""The passive lateral hip tissues' resistance to adduction beyond level stance, N m per degree of drop.
Our choice, not a measurement (see the module docstring): with it, the pelvis of a stance leg whose
superior gluteal nerve muscles are paralysed drops about 9 degrees, well within the searched range."""

MAX_DROP_DEG = 20.0
"""The largest drop searched: the stance hip then adducts about 26 degrees, within the model's 30."""

STEP_DEG = 0.5
"""Grid of drops on which the deficit is computed; the crossing is interpolated linearly between."""

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
    deficit = abduction_deficit_nm(model, stance_pose_deg, drops, strength, load)
    excess = deficit - stiffness_nm_per_deg * drops  # > 0: the pelvis keeps dropping
    holding = np.flatnonzero(excess <= 1e-6)
    if len(holding) == 0:
        drop, held = MAX_DROP_DEG, False
    elif holding[0] == 0:
        drop, held = 0.0, True
    else:
        i = holding[0]
        share = excess[i - 1] / (excess[i - 1] - excess[i])
        drop, held = float(drops[i - 1] + share * STEP_DEG), True
    drop = round(drop, 1)
    pose = dropped_pose(stance_pose_deg, np.array([drop]))
    return PelvisDrop(drop, held, round(float(pose["pelvis_list"][0]), 1),
                      round(float(pose["hip_adduction_r"][0]), 1), float(deficit[0]))
