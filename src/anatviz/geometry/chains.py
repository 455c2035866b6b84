"""The state of the wrapped segments' chains of wrap slots, over frames (see :mod:`.paths`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from .paths import Slots

LENGTHENING_TIE_M = 1e-12
"""Candidates of one surface use that lengthen the path by as little as each other, to this, tie; the
first is kept. On symmetric geometry the last bit of rounding would otherwise keep both, or either."""


class Chains:
    """The state of every wrapped segment's chain of slots over ``n`` frames (world frame).

    A chain of K slots has nodes start, T1_0, T2_0, ..., T1_{K-1}, T2_{K-1}, end and 2K + 1 links:
    straight between T2_{k-1} and T1_k, over slot k's surface between T1_k and T2_k. A slot that does
    not wrap has T1 = T2 = the node before it, so its links have no length.
    """

    def __init__(self, ends: NDArray[np.float64], slots: Slots, to_world: NDArray[np.float64], *,
                 arcs: bool = True) -> None:
        """``ends`` (2, n, W, 3): the wrapped segments' starts and ends; ``to_world`` (n, s, 4, 4): the
        surfaces' frames; ``arcs``: keep what :meth:`sample` needs."""
        self.ends, self.slots, self.to_world = ends, slots, to_world
        n, W = ends.shape[1:3]
        K = slots.table.shape[1]
        J = slots.segment.size
        self.nodes = np.zeros((n, W, 2 * K + 2, 3))  # start, T1_0, T2_0, ..., T1_{K-1}, T2_{K-1}, end
        self.nodes[:, :, 0], self.nodes[:, :, -1] = ends
        self.start, self.end = self.nodes[:, :, 0], self.nodes[:, :, -1]
        self.t1, self.t2 = self.nodes[:, :, 1:-1:2], self.nodes[:, :, 2:-1:2]  # (n, W, K, 3) views
        self.engaged = np.zeros((n, W, K), dtype=bool)
        self.arc_length = np.zeros((n, W, K))  # 0 where a slot does not wrap
        self.arc = self.arc_rotation = self.arc_origin = None
        if arcs:
            self.arc_rotation = np.zeros((n, J, 3, 3))  # plane frame -> world
            self.arc_origin = np.zeros((n, J, 3))
            self.arc = np.zeros((5, n, J))  # radius, theta1, dtheta, z1, z2
        self._every_frame = np.arange(n)[:, None]
        self._link_lengths = None
        self._fresh = True

    def neighbours(self, group, frames: NDArray[np.intp] | None = None) -> NDArray[np.float64]:
        """Where the path of each slot of ``group`` (a :class:`SlotGroup`) comes from and goes to:
        (2, f, j, 3), for ``frames`` (default all)."""
        f = slice(None) if frames is None else frames[:, None]
        if self._fresh:  # nothing solved yet: every slot runs between its segment's ends
            return self.ends[:, f, group.segment]
        engaged, t1, t2 = self.engaged[f, group.chain], self.t1[f, group.chain], self.t2[f, group.chain]
        ends = self.ends[:, f, group.chain]
        out = np.empty((2,) + t1.shape)
        current = ends[0]
        for i in range(engaged.shape[2]):
            out[0, :, :, i] = current
            current = np.where(engaged[:, :, i, None], t2[:, :, i], current)
        current = ends[1]
        for i in reversed(range(engaged.shape[2])):
            out[1, :, :, i] = current
            current = np.where(engaged[:, :, i, None], t1[:, :, i], current)
        return out[:, :, group.row, group.position]

    def update(self, group, frames, keep, tangents, arc_length, rotation, origin, arc) -> None:
        """Record the solution of the slots of ``group`` in ``frames`` (None: all): where ``keep``
        (f, j), the path goes over the surface from ``tangents[0]`` to ``tangents[1]`` (2, f, j, 3)
        along the arc ``arc`` (5 arrays (f, j), see :attr:`.wrapping.CylinderWrap.arc`) in the frame
        ``rotation`` (f, j, 3, 3), ``origin`` (f, j, 3)."""
        w, k = group.segment, group.position
        f = self._every_frame if frames is None else frames[:, None]
        self._fresh = False
        self.engaged[f, w, k] = keep
        self.nodes[f, w, group.node] = tangents
        self.arc_length[f, w, k] = np.where(keep, arc_length, 0.0)
        if self.arc is not None:
            self.arc_rotation[f, group.at] = rotation
            self.arc_origin[f, group.at] = origin
            self.arc[:, f, group.at] = np.stack(np.broadcast_arrays(*arc))

    def snapshot(self, group, frames: NDArray[np.intp]) -> tuple[NDArray, NDArray]:
        """Engagement (f, j) and tangent points (2, f, j, 3) of the slots of ``group`` in ``frames``."""
        f = frames[:, None]
        return self.engaged[f, group.segment, group.position], self.nodes[f, group.segment, group.node]

    def moved(self, group, frames: NDArray[np.intp], before: tuple[NDArray, NDArray]) -> NDArray[np.float64]:
        """(f,) how far the tangent points of the slots of ``group`` moved since ``before`` (metres;
        infinite where a slot came on or went off)."""
        engaged, tangents = self.snapshot(group, frames)
        step = np.sqrt(((tangents - before[1]) ** 2).sum(axis=-1)).max(axis=0)
        step = np.where(engaged & before[0], step, 0.0)
        step = np.where(engaged != before[0], np.inf, step)
        return step.max(axis=1)

    def settle(self) -> None:
        """Put the tangent points of slots that do not wrap on the node before them (no length)."""
        current = self.start
        for i in range(self.engaged.shape[2]):
            on = self.engaged[:, :, i, None]
            self.t1[:, :, i] = np.where(on, self.t1[:, :, i], current)
            self.t2[:, :, i] = np.where(on, self.t2[:, :, i], current)
            current = self.t2[:, :, i]

    def _links(self) -> NDArray[np.float64]:
        """(n, W, 2K + 1) lengths of the links between the nodes: straight, or over a surface (computed
        once: call after :meth:`settle`)."""
        if self._link_lengths is None:
            step = np.diff(self.nodes, axis=2)
            self._link_lengths = np.sqrt((step * step).sum(axis=-1))
            self._link_lengths[:, :, 1::2] = self.arc_length
        return self._link_lengths

    def lengths(self) -> NDArray[np.float64]:
        """(n, W) length of every wrapped segment's path."""
        return self._links().sum(axis=-1)

    def sample(self, count: int) -> NDArray[np.float64]:
        """(n, W, count, 3): points evenly spaced by length along every wrapped segment's path, the
        last at its end (the start is left out)."""
        nodes, links = self.nodes, self._links()
        n, W, L = links.shape
        cum = np.zeros((n, W, L + 1))
        np.cumsum(links, axis=-1, out=cum[..., 1:])
        target = cum[..., -1:] * (np.arange(1, count + 1) / count)  # (n, W, count)
        link = np.zeros(target.shape, dtype=np.intp)  # the link each sample lies on
        for i in range(1, L):
            link += cum[..., i, None] < target
        # one flat index per sample into the (n, W, L + 1) nodes and cum (and the (n, W, L) links)
        at = link + np.arange(0, n * W * (L + 1), L + 1).reshape(n, W, 1)
        span = np.take(links, at - at // (L + 1))
        f = np.minimum(np.maximum((target - np.take(cum, at)) / np.maximum(span, 1e-15), 0.0), 1.0)
        flat_nodes = nodes.reshape(-1, 3)
        a, b = flat_nodes[at], flat_nodes[at + 1]
        out = a + f[..., None] * (b - a)
        # points on a surface: link 2k + 1 is slot table[w, k]
        on = np.nonzero((link % 2 == 1) & (span > 0.0))
        if on[0].size:
            slot = self.slots.table[on[1], (link[on] - 1) // 2]
            radius, theta1, dtheta, z1, z2 = self.arc[:, on[0], slot]
            g = f[on]
            angle = theta1 + g * dtheta
            local = np.stack([radius * np.cos(angle), radius * np.sin(angle), z1 + g * (z2 - z1)], axis=-1)
            rotation, origin = self.arc_rotation[on[0], slot], self.arc_origin[on[0], slot]
            out[on] = np.einsum("kij,kj->ki", rotation, local) + origin
        return out


class SlotGroup:
    """Slots solved in one call (``at``), with what the solve needs of them, gathered once.

    Parameters
    ----------
    slots : Slots
    at : (j,) int
    radius, length, qaxis, qsign, sphere : (J,)
        Per slot of ``slots``: its surface's radius, length, quadrant axis and sign, and whether it is a
        sphere.

    Attributes
    ----------
    at : (j,) int
        The slots.
    segment, position : (j,) int
        Each slot's wrapped segment and chain position.
    node : (2, 1, j) int
        Where each slot's tangent points are among its chain's nodes (see :class:`Chains`).
    chain, row : (c,) int, (j,) int
        The wrapped segments the slots lie on, and each slot's index into them.
    use, shared_use : (j,) int, bool
        Each slot's surface use; whether any use has several slots here (then only the least
        lengthening of them is kept).
    surface : (j,) int
        Each slot's surface.
    radius, length, qsign : (1, j) float
        Surface radius and length, and quadrant sign (0 for 'all'), per slot.
    qaxis : (1, j) int
        Quadrant axis per slot.
    has_sphere : bool
        Whether any of the surfaces is a sphere.
    """

    def __init__(self, slots: Slots, at: NDArray[np.intp], radius: NDArray[np.float64],
                 length: NDArray[np.float64], qaxis: NDArray[np.intp], qsign: NDArray[np.float64],
                 sphere: NDArray[np.bool_]) -> None:
        self.at = at
        self.segment, self.position, self.use = slots.segment[at], slots.position[at], slots.use[at]
        self.chain, self.row = np.unique(self.segment, return_inverse=True)
        self.shared_use = len(np.unique(self.use)) < len(at)
        self.surface = slots.surface[at]
        self.radius, self.length, self.qaxis, self.qsign = (x[at][None] for x in
                                                            (radius, length, qaxis, qsign))
        self.has_sphere = bool(sphere[at].any())
        self.node = (1 + 2 * self.position + np.arange(2)[:, None])[:, None]  # (2, 1, j): T1, T2 in the chain

    def parameters(self, frames: int) -> tuple[NDArray, NDArray, NDArray, NDArray]:
        """Radius, length, quadrant axis and quadrant sign per slot: (1, j), or (frames, j) views where
        the sphere branch of :meth:`.paths.MusclePaths._solve` needs them per frame."""
        values = self.radius, self.length, self.qaxis, self.qsign
        if frames == 1 or not self.has_sphere:
            return values
        return tuple(np.broadcast_to(x, (frames, x.shape[1])) for x in values)


def to_local(to_world: NDArray[np.float64], points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Map world points into the frames of rigid transforms, without inverting them.

    Parameters
    ----------
    to_world : (..., 4, 4) float
        Rigid transforms (local to world).
    points : (..., 3) float
        World points, broadcast against ``to_world``'s leading dimensions.

    Returns
    -------
    (..., 3) float
    """
    return ((points - to_world[..., :3, 3])[..., None, :] @ to_world[..., :3, :3])[..., 0, :]


def least_lengthening(wrapped: NDArray[np.bool_], lengthening: NDArray[np.float64],
                       group: NDArray[np.intp], n_groups: int) -> NDArray[np.bool_]:
    """Per frame and group (a muscle's use of one surface), keep only the wrapped candidate that
    lengthens the path least: the first of those within :data:`LENGTHENING_TIE_M` of the least.

    Parameters
    ----------
    wrapped, lengthening : (n, j)
    group : (j,) int
        Group of each candidate.

    Returns
    -------
    (n, j) bool
    """
    score = np.where(wrapped, lengthening, np.inf)
    best = np.full((score.shape[0], n_groups), np.inf)
    np.minimum.at(best.T, group, score.T)
    near = wrapped & (score <= best[:, group] + LENGTHENING_TIE_M)
    order = np.arange(group.size)
    first = np.full((score.shape[0], n_groups), group.size)
    np.minimum.at(first.T, group, np.where(near, order, group.size).T)
    return near & (order == first[:, group])
