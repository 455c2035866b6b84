"""The answer of the activation model: everything per frame, in one immutable record.

The gluteus-maximus-to-hamstrings ratio
---------------------------------------
At each frame, ``g`` is the mean activation of the gluteus maximus bundles (all three, both sides)
weighted by their maximum isometric forces, and ``h`` the same for the hamstrings that cross the hip
(biceps femoris long head, semitendinosus, semimembranosus; the short head does not act at the hip).
The ratio is ``g / h``: in model terms, the surface-EMG ratio that training studies compare. It is NaN
where ``h`` is below 1% (the hamstrings silent). Over a motion, :meth:`ActivationResult.mean_ratio` is
the ratio of the means, ``mean(g) / mean(h)``, which weights each frame by how hard it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .equilibrium import Statics

ACTUATORS = ("vasti_r", "vasti_l")
"""Actuators that are not drawn muscles: the lumped knee extensors (see :mod:`.analysis`)."""

RATIO_FLOOR = 0.01
"""Hamstring activation below which the gluteus-maximus-to-hamstrings ratio is undefined (NaN)."""


@dataclass(frozen=True)
class ActivationResult:
    """Everything per frame for ``n`` frames, ``m`` muscles and ``c`` coordinates.

    Attributes
    ----------
    muscles : list of str
    coordinates : list of str
    solved : list of str
        Coordinates whose moments the muscles make (hips and knees, both sides).
    times_s : (n,) float
    q_deg : (n, c) float
    max_force_n : (m,) float
        Published maximum isometric forces (not scaled by strength).
    strength : (m,) float
        Strength factors (1 = healthy).
    activation : (n, m) float
        In [0, 1].
    vasti_activation : (n, 2) float
        The lumped knee extensors (not drawn), right and left.
    force_n : (n, m) float
        Activation times capacity: tendon force.
    capacity_n : (n, m) float
        Force at full activation: strength x F_max x f_L x cos(pennation).
    normalised_fibre_length : (n, m) float
    lengths_m : (n, m) float
        Musculotendon lengths.
    moment_arms_m : (n, m, c) float
        NaN where a muscle does not cross a coordinate.
    required_moment_nm : (n, c) float
        What the task needs the muscles to make (see :mod:`.equilibrium`).
    made_moment_nm : (n, c) float
        What the muscles and the vasti make.
    passive_moment_nm : (n, c) float
        What the locked straight knee resists without muscles.
    grip_moment_nm : (n, c) float
        What the supports' friction (sideways and fore-aft) and twist add (:mod:`.friction`).
    residual_moment_nm : (n, c) float
        Made + passive + grip - required at the solved coordinates, 0 elsewhere: the moment the muscles
        fall short by (0 wherever they can do the task).
    grip : dict of str to (n,) float
        Each grip variable as a share of its friction limit: a pair's push in [-1, 1], 0 in frames where
        the pair does not exist; a support's twist such that its whole twist (with its own free moment,
        ``statics.grip.support_twist_nm``) stays within its limit.
    statics : Statics
        Reactions, centres of pressure, balance.
    gluteus_maximus_activation, hamstrings_activation, ratio : (n,) float
        See the module docstring.
    """

    muscles: list[str]
    coordinates: list[str]
    solved: list[str]
    times_s: NDArray[np.float64]
    q_deg: NDArray[np.float64]
    max_force_n: NDArray[np.float64]
    strength: NDArray[np.float64]
    activation: NDArray[np.float64]
    vasti_activation: NDArray[np.float64]
    force_n: NDArray[np.float64]
    capacity_n: NDArray[np.float64]
    normalised_fibre_length: NDArray[np.float64]
    lengths_m: NDArray[np.float64]
    moment_arms_m: NDArray[np.float64]
    required_moment_nm: NDArray[np.float64]
    made_moment_nm: NDArray[np.float64]
    passive_moment_nm: NDArray[np.float64]
    grip_moment_nm: NDArray[np.float64]
    residual_moment_nm: NDArray[np.float64]
    grip: dict[str, NDArray[np.float64]]
    statics: Statics
    gluteus_maximus_activation: NDArray[np.float64]
    hamstrings_activation: NDArray[np.float64]
    ratio: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.times_s)

    def mean_ratio(self) -> float:
        """mean(g) / mean(h) over the frames; NaN if the hamstrings are silent throughout."""
        h = float(self.hamstrings_activation.mean())
        return float(self.gluteus_maximus_activation.mean()) / h if h >= RATIO_FLOOR else float("nan")

    def weighted_activation(self, muscles: list[str]) -> NDArray[np.float64]:
        """Mean activation of some muscles weighted by their maximum isometric forces, per frame: (n,)."""
        return weighted_activation(self.activation, self.max_force_n, [self.muscles.index(m) for m in muscles])

    def moment_nm(self, muscles: list[str], coordinate: str) -> NDArray[np.float64]:
        """Moment the named muscles make together about a coordinate, per frame: (n,)."""
        index = [self.muscles.index(m) for m in muscles]
        arms = np.nan_to_num(self.moment_arms_m[:, index, self.coordinates.index(coordinate)])
        return (arms * self.force_n[:, index]).sum(axis=1)

    def summary(self) -> dict[str, dict[str, float]]:
        """Mean and peak activation of every muscle, then the vasti, over the frames."""
        names = [*self.muscles, *ACTUATORS]
        values = np.concatenate([self.activation, self.vasti_activation], axis=1)
        return {name: {"mean": float(a.mean()), "peak": float(a.max())} for name, a in zip(names, values.T)}


def weighted_activation(activation: NDArray[np.float64], max_force_n: NDArray[np.float64],
                        index: list[int]) -> NDArray[np.float64]:
    """Force-weighted mean of ``activation[:, index]``: (n, m) -> (n,)."""
    weights = max_force_n[index]
    return activation[:, index] @ weights / weights.sum()


def ratio_of(g: NDArray[np.float64], h: NDArray[np.float64]) -> NDArray[np.float64]:
    """g / h per frame, NaN where h < :data:`RATIO_FLOOR`."""
    return np.where(h >= RATIO_FLOOR, g / np.maximum(h, RATIO_FLOOR), np.nan)
