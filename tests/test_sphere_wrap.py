"""The sphere-wrap kernel (anatviz.geometry.sphere_wrap), against geometry worked out by hand, an
independent formula for the shortest path, and over many inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from anatviz.geometry.sphere_wrap import OPPOSITE_BLEND, TILT_BLEND, sphere_plane, wrap_sphere
from anatviz.geometry.wrapping import wrap_cylinder


def swrap(p, s, radius=1.0, axis=0, sign=0.0):
    p, s = np.atleast_2d(np.asarray(p, float)), np.atleast_2d(np.asarray(s, float))
    n = p.shape[0]
    return wrap_sphere(p, s, np.full(n, radius), np.full(n, axis), np.full(n, sign))


def ssamples(w, k=400):
    """(k + 1, 3) points along the first segment, from P to S."""
    return np.concatenate([w._plane._p[:1] @ w.rotation[0].T + w.origin[0], w.sample(k)[0]])


def test_sphere_wrap_by_hand():
    """A segment passing 0.5 from the centre of a unit sphere, its ends 2 units either side: two
    tangents of length sqrt(4.25 - 1) and the great-circle arc between the tangent points."""
    w = swrap([-2.0, 0.5, 0.0], [2.0, 0.5, 0.0])
    angle_between_ends = 2 * np.arctan2(2.0, 0.5)
    arc = angle_between_ends - 2 * np.arccos(1 / np.sqrt(4.25))
    assert w.wrapped[0]
    assert w.length_m[0] == pytest.approx(2 * np.sqrt(3.25) + arc)
    assert w.arc_length_m[0] == pytest.approx(arc)
    first, last = w.tangent_points()
    np.testing.assert_allclose(np.linalg.norm([first[0], last[0]], axis=-1), 1.0)
    assert first[0][1] > 0.0 and last[0][1] > 0.0  # the near side, through the plane of the ends


def test_sphere_wrap_lies_in_the_plane_of_the_centre_and_ends():
    """The shortest path over a sphere is a great circle: every sample lies in the plane through the
    centre and both ends, and the segment equals the cylinder solution in that plane."""
    p, s = np.array([-2.0, 0.4, 0.7]), np.array([1.5, 0.3, -0.9])
    w = swrap(p, s)
    normal = np.cross(p, s) / np.linalg.norm(np.cross(p, s))
    assert w.wrapped[0]
    np.testing.assert_allclose(ssamples(w) @ normal, 0.0, atol=1e-12)
    e1 = p / np.linalg.norm(p)
    e2 = np.cross(normal, e1)
    flat = wrap_cylinder(np.array([[p @ e1, p @ e2, 0.0]]), np.array([[s @ e1, s @ e2, 0.0]]), np.ones(1),
                         np.full(1, 10.0), np.zeros(1, int), np.zeros(1))
    assert w.length_m[0] == pytest.approx(flat.length_m[0])


def test_sphere_through_its_centre_goes_round_the_quadrant_side():
    """The collinear case: a segment through the centre has no plane of its own; a quadrant picks the
    great circle through its axis, 'all' one through the sphere's x axis (y for a segment along x)."""
    for axis, sign in ((1, 1.0), (1, -1.0), (0, 1.0)):
        p, s = ([-2.0, 0.0, 0.0], [2.0, 0.0, 0.0]) if axis == 1 else ([0.0, 0.0, -2.0], [0.0, 0.0, 2.0])
        w = swrap(p, s, axis=axis, sign=sign)
        assert w.wrapped[0]
        assert w.length_m[0] == pytest.approx(2 * np.sqrt(3) + np.pi / 3)
        assert (ssamples(w)[:, axis] * sign).max() == pytest.approx(1.0, abs=1e-4)
    free = swrap([0.0, -2.0, 0.0], [0.0, 2.0, 0.0])
    assert free.wrapped[0] and free.length_m[0] == pytest.approx(2 * np.sqrt(3) + np.pi / 3)
    assert np.abs(ssamples(free)[:, 0]).max() == pytest.approx(1.0, abs=1e-4)  # over the x axis


