"""The activation model's answer for every frame of a scene, ready to draw (no rendering).

A scene with ``highlight.mode = "activation"`` colours each muscle by its activation, which
:func:`anatviz.activation.activations` estimates under the scene's ``[load]``. :class:`ActivationTrack`
holds it per frame with what the on-screen readout needs (length, fibre length, force capacity) and the
gluteus-maximus-to-hamstrings ratio per side. After a strength change it recomputes only the frame on
screen at once (about 20 ms) and every other frame when it is next shown, so that a strength slider
stays responsive and a playing animation stays right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel
from .schema import Scene

SIDES = ("r", "l")


@dataclass(frozen=True)
class MuscleState:
    """Every muscle at one frame (``m`` muscles, in the model's order).

    Attributes
    ----------
    activation : (m,) float
        0 to 1.
    capacity_share : (m,) float
        Force at full activation over the maximum isometric force: strength x force-length x
        cos(pennation) at the current fibre length, 0 to 1.
    normalised_fibre_length : (m,) float
        Fibre length over optimal fibre length.
    lengths_m : (m,) float
        Musculotendon lengths.
    ratio : dict of str to float
        Gluteus maximus to hamstrings (see :mod:`anatviz.activation.result`) for each side ``'r'``,
        ``'l'`` and for both together ``'both'``; NaN where those hamstrings are silent.
    """

    activation: NDArray[np.float64]
    capacity_share: NDArray[np.float64]
    normalised_fibre_length: NDArray[np.float64]
    lengths_m: NDArray[np.float64]
    ratio: dict[str, float]


class ActivationTrack:
    """Activations of a scene's frames under its load, recomputed when the strength changes.

    Parameters
    ----------
    model : HipModel
    scene : Scene
        With a ``[load]``.
    times_s : (n,) float
        The frames' times (ignored for a scene without a motion: one frame).
    strength : mapping of str to float, optional
        ``{muscle or group: factor}``; the scene's ``[strength]`` by default.
    """

    def __init__(self, model: HipModel, scene: Scene, times_s: NDArray[np.float64],
                 strength: Mapping[str, float] | None = None) -> None:
        from ..activation import ratio_muscles

        self.model, self.scene = model, scene
        self.times_s = np.atleast_1d(np.asarray(times_s, float))
        self.strength = dict(scene.strength if strength is None else strength)
        self.muscles = list(model.muscles)
        self.max_force_n = np.array([model.muscle(m).max_isometric_force_n for m in self.muscles])
        gmax, hamstrings = ratio_muscles(model)
        index = self.muscles.index
        self._ratio_sets = {"both": ([index(m) for m in gmax], [index(m) for m in hamstrings])}
        for side in SIDES:
            self._ratio_sets[side] = ([index(m) for m in gmax if m.endswith(f"_{side}")],
                                      [index(m) for m in hamstrings if m.endswith(f"_{side}")])
        self._states: list[MuscleState | None] = [None] * len(self.times_s)
        self._fill(np.arange(len(self.times_s)))

    def __len__(self) -> int:
        return len(self.times_s)

    def frame(self, index: int) -> MuscleState:
        """The muscles at frame ``index`` (computed now if a strength change left it stale)."""
        if self._states[index] is None:
            self._fill(np.array([index]))
        state = self._states[index]
        assert state is not None
        return state

    def set_strength(self, strength: Mapping[str, float], *, now: int | None = None,
                     scene: Scene | None = None) -> None:
        """New strength factors: frame ``now`` is recomputed at once, the others when next asked for.
        ``scene``: the scene posed anew for them (a re-solved ``[pelvis_drop]``), at the same times.

        Raises
        ------
        ValueError
            An unknown muscle or group, or a factor outside [0, 1] (before anything changes).
        """
        from ..activation import strength_factors

        strength_factors(self.model, strength)  # check first
        self.strength = dict(strength)
        self.scene = self.scene if scene is None else scene
        self._states = [None] * len(self.times_s)
        if now is not None:
            self.frame(now)

    def at_pose(self, pose_deg: Mapping[str, float]) -> MuscleState:
        """The muscles at one held pose (degrees; coordinates not named are 0) under the scene's load."""
        from ..activation import activations

        result = activations(self.model, {k: float(v) for k, v in pose_deg.items()}, self.scene.load,
                             strength=self.strength)
        return self._states_of(result)[0]

    # -- computing ---------------------------------------------------------------------------------
    def _fill(self, indices: NDArray[np.intp]) -> None:
        from ..activation import activations

        times = self.times_s[indices] if self.scene.motion is not None else None
        result = activations(self.model, self.scene, strength=self.strength, times_s=times)
        for i, state in zip(indices, self._states_of(result)):
            self._states[int(i)] = state

    def _states_of(self, result) -> list[MuscleState]:
        order = [result.muscles.index(m) for m in self.muscles]
        activation = result.activation[:, order]
        capacity = result.capacity_n[:, order] / self.max_force_n
        fibre = result.normalised_fibre_length[:, order]
        lengths = result.lengths_m[:, order]
        ratios = {key: self._ratio(activation, g, h) for key, (g, h) in self._ratio_sets.items()}
        return [MuscleState(activation[k], capacity[k], fibre[k], lengths[k],
                            {key: float(r[k]) for key, r in ratios.items()}) for k in range(len(activation))]

    def _ratio(self, activation: NDArray[np.float64], g: list[int], h: list[int]) -> NDArray[np.float64]:
        from ..activation.result import ratio_of, weighted_activation

        if not g or not h:
            return np.full(len(activation), np.nan)
        return ratio_of(weighted_activation(activation, self.max_force_n, g),
                        weighted_activation(activation, self.max_force_n, h))
