"""What the supports' grip adds: friction, twist and roll that leave the whole body in equilibrium.

The vertical reactions follow from the whole body's equilibrium (:mod:`.equilibrium`). The supports can
do more: a foot can push on the floor sideways, forward or back, twist on it, or press harder on one
edge than the other, and as long as these cancel over the whole body (both feet pushing outward, both
twisting outward: "knees out", "screw the feet into the floor"; in a bridge the feet and the shoulder
blades pushing apart) nothing moves. They change the joint moments, so the muscles choose them, within
their limits.

The grip is made of each support's twist and roll and of pairs of pushes that cancel:

- a support's twist on the floor (about the vertical), limited by friction;
- a support's roll (about the body's horizontal fore-aft axis): its centre of pressure moves sideways
  across the contact, within it (the foot's width; the shoulder blades' breadth). This is not friction:
  it holds on a slippery floor too;
- a sideways pair: two supports on the same level push sideways in opposite directions, equally; the
  pair's turning moment about the vertical is left to the twists;
- a fore-aft pair: two supports one before the other (the shoulder blades or a bench and a foot) push
  apart or together along the line between them, equally. On the same level this is a pure friction
  pair; between a bench and the floor the line slopes, and the pair also moves weight from one support
  to the other (lines steeper than 45 degrees form no pair).

The forces of a pair cancel by construction; the moments about the vertical (the twists and the
sideways pairs' turning moments) and about the fore-aft axis (the rolls, and the small roll of a
sideways pair between supports at slightly different heights) must cancel too, which is two more
equations for the optimiser (:func:`~.analysis.activations`; :func:`balance_grip` makes them exact). The
moment about the sideways axis is zero by construction. Each pair's push is limited by the weaker
support, up to ``mu`` (``LoadSpec.friction``, 0.5 unless a scene says otherwise) times its vertical
force; each support's whole twist (its grip twist plus any free moment the statics gave it) up to ``mu``
times its vertical force times a torsion radius. So a sideways pair between supports far apart (the
shoulders and a foot, about 1 m) is limited by what the two supports can twist, not only by what they
can push. A roll moves the centre of pressure that the statics chose (``Statics.cop_m``) sideways;
:meth:`Freedoms.support_shift_m` gives where it ends. The vertical forces are those of
:mod:`.equilibrium`, without the weight a sloping fore-aft pair moves (an approximation), and the pairs
act at the statics' centres of pressure, before any roll; supports within 5 cm of height count as level.
A single foot on the floor can neither twist, roll nor push against a partner, and the statics stay as
they are (single-leg stance). Whether a pair exists (level supports; one before the other) is decided
frame by frame.

Why the roll matters: in a supine bridge the femur lies roughly along the body, so the hip's rotation
axis is nearly the body's fore-aft axis, and a foot pressing through the outer edge of its heel turns
the thigh inward about it, against the gluteus maximus's outward rotation, with no sideways push and so
no turn about the vertical to cancel. The model has no ankle and its knee is a hinge: a foot's roll and
twist reach the femur through them as through rigid joints, although a real ankle needs its invertors
or evertors to pass them (the subtalar joint's axis) and a knee flexed 80 to 90 degrees rotates about
the tibia's long axis unless muscles (among them the hamstrings) hold it; in the bridges 61 to 65% of a
foot's roll and 76 to 79% of its twist lie along the tibia's long axis. So the model gives the grip at
no cost what a body pays some muscle effort for.

The fore-aft pair is what holds a bridge up. Lying on the shoulder blades with the feet flat, the body
is an arch from the shoulders to the feet: as the hips lift, the feet, which stand ahead of the knees,
would slide away (their vertical reaction extends the knees) unless either the knee flexors pull them
back or the floor holds them. Static friction holds them at no cost, pushing the feet toward the
shoulders and the shoulders toward the feet, like the thrust at the feet of a masonry arch. A hip
thrust is the same arch from a bench. Feet side by side form no fore-aft pair (a split stance would).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .kinematics import PoseDerivatives
from .loads import DEFAULT_FRICTION_COEFFICIENT

TORSION_RADIUS_SHARE = 0.25
"""Torsion radius of a contact as a share of its length (foot length; the shoulder blades' breadth):
our choice, the mean distance of a uniformly pressed rectangle's points from its centre is about a
quarter of its length."""

SAME_LEVEL_M = 0.05
"""Supports within this height of each other count as on the same level (a sideways or fore-aft pair
between them makes no roll or pitch moment): our choice, the precision of the scenes' solved postures."""


@dataclass(frozen=True)
class Contact:
    """A support's contact: where it pushes, how hard, and on which bone.

    Attributes
    ----------
    name : str
    bone : str
    point_m : (n, 3) float
        Centre of pressure, world.
    normal_n : (n,) float
        Vertical reaction.
    length_m : float
        Size that sets the torsion radius.
    half_width_m : float
        How far the centre of pressure may move to either side of the contact's centre line, along the
        body's sideways direction (0: it may not move, and the contact does not roll).
    offset_m : (n,) float, optional
        Where the statics put the centre of pressure, from the centre line along the sideways direction
        (0 by default).
    """

    name: str
    bone: str
    point_m: NDArray[np.float64]
    normal_n: NDArray[np.float64]
    length_m: float
    half_width_m: float = 0.0
    offset_m: NDArray[np.float64] | None = None


@dataclass(frozen=True)
class Freedoms:
    """The grip variables, each scaled by its limit, with the bounds that keep every support within its
    own limits.

    Attributes
    ----------
    names : list of str
        ``'<support> twist'``, ``'<support> roll'``, ``'<support> and <support> sideways'`` or
        ``'... fore-aft'``.
    generalised_nm : (n, c, f) float
        Generalised force at every coordinate per unit of each variable.
    wrench : (n, 6, f) float
        Whole-body force (N) and moment about the origin (N m) per unit. No force, by construction; the
        twists and the sideways pairs have a moment about the vertical (:attr:`yaw_nm`), the rolls (and a
        sideways pair between supports at slightly different heights) one about the fore-aft axis
        (:attr:`roll_nm`), which the optimiser must cancel; the fore-aft pairs none.
    lower, upper : (n, f) float
        Bounds of each variable: a pair within [-1, 1] where it exists in that frame (else [0, 0]); a
        support's twist within what is left of its limit once its own free moment (the statics') is
        taken: ``|twist + own| <= mu N r``; a roll (one unit moves the centre of pressure across the
        contact's whole width) within what keeps the centre of pressure on the contact.
    twist_limit_nm, own_twist_nm : dict of str to (n,) float
        Per support: ``mu N r`` (N the vertical reaction, r the torsion radius), and the free moment
        about the vertical that the statics already give it.
    fore_aft : (n, 3) float
        The body's horizontal fore-aft direction (world), the axis of the supports' roll.
    half_width_m, offset_m : dict of str to float, dict of str to (n,) float
        Per support that rolls: how far its centre of pressure may move to either side of its centre
        line, and where the statics put it (:class:`Contact`).
    """

    names: list[str]
    generalised_nm: NDArray[np.float64]
    wrench: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    twist_limit_nm: dict[str, NDArray[np.float64]]
    own_twist_nm: dict[str, NDArray[np.float64]]
    fore_aft: NDArray[np.float64]
    half_width_m: dict[str, float]
    offset_m: dict[str, NDArray[np.float64]]

    def support_twist_nm(self, x: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
        """Each support's whole twist on its contact, (n,) N m: its grip twist ``x`` (n, f) plus its own
        free moment. Within ``twist_limit_nm`` unless the own moment alone exceeds it (then the grip
        can only twist back, and does not add to it)."""
        return {support: x[:, self.names.index(f"{support} twist")] * limit + self.own_twist_nm[support]
                for support, limit in self.twist_limit_nm.items()}

    def support_shift_m(self, x: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
        """Each rolling support's centre of pressure, (n,) m from its centre line along the sideways
        direction: where the statics put it plus the shift its roll ``x`` (n, f) adds. Within
        ``half_width_m`` unless the statics alone put it beyond (then the roll can only move it back)."""
        return {support: x[:, self.names.index(f"{support} roll")] * 2.0 * half + self.offset_m[support]
                for support, half in self.half_width_m.items()}

    @property
    def yaw_nm(self) -> NDArray[np.float64]:
        """Whole-body moment about the vertical per unit of each variable, (n, f): the grip is in
        equilibrium when ``yaw_nm @ x = 0``."""
        return self.wrench[:, 4, :]

    @property
    def roll_nm(self) -> NDArray[np.float64]:
        """Whole-body moment about the fore-aft axis per unit of each variable, (n, f): the grip is in
        equilibrium when ``roll_nm @ x = 0`` too (the other horizontal moment is zero by construction)."""
        return np.einsum("nif,ni->nf", self.wrench[:, 3:6, :], self.fore_aft)


def grip_freedoms(pose: PoseDerivatives, contacts: list[Contact], sideways: NDArray[np.float64], *,
                  mu: float = DEFAULT_FRICTION_COEFFICIENT,
                  own_twist_nm: dict[str, NDArray[np.float64]] | None = None) -> Freedoms:
    """Each support's twist and the sideways and fore-aft pairs between the supports, scaled by their
    friction limits; whether a pair exists is decided frame by frame.

    Parameters
    ----------
    pose : PoseDerivatives
    contacts : list of Contact
    sideways : (n, 3) float
        The body's horizontal left-to-right direction (world); the fore-aft direction is horizontal
        and square to it.
    mu : float
        Static friction coefficient (``LoadSpec.friction``).
    own_twist_nm : dict of str to (n,) float, optional
        The free moment about the vertical that the statics already give a support (a foot meeting a
        band's yaw): it uses up part of that support's twist limit.

    Returns
    -------
    Freedoms
    """
    n, c = pose.transforms.shape[1], len(pose.coordinates)
    up = np.array([0.0, 1.0, 0.0])
    no_force = np.zeros((n, 3))
    columns: list[tuple[str, list[tuple[Contact, NDArray, NDArray]], NDArray, NDArray]] = []
    # (name, [(contact, force, torque)], lower (n,), upper (n,))
    limits, owns = {}, {}
    for a in contacts:
        limit = mu * _torsion(a)
        own = np.asarray((own_twist_nm or {}).get(a.name, np.zeros(n)), float)
        limits[a.name], owns[a.name] = limit, own
        scale = np.where(limit > 1e-9, limit, 1.0)
        lower = np.minimum((-limit - own) / scale, 0.0)  # an own moment beyond the limit: twist back only
        upper = np.maximum((limit - own) / scale, 0.0)
        lower, upper = np.where(limit > 1e-9, lower, 0.0), np.where(limit > 1e-9, upper, 0.0)
        columns.append((f"{a.name} twist", [(a, no_force, up * limit[:, None])], lower, upper))
    fore_aft = np.cross(sideways, up)
    halves, offsets = {}, {}
    for a in contacts:
        if a.half_width_m <= 0.0:
            continue
        offset = np.zeros(n) if a.offset_m is None else np.asarray(a.offset_m, float)
        halves[a.name], offsets[a.name] = a.half_width_m, offset
        # the centre of pressure moved sideways by d: the vertical force N rolls the support by N d about
        # the fore-aft axis; one unit moves it across the contact's whole width, and it stays within
        # the contact (where the statics put it outside, it may only move back, by one width at most)
        width_m = 2.0 * a.half_width_m
        limit = np.maximum(a.normal_n, 0.0) * width_m
        lower = np.clip((-a.half_width_m - offset) / width_m, -1.0, 0.0)
        upper = np.clip((a.half_width_m - offset) / width_m, 0.0, 1.0)
        lower, upper = np.where(limit > 1e-9, lower, 0.0), np.where(limit > 1e-9, upper, 0.0)
        columns.append((f"{a.name} roll", [(a, no_force, fore_aft * limit[:, None])], lower, upper))
    for i, a in enumerate(contacts):
        for b in contacts[i + 1:]:
            limit = mu * np.minimum(a.normal_n, b.normal_n).clip(0.0)
            apart = a.point_m - b.point_m
            level = np.abs(apart[:, 1]) <= SAME_LEVEL_M
            if level.any():
                force = sideways * np.where(level, limit, 0.0)[:, None]  # its yaw is left to the twists
                columns.append((f"{a.name} and {b.name} sideways", [(a, force, no_force), (b, -force, no_force)],
                                -level.astype(float), level.astype(float)))
            ahead = np.abs(np.einsum("ni,ni->n", apart, fore_aft))
            across = np.abs(np.einsum("ni,ni->n", apart, sideways))
            inline = (ahead > across) & (np.hypot(ahead, across) >= np.abs(apart[:, 1]))
            if inline.any():
                # one support before the other (the back and a foot): the pair acts along the line
                # between them, so that it makes no moment whatever their heights; its horizontal part
                # is limited by friction, its vertical part moves weight from one support to the other
                size = np.where(inline, limit, 0.0) / np.maximum(np.hypot(ahead, across), 1e-9)
                force = apart * size[:, None]
                columns.append((f"{a.name} and {b.name} fore-aft", [(a, force, no_force), (b, -force, no_force)],
                                -inline.astype(float), inline.astype(float)))
    generalised, wrench = [], []
    for _, parts, _, _ in columns:
        g, w = np.zeros((n, c)), np.zeros((n, 6))
        for contact, force, torque in parts:
            local = pose.local(contact.bone, contact.point_m)
            g += np.einsum("ni,nic->nc", force, pose.jacobian(contact.bone, local))
            g += np.einsum("ni,nic->nc", torque, pose.angular_jacobian(contact.bone))
            w += np.concatenate([force, np.cross(contact.point_m, force) + torque], axis=1)
        generalised.append(g)
        wrench.append(w)
    if not columns:
        return Freedoms([], np.zeros((n, c, 0)), np.zeros((n, 6, 0)), np.zeros((n, 0)), np.zeros((n, 0)), {}, {},
                        fore_aft, {}, {})
    return Freedoms([col[0] for col in columns], np.stack(generalised, axis=2), np.stack(wrench, axis=2),
                    np.stack([col[2] for col in columns], axis=1), np.stack([col[3] for col in columns], axis=1),
                    limits, owns, fore_aft, halves, offsets)


def balance_grip(freedoms: Freedoms, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Grip values (n, f) nudged, within their bounds, so that the grip's moments about the vertical and
    about the fore-aft axis are exactly zero (the optimiser meets them only to about 1e-3 N m).

    First the yaw: the twists and the sideways pairs each take up a share of the remainder in proportion
    to the room they have. Then the roll, taken up the same way by the rolls alone (which make no yaw):
    it includes the small roll of a sideways pair between supports at slightly different heights.
    Where the variables cannot take up the whole remainder, they take what they can.
    """
    x = np.array(x, float)
    turning = [k for k, name in enumerate(freedoms.names) if name.endswith((" twist", " sideways"))]
    rolling = [k for k, name in enumerate(freedoms.names) if name.endswith(" roll")]
    for moment, movers in ((freedoms.yaw_nm, turning), (freedoms.roll_nm, rolling)):
        for frame in range(x.shape[0]):
            x[frame] = _null_moment(moment[frame], x[frame], freedoms.lower[frame], freedoms.upper[frame], movers)
    return x


def _null_moment(per_unit: NDArray[np.float64], x: NDArray[np.float64], lower: NDArray[np.float64],
                 upper: NDArray[np.float64], movers: list[int]) -> NDArray[np.float64]:
    """One frame's variables (f,) moved within their bounds so that ``per_unit @ x`` vanishes: the
    variables ``movers`` each take a share of the remainder in proportion to the room they have (N m)."""
    error = float(per_unit @ x)
    for _ in range(len(movers)):
        if abs(error) < 1e-12:
            break
        room = []
        for k in movers:
            if abs(per_unit[k]) < 1e-12:
                room.append(0.0)
                continue
            step_bound = lower[k] if -error / per_unit[k] < 0 else upper[k]
            room.append(abs((step_bound - x[k]) * per_unit[k]))
        total = sum(room)
        if total < 1e-15:
            break
        share = min(1.0, abs(error) / total)
        for k, r in zip(movers, room):
            if r > 0.0:
                x[k] -= np.sign(error) * share * r / per_unit[k]
        x = np.clip(x, lower, upper)
        error = float(per_unit @ x)
    return x


def _torsion(contact: Contact) -> NDArray[np.float64]:
    """Normal force times the torsion radius, (n,)."""
    return np.maximum(contact.normal_n, 0.0) * TORSION_RADIUS_SHARE * contact.length_m
