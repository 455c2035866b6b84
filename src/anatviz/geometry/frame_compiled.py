"""One frame of the model, compiled with numba: posing, paths, lengths (used by :mod:`.frame_solver`).

:func:`solve_frame` does for one pose what :meth:`.kinematics.Skeleton.transforms` and
:meth:`.paths.MusclePaths.evaluate` do for many, in the same steps and order: the via points, the passes
over the wrap slots and their settling, the lengths and the polylines. Its kernels, :func:`wrap_cylinder`
and :func:`sphere_plane`, do the arithmetic of :func:`.wrapping.wrap_cylinder` and
:func:`.sphere_wrap.sphere_plane` (which document the rules) operation for operation, on floats and
3-tuples instead of arrays: numpy's cost per call, not its arithmetic, is what one pose pays for.
``tests/test_frame_solver.py`` holds the two to the same results.

Everything compiled lives in this one file, with the types of its tables (:class:`KinematicTables`,
:class:`PathTables`, packed by :mod:`.frame_solver`), and every constant of the numpy modules arrives at
run time in the tables: numba's disk cache of a function is renewed only when the function's own file
changes, not when a function, a type or a constant it uses from another file does.

This module imports numba; reach it through :mod:`.frame_solver`, which checks that numba is there.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numba
import numpy as np
from numpy.typing import NDArray


class KinematicTables(NamedTuple):
    """:class:`.kinematics.Skeleton`'s joints as flat arrays (b bones, r axis rotations)."""

    rotation_coordinate: NDArray[np.int64]  # (r,) coordinate of each rotation
    rotation_sign: NDArray[np.float64]      # (r,)
    rotation_axis: NDArray[np.int64]        # (r,) 0, 1, 2 for x, y, z
    parent: NDArray[np.int64]               # (b,) -1 for ground
    rotation_first: NDArray[np.int64]       # (b,) each joint's rotations are first .. first + count - 1
    rotation_count: NDArray[np.int64]       # (b,)
    location: NDArray[np.float64]           # (b, 3) joint location in the parent, metres
    spline_coordinate: NDArray[np.int64]    # (b,) the coordinate of the translation spline, or -1
    knots: NDArray[np.float64]              # (b, 2, k) x and y spline knots in degrees (padded)
    knot_count: NDArray[np.int64]           # (b, 2)
    coefficients: NDArray[np.float64]       # (b, 2, 4, k - 1) x and y pieces, highest power first
    spline_z: NDArray[np.float64]           # (b,) metres