def test_sphere_quadrant_forces_the_side():
    """A quadrant sends the path round its side even where the other way is shorter, and a segment
    that passes the sphere on the wrong side is wrapped round the quadrant's side too (as a cylinder's
    quadrant does): the path cannot flip sides as the segment moves across the sphere."""
    w = swrap([-2.0, -0.3, 0.0], [2.0, -0.3, 0.0], axis=1, sign=1.0)
    assert w.wrapped[0] and ssamples(w)[:, 1].max() > 0.99
    free = swrap([-2.0, -0.3, 0.0], [2.0, -0.3, 0.0])
    assert free.wrapped[0] and ssamples(free)[:, 1].min() < -0.99
    assert w.length_m[0] > free.length_m[0]
    assert not swrap([-2.0, -1.2, 0.0], [2.0, -1.2, 0.0], axis=1, sign=-1.0).wrapped[0]  # clear: no wrap
    wrong_side = swrap([-2.0, 1.2, 0.0], [2.0, 1.2, 0.0], axis=1, sign=-1.0)
    assert wrong_side.wrapped[0] and ssamples(wrong_side)[:, 1].min() < -0.99


def test_sphere_quadrant_side_is_stable_for_ends_either_side_of_the_centre():
    """Ends nearly opposite each other about the centre: the plane through them and the centre swings
    with any small move, so there a quadrant sphere wraps in the plane through both ends that holds the
    quadrant axis: a small move of an end moves the path a little, and it stays on the quadrant's side."""
    s = np.array([0.05, -2.0, 0.3])
    paths = [ssamples(swrap(np.array([dx, 2.0, 0.0]), s, axis=0, sign=1.0), 60) for dx in (-0.06, -0.05, -0.04)]
    assert np.abs(paths[1] - paths[0]).max() < 0.05 and np.abs(paths[2] - paths[1]).max() < 0.05
    assert all(p[:, 0].max() > 0.9 for p in paths)


def test_sphere_end_inside_shrinks_it():
    """An end inside the sphere: the path runs over the sphere shrunk to that end's distance from the
    centre (so it comes on smoothly as the end enters), and a segment that misses it does not wrap."""
    assert not swrap([-2.0, 0.0, 1.5], [2.0, 0.0, 1.5]).wrapped[0]
    assert not swrap([1.5, 0.0, 0.0], [3.0, 0.0, 0.0]).wrapped[0]  # both ends beyond it on one side
    w = swrap([-2.0, 0.0, 1.5], [2.0, 0.0, 1.5])
    assert w.length_m[0] == pytest.approx(4.0) and w.arc_length_m[0] == 0.0
    deep = swrap([-0.5, 0.0, 0.0], [2.0, 0.0, 0.0])
    assert deep.wrapped[0] and np.linalg.norm(ssamples(deep), axis=-1).min() == pytest.approx(0.5, abs=1e-6)
    a, b = swrap([-1.0005, 0.3, 0.2], [2.0, -0.2, 0.0]), swrap([-0.9995, 0.3, 0.2], [2.0, -0.2, 0.0])
    assert abs(a.length_m[0] - b.length_m[0]) < 2e-3


points3 = st.tuples(st.floats(-4, 4), st.floats(-4, 4), st.floats(-4, 4))


@settings(max_examples=300, deadline=None)
@given(p=points3, s=points3, radius=st.floats(0.2, 1.5), quadrant=st.sampled_from(
    [(0, 0.0), (0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)]))
