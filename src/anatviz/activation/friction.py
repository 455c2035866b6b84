"""What the supports' grip adds: friction and twist that leave the whole body in equilibrium.

The vertical reactions follow from the whole body's equilibrium (:mod:`.equilibrium`). Friction adds
more: a foot can push on the floor sideways, forward or back, or twist on it, and as long as these
pushes cancel over the whole body (both feet pushing outward, both twisting outward: "knees out",
"screw the feet into the floor"; in a bridge the feet and the shoulder blades pushing apart) nothing
moves. They change the joint moments, so the muscles choose them, within the friction limits.

The grip is made of each support's twist and of pairs of pushes that cancel:

- a support's twist on the floor (about the vertical);
- a sideways pair: two supports on the same level push sideways in opposite directions, equally; the
  pair's turning moment about the vertical is left to the twists;
- a fore-aft pair: two supports one before the other (the shoulder blades or a bench and a foot) push
  apart or together along the line between them, equally. On the same level this is a pure friction
  pair; between a bench and the floor the line slopes, and the pair also moves weight from one support
  to the other (lines steeper than 45 degrees form no pair).

The forces of a pair cancel by construction; the moments about the vertical (the twists and the
sideways pairs' turning moments) must cancel too, which is one more equation for the optimiser
(:func:`~.analysis.activations`; :func:`balance_yaw` makes it exact). Each pair's push is limited by the
weaker support, up to ``mu`` (``LoadSpec.friction``, 0.5 unless a scene says otherwise) times its
vertical force; each support's whole twist (its grip twist plus any free moment the statics gave it) up
to ``mu`` times its vertical force times a torsion radius. So a sideways pair between supports far
apart (the shoulders and a foot, about 1 m) is limited by what the two supports can twist, not only by
what they can push. The vertical forces are those of :mod:`.equilibrium`, without the weight a sloping
fore-aft pair moves (an approximation); supports within 5 cm of height count as level (a sideways pair
between them then makes a small moment about the fore-aft axis, up to 5 cm times its push, which the
model ignores). A single foot on the floor can neither twist nor push against a partner, and the statics
stay as they are (single-leg stance). Whether a pair exists (level supports; one before the other) is
decided frame by frame.

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
    """

    name: str
    bone: str
    point_m: NDArray[np.float64]
    normal_n: NDArray[np.float64]
    length_m: float


@dataclass(frozen=True)
class Freedoms:
    """The grip variables, each scaled by its friction limit, with the bounds that keep every support
    within its own limits.

    Attributes
    ----------
    names : list of str
        ``'<support> twist'``, ``'<support> and <support> sideways'`` or ``'... fore-aft'``.
    generalised_nm : (n, c, f) float
        Generalised force at every coordinate per unit of each variable.
    wrench : (n, 6, f) float
        Whole-body force (N) and moment about the origin (N m) per unit. Zero for the pairs by
        construction; the twists and the sideways pairs have a moment about the vertical (index 4),
        which the optimiser must cancel (:attr:`yaw_nm`).
    lower, upper : (n, f) float
        Bounds of each variable: a pair within [-1, 1] where it exists in that frame (else [0, 0]); a
        support's twist within what is left of its limit once its own free moment (the statics') is
        taken: ``|twist + own| <= mu N r``.
    twist_limit_nm, own_twist_nm : dict of str to (n,) float
        Per support: ``mu N r`` (N the vertical reaction, r the torsion radius), and the free moment
        about the vertical that the statics already give it.
    """

    names: list[str]
    generalised_nm: NDArray[np.float64]
    wrench: NDArray[np.float64]
    lower: NDArray[np.float64]
    upper: NDArray[np.float64]
    twist_limit_nm: dict[str, NDArray[np.float64]]
    own_twist_nm: dict[str, NDArray[np.float64]]

    def support_twist_nm(self, x: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
        """Each support's whole twist on its contact, (n,) N m: its grip twist ``x`` (n, f) plus its own
        free moment. Within ``twist_limit_nm`` unless the own moment alone exceeds it (then the grip
        can only twist back, and does not add to it)."""
        return {support: x[:, self.names.index(f"{support} twist")] * limit + self.own_twist_nm[support]
                for support, limit in self.twist_limit_nm.items()}

    @property
    def yaw_nm(self) -> NDArray[np.float64]:
        """Whole-body moment about the vertical per unit of each variable, (n, f): the grip is in
        equilibrium when ``yaw_nm @ x = 0``."""
        return self.wrench[:, 4, :]


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
        return Freedoms([], np.zeros((n, c, 0)), np.zeros((n, 6, 0)), np.zeros((n, 0)), np.zeros((n, 0)), {}, {})
    return Freedoms([col[0] for col in columns], np.stack(generalised, axis=2), np.stack(wrench, axis=2),
                    np.stack([col[2] for col in columns], axis=1), np.stack([col[3] for col in columns], axis=1),
                    limits, owns)


def balance_yaw(freedoms: Freedoms, x: NDArray[np.float64]) -> NDArray[np.float64]:
    """Grip values (n, f) nudged, within their bounds, so that the grip's moment about the vertical is
    exactly zero (the optimiser meets it only to about 1e-3 N m): the twists and the sideways pairs each
    take up a share of the remainder in proportion to the room they have.

    Where they cannot take up the whole remainder, they take what they can.
    """
    x = np.array(x, float)
    yaw = freedoms.yaw_nm
    turning = [k for k, name in enumerate(freedoms.names) if not name.endswith(" fore-aft")]
    for frame in range(x.shape[0]):
        error = float(yaw[frame] @ x[frame])
        for _ in range(len(turning)):
            if abs(error) < 1e-12:
                break
            # the room each variable has to move the yaw toward zero, in N m
            room = []
            for k in turning:
                per_unit = yaw[frame, k]
                if abs(per_unit) < 1e-12:
                    room.append(0.0)
                    continue
                step_bound = freedoms.lower[frame, k] if -error / per_unit < 0 else freedoms.upper[frame, k]
                room.append(abs((step_bound - x[frame, k]) * per_unit))
            total = sum(room)
            if total < 1e-15:
                break
            share = min(1.0, abs(error) / total)
            for k, r in zip(turning, room):
                if r > 0.0:
                    x[frame, k] -= np.sign(error) * share * r / yaw[frame, k]
            x[frame] = np.clip(x[frame], freedoms.lower[frame], freedoms.upper[frame])
            error = float(yaw[frame] @ x[frame])
    return x


def _torsion(contact: Contact) -> NDArray[np.float64]:
    """Normal force times the torsion radius, (n,)."""
    return np.maximum(contact.normal_n, 0.0) * TORSION_RADIUS_SHARE * contact.length_m
