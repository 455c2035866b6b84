"""Static optimisation: the activations that make the required joint moments with the least effort.

For each frame, with a_k the activation of actuator k (a muscle, or the lumped vasti), M_jk its moment
at coordinate j at full activation (moment arm times capacity) and tau_j the required moment::

    minimise   sum_k a_k^2  +  w^2 sum_j (sum_k M_jk a_k - tau_j)^2     subject to 0 <= a_k <= 1

The squared activations are the usual effort criterion of static optimisation (Anderson FC, Pandy MG
2001, Static and dynamic optimization solutions for gait are practically equivalent, J Biomech
34:153-161; OpenSim's static optimisation). The moment equations enter as a heavily weighted least
squares term instead of hard equalities, so that a task the muscles cannot meet still has a best
answer, with the moment they fall short by reported as the residual. With ``w`` = 1000 per N m a
residual of 1 N m costs as much as a million fully active muscles: wherever the muscles can make the
moments, they do, to within about 0.001 N m.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import lsq_linear

MOMENT_WEIGHT_PER_NM = 1000.0
"""w above: our choice, large enough that the moment equations hold to about 1e-3 N m wherever they
can, small enough to keep the stacked system well conditioned."""

SOLVER_TOLERANCE = 1e-13
"""``tol`` of ``scipy.optimize.lsq_linear``'s bounded-variable least squares. Its default (1e-10) stops
when the cost's relative change is below it, and with w^2 = 1e6 in the cost and many variables at their
bounds (the grip), a step that changes little stopped it far from the optimum (a back-squat frame ended at
an effort of 8.4 where 0.19 was reachable). So the tolerance is tighter, and every answer is checked for
optimality (:data:`OPTIMALITY_TOLERANCE`) and solved again by the trust-region method where it fails."""

OPTIMALITY_TOLERANCE = 0.05
"""Largest slope of the cost, per unit of a variable, allowed in a direction its bounds leave open. Our
choice: the heavily weighted moment terms leave a numerical slope of up to about 0.006 at true optima
(shipped exercises), while the early stop above left 4.3; the effort term a^2 / 2 of the cost has slope
a per unit, so 0.05 is the slope of one activation of 5%."""


def static_optimisation(moment_at_full_nm: NDArray[np.float64], required_nm: NDArray[np.float64], *,
                        lower: NDArray[np.float64] | float = 0.0, upper: NDArray[np.float64] | float = 1.0,
                        effort: NDArray[np.float64] | None = None, moment_weight: float = MOMENT_WEIGHT_PER_NM,
                        ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Least-effort activations, frame by frame.

    Parameters
    ----------
    moment_at_full_nm : (n, j, k) float
        Moment of actuator k about coordinate j at full activation (N m).
    required_nm : (n, j) float
        Moments the actuators must make together.
    lower, upper : float or (n, k) float
        Bounds of each variable (0 and 1 for muscles; -1 and 1 for the supports' grip).
    effort : (k,) float, optional
        Weight of each variable's square in the effort (1 for muscles, the default).
    moment_weight : float
        w, per N m.

    Returns
    -------
    activation : (n, k) float
        Within the bounds.
    residual_nm : (n, j) float
        Made minus required.

    Examples
    --------
    With one moment to make, each activation is in proportion to the actuator's moment at full
    activation: the stronger of two synergists works twice as hard and makes four fifths of the moment.

    >>> a, r = static_optimisation(np.array([[[10.0, 20.0]]]), np.array([[10.0]]))
    >>> np.round(a, 3).tolist(), bool(abs(r[0, 0]) < 1e-3)
    ([[0.2, 0.4]], True)
    """
    n, _, k = moment_at_full_nm.shape
    lower = np.broadcast_to(np.asarray(lower, float), (n, k))
    upper = np.broadcast_to(np.asarray(upper, float), (n, k))
    regular = np.diag(np.sqrt(np.ones(k) if effort is None else np.asarray(effort, float)))
    x = np.zeros((n, k))
    for frame in range(n):
        a = np.vstack([moment_weight * moment_at_full_nm[frame], regular])
        b = np.concatenate([moment_weight * required_nm[frame], np.zeros(k)])
        lo, hi = lower[frame], np.maximum(upper[frame], lower[frame] + 1e-12)
        x[frame] = lsq_linear(a, b, bounds=(lo, hi), method="bvls", tol=SOLVER_TOLERANCE).x
        if not _optimal(a, b, x[frame], lo, hi):  # the other method, and the better of the two answers
            other = lsq_linear(a, b, bounds=(lo, hi), method="trf", lsq_solver="exact", tol=SOLVER_TOLERANCE,
                               max_iter=10_000).x
            if _cost(a, b, other) < _cost(a, b, x[frame]):
                x[frame] = other
    x = np.clip(x, lower, upper)
    residual = np.einsum("njk,nk->nj", moment_at_full_nm, x) - required_nm
    return x, residual


def _optimal(a: NDArray[np.float64], b: NDArray[np.float64], x: NDArray[np.float64], lower: NDArray[np.float64],
             upper: NDArray[np.float64]) -> bool:
    """Whether ``x`` (k,) minimises ``|a x - b|^2 / 2`` within the bounds: the cost's gradient vanishes
    along every variable that is free to move, and points out of the bounds at the variables held by them
    (the Karush-Kuhn-Tucker conditions), to :data:`OPTIMALITY_TOLERANCE`."""
    gradient = a.T @ (a @ x - b)
    span = np.maximum(upper - lower, 1e-12)
    could_fall = x > lower + 1e-9 * span
    could_rise = x < upper - 1e-9 * span
    return not (np.any(could_fall & (gradient > OPTIMALITY_TOLERANCE))
                or np.any(could_rise & (gradient < -OPTIMALITY_TOLERANCE)))


def _cost(a: NDArray[np.float64], b: NDArray[np.float64], x: NDArray[np.float64]) -> float:
    """``|a x - b|^2 / 2``, the cost both solvers minimise."""
    r = a @ x - b
    return 0.5 * float(r @ r)