def test_sphere_wrapped_paths_are_sound(p, s, radius, quadrant):
    """Never shorter than straight; on or outside the sphere; the samples' length is the reported length;
    tangent at the contact points; round the quadrant's side when constrained (unless the quadrant axis
    is normal to the path's plane), whichever plane it runs in."""
    w = swrap(p, s, radius=radius, axis=quadrant[0], sign=quadrant[1])
    assume(w._plane._radius[0] > 0.1)  # an end inside near the circle's centre shrinks it to a kink
    assert w.length_m[0] >= w.straight_length_m[0] - 1e-12
    pts = ssamples(w)
    np.testing.assert_allclose(pts[0], p, atol=1e-9)
    np.testing.assert_allclose(pts[-1], s, atol=1e-9)
    polyline_length = np.linalg.norm(np.diff(pts, axis=0), axis=-1).sum()
    assert polyline_length == pytest.approx(w.length_m[0], rel=2e-3, abs=1e-6)
    if w.wrapped[0]:
        shrunk = min(radius, np.linalg.norm(p), np.linalg.norm(s))  # an end inside shrinks it
        assert np.linalg.norm(pts, axis=-1).min() >= shrunk * (1 - 1e-6)
        direction = np.diff(pts, axis=0)
        direction = direction[np.linalg.norm(direction, axis=-1) > 1e-12]
        direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
        turn = np.arccos(np.clip(np.einsum("ij,ij->i", direction[1:], direction[:-1]), -1, 1))
        assert turn.max() < 0.2
        sided = sphere_plane(np.array([p]), np.array([s]), np.full(1, radius), np.full(1, quadrant[0]),
                             np.full(1, quadrant[1]))[-1][0]
        if sided:  # the path never crosses the fin in its plane (x of the plane frame: the allowed side)
            in_plane = ((pts - w.origin[0]) @ w.rotation[0])[:, :2]
            ends = in_plane[[0, -1]]
            fin_angle = np.abs(np.arctan2(ends[:, 1], -ends[:, 0]))
            if fin_angle.min() > 0.01:  # an end on the fin has no side
                angle = np.arctan2(in_plane[:, 1], in_plane[:, 0])  # crossing the fin (-x) jumps by 2 pi
                assert np.abs(np.diff(angle)).max() < np.pi