class PathTables(NamedTuple):
    """:class:`.paths.MusclePaths`' compiled arrays (its attributes of the same names, with a leading
    underscore, or of :class:`.paths.Slots`), and the numpy modules' constants."""

    body: NDArray[np.int64]             # (p,) each path point's bone
    local: NDArray[np.float64]          # (p, 3) its position in the bone, metres
    cond: NDArray[np.int64]             # (p,) the coordinate of a conditional via point, or -1
    cond_lo: NDArray[np.float64]        # (p,) radians
    cond_hi: NDArray[np.float64]        # (p,)
    prev: NDArray[np.int64]             # (p,) the point an inactive via point sits on
    seg_start: NDArray[np.int64]        # (s,) each segment's first point
    seg_end: NDArray[np.int64]          # (s,)
    seg_muscle: NDArray[np.int64]       # (s,)
    n_muscles: int
    wseg: NDArray[np.int64]             # (W,) the wrapped segments
    wseg_start: NDArray[np.int64]       # (W,) their first point
    wseg_end: NDArray[np.int64]         # (W,)
    surface_body: NDArray[np.int64]     # (k,) each wrap surface's bone
    surface_local: NDArray[np.float64]  # (k, 4, 4) its frame in the bone
    table: NDArray[np.int64]            # (W, K) the slot at each chain position, or -1
    slot_segment: NDArray[np.int64]     # (J,) each slot's wrapped segment
    slot_position: NDArray[np.int64]    # (J,) its chain position
    slot_use: NDArray[np.int64]         # (J,) its surface use (muscle, surface)
    slot_surface: NDArray[np.int64]     # (J,)
    slot_radius: NDArray[np.float64]    # (J,) metres
    slot_length: NDArray[np.float64]    # (J,) metres (inf for spheres)
    slot_qaxis: NDArray[np.int64]       # (J,) quadrant axis
    slot_qsign: NDArray[np.float64]     # (J,) quadrant sign, 0 for 'all'
    slot_sphere: NDArray[np.bool_]      # (J,)
    n_uses: int
    group_slots: NDArray[np.int64]      # the first pass's slots, then each later pass's
    group_offsets: NDArray[np.int64]    # (passes + 1,)
    group_shared: NDArray[np.bool_]     # (passes,) whether a use has several slots in the pass
    solved_first: NDArray[np.bool_]     # (passes - 1,) whether the first pass solved the later pass
    poly_straight: NDArray[np.int64]    # polyline points on straight segments
    poly_start: NDArray[np.int64]       # their segment's first point
    poly_end: NDArray[np.int64]         # and last point
    poly_u: NDArray[np.float64]         # and place along it, 0 to 1
    wseg_poly: NDArray[np.int64]        # (W, WRAP_SAMPLES) the polyline points of each wrapped segment
    poly_count: int
    settled_m: float                    # paths.SETTLED_M
    max_passes: int                     # paths.MAX_PASSES
    tie_rad: float                      # wrapping.TIE_RAD
    lengthening_tie_m: float            # chains.LENGTHENING_TIE_M
    sphere_blends: NDArray[np.float64]  # (5, 2) sphere_wrap's OPPOSITE, TILT, FIN, FACING, ALONG_BLEND


def jit(function):
    """Compile ``function`` with numba, caching the machine code on disk (beside this file, or in the
    user's cache directory where that is read-only); with no writable place, in every new process."""
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # numba: "cannot cache function ...: no locator available"
        return numba.njit(nogil=True)(function)


# -- 3-vectors as tuples -------------------------------------------------------------------------
@jit
def mod(x, y):
    """numpy's ``mod`` (the sign of ``y``), as Python's ``%`` on floats."""
    return x % y


@jit
def dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


@jit
def cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


@jit
def norm(a):
    return math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2])


@jit
def scale(a, k):
    return (a[0] * k, a[1] * k, a[2] * k)


@jit
def sub(a, b):
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


@jit
def divide(a, k):
    return (a[0] / k, a[1] / k, a[2] / k)


@jit
def unit(a):
    return divide(a, max(norm(a), 1e-300))


@jit
def axis(i):
    return (1.0 if i == 0 else 0.0, 1.0 if i == 1 else 0.0, 1.0 if i == 2 else 0.0)


