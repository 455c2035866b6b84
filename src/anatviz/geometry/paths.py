"""Muscle paths and lengths for many frames at once.

Every muscle's points are stacked into one array, posed with one product per bone, and the wrap
surfaces are solved for every candidate segment of every muscle at once (one vectorised call per surface
shape and pass). A muscle's polyline has the same number of points in every pose (needed to update drawn
tubes in place):

- a muscle without a wrap surface: its path points; an inactive conditional via point sits on the
  fixed point before it, so it adds no length;
- a muscle with wrap surfaces: the origin, then ``WRAP_SAMPLES`` points along each segment, evenly
  spaced by length along the segment's path over its surfaces (so the points move continuously as a
  wrap comes on and off).

Wrapping follows OpenSim's ``GeometryPath``: each wrap surface is tried on every segment in its range
(`wrap_range`, or all) and kept on the one it lengthens least. A muscle's surfaces are applied in the
data's order, each to the path the others left: on a segment that several surfaces share, a surface's
path runs from the previous wrapped surface's last tangent point (or the segment's start) to the next
wrapped surface's first tangent point (or the segment's end). Where surfaces share a segment the pass
is repeated ``ROUNDS`` times, as OpenSim iterates, so that each surface's tangents run to its
neighbours' tangent points rather than to the segment's ends. A fixed number of passes keeps the
lengths smooth in the pose between the poses where a wrap comes on or off.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model import AnatomyData
from .kinematics import Skeleton
from .transforms import apply, invert_rigid, rigid, xyz_body_rotation
from .wrapping import wrap_cylinder, wrap_sphere

WRAP_SAMPLES = 32
"""Points per segment of a muscle that has a wrap surface."""

ROUNDS = 3
"""Passes over the surfaces of a muscle that has more than one surface on a segment."""


@dataclass(frozen=True)
class PathState:
    """Paths of all muscles over ``n`` frames.

    Attributes
    ----------
    lengths_m : (n, m) float
        Musculotendon lengths, muscles in :attr:`MusclePaths.muscles` order.
    polylines : list of (n, k_i, 3) float, or None
        World-frame points of each muscle (None when only lengths were asked for).
    wrapped : (n, m) bool
        Whether the muscle's path goes over any of its wrap surfaces.
    """

    lengths_m: NDArray[np.float64]
    polylines: list[NDArray[np.float64]] | None
    wrapped: NDArray[np.bool_]


@dataclass(frozen=True)
class _Slots:
    """Where each wrap surface of each muscle may act: one slot per (surface use, segment in range).

    Wrapped segments (every segment of a muscle with a surface) are numbered ``w``; each has a chain
    of up to ``K`` slots in the order the surfaces are applied (``table[w, k]``, -1 where empty).
    """

    table: NDArray[np.intp]        # (W, K) slot at chain position k of wrapped segment w, or -1
    segment: NDArray[np.intp]      # (J,) wrapped segment of each slot
    position: NDArray[np.intp]     # (J,) chain position of each slot
    use: NDArray[np.intp]          # (J,) surface use (muscle, surface) of each slot
    surface: NDArray[np.intp]      # (J,) index into the compiled surfaces
    stage: NDArray[np.intp]        # (J,) order of the use among its muscle's surfaces
    repeated: NDArray[np.bool_]    # (J,) the slot's use shares a segment with another use
    use_muscle: NDArray[np.intp]   # (U,) muscle of each use


class MusclePaths:
    """All muscle paths of a model, compiled for evaluation over frames.

    Parameters
    ----------
    data : AnatomyData
    skeleton : Skeleton
        Compiled from the same data; gives bone and coordinate order.
    """

    def __init__(self, data: AnatomyData, skeleton: Skeleton) -> None:
        self.muscles = list(data.muscles)
        bone_index = {b: i for i, b in enumerate(skeleton.bones)}
        coord_index = {c: i for i, c in enumerate(skeleton.coordinates)}

        body, local, cond, lo, hi, prev, first = [], [], [], [], [], [], []
        seg_start, seg_end, seg_muscle = [], [], []
        for m, name in enumerate(self.muscles):
            first.append(len(body))
            for i, point in enumerate(data.muscles[name].path):
                index = len(body)
                body.append(bone_index[point.bone])
                local.append(point.position_m)
                condition = point.active_when
                cond.append(-1 if condition is None else coord_index[condition.coordinate])
                lo.append(np.radians(condition.range_deg[0]) if condition else 0.0)
                hi.append(np.radians(condition.range_deg[1]) if condition else 0.0)
                prev.append(index - 1 if condition else index)
                if i > 0:
                    seg_start.append(index - 1)
                    seg_end.append(index)
                    seg_muscle.append(m)
        self._body = np.array(body)
        self._by_bone = {b: np.flatnonzero(self._body == b) for b in np.unique(self._body)}
        self._local = np.array(local, dtype=float)
        self._cond = np.array(cond)
        self._cond_lo, self._cond_hi = np.array(lo), np.array(hi)
        self._prev = np.array(prev)
        self._conditional = np.flatnonzero(self._cond >= 0)
        self._seg_start, self._seg_end = np.array(seg_start), np.array(seg_end)
        self._seg_muscle = np.array(seg_muscle)
        self._muscle_first_segment = np.searchsorted(self._seg_muscle, np.arange(len(self.muscles)))
        self.has_wrap = np.array([bool(data.muscles[n].path_wraps) for n in self.muscles])
        self._compile_surfaces(data, bone_index)
        self._compile_slots(data)
        self._compile_polylines(first)

    # -- compiling ------------------------------------------------------------------------------
    def _compile_surfaces(self, data: AnatomyData, bone_index: dict[str, int]) -> None:
        used = {w.surface for m in data.muscles.values() for w in m.path_wraps}
        self._surface_names = [n for n in data.wraps if n in used]
        surfaces = [data.wraps[n] for n in self._surface_names]
        self._surface_body = np.array([bone_index[w.bone] for w in surfaces], dtype=int)
        self._surface_local = np.array([rigid(xyz_body_rotation(w.xyz_body_rotation_rad), w.translation_m)
                                        for w in surfaces]).reshape(-1, 4, 4)
        self._surface_sphere = np.array([w.shape == "sphere" for w in surfaces], dtype=bool)
        self._surface_radius = np.array([w.radius_m for w in surfaces], dtype=float)
        self._surface_length = np.array([w.length_m or np.inf for w in surfaces], dtype=float)
        self._surface_qaxis = np.array([0 if w.quadrant.endswith("x") else 1 for w in surfaces], dtype=int)
        self._surface_qsign = np.array([
            0.0 if w.quadrant == "all" else (-1.0 if w.quadrant[0] == "-" else 1.0) for w in surfaces])

    def _compile_slots(self, data: AnatomyData) -> None:
        surface_index = {n: i for i, n in enumerate(self._surface_names)}
        wrapped_segments = [s for s, m in enumerate(self._seg_muscle) if self.has_wrap[m]]
        self._wseg = np.array(wrapped_segments, dtype=int)
        chains: list[list[int]] = [[] for _ in wrapped_segments]
        segment, position, use, surface, stage = [], [], [], [], []
        for w, s in enumerate(wrapped_segments):
            m = int(self._seg_muscle[s])
            index = s - int(self._muscle_first_segment[m])  # segment k joins points k+1 and k+2
            for order, path_wrap in enumerate(data.muscles[self.muscles[m]].path_wraps):
                within = path_wrap.range
                if within is not None and not (within[0] - 1 <= index < within[1] - 1):
                    continue
                chains[w].append(len(segment))
                segment.append(w)
                position.append(len(chains[w]) - 1)
                use.append((m, order))
                surface.append(surface_index[path_wrap.surface])
                stage.append(order)
        uses = sorted(set(use))
        use_id = np.array([uses.index(u) for u in use], dtype=int)
        shared = {u for chain in chains if len(chain) > 1 for u in use_id[chain]}
        width = max((len(c) for c in chains), default=0)
        table = np.full((len(chains), max(width, 1)), -1, dtype=int)
        for w, chain in enumerate(chains):
            table[w, :len(chain)] = chain
        self._slots = _Slots(table, np.array(segment, dtype=int), np.array(position, dtype=int), use_id,
                             np.array(surface, dtype=int), np.array(stage, dtype=int),
                             np.isin(use_id, list(shared)), np.array([u[0] for u in uses], dtype=int))

    def _compile_polylines(self, first_point: list[int]) -> None:
        """Index arrays so that all polylines are one gather plus one override of the wrapped segments."""
        start, end, u, slices, wrapped_at = [], [], [], [], []
        for m in range(len(self.muscles)):
            begin = len(u)
            segments = np.flatnonzero(self._seg_muscle == m)
            start.append(first_point[m])
            end.append(first_point[m])
            u.append(0.0)
            samples = WRAP_SAMPLES if self.has_wrap[m] else 1
            for s in segments:
                if self.has_wrap[m]:
                    wrapped_at.append(range(len(u), len(u) + samples))
                for i in range(1, samples + 1):
                    start.append(self._seg_start[s])
                    end.append(self._seg_end[s])
                    u.append(i / samples)
            slices.append(slice(begin, len(u)))
        self._poly_start, self._poly_end = np.array(start), np.array(end)
        self._poly_u = np.array(u)
        # each wrapped segment owns WRAP_SAMPLES consecutive polyline points, in wrapped-segment order
        self._wseg_poly = np.array([list(r) for r in wrapped_at], dtype=int).reshape(-1, WRAP_SAMPLES)
        self._poly_slices = slices

    # -- evaluating -----------------------------------------------------------------------------
    def evaluate(self, q_rad: NDArray[np.float64], bone_transforms: NDArray[np.float64], *,
                 polylines: bool = True) -> PathState:
        """Lengths (and polylines) of every muscle.

        Parameters
        ----------
        q_rad : (n, c) float
            Coordinates in radians (decide which conditional via points are active).
        bone_transforms : (b, n, 4, 4) float
            World transforms of the bones, from :meth:`Skeleton.transforms`.
        polylines : bool
            Also build the world-frame polylines.

        Returns
        -------
        PathState
        """
        n = q_rad.shape[0]
        points = np.empty((n, len(self._body), 3))
        for bone in np.unique(self._body):
            at = self._by_bone[bone]
            T = bone_transforms[bone]
            points[:, at] = self._local[at] @ T[:, :3, :3].swapaxes(1, 2) + T[:, None, :3, 3]
        if self._conditional.size:
            c = self._conditional
            value = q_rad[:, self._cond[c]]
            inactive = (value < self._cond_lo[c]) | (value > self._cond_hi[c])
            points[:, c] = np.where(inactive[..., None], points[:, self._prev[c]], points[:, c])

        seg_len = np.linalg.norm(points[:, self._seg_end] - points[:, self._seg_start], axis=-1)  # (n, s)
        wrapped_muscle = np.zeros((n, len(self.muscles)), dtype=bool)
        chains = None
        if self._slots.segment.size:
            chains = self._wrap(points, bone_transforms)
            seg_len[:, self._wseg] = chains.lengths()
            engaged = chains.engaged[:, self._slots.segment, self._slots.position]  # (n, J)
            np.logical_or.at(wrapped_muscle.T, self._seg_muscle[self._wseg[self._slots.segment]], engaged.T)
        lengths = np.add.reduceat(seg_len, self._muscle_first_segment, axis=1)

        lines = None
        if polylines:
            a, b = points[:, self._poly_start], points[:, self._poly_end]
            flat = a + self._poly_u[:, None] * (b - a)
            if chains is not None:
                flat[:, self._wseg_poly] = chains.sample(WRAP_SAMPLES)
            lines = [flat[:, sl] for sl in self._poly_slices]
        return PathState(lengths, lines, wrapped_muscle)

    def _wrap(self, points: NDArray[np.float64], bone_transforms: NDArray[np.float64]) -> "_Chains":
        """Solve every wrap slot over all frames: the passes described in the module docstring."""
        slots = self._slots
        n = points.shape[0]
        to_world = (bone_transforms[self._surface_body] @ self._surface_local[:, None]).swapaxes(0, 1)
        chains = _Chains(points[:, self._seg_start[self._wseg]], points[:, self._seg_end[self._wseg]],
                         slots, to_world, n)
        stages = np.unique(slots.stage)
        rounds = ROUNDS if slots.repeated.any() else 1
        for r in range(rounds):
            for stage in stages:
                chosen = np.flatnonzero((slots.stage == stage) & (slots.repeated if r else True))
                if chosen.size:
                    self._solve(chains, chosen)
        chains.settle()
        return chains

    def _solve(self, chains: "_Chains", at: NDArray[np.intp]) -> None:
        """Wrap slots ``at`` between their current neighbours and keep, per use, the least lengthening."""
        slots = self._slots
        before, after = chains.neighbours(at)  # (n, j, 3) world
        surface = slots.surface[at]
        to_world = chains.to_world[:, surface]  # (n, j, 4, 4)
        to_local = invert_rigid(to_world)
        p, s = apply(to_local, before), apply(to_local, after)
        sphere = self._surface_sphere[surface]
        n, j = p.shape[:2]
        wrapped = np.zeros((n, j), dtype=bool)
        lengthening = np.zeros((n, j))
        arc_length = np.zeros((n, j))
        first, last = np.zeros((n, j, 3)), np.zeros((n, j, 3))
        rotation = np.zeros((n, j, 3, 3))
        arc = np.zeros((5, n, j))
        for is_sphere in (False, True):
            k = np.flatnonzero(sphere == is_sphere)
            if not k.size:
                continue
            sk = surface[k]
            args = (self._surface_radius[sk], self._surface_qaxis[sk], self._surface_qsign[sk])
            if is_sphere:
                result = wrap_sphere(p[:, k], s[:, k], *args)
            else:
                result = wrap_cylinder(p[:, k], s[:, k], args[0], self._surface_length[sk], *args[1:])
            # a degenerate (zero-length) piece never wraps
            wrapped[:, k] = result.wrapped & (result.straight_length_m > 1e-9)
            lengthening[:, k] = result.length_m - result.straight_length_m
            arc_length[:, k] = result.arc_length_m
            first[:, k], last[:, k] = result.tangent_points()
            rotation[:, k] = result.rotation
            arc[:, :, k] = np.broadcast_arrays(*result.arc)
        keep = _least_lengthening(wrapped, lengthening, slots.use[at], len(slots.use_muscle))
        chains.update(at, keep, apply(to_world, first), apply(to_world, last), arc_length,
                      to_world[..., :3, :3] @ rotation, to_world[..., :3, 3], arc)


class _Chains:
    """The state of every wrapped segment's chain of slots over ``n`` frames (world frame).

    A chain of K slots has nodes start, T1_0, T2_0, ..., T1_{K-1}, T2_{K-1}, end and 2K + 1 links:
    straight between T2_{k-1} and T1_k, over slot k's surface between T1_k and T2_k. A slot that does
    not wrap has T1 = T2 = the node before it, so its links have no length.
    """

    def __init__(self, start: NDArray[np.float64], end: NDArray[np.float64], slots: _Slots,
                 to_world: NDArray[np.float64], n: int) -> None:
        self.start, self.end, self.slots, self.to_world = start, end, slots, to_world
        W, K = slots.table.shape
        J = slots.segment.size
        self.engaged = np.zeros((n, W, K), dtype=bool)
        self.t1 = np.zeros((n, W, K, 3))
        self.t2 = np.zeros((n, W, K, 3))
        self.arc_length = np.zeros((n, J))
        self.arc_rotation = np.zeros((n, J, 3, 3))  # plane frame -> world
        self.arc_origin = np.zeros((n, J, 3))
        self.arc = np.zeros((5, n, J))  # radius, theta1, dtheta, z1, z2

    def neighbours(self, at: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Where the path of slots ``at`` comes from and goes to: (n, j, 3) each."""
        w, k = self.slots.segment[at], self.slots.position[at]
        K = self.engaged.shape[2]
        before = np.empty(self.t1.shape)
        after = np.empty(self.t1.shape)
        current = self.start
        for i in range(K):
            before[:, :, i] = current
            current = np.where(self.engaged[:, :, i, None], self.t2[:, :, i], current)
        current = self.end
        for i in reversed(range(K)):
            after[:, :, i] = current
            current = np.where(self.engaged[:, :, i, None], self.t1[:, :, i], current)
        return before[:, w, k], after[:, w, k]

    def update(self, at, keep, first, last, arc_length, rotation, origin, arc) -> None:
        """Record the solution of slots ``at``: where ``keep``, the path goes over the surface."""
        w, k = self.slots.segment[at], self.slots.position[at]
        self.engaged[:, w, k] = keep
        self.t1[:, w, k] = first
        self.t2[:, w, k] = last
        self.arc_length[:, at] = np.where(keep, arc_length, 0.0)
        self.arc_rotation[:, at] = rotation
        self.arc_origin[:, at] = origin
        self.arc[:, :, at] = arc

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


def _least_lengthening(wrapped: NDArray[np.bool_], lengthening: NDArray[np.float64],
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