@settings(max_examples=100, deadline=None)
@given(p=points3, s=points3, angle=st.floats(-np.pi, np.pi))
def test_sphere_wrap_does_not_depend_on_the_frame(p, s, angle):
    """Turning the ends and the quadrant axis together about the sphere's centre changes nothing but
    the frame: the same length, the same path turned. (Not for a segment through the centre, whose plane
    is chosen by a fixed rule: see test_sphere_through_its_centre_goes_round_the_quadrant_side.)"""
    d = np.subtract(s, p)
    assume(np.linalg.norm(np.cross(p, d)) > 1e-3 * max(np.linalg.norm(d), 1e-12))
    assume(min(abs(np.linalg.norm(p) - 1.0), abs(np.linalg.norm(s) - 1.0)) > 1e-6)  # an end on the sphere
    c, si = np.cos(angle), np.sin(angle)
    R = np.array([[c, -si, 0.0], [si, c, 0.0], [0.0, 0.0, 1.0]])  # about z: keeps a z quadrant...
    Rx = np.array([[1.0, 0.0, 0.0], [0.0, c, -si], [0.0, si, c]])  # ...and about x keeps an x quadrant
    p, s = np.array(p), np.array(s)
    a = swrap(p, s, axis=0, sign=1.0)
    ends = (np.array([p, s]) - a.origin[0]) @ a.rotation[0]  # in the plane frame: x toward the quadrant
    assume(all(abs(e[1]) > 1e-6 or e[0] > 0.0 for e in ends))  # an end on the fin has no side
    b = swrap(Rx @ p, Rx @ s, axis=0, sign=1.0)
    assert b.length_m[0] == pytest.approx(a.length_m[0], rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(b.sample(20)[0], a.sample(20)[0] @ Rx.T, atol=1e-9)
    free_a, free_b = swrap(p, s), swrap(R @ p, R @ s)
    assert free_b.length_m[0] == pytest.approx(free_a.length_m[0], rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(p=points3, s=points3)
def test_sphere_wrap_is_continuous(p, s):
    """Moving an end a little moves the path a little as the wrap comes on and off. Excluded, as for the
    cylinder: a segment through (within 5 cm of) the centre, where every way round is equally short."""
    p, s = np.array(p), np.array(s)
    d = s - p
    assume(np.linalg.norm(np.cross(p, d)) / max(np.linalg.norm(d), 1e-12) > 0.05)
    assume(np.linalg.norm(p) > 1.01 and np.linalg.norm(s) > 1.01)  # both ends outside
    delta = np.array([1e-4, -1e-4, 1e-4])
    a, b = ssamples(swrap(p, s), 50), ssamples(swrap(p + delta, s), 50)
    assert np.abs(a - b).max() < 0.05


def _shortest_over_sphere(p, s, radius):
    """Length of the shortest path from P to S outside a sphere at the origin (both ends outside), by
    the formula: two tangents and the great-circle arc between their contact points, or the straight
    segment where it misses the sphere; and the contact points' unit directions, (n, k, 3), k points
    evenly along the arc (slerp from P's direction toward S's)."""
    a, b = np.linalg.norm(p, axis=-1), np.linalg.norm(s, axis=-1)
    angle = np.arccos(np.clip(np.einsum("ij,ij->i", p, s) / (a * b), -1.0, 1.0))
    first, last = np.arccos(radius / a), angle - np.arccos(radius / b)  # the arc, as angles from P
    d = s - p
    t = np.clip(-np.einsum("ij,ij->i", p, d) / np.einsum("ij,ij->i", d, d), 0.0, 1.0)
    wraps = np.linalg.norm(p + t[:, None] * d, axis=-1) < radius
    length = np.where(wraps, np.sqrt(a**2 - radius**2) + np.sqrt(b**2 - radius**2) + radius * (last - first),
                      np.linalg.norm(d, axis=-1))
    f = first[:, None] + np.linspace(0.0, 1.0, 50) * (last - first)[:, None]  # (n, k) angles from P
    pu, su = p / a[:, None], s / b[:, None]
    arc = np.sin(angle[:, None] - f)[..., None] * pu[:, None] + np.sin(f)[..., None] * su[:, None]
    arc /= np.sin(angle)[:, None, None]
    return length, wraps, arc


def test_quadrant_sphere_takes_the_great_circle_where_it_lies_on_the_allowed_side():
    """Issue 2 (sphere): over a sphere with a quadrant, the path is the shortest path over the sphere
    (checked against the formula, on random segments) wherever that path's arc lies on the
    allowed side with the quadrant axis well within its plane (every arc point at least 0.3 radius into
    the allowed side, beyond the tilt bound where the plane may turn), both ends lie on that side (so
    neither is behind the sphere), and the ends are less than 138 degrees apart about the centre (the
    opposite-ends bound). A plain sphere gives the same length."""
    rng = np.random.default_rng(2)
    n, radius = 20000, 1.0
    q = np.array([1.0, 0.0, 0.0])

    def ends():  # random directions on the allowed side, 1.01 to 3 radii from the centre
        v = rng.normal(size=(n, 3))
        v[:, 0] = np.abs(v[:, 0])
        return v / np.linalg.norm(v, axis=1, keepdims=True) * rng.uniform(1.01, 3.0, (n, 1))

    p, s = ends(), ends()
    cosine = np.einsum("ij,ij->i", p, s) / np.linalg.norm(p, axis=1) / np.linalg.norm(s, axis=1)
    length, wraps, arc = _shortest_over_sphere(p, s, radius)
    on_side = (arc @ q).min(axis=1) >= max(0.3, TILT_BLEND[1])
    chosen = wraps & on_side & (1.0 + cosine > OPPOSITE_BLEND[1])
    assert chosen.sum() > 300
    m = chosen.sum()
    sided = wrap_sphere(p[chosen], s[chosen], np.full(m, radius), np.zeros(m, int), np.ones(m))
    free = wrap_sphere(p[chosen], s[chosen], np.full(m, radius), np.zeros(m, int), np.zeros(m))
    assert sided.wrapped.all()
    np.testing.assert_allclose(sided.length_m, length[chosen], rtol=1e-9)
    np.testing.assert_allclose(free.length_m, length[chosen], rtol=1e-9)
    # and a segment that misses the sphere on the allowed side stays straight
    clear = ~wraps & (1.0 + cosine > OPPOSITE_BLEND[1])
    k = clear.sum()
    straight = wrap_sphere(p[clear], s[clear], np.full(k, radius), np.zeros(k, int), np.ones(k))
    assert k > 300 and not straight.wrapped.any()
    np.testing.assert_allclose(straight.length_m, length[clear], rtol=1e-12)


def test_quadrant_sphere_turns_continuously_from_the_great_circle():
    """Swinging one end over the allowed side until the ends are opposite about the centre, on a great
    circle tilted 53 degrees from the quadrant axis, the quadrant sphere's path turns from that great
    circle (the shortest path) to the plane holding the quadrant axis without a jump: no sample moves
    more than 2% of the radius per step of 0.2 degrees, and at the end it goes over the allowed side."""
    p_unit = np.array([0.05, 1.6, 0.4]) / np.linalg.norm([0.05, 1.6, 0.4])
    p = 1.2 * p_unit
    lateral = np.array([1.0, 0.0, 0.0]) - p_unit[0] * p_unit
    lateral /= np.linalg.norm(lateral)
    third = np.cross(p_unit, lateral)
    toward = 0.6 * lateral + 0.8 * third  # the great circle's plane holds p and this
    steps = np.radians(np.arange(75.0, 180.01, 0.2))
    s = 1.2 * (np.cos(steps)[:, None] * p_unit + np.sin(steps)[:, None] * toward)
    n = len(steps)
    w = wrap_sphere(np.broadcast_to(p, (n, 3)), s, np.ones(n), np.zeros(n, int), np.ones(n))
    pts = w.sample(60)
    assert np.abs(np.diff(pts, axis=0)).max() < 0.02
    free = wrap_sphere(np.broadcast_to(p, (n, 3)), s, np.ones(n), np.zeros(n, int), np.zeros(n))
    assert w.wrapped[0] and w.length_m[0] == pytest.approx(free.length_m[0], rel=1e-12)  # the great circle
    np.testing.assert_allclose(pts[0], free.sample(60)[0], atol=1e-12)
    near = np.argmin(np.abs(steps - np.radians(176.0)))  # nearly opposite: over the allowed side's pole
    assert w.wrapped[near] and pts[near][:, 0].max() > 0.95 and free.sample(60)[near][:, 0].max() < 0.7


@pytest.mark.parametrize("c", [0.70, 0.74, 0.75, 0.76, 0.80])
@pytest.mark.parametrize("pz", [-0.01, 0.0, 0.01])
def test_a_segment_passing_behind_a_one_sided_sphere_goes_round_the_allowed_side(c, pz):
    """Ends behind the sphere either side of the fin (quadrant x: the allowed side faces +x), so that the
    segment's line crosses the fin: the path goes round the front, continuously as the ends move (a blend
    of the great circle's plane and the pushed plane once cancelled here: no length, or a path straight
    through the back)."""
    p, s = 3 * np.array([-c, 0.661, pz]), 3 * np.array([-c, -0.661, 0.0])
    w = swrap(p, s, axis=0, sign=1.0)
    pts = ssamples(w, 200)
    assert w.wrapped[0] and np.isfinite(w.length_m[0])
    assert pts[:, 0].max() > 0.99  # over the front of the sphere
    assert np.linalg.norm(pts, axis=-1).min() >= 1.0 - 1e-9
    nearby = swrap(p + [0.0, 0.0, 1e-3], s, axis=0, sign=1.0)
    assert abs(nearby.length_m[0] - w.length_m[0]) < 1e-2


def test_a_segment_along_the_quadrant_axis_has_a_steady_plane():
    """A segment parallel to the quadrant axis: the plane holding the axis is any plane through the
    segment, so the path keeps to the great circle, and small moves of an end change it a little."""
    p, s = np.array([-2.0, 0.5, 0.0]), np.array([2.0, 0.5, 0.0])
    lengths = [swrap(p, s + ds, axis=0, sign=1.0).length_m[0]
               for ds in ([0.0, 0.0, 0.0], [0.0, 0.0, 1e-5], [0.0, 1e-3, 1e-3])]
    assert np.ptp(lengths) < 1e-3
    assert lengths[0] == pytest.approx(swrap(p, s).length_m[0], abs=1e-9)  # the great circle's
