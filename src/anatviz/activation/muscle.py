"""A muscle's force capacity at its current length: rigid tendon, constant-thickness pennation and the
active force-length relation.

Equations (a Hill-type muscle at rest, i.e. isometric: no force-velocity term)::

    l_f   = sqrt((L - l_ts)^2 + (l_opt sin a0)^2)     fibre length, rigid tendon, constant thickness
    cos a = (L - l_ts) / l_f                           pennation at that length
    f_L   = exp(-(l_f / l_opt - 1)^2 / gamma)           active force-length, Thelen (2003)
    C     = s * F_max * f_L * cos a                     capacity along the tendon, strength factor s

Passive fibre force is left out on purpose. The exponential passive curve (Thelen 2003) is calibrated
for normalised fibre lengths up to about 1.5; the published hamstring paths reach 1.7 to 1.95 at
90 degrees of straight-leg hip flexion, where the curve gives 5 to 18 times the maximum isometric force,
which no real hamstring carries. Adding it would let an artefact of the paths decide the hip moments at
the bottom of the Romanian deadlift. The normalised fibre length is reported instead, so that a lecturer
can still show that a muscle is stretched.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

FORCE_LENGTH_WIDTH = 0.45
"""gamma, the width of the Gaussian active force-length curve: Thelen DG (2003) Adjustment of muscle
mechanics model parameters to simulate dynamic contractions in older adults. J Biomech Eng 125:70-77
(the value for all muscles; OpenSim's Thelen2003Muscle ``KshapeActive``)."""


def active_force_length(normalised_fibre_length: ArrayLike) -> NDArray[np.float64]:
    """The active force-length multiplier f_L of Thelen (2003).

    Parameters
    ----------
    normalised_fibre_length : (...) float
        Fibre length over optimal fibre length.

    Returns
    -------
    (...) float
        In (0, 1]; 1 at the optimal length.

    Examples
    --------
    >>> float(active_force_length(1.0))
    1.0
    >>> bool(active_force_length(0.5) < active_force_length(0.8) < 1.0)
    True
    """
    x = np.asarray(normalised_fibre_length, dtype=float)
    return np.exp(-((x - 1.0) ** 2) / FORCE_LENGTH_WIDTH)


def fibre_length(length_m: ArrayLike, optimal_fibre_length_m: ArrayLike, tendon_slack_length_m: ArrayLike,
                 pennation_deg: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Fibre length and the cosine of pennation, for a rigid tendon and a muscle of constant thickness.

    Parameters
    ----------
    length_m : (n, m) float
        Musculotendon lengths.
    optimal_fibre_length_m, tendon_slack_length_m, pennation_deg : (m,) float
        Per muscle; pennation at the optimal fibre length.

    Returns
    -------
    fibre_length_m : (n, m) float
    cos_pennation : (n, m) float
        In [0, 1]; 0 where the musculotendon is shorter than its tendon (the fibres stand across).

    Examples
    --------
    A muscle at optimal fibre length along the tendon line has its published pennation:

    >>> lf, c = fibre_length([[0.1 + 0.3 * np.cos(np.radians(20))]], [0.3], [0.1], [20.0])
    >>> round(float(lf[0, 0]), 6), round(float(np.degrees(np.arccos(c[0, 0]))), 6)
    (0.3, 20.0)
    """
    along_m = np.maximum(np.asarray(length_m, float) - np.asarray(tendon_slack_length_m, float), 0.0)
    height_m = np.asarray(optimal_fibre_length_m, float) * np.sin(np.radians(pennation_deg))
    fibre_m = np.hypot(along_m, height_m)
    return fibre_m, np.divide(along_m, fibre_m, out=np.zeros_like(fibre_m), where=fibre_m > 0)


def capacity_n(max_force_n: ArrayLike, normalised_fibre_length: ArrayLike, cos_pennation: ArrayLike,
               strength: ArrayLike = 1.0) -> NDArray[np.float64]:
    """The force a fully active muscle can put on its tendon at its current length.

    Parameters
    ----------
    max_force_n : (m,) float
    normalised_fibre_length, cos_pennation : (n, m) float
    strength : float or (m,) float
        1 for a healthy muscle; 0.5 for one at half strength.

    Returns
    -------
    (n, m) float
        Newtons, between 0 and ``strength * max_force_n``.
    """
    return (np.asarray(strength, float) * np.asarray(max_force_n, float)
            * active_force_length(normalised_fibre_length) * np.asarray(cos_pennation, float))
