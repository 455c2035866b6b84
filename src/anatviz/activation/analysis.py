"""Activations over a motion: statics, muscle capacities and static optimisation in one call.

:func:`activations` returns an :class:`~.result.ActivationResult` holding everything per frame, so that
the renderer, the command line, the plots and the tests read the same numbers.

Besides the drawn muscles, three things can make joint moments, each documented where it is defined:
the lumped vasti (knee extension, which every squat needs and the model does not draw), the locked
straight knee (passive), and the supports' grip (:mod:`.friction`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel, Motion
from ..scene.frames import scene_values
from ..scene.motion import frame_times
from ..scene.schema import Scene
from .equilibrium import Statics, solve_statics
from .friction import balance_grip
from .loads import LoadSpec
from .muscle import capacity_n, fibre_length
from .optimise import static_optimisation
from .result import ACTUATORS, ActivationResult, ratio_of, weighted_activation

PLANES = {
    "all": ("hip_flexion", "hip_adduction", "hip_rotation", "knee_flexion"),
    "sagittal": ("hip_flexion", "knee_flexion"),
}
"""Coordinate families whose moments the muscles must make, on both sides. ``'all'`` (the model) asks
for all three axes of each hip and the knees; ``'sagittal'`` only for hip flexion-extension and the
knees, a teaching comparison that shows what the frontal and transverse planes cost."""

VASTI_MAX_FORCE_N = 5148.77 + 2747.82 + 1697.36
VASTI_COS_PENNATION = (5148.77 * np.cos(0.25287) + 2747.82 * np.cos(0.42222)
                       + 1697.36 * np.cos(0.06310)) / VASTI_MAX_FORCE_N
"""The vasti (lateralis, medialis, intermedius), which the hip model does not draw but every squat
needs: maximum isometric forces and pennation angles (rad) of vaslat_r, vasmed_r and vasint_r in
Rajagopal et al. (2016), as distributed in OpenSim's Rajagopal2015.osim."""

VASTI_MOMENT_ARM_M = 0.045
"""Knee-extension moment arm of the lumped vasti. Our choice, held constant: within the 4 to 6 cm peak
moment arms of the patellar tendon measured by Krevolin JL, Pandy MG, Pearce JC (2004) Moment arm of the
patellar tendon in the human knee, J Biomech 37:785-788 (somewhat less near full extension)."""

KNEE_LOCK_MOMENT_NM = 100.0
KNEE_LOCK_FREE_DEG = 5.0
"""A straight knee locks: at full extension the posterior capsule and the cruciate ligaments resist
hyperextension, so a moment that would hyperextend it needs no muscle (standard anatomy; e.g. the
straight stance leg, or a band pulling a straight leg forward). Our choice of numbers: up to 100 N m at
0 degrees, fading linearly to nothing at 5 degrees of flexion."""

FREE_EFFORT = 1e-4
"""Effort weight of the passive knee lock and of the supports' grip: our choice, small so that they are
used whenever they help, yet not zero, so that the solution is unique."""


RESOLVE_TOLERANCE_NM = 1e-3
"""Where balancing the grip about the vertical moves a joint moment by more than this, the muscles are
solved again with the grip held (:func:`activations`): the optimiser's own tolerance (:mod:`.optimise`)."""


def ratio_muscles(model: HipModel) -> tuple[list[str], list[str]]:
    """The gluteus maximus bundles and the hamstrings that cross the hip, both sides."""
    hamstrings = [m for m in model.groups["hamstrings"] if any(c.startswith("hip_") for c in model.crossed[m])]
    return list(model.groups["gluteus_maximus"]), hamstrings


def strength_factors(model: HipModel, strength: Mapping[str, float] | None) -> tuple[NDArray, NDArray]:
    """Strength per muscle (m,) and per vasti actuator (2,) from ``{muscle or group: factor}``.

    Raises
    ------
    ValueError
        Naming an unknown muscle or group, or a factor outside [0, 1].
    """
    muscles = np.ones(len(model.muscles))
    vasti = np.ones(len(ACTUATORS))
    for name, factor in (strength or {}).items():
        if not 0.0 <= float(factor) <= 1.0:
            raise ValueError(f"strength of {name!r}: expected a factor between 0 and 1, found {factor}")
        if name in ("vasti", *ACTUATORS):
            vasti[[i for i, a in enumerate(ACTUATORS) if name in ("vasti", a)]] = factor
            continue
        members = model.groups.get(name, [name] if name in model.data.muscles else None)
        if members is None:
            raise ValueError(f"unknown muscle or group {name!r}; expected a muscle, vasti, vasti_r, vasti_l or "
                             f"a group ({', '.join(model.groups)})")
        muscles[[model.muscles.index(m) for m in members]] = factor
    return muscles, vasti


