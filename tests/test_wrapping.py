"""The cylinder-wrap kernel, against geometry that can be worked out by hand and over many inputs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from anatviz.geometry.wrapping import wrap_cylinder


def wrap(p, s, radius=1.0, length=10.0, axis=0, sign=0.0):
    p, s = np.atleast_2d(np.asarray(p, float)), np.atleast_2d(np.asarray(s, float))
    n = p.shape[0]
    return wrap_cylinder(p, s, np.full(n, radius), np.full(n, length), np.full(n, axis), np.full(n, sign))


def samples(w, k=400):
    """(k + 1, 3) points along the first segment, from P to S."""
    return np.concatenate([w._p[:1], w.sample(k)[0]])


def test_symmetric_wrap_by_hand():
    w = wrap([-2.0, 0.0, 0.0], [2.0, 0.0, 0.0])
    assert w.wrapped[0]
    assert w.length_m[0] == pytest.approx(2 * np.sqrt(3) + np.pi / 3)


def test_helix_length_by_hand():
    """Unrolled, the path is one straight line: length = hypot(planar length, axial rise)."""
    w = wrap([-2.0, 0.0, -1.0], [2.0, 0.0, 3.0])
    assert w.length_m[0] == pytest.approx(np.hypot(2 * np.sqrt(3) + np.pi / 3, 4.0))


def test_missing_segment_does_not_wrap():
    w = wrap([-2.0, 1.5, 0.0], [2.0, 1.5, 0.0])
    assert not w.wrapped[0]
    assert w.length_m[0] == pytest.approx(4.0)


def test_end_inside_the_cylinder_does_not_wrap():
    assert not wrap([-0.5, 0.0, 0.0], [2.0, 0.0, 0.0]).wrapped[0]


def test_beyond_the_cylinder_ends_does_not_wrap():
    assert not wrap([-2.0, 0.0, 6.0], [2.0, 0.0, 6.0], length=10.0).wrapped[0]
    assert wrap([-2.0, 0.0, 4.0], [2.0, 0.0, 4.0], length=10.0).wrapped[0]


def test_quadrant_forces_the_side():
    """A segment clearing the +y side of a '-y' cylinder is wrapped round the -y side."""
    w = wrap([-2.0, 1.2, 0.0], [2.0, 1.2, 0.0], axis=1, sign=-1.0)
    assert w.wrapped[0]
    assert samples(w)[:, 1].min() < -0.99
    free = wrap([-2.0, 1.2, 0.0], [2.0, 1.2, 0.0])
    assert not free.wrapped[0]


def test_quadrant_side_clear_of_the_cylinder_does_not_wrap():
    assert not wrap([-2.0, -1.2, 0.0], [2.0, -1.2, 0.0], axis=1, sign=-1.0).wrapped[0]


points = st.tuples(st.floats(-4, 4), st.floats(-4, 4), st.floats(-2, 2))


@settings(max_examples=300, deadline=None)
@given(p=points, s=points, radius=st.floats(0.2, 1.5), quadrant=st.sampled_from(
    [(0, 0.0), (0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)]))
def test_wrapped_paths_are_sound(p, s, radius, quadrant):
    """Never shorter than straight; outside the cylinder; the samples' length is the reported length;
    tangent at the contact points; on the quadrant's side when constrained."""
    w = wrap(p, s, radius=radius, axis=quadrant[0], sign=quadrant[1])
    assert w.length_m[0] >= w.straight_length_m[0] - 1e-12
    pts = samples(w)
    np.testing.assert_allclose(pts[0], p, atol=1e-9)
    np.testing.assert_allclose(pts[-1], s, atol=1e-9)
    polyline_length = np.linalg.norm(np.diff(pts, axis=0), axis=-1).sum()
    assert polyline_length == pytest.approx(w.length_m[0], rel=2e-3, abs=1e-6)
    if w.wrapped[0]:
        assert np.linalg.norm(pts[:, :2], axis=-1).min() >= radius * (1 - 1e-6)
        direction = np.diff(pts, axis=0)
        direction = direction[np.linalg.norm(direction, axis=-1) > 1e-12]
        direction /= np.linalg.norm(direction, axis=-1, keepdims=True)
        turn = np.arccos(np.clip(np.einsum("ij,ij->i", direction[1:], direction[:-1]), -1, 1))
        assert turn.max() < 0.2  # smooth: no kink at the tangent points
        if quadrant[1] != 0:
            assert (pts[:, quadrant[0]] * quadrant[1]).max() > radius * 0.5


@settings(max_examples=100, deadline=None)
@given(p=points, s=points)
def test_unconstrained_wrap_is_continuous(p, s):
    """Moving an end a little moves the path a little as the wrap comes on and off. Excluded: a segment
    through (within 5 cm of) the axis, where both ways round are equally short and the side flips,
    as it does in OpenSim."""
    p, s = np.array(p), np.array(s)
    d = s[:2] - p[:2]
    assume(abs(d[0] * p[1] - d[1] * p[0]) / max(np.linalg.norm(d), 1e-12) > 0.05)
    delta = np.array([1e-4, -1e-4, 1e-4])
    a, b = samples(wrap(p, s), 50), samples(wrap(p + delta, s), 50)
    if np.linalg.norm(p[:2]) > 1.01 and np.linalg.norm(s[:2]) > 1.01:
        assert np.abs(a - b).max() < 0.05
