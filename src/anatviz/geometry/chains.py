"""The state of the wrapped segments' chains of wrap slots, over frames (see :mod:`.paths`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from .transforms import invert_rigid

if TYPE_CHECKING:
    from .paths import Slots


class Chains:
    """The state of every wrapped segment's chain of slots over ``n`` frames (world frame).

    A chain of K slots has nodes start, T1_0, T2_0, ..., T1_{K-1}, T2_{K-1}, end and 2K + 1 links:
    straight between T2_{k-1} and T1_k, over slot k's surface between T1_k and T2_k. A slot that does
    not wrap has T1 = T2 = the node before it, so its links have no length.
    """

    def __init__(self, start: NDArray[np.float64], end: NDArray[np.float64], slots: Slots,
                 to_world: NDArray[np.float64], n: int) -> None:
        self.start, self.end, self.slots, self.to_world = start, end, slots, to_world
        self.to_local = invert_rigid(to_world)
        W, K = slots.table.shape
        J = slots.segment.size
        self.engaged = np.zeros((n, W, K), dtype=bool)
        self.t1 = np.zeros((n, W, K, 3))
        self.t2 = np.zeros((n, W, K, 3))
        self.arc_length = np.zeros((n, J))
        self.arc_rotation = np.zeros((n, J, 3, 3))  # plane frame -> world
        self.arc_origin = np.zeros((n, J, 3))
        self.arc = np.zeros((5, n, J))  # radius, theta1, dtheta, z1, z2

    def neighbours(self, group, frames: NDArray[np.intp] | None = None
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Where the path of each slot of ``group`` (a :class:`.paths._Group`) comes from and goes to:
        (f, j, 3) each, for ``frames`` (default all)."""
        w, k = group.row, self.slots.position[group.at]
        f = slice(None) if frames is None else frames[:, None]
        engaged, t1, t2, start, end = (a[f, group.chain] for a in (self.engaged, self.t1, self.t2, self.start,
                                                                   self.end))
        K = engaged.shape[2]
        before = np.empty(t1.shape)
        after = np.empty(t1.shape)
        current = start
        for i in range(K):
            before[:, :, i] = current
            current = np.where(engaged[:, :, i, None], t2[:, :, i], current)
        current = end
        for i in reversed(range(K)):
            after[:, :, i] = current
            current = np.where(engaged[:, :, i, None], t1[:, :, i], current)
        return before[:, w, k], after[:, w, k]

    def update(self, at, frames, keep, first, last, arc_length, rotation, origin, arc) -> None:
        """Record the solution of slots ``at`` in ``frames`` (None: all): where ``keep``, the path goes
        over the surface."""
        w, k = self.slots.segment[at], self.slots.position[at]
        f = slice(None) if frames is None else frames[:, None]
        self.engaged[f, w, k] = keep
        self.t1[f, w, k] = first
        self.t2[f, w, k] = last
        self.arc_length[f, at] = np.where(keep, arc_length, 0.0)
        self.arc_rotation[f, at] = rotation
        self.arc_origin[f, at] = origin
        self.arc[:, f, at] = arc

    def snapshot(self, at: NDArray[np.intp], frames: NDArray[np.intp]) -> tuple[NDArray, ...]:
        """Engagement and tangent points of slots ``at`` in ``frames``: (f, j) and (f, j, 3) x 2."""
        w, k = self.slots.segment[at], self.slots.position[at]
        f = frames[:, None]
        return self.engaged[f, w, k], self.t1[f, w, k], self.t2[f, w, k]

    def moved(self, at: NDArray[np.intp], frames: NDArray[np.intp], before: tuple[NDArray, ...]
              ) -> NDArray[np.float64]:
        """(f,) how far the tangent points of slots ``at`` moved since ``before`` (metres; infinite where
        a slot came on or went off)."""
        engaged, t1, t2 = self.snapshot(at, frames)
        step = np.maximum(np.linalg.norm(t1 - before[1], axis=-1), np.linalg.norm(t2 - before[2], axis=-1))
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

    def _nodes_and_links(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Nodes (n, W, 2K + 2, 3) and link lengths (n, W, 2K + 1)."""
        n, W, K = self.engaged.shape
        tangents = np.stack([self.t1, self.t2], axis=3).reshape(n, W, 2 * K, 3)
        nodes = np.concatenate([self.start[:, :, None], tangents, self.end[:, :, None]], axis=2)
        links = np.linalg.norm(np.diff(nodes, axis=2), axis=-1)
        table = self.slots.table
        arcs = np.where(table >= 0, self.arc_length[:, np.maximum(table, 0)], 0.0)  # (n, W, K)
        links[:, :, 1::2] = np.where(self.engaged, arcs, 0.0)
        return nodes, links

    def lengths(self) -> NDArray[np.float64]:
        """(n, W) length of every wrapped segment's path."""
        return self._nodes_and_links()[1].sum(axis=-1)

    def sample(self, count: int) -> NDArray[np.float64]:
        """(n, W, count, 3): points evenly spaced by length along every wrapped segment's path, the
        last at its end (the start is left out)."""
        nodes, links = self._nodes_and_links()
        n, W, L = links.shape
        cum = np.concatenate([np.zeros((n, W, 1)), np.cumsum(links, axis=-1)], axis=-1)
        target = cum[..., -1:] * (np.arange(1, count + 1) / count)  # (n, W, count)
        link = np.minimum((cum[..., None, 1:L] < target[..., None]).sum(axis=-1), L - 1)
        frame, segment = np.arange(n)[:, None, None], np.arange(W)[None, :, None]
        span = links[frame, segment, link]
        f = np.clip((target - cum[frame, segment, link]) / np.maximum(span, 1e-15), 0.0, 1.0)
        a, b = nodes[frame, segment, link], nodes[frame, segment, link + 1]
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


def least_lengthening(wrapped: NDArray[np.bool_], lengthening: NDArray[np.float64],
                       group: NDArray[np.intp], n_groups: int) -> NDArray[np.bool_]:
    """Per frame and group (a muscle's use of one surface), keep only the wrapped candidate that
    lengthens the path least.

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
    return wrapped & (score == best[:, group])