def scene_frames(scene: Scene, *, fps: float | None = None, times_s: NDArray[np.float64] | None = None,
                 ) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
    """A scene's frame times and coordinate values (degrees), every coordinate an (n,) array."""
    if times_s is None:
        times_s = frame_times(scene.motion, fps) if scene.motion is not None else np.zeros(1)
    values = scene_values(scene, times_s if scene.motion is not None else None)
    n = len(times_s)
    frames = {k: np.broadcast_to(np.asarray(v, float), (n,)).copy() for k, v in values.items()}
    return np.asarray(times_s, float), frames


def activations(model: HipModel, scene_or_frames: Scene | Mapping[str, NDArray[np.float64] | float],
                load: LoadSpec | None = None, *, strength: Mapping[str, float] | None = None,
                fps: float | None = None, times_s: NDArray[np.float64] | None = None,
                planes: str = "all") -> ActivationResult:
    """Estimate every muscle's activation at every frame of a motion under a load.

    Parameters
    ----------
    model : HipModel
    scene_or_frames : Scene or mapping of str to float or (n,) float
        A scene (its motion, sampled at ``fps`` or at ``times_s``, and its ``[load]``), or coordinate
        values in degrees.
    load : LoadSpec, optional
        Overrides the scene's load; required with plain frames.
    strength : mapping of str to float, optional
        ``{muscle or group: factor}``: 0.5 halves a muscle's capacity (a weak gluteus maximus is
        ``{"gluteus_maximus": 0.5}``); ``vasti`` weakens the lumped knee extensors. With a scene, these
        go on top of the scene's ``[strength]`` (:func:`merged_strength`). A scene's ``[pelvis_drop]``
        stays as the scene has it (solved for the scene's own strength): to let these strengths move the
        pelvis, pass ``trendelenburg.scene_with_drop(model, scene, strength)``.
    fps : float, optional
        Frame rate for a scene (its own by default).
    times_s : (n,) float, optional
        Times for a scene instead of every frame.
    planes : {'all', 'sagittal'}
        Which hip moments the muscles must make (see :data:`PLANES`).

    Returns
    -------
    ActivationResult

    Raises
    ------
    ValueError
        No load, an unknown ``planes``, or an unknown muscle or a bad factor in ``strength``.
    anatviz.PoseError
        A coordinate out of range.
    """
    if planes not in PLANES:
        raise ValueError(f"planes: expected one of {', '.join(PLANES)}, found {planes!r}")
    if isinstance(scene_or_frames, Scene):
        times, values = scene_frames(scene_or_frames, fps=fps, times_s=times_s)
        load = load or scene_or_frames.load
        strength = merged_strength(scene_or_frames.strength, strength)
    else:
        values = {k: np.atleast_1d(np.asarray(v, float)) for k, v in scene_or_frames.items()}
        times = np.arange(max((len(v) for v in values.values()), default=1), dtype=float)
    if load is None:
        raise ValueError("no load: the scene has no [load] table and none was given")
    muscle_strength, vasti_strength = strength_factors(model, strength)
    motion = model.compute(values or None, paths=False, moment_arms=True)
    statics = solve_statics(model, load, np.radians(motion.q_deg))
    solved = [f"{family}_{side}" for side in ("r", "l") for family in PLANES[planes]]
    return _solve(model, motion, times, statics, muscle_strength, vasti_strength, solved)


def merged_strength(scene_strength: Mapping[str, float],
                    strength: Mapping[str, float] | None = None) -> dict[str, float]:
    """A scene's ``[strength]`` with ``strength`` on top: the scene's entries not named again first,
    then ``strength`` in its own order (so that a group named there overrides a side the scene names).

    Examples
    --------
    >>> merged_strength({"gluteus_maximus_r": 0.3, "vasti": 0.5}, {"gluteus_maximus": 1.0, "vasti": 0.8})
    {'gluteus_maximus_r': 0.3, 'gluteus_maximus': 1.0, 'vasti': 0.8}
    """
    explicit = dict(strength or {})
    return {**{k: v for k, v in scene_strength.items() if k not in explicit}, **explicit}


