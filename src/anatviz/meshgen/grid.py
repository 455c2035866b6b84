"""Sample a signed-distance field on a regular grid near its surface, and contour it.

A coarse pass evaluates every 4th node; each refinement halves the spacing and evaluates only the
nodes of cells that may hold surface (a corner within half a cell diagonal of it), so a bone costs
a few hundred thousand field evaluations instead of millions. Far from the surface only the sign
of the returned values is meaningful, which is all marching cubes needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pyvista as pv
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Field = Callable[[FloatArray], FloatArray]

_REFINEMENTS = 2  # the first pass samples every 2**_REFINEMENTS-th node
_LIPSCHITZ = 1.25  # allowance for fields that are bounds rather than exact distances
_CHUNK = 131_072  # points per field evaluation, to bound memory


def _evaluate(field: Field, points: FloatArray) -> FloatArray:
    """Evaluate ``field`` on ``points : (n, 3) float`` in chunks; returns ``(n,) float``."""
    out = np.empty(len(points))
    for start in range(0, len(points), _CHUNK):
        out[start : start + _CHUNK] = field(points[start : start + _CHUNK])
    return out


def _grid_points(origin: FloatArray, spacing: float, index: NDArray[np.int64]) -> FloatArray:
    """Positions of grid nodes ``index : (n, 3) int``; returns ``(n, 3) float``."""
    return origin + spacing * index


def _active_nodes(values: FloatArray, margin: float) -> NDArray[np.bool_]:
    """Nodes of a twice finer grid that lie in cells of ``values`` that may hold surface.

    A cell can hold surface only if one of its corners is within ``margin`` of it.

    Parameters
    ----------
    values : (nx, ny, nz) float
    margin : float

    Returns
    -------
    (2 nx - 1, 2 ny - 1, 2 nz - 1) bool
    """
    near = np.abs(values) < margin
    cells = tuple(n - 1 for n in values.shape)
    active = np.zeros(cells, dtype=bool)
    for dx, dy, dz in np.ndindex(2, 2, 2):
        active |= near[dx : dx + cells[0], dy : dy + cells[1], dz : dz + cells[2]]
    block = np.kron(active, np.ones((2, 2, 2), dtype=bool))
    nodes = np.zeros(tuple(2 * n + 1 for n in cells), dtype=bool)
    for dx, dy, dz in np.ndindex(2, 2, 2):
        nodes[dx : dx + block.shape[0], dy : dy + block.shape[1], dz : dz + block.shape[2]] |= block
    return nodes


def sample_field(
    field: Field, bounds: Sequence[Sequence[float]], spacing: float
) -> tuple[FloatArray, FloatArray]:
    """Sample a signed-distance field on a regular grid, finely only near its surface.

    The grid is refined by halving the spacing _REFINEMENTS times; at each level only the nodes
    of cells that may hold surface are evaluated, the others keep the sign of the coarser level
    (the field must be Lipschitz within _LIPSCHITZ for that to hold).

    Parameters
    ----------
    field : callable
        ``points : (n, 3) float -> (n,) float``.
    bounds : (2, 3) float
        Lower and upper corner of the box.
    spacing : float
        Fine grid spacing in metres.

    Returns
    -------
    values : (nx, ny, nz) float
        Field values; far from the surface only their sign is meaningful.
    origin : (3,) float
        Position of node (0, 0, 0).
    """
    lo, hi = np.asarray(bounds, dtype=float)
    step = spacing * 2**_REFINEMENTS
    cells = np.ceil((hi - lo) / step).astype(int)
    index = np.indices(tuple(cells + 1)).reshape(3, -1).T
    values = _evaluate(field, _grid_points(lo, step, index)).reshape(tuple(cells + 1))
    for _ in range(_REFINEMENTS):
        margin = _LIPSCHITZ * 0.5 * np.sqrt(3.0) * step
        nodes = _active_nodes(values, margin)
        placeholder = np.where(values > 0.0, margin, -margin)
        for axis in range(3):  # node i of the finer grid keeps the sign of coarse node i // 2
            placeholder = np.repeat(placeholder, 2, axis=axis)
        values = np.ascontiguousarray(placeholder[: nodes.shape[0], : nodes.shape[1], : nodes.shape[2]])
        step /= 2.0
        values[nodes] = _evaluate(field, _grid_points(lo, step, np.argwhere(nodes)))
    values[values == 0.0] = 1e-9  # exact zeros on nodes make non-manifold contours
    return values, lo


def contour(values: FloatArray, origin: FloatArray, spacing: float) -> tuple[FloatArray, NDArray[np.int64]]:
    """Extract the zero level of a sampled field.

    Parameters
    ----------
    values : (nx, ny, nz) float
    origin : (3,) float
    spacing : float

    Returns
    -------
    vertices : (n, 3) float
    faces : (m, 3) int
    """
    grid = pv.ImageData(dimensions=values.shape, spacing=(spacing,) * 3, origin=tuple(origin))
    grid.point_data["sdf"] = values.ravel(order="F")
    surface = grid.contour([0.0], scalars="sdf", method="flying_edges").triangulate()
    return np.asarray(surface.points, dtype=float), surface.regular_faces.astype(np.int64)
