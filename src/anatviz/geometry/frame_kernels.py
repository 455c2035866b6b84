"""The wrap kernels for one segment at a time, compiled with numba (for :mod:`.frame_solver`).

The same arithmetic as the vectorised kernels, :func:`.wrapping.wrap_cylinder` and
:func:`.sphere_wrap.sphere_plane` (which document the rules), operation for operation, on scalars and
3-tuples instead of arrays: numpy's cost per call, not its arithmetic, is what one pose pays for, and
here one segment costs well under a microsecond. ``tests/test_frame_solver.py`` holds the two to the
same results on random segments, and the whole model to the same lengths and paths over random poses.

This module imports numba; import it only through :mod:`.frame_solver`, which checks that numba is there.
"""

from __future__ import annotations

import math

import numba

from .sphere_wrap import ALONG_BLEND, FACING_BLEND, FIN_BLEND, OPPOSITE_BLEND, TILT_BLEND

TWO_PI = 2.0 * math.pi


def jit(function):
    """Compile ``function`` with numba, caching the machine code on disk (beside this file, or in the
    user's cache directory where that is read-only); with no writable place, in every new process."""
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # numba: "cannot cache function ...: no locator available"
        return numba.njit(nogil=True)(function)


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


@jit
def wrap_cylinder(p, s, radius, length, quadrant_axis, quadrant_sign):
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
    ccw = mod(phi_s - alpha_s - ccw_start, TWO_PI)
    cw = -mod(cw_start - phi_s - alpha_s, TWO_PI)

    qsign = quadrant_sign
    fx = -qsign if quadrant_axis == 0 else 0.0
    fy = 0.0 if quadrant_axis == 0 else -qsign
    constrained = qsign != 0.0
    if constrained:
        use_ccw = mod(math.atan2(fy, fx) - phi_p, TWO_PI) > mod(phi_s - phi_p, TWO_PI)
    else:
        use_ccw = abs(ccw) <= abs(cw)
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
def sphere_plane(p, s, radius, quadrant_axis, quadrant_sign):
    """:func:`.sphere_wrap.sphere_plane` for one segment.

    Returns ``(p_plane, s_plane, circle, e1, e2, e3, origin, sided)``: the plane frame's axes
    (:func:`.sphere_wrap.sphere_plane`'s ``rotation`` has them as columns) and its origin in the
    sphere's frame.
    """
    constrained = quadrant_sign != 0.0
    q = scale(axis(min(max(quadrant_axis, 0), 2)), quadrant_sign)
    normal = _great_circle_normal(p, s, q, constrained)
    weight = _great_circle_weight(p, s, q, normal)
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
def _great_circle_weight(p, s, q, normal):
    p_unit, s_unit = unit(p), unit(s)
    cosine = dot(p_unit, s_unit)
    tilt = math.sqrt(max(1.0 - dot(q, normal) ** 2, 0.0))
    behind = -min(dot(p_unit, q), dot(s_unit, q)) / max(tilt, 1e-12)
    weight = (smoothstep(1.0 + cosine, OPPOSITE_BLEND[0], OPPOSITE_BLEND[1])
              * smoothstep(tilt, TILT_BLEND[0], TILT_BLEND[1])
              * smoothstep(1.0 - min(behind, 1.0), FIN_BLEND[0], FIN_BLEND[1]))
    d = sub(s, p)
    toward = cross(q, d)
    size = norm(toward)
    facing = dot(normal, toward) / max(size, 1e-300)
    weight = weight * smoothstep(facing, FACING_BLEND[0], FACING_BLEND[1])
    weight = 1.0 - (1.0 - weight) * smoothstep(size / max(norm(d), 1e-300), ALONG_BLEND[0], ALONG_BLEND[1])
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