def muscle_capacity(model: HipModel, motion: Motion, strength: NDArray[np.float64],
                    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Maximum isometric forces (m,), normalised fibre lengths (n, m) and capacities (n, m) of a motion."""
    records = [model.muscle(m) for m in motion.muscles]
    max_force = np.array([r.max_isometric_force_n for r in records])
    optimal_m = np.array([r.optimal_fiber_length_m for r in records])
    fibre_m, cos_pennation = fibre_length(motion.lengths_m, optimal_m, [r.tendon_slack_length_m for r in records],
                                          [r.pennation_deg for r in records])
    normalised = fibre_m / optimal_m
    return max_force, normalised, capacity_n(max_force, normalised, cos_pennation, strength)


def _actuators(motion: Motion, capacity: NDArray, vasti_strength: NDArray, statics: Statics) -> NDArray:
    """Generalised force of every variable at full activation, (n, c, k): muscles, vasti, knee lock, grip."""
    n = len(motion.q_deg)
    muscles = np.einsum("nmc,nm->ncm", np.nan_to_num(motion.moment_arms_m), capacity)
    vasti = np.zeros((n, len(motion.coordinates), 2))
    lock = np.zeros_like(vasti)
    for k, side in enumerate(("r", "l")):
        column = motion.coordinates.index(f"knee_flexion_{side}")
        vasti[:, column, k] = -VASTI_MOMENT_ARM_M * VASTI_MAX_FORCE_N * VASTI_COS_PENNATION * vasti_strength[k]
        lock[:, column, k] = knee_lock_nm(motion.q_deg[:, column])
    return np.concatenate([muscles, vasti, lock, statics.grip.generalised_nm], axis=2)


def _solve(model: HipModel, motion: Motion, times: NDArray, statics: Statics, muscle_strength: NDArray,
           vasti_strength: NDArray, solved: list[str]) -> ActivationResult:
    max_force, normalised, capacity = muscle_capacity(model, motion, muscle_strength)
    full = _actuators(motion, capacity, vasti_strength, statics)
    m, f = len(motion.muscles), len(statics.grip.names)
    columns = [motion.coordinates.index(c) for c in solved]
    # the grip's moments about the vertical and the fore-aft axis must vanish: two more equations,
    # weighted like the joint moments
    n = len(motion.q_deg)
    balance = np.concatenate([np.zeros((n, 2, m + 4)), np.stack([statics.grip.yaw_nm, statics.grip.roll_nm], axis=1)],
                             axis=2)
    lower = np.concatenate([np.zeros((n, m + 4)), statics.grip.lower], axis=1)
    upper = np.concatenate([np.ones((n, m + 4)), statics.grip.upper], axis=1)
    effort = np.concatenate([np.ones(m + 2), np.full(2 + f, FREE_EFFORT)])
    a, b = full[:, columns], statics.required_moment_nm[:, columns]
    x, _ = static_optimisation(np.concatenate([a, balance], axis=1), np.concatenate([b, np.zeros((n, 2))], axis=1),
                               lower=lower, upper=upper, effort=effort)
    # then exactly: the grip nudged into balance, and wherever that moves a joint moment by more than the
    # optimiser's own tolerance (where the muscles fall short, they would lean on the imbalance), the
    # muscles solved again with the balanced grip held
    balanced = balance_grip(statics.grip, x[:, m + 4:])
    moved = np.abs(np.einsum("njf,nf->nj", a[:, :, m + 4:], balanced - x[:, m + 4:])).max(axis=1, initial=0.0)
    x[:, m + 4:] = balanced
    again = np.flatnonzero(moved > RESOLVE_TOLERANCE_NM)
    if len(again):
        held_lower, held_upper = lower[again].copy(), upper[again].copy()
        held_lower[:, m + 4:] = held_upper[:, m + 4:] = balanced[again]
        x[again], _ = static_optimisation(a[again], b[again], lower=held_lower, upper=held_upper, effort=effort)
    made, passive, grip = (np.einsum("nck,nk->nc", full[:, :, part], x[:, part])
                           for part in (slice(0, m + 2), slice(m + 2, m + 4), slice(m + 4, None)))
    residual = np.zeros_like(statics.required_moment_nm)
    residual[:, columns] = (made + passive + grip - statics.required_moment_nm)[:, columns]
    activation = x[:, :m]
    gmax, hamstrings = ratio_muscles(model)
    g = weighted_activation(activation, max_force, [motion.muscles.index(mu) for mu in gmax])
    h = weighted_activation(activation, max_force, [motion.muscles.index(mu) for mu in hamstrings])
    return ActivationResult(
        muscles=list(motion.muscles), coordinates=list(motion.coordinates), solved=solved, times_s=times,
        q_deg=motion.q_deg, max_force_n=max_force, strength=muscle_strength, activation=activation,
        vasti_activation=x[:, m:m + 2], force_n=activation * capacity, capacity_n=capacity,
        normalised_fibre_length=normalised, lengths_m=motion.lengths_m, moment_arms_m=motion.moment_arms_m,
        required_moment_nm=statics.required_moment_nm, made_moment_nm=made, passive_moment_nm=passive,
        grip_moment_nm=grip, residual_moment_nm=residual, grip=dict(zip(statics.grip.names, x[:, m + 4:].T)),
        statics=statics, gluteus_maximus_activation=g, hamstrings_activation=h, ratio=ratio_of(g, h))


def knee_lock_nm(knee_flexion_deg: NDArray[np.float64]) -> NDArray[np.float64]:
    """The knee-flexion moment a (nearly) straight knee resists without muscles: (n,) -> (n,) N m.

    Examples
    --------
    >>> knee_lock_nm(np.array([0.0, 2.5, 10.0])).tolist()
    [100.0, 50.0, 0.0]
    """
    share = np.clip((KNEE_LOCK_FREE_DEG - knee_flexion_deg) / KNEE_LOCK_FREE_DEG, 0.0, 1.0)
    return KNEE_LOCK_MOMENT_NM * share