@jit
def smoothstep(x, lo, hi):
    t = min(max((x - lo) / (hi - lo), 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


# -- the wrap kernels ------------------------------------------------------------------------------
@jit
def wrap_cylinder(p, s, radius, length, quadrant_axis, quadrant_sign, tie_rad):
    """:func:`.wrapping.wrap_cylinder` for one segment.

    Returns ``(wrapped, length_m, straight_length_m, radius, theta1, dtheta, z1, z2)``: the arc is
    ``radius * (cos, sin)(theta1 + f * dtheta)``, ``z = z1 + f * (z2 - z1)``.
    """
    px, py, pz, sx, sy, sz = p[0], p[1], p[2], s[0], s[1], s[2]
    dp, ds = math.hypot(px, py), math.hypot(sx, sy)
    radius = min(radius, min(dp, ds) * (1.0 - 1e-9))

    dx, dy = sx - px, sy - py
    t = -(px * dx + py * dy) / max(dx * dx + dy * dy, 1e-30)
    crosses = (math.hypot(px + t * dx, py + t * dy) < radius) and t > 0.0 and t < 1.0

    phi_p, phi_s = math.atan2(py, px), math.atan2(sy, sx)
    alpha_p = math.acos(min(radius / max(dp, 1e-30), 1.0))
    alpha_s = math.acos(min(radius / max(ds, 1e-30), 1.0))
    ccw_start, cw_start = phi_p + alpha_p, phi_p - alpha_p
    ccw = mod(phi_s - alpha_s - ccw_start, 2.0 * math.pi)
    cw = -mod(cw_start - phi_s - alpha_s, 2.0 * math.pi)

    qsign = quadrant_sign
    fx = -qsign if quadrant_axis == 0 else 0.0
    fy = 0.0 if quadrant_axis == 0 else -qsign
    constrained = qsign != 0.0
    if constrained:
        use_ccw = mod(math.atan2(fy, fx) - phi_p, 2.0 * math.pi) > mod(phi_s - phi_p, 2.0 * math.pi)
    else:
        use_ccw = abs(ccw) <= abs(cw) + tie_rad
    g_f = dx * fy - dy * fx
    u = -(px * fy - py * fx) / (1.0 if g_f == 0.0 else g_f)
    through_fin = (g_f != 0.0 and u >= 0.0 and u <= 1.0
                   and (px + u * dx) * fx + (py + u * dy) * fy > 0.0)
    wrapped = radius > 0.0 and (crosses or (constrained and through_fin))

    theta1 = ccw_start if use_ccw else cw_start
    dtheta = ccw if use_ccw else cw
    a = math.sqrt(max(dp * dp - radius * radius, 0.0))
    b = math.sqrt(max(ds * ds - radius * radius, 0.0))
    planar = a + radius * abs(dtheta) + b
    dz = sz - pz
    z1 = pz + dz * a / max(planar, 1e-30)
    z2 = pz + dz * (planar - b) / max(planar, 1e-30)
    half = 0.5 * length
    if abs(z1) > half and abs(z2) > half:
        wrapped = False
    straight = math.sqrt(dx * dx + dy * dy + dz * dz)
    if not straight > 1e-12:
        wrapped = False
    path = math.sqrt(planar * planar + dz * dz) if wrapped else straight
    return wrapped, path, straight, radius, theta1, dtheta, z1, z2


@jit
def sphere_plane(p, s, radius, quadrant_axis, quadrant_sign, blends):
    """:func:`.sphere_wrap.sphere_plane` for one segment.

    Returns ``(p_plane, s_plane, circle, e1, e2, e3, origin, sided)``: the plane frame's axes
    (:func:`.sphere_wrap.sphere_plane`'s ``rotation`` has them as columns) and its origin in the
    sphere's frame.
    """
    constrained = quadrant_sign != 0.0
    q = scale(axis(min(max(quadrant_axis, 0), 2)), quadrant_sign)
    normal = _great_circle_normal(p, s, q, constrained)
    weight = _great_circle_weight(p, s, q, normal, blends)
    turned = constrained and weight < 1.0
    if turned:
        normal = _turned_normal(p, s, q, normal, weight)
    height = dot(p, normal) if turned else 0.0
    return _plane_frame(p, s, radius, q, constrained, normal, height)


@jit
def _plane_frame(p, s, radius, q, constrained, e3, height):
    projected = sub(q, scale(e3, dot(q, e3)))
    sided = constrained and norm(projected) > 1e-6
    in_plane = sub(p, scale(e3, dot(p, e3)))
    if not norm(in_plane) > 1e-150:
        in_plane = cross(e3, axis(0) if abs(e3[0]) < 0.9 else axis(1))
    e1 = unit(projected if sided else in_plane)
    e2 = cross(e3, e1)
    origin = scale(e3, height)
    circle = math.sqrt(max(radius * radius - height * height, 0.0))
    vp, vs = sub(p, origin), sub(s, origin)
    return ((dot(vp, e1), dot(vp, e2), 0.0), (dot(vs, e1), dot(vs, e2), 0.0), circle, e1, e2, e3, origin,
            sided)


@jit
def _great_circle_weight(p, s, q, normal, blends):
    p_unit, s_unit = unit(p), unit(s)
    cosine = dot(p_unit, s_unit)
    tilt = math.sqrt(max(1.0 - dot(q, normal) ** 2, 0.0))
    behind = -min(dot(p_unit, q), dot(s_unit, q)) / max(tilt, 1e-12)
    weight = (smoothstep(1.0 + cosine, blends[0, 0], blends[0, 1]) * smoothstep(tilt, blends[1, 0], blends[1, 1])
              * smoothstep(1.0 - min(behind, 1.0), blends[2, 0], blends[2, 1]))
    d = sub(s, p)
    toward = cross(q, d)
    size = norm(toward)
    facing = dot(normal, toward) / max(size, 1e-300)
    weight = weight * smoothstep(facing, blends[3, 0], blends[3, 1])
    weight = 1.0 - (1.0 - weight) * smoothstep(size / max(norm(d), 1e-300), blends[4, 0], blends[4, 1])
    return weight if norm(q) > 0.0 else 1.0


@jit
def _turned_normal(p, s, q, normal, weight):
    d = sub(s, p)
    toward = cross(q, d)
    size = norm(toward)
    if not size > 1e-6 * norm(d):
        return normal
    across = cross(p, s)
    oriented = unit(across) if norm(across) > 0.0 else normal
    pushed = divide(toward, max(size, 1e-300))
    w = 1.0 - weight
    return unit((weight * oriented[0] + w * pushed[0], weight * oriented[1] + w * pushed[1],
                 weight * oriented[2] + w * pushed[2]))


@jit
def _great_circle_normal(p, s, q, constrained):
    d = sub(s, p)
    size = max(norm(p) * max(norm(s), norm(d)), 1e-300)
    normal = cross(p, s)
    limit = max(1e-9 * size, 1e-150)
    if norm(normal) <= limit:
        first_axis = q if constrained else axis(0)
        normal = axis(2)  # only for ends at the centre itself
        for k in range(4):  # the first of d x a, p x a, d x y, p x y that is not degenerate
            candidate = cross(d if k % 2 == 0 else p, first_axis if k < 2 else axis(1))
            if norm(candidate) > limit:
                normal = candidate
                break
    return unit(normal)


# -- one frame ---------------------------------------------------------------------------------------
@jit
def bone_transforms(q, kin):
    """(b, 4, 4) world transforms of the bones at the pose ``q`` (c,) radians
    (:meth:`.kinematics.Skeleton.transforms`)."""
    b = kin.parent.size
    world = np.empty((b, 4, 4))
    for i in range(b):
        local = np.eye(4)
        first = kin.rotation_first[i]
        for r in range(first, first + kin.rotation_count[i]):
            angle = q[kin.rotation_coordinate[r]] * kin.rotation_sign[r]
            c, s = math.cos(angle), math.sin(angle)
            rotation = np.eye(4)
            a = kin.rotation_axis[r]
            j, k = (a + 1) % 3, (a + 2) % 3
            rotation[j, j], rotation[k, k], rotation[j, k], rotation[k, j] = c, c, -s, s
            local = rotation if r == first else _product(local, rotation)
        for d in range(3):
            local[d, 3] = kin.location[i, d]
        if kin.spline_coordinate[i] >= 0:
            deg = q[kin.spline_coordinate[i]] * (180.0 / math.pi)
            for d in range(2):  # x, y
                piece = 0
                for kk in range(1, kin.knot_count[i, d] - 1):  # searchsorted(inner knots, deg, side="right")
                    if kin.knots[i, d, kk] <= deg:
                        piece = kk
                t = deg - kin.knots[i, d, piece]
                c3, c2 = kin.coefficients[i, d, 0, piece], kin.coefficients[i, d, 1, piece]  # highest power first
                c1, c0 = kin.coefficients[i, d, 2, piece], kin.coefficients[i, d, 3, piece]
                local[d, 3] += c0 + c1 * t + c2 * (t * t) + c3 * (t * t * t)
            local[2, 3] += kin.spline_z[i]
        _copy(world[i], local if kin.parent[i] < 0 else _product(world[kin.parent[i]], local))
    return world


@jit
def _product(a, b):
    """``a @ b`` for small square matrices."""
    n = a.shape[0]
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            total = 0.0
            for k in range(n):
                total += a[i, k] * b[k, j]
            out[i, j] = total
    return out


@jit
def _put(a, i, v):
    """Row ``i`` of the (n, 3) array ``a`` = the 3-tuple ``v``."""
    a[i, 0], a[i, 1], a[i, 2] = v[0], v[1], v[2]


@jit
def _copy(out, a):
    """``out[...] = a`` for 2-d arrays of one shape (numba compiles an array assignment's broadcasting
    for seconds, per kind of array)."""
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            out[i, j] = a[i, j]


@jit
def _apply(T, v):
    return (T[0, 0] * v[0] + T[0, 1] * v[1] + T[0, 2] * v[2] + T[0, 3],
            T[1, 0] * v[0] + T[1, 1] * v[1] + T[1, 2] * v[2] + T[1, 3],
            T[2, 0] * v[0] + T[2, 1] * v[1] + T[2, 2] * v[2] + T[2, 3])


@jit
def _to_local(T, v):
    d0, d1, d2 = v[0] - T[0, 3], v[1] - T[1, 3], v[2] - T[2, 3]
    return (d0 * T[0, 0] + d1 * T[1, 0] + d2 * T[2, 0], d0 * T[0, 1] + d1 * T[1, 1] + d2 * T[2, 1],
            d0 * T[0, 2] + d1 * T[1, 2] + d2 * T[2, 2])


@jit
def _in_frame(e1, e2, e3, origin, v):
    """``rotation @ v + origin`` for the rotation with columns e1, e2, e3."""
    return (e1[0] * v[0] + e2[0] * v[1] + e3[0] * v[2] + origin[0],
            e1[1] * v[0] + e2[1] * v[1] + e3[1] * v[2] + origin[1],
            e1[2] * v[0] + e2[2] * v[1] + e3[2] * v[2] + origin[2])


@jit
def _row(a, i):
    return (a[i, 0], a[i, 1], a[i, 2])


@jit
def _distance(a, b):
    d0, d1, d2 = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    return math.sqrt(d0 * d0 + d1 * d1 + d2 * d2)


@jit
def _solve_group(g, surface_world, state, paths):
    """Wrap the slots of group ``g`` between their present neighbours and record them
    (:meth:`.paths.MusclePaths._solve` and :class:`.chains.Chains`)."""
    slot_segment, slot_position, group_slots = paths.slot_segment, paths.slot_position, paths.group_slots
    start, end, t1, t2, engaged, arc_length, arcs, arc_frames = state
    K = engaged.shape[1]
    first, stop = paths.group_offsets[g], paths.group_offsets[g + 1]
    count = stop - first
    wrapped = np.zeros(count, dtype=np.bool_)
    lengthening = np.empty(count)
    tangents = np.empty((count, 2, 3))
    arc_m = np.empty(count)
    for jj in range(count):
        j = group_slots[first + jj]
        w, k = slot_segment[j], slot_position[j]
        P, S = _row(start, w), _row(end, w)  # the nearest wrapping slots' tangent points, or the ends
        for i in range(k):
            if engaged[w, i]:
                P = _row(t2[w], i)
        for i in range(K - 1, k, -1):
            if engaged[w, i]:
                S = _row(t1[w], i)
        T = surface_world[paths.slot_surface[j]]
        p, s = _to_local(T, P), _to_local(T, S)
        radius, length = paths.slot_radius[j], paths.slot_length[j]
        qaxis, qsign = paths.slot_qaxis[j], paths.slot_qsign[j]
        sphere = paths.slot_sphere[j]
        if sphere:
            p, s, radius, e1, e2, e3, origin, sided = sphere_plane(p, s, radius, qaxis, qsign, paths.sphere_blends)
            length, qaxis, qsign = np.inf, 0, 1.0 if sided else 0.0
        else:
            e1, e2, e3, origin = (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0), (0.0, 0.0, 0.0)
        on, path, straight, r, theta1, dtheta, z1, z2 = wrap_cylinder(p, s, radius, length, qaxis, qsign,
                                                                      paths.tie_rad)
        theta2 = theta1 + dtheta
        a = _in_frame(e1, e2, e3, origin, (r * math.cos(theta1), r * math.sin(theta1), z1))
        b = _in_frame(e1, e2, e3, origin, (r * math.cos(theta2), r * math.sin(theta2), z2))
        _put(tangents[jj], 0, _apply(T, a))
        _put(tangents[jj], 1, _apply(T, b))
        arc_m[jj] = math.hypot(r * dtheta, z2 - z1) if on else 0.0
        wrapped[jj] = on and straight > 1e-9
        lengthening[jj] = path - straight
        arcs[0, j], arcs[1, j], arcs[2, j], arcs[3, j], arcs[4, j] = r, theta1, dtheta, z1, z2
        if sphere:  # the plane frame in the world: to_world @ [rotation | origin]
            columns = (e1, e2, e3)
            for row in range(3):
                for col in range(3):
                    e = columns[col]
                    arc_frames[j, row, col] = T[row, 0] * e[0] + T[row, 1] * e[1] + T[row, 2] * e[2]
            arc_frames[j, 0, 3], arc_frames[j, 1, 3], arc_frames[j, 2, 3] = _apply(T, origin)
        else:
            _copy(arc_frames[j], T[:3])
    if paths.group_shared[g]:  # per use, only the wrapped slot that lengthens the path least (the first tied)
        best = np.full(paths.n_uses, np.inf)
        for jj in range(count):
            if wrapped[jj]:
                u = paths.slot_use[group_slots[first + jj]]
                best[u] = min(best[u], lengthening[jj])
        taken = np.zeros(paths.n_uses, dtype=np.bool_)
        for jj in range(count):
            u = paths.slot_use[group_slots[first + jj]]
            wrapped[jj] = wrapped[jj] and lengthening[jj] <= best[u] + paths.lengthening_tie_m and not taken[u]
            taken[u] = taken[u] or wrapped[jj]
    for jj in range(count):
        j = group_slots[first + jj]
        w, k = slot_segment[j], slot_position[j]
        engaged[w, k] = wrapped[jj]
        _put(t1[w], k, _row(tangents[jj], 0))
        _put(t2[w], k, _row(tangents[jj], 1))
        arc_length[w, k] = arc_m[jj] if wrapped[jj] else 0.0


@jit
def _moved(g, before_on, before_tangents, state, paths):
    """How far the tangent points of group ``g`` moved (:meth:`.chains.Chains.moved`)."""
    slot_segment, slot_position = paths.slot_segment, paths.slot_position
    group_slots, group_offsets = paths.group_slots, paths.group_offsets
    t1, t2, engaged = state[2], state[3], state[4]
    most = 0.0
    for jj in range(group_offsets[g + 1] - group_offsets[g]):
        j = group_slots[group_offsets[g] + jj]
        w, k = slot_segment[j], slot_position[j]
        on = engaged[w, k]
        if on != before_on[jj]:
            return np.inf
        if on:
            step = max(_distance(_row(t1[w], k), before_tangents[jj, 0]),
                       _distance(_row(t2[w], k), before_tangents[jj, 1]))
            most = max(most, step)
    return most


@jit
def _snapshot(g, state, paths):
    slot_segment, slot_position = paths.slot_segment, paths.slot_position
    group_slots, group_offsets = paths.group_slots, paths.group_offsets
    t1, t2, engaged = state[2], state[3], state[4]
    count = group_offsets[g + 1] - group_offsets[g]
    on = np.empty(count, dtype=np.bool_)
    tangents = np.empty((count, 2, 3))
    for jj in range(count):
        j = group_slots[group_offsets[g] + jj]
        w, k = slot_segment[j], slot_position[j]
        on[jj] = engaged[w, k]
        _put(tangents[jj], 0, _row(t1[w], k))
        _put(tangents[jj], 1, _row(t2[w], k))
    return on, tangents


@jit
def _wrap(points, surface_world, paths, arcs, arc_frames):
    """The passes of :meth:`.paths.MusclePaths._wrap` for one frame; returns the chains' state."""
    W, K = paths.table.shape
    start, end = np.empty((W, 3)), np.empty((W, 3))
    for w in range(W):
        _put(start, w, _row(points, paths.wseg_start[w]))
        _put(end, w, _row(points, paths.wseg_end[w]))
    t1, t2 = np.zeros((W, K, 3)), np.zeros((W, K, 3))
    engaged = np.zeros((W, K), dtype=np.bool_)
    arc_length = np.zeros((W, K))
    state = (start, end, t1, t2, engaged, arc_length, arcs, arc_frames)
    if paths.group_offsets[1] > paths.group_offsets[0]:
        _solve_group(0, surface_world, state, paths)
    L = paths.group_offsets.size - 2  # the later groups are 1..L
    last = np.full(L, np.nan)
    for g in range(L):
        if paths.solved_first[g]:
            last[g] = 0.0
    for i in range(paths.max_passes * L):
        g = i % L
        before_on, before_tangents = _snapshot(g + 1, state, paths)
        _solve_group(g + 1, surface_world, state, paths)
        last[g] = _moved(g + 1, before_on, before_tangents, state, paths)
        settled = not np.isnan(last[(g + 1) % L])
        for back in range(max(L - 1, 1)):
            settled = settled and last[(g - back) % L] <= paths.settled_m
        if settled:
            break
    for w in range(W):  # settle: a slot that does not wrap sits on the node before it
        current = _row(start, w)
        for i in range(K):
            if not engaged[w, i]:
                _put(t1[w], i, current)
                _put(t2[w], i, current)
            current = _row(t2[w], i)
    return state


@jit
def _links(state, w):
    """(2K + 1,) lengths of the links of wrapped segment ``w``'s chain (:meth:`.chains.Chains._links`)."""
    start, end, t1, t2, engaged, arc_length = state[:6]
    K = engaged.shape[1]
    links = np.empty(2 * K + 1)
    previous = _row(start, w)
    for k in range(K):
        links[2 * k] = _distance(_row(t1[w], k), previous)
        links[2 * k + 1] = arc_length[w, k]
        previous = _row(t2[w], k)
    links[2 * K] = _distance(_row(end, w), previous)
    return links


@jit
def solve_frame(q, kin, paths, polyline):
    """Bone transforms (b, 4, 4), lengths (m,), whether each muscle wraps (m,), and, if ``polyline``,
    every muscle's points one after the other (k, 3) (else (0, 3)), at the pose ``q`` (c,) radians."""
    world = bone_transforms(q, kin)
    body, cond = paths.body, paths.cond
    points = np.empty((body.size, 3))
    for i in range(body.size):
        _put(points, i, _apply(world[body[i]], _row(paths.local, i)))
    placed = points.copy()
    for i in range(body.size):  # an inactive conditional via point sits on the point before it
        if cond[i] >= 0 and (q[cond[i]] < paths.cond_lo[i] or q[cond[i]] > paths.cond_hi[i]):
            _put(points, i, _row(placed, paths.prev[i]))
    surface_world = np.empty((paths.surface_body.size, 4, 4))
    for k in range(paths.surface_body.size):
        _copy(surface_world[k], _product(world[paths.surface_body[k]], paths.surface_local[k]))
    seg_start, seg_end, seg_muscle, wseg = paths.seg_start, paths.seg_end, paths.seg_muscle, paths.wseg
    J = paths.slot_segment.size
    arcs, arc_frames = np.zeros((5, J)), np.zeros((J, 3, 4))
    seg_len = np.empty(seg_start.size)
    for i in range(seg_start.size):
        seg_len[i] = _distance(_row(points, seg_end[i]), _row(points, seg_start[i]))
    lengths = np.zeros(paths.n_muscles)
    wrapped = np.zeros(paths.n_muscles, dtype=np.bool_)
    state = _wrap(points, surface_world, paths, arcs, arc_frames)
    for w in range(wseg.size):
        seg_len[wseg[w]] = _links(state, w).sum()
        for k in range(paths.table.shape[1]):
            if state[4][w, k]:
                wrapped[seg_muscle[wseg[w]]] = True
    for i in range(seg_start.size):
        lengths[seg_muscle[i]] += seg_len[i]
    if not polyline:
        return world, lengths, wrapped, np.empty((0, 3))
    return world, lengths, wrapped, _polyline(points, state, paths, arcs, arc_frames)


@jit
def solve_frames(Q, kin, paths, polyline):
    """:func:`solve_frame` for each row of ``Q`` (n, c): transforms (n, b, 4, 4), lengths (n, m), wrapped
    (n, m) and the polyline points (n, k, 3) (k = 0 without ``polyline``)."""
    n = Q.shape[0]
    world = np.empty((n, kin.parent.size, 4, 4))
    lengths = np.empty((n, paths.n_muscles))
    wrapped = np.empty((n, paths.n_muscles), dtype=np.bool_)
    flat = np.empty((n, paths.poly_count if polyline else 0, 3))
    for i in range(n):
        frame_world, frame_lengths, frame_wrapped, frame_flat = solve_frame(Q[i], kin, paths, polyline)
        for b in range(frame_world.shape[0]):
            _copy(world[i, b], frame_world[b])
        for m in range(frame_lengths.size):
            lengths[i, m], wrapped[i, m] = frame_lengths[m], frame_wrapped[m]
        _copy(flat[i], frame_flat)
    return world, lengths, wrapped, flat


@jit
def _polyline(points, state, paths, arcs, arc_frames):
    """Every muscle's polyline points (:meth:`.paths.MusclePaths.evaluate` and
    :meth:`.chains.Chains.sample`)."""
    table, wseg_poly = paths.table, paths.wseg_poly
    poly_straight, poly_start, poly_end, poly_u = paths.poly_straight, paths.poly_start, paths.poly_end, paths.poly_u
    flat = np.empty((paths.poly_count, 3))
    for i in range(poly_straight.size):
        a, b, u = _row(points, poly_start[i]), _row(points, poly_end[i]), poly_u[i]
        _put(flat, poly_straight[i], (a[0] + u * (b[0] - a[0]), a[1] + u * (b[1] - a[1]), a[2] + u * (b[2] - a[2])))
    start, end, t1, t2 = state[:4]
    count = wseg_poly.shape[1]
    for w in range(wseg_poly.shape[0]):
        links = _links(state, w)
        L = links.size
        nodes = np.empty((L + 1, 3))
        _put(nodes, 0, _row(start, w))
        _put(nodes, L, _row(end, w))
        for k in range(t1.shape[1]):
            _put(nodes, 2 * k + 1, _row(t1[w], k))
            _put(nodes, 2 * k + 2, _row(t2[w], k))
        cum = np.zeros(L + 1)
        for i in range(L):
            cum[i + 1] = cum[i] + links[i]
        for c in range(count):
            target = cum[L] * ((c + 1) / count)
            link = 0
            for i in range(1, L):
                if cum[i] < target:
                    link += 1
            span = links[link]
            f = min(max((target - cum[link]) / max(span, 1e-15), 0.0), 1.0)
            a, b = _row(nodes, link), _row(nodes, link + 1)
            out = (a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2]))
            if link % 2 == 1 and span > 0.0:
                j = table[w, (link - 1) // 2]
                r, angle, z1, z2 = arcs[0, j], arcs[1, j] + f * arcs[2, j], arcs[3, j], arcs[4, j]
                out = _apply(arc_frames[j], (r * math.cos(angle), r * math.sin(angle), z1 + f * (z2 - z1)))
            _put(flat, wseg_poly[w, c], out)
    return flat
