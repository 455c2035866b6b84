"""What the supports' grip adds: friction and twist that leave the whole body in equilibrium.

The vertical reactions follow from the whole body's equilibrium (:mod:`.equilibrium`). Friction adds
more: a foot can push on the floor sideways, forward or back, or twist on it, and as long as these
pushes cancel over the whole body (both feet pushing outward, both twisting outward: "knees out",
"screw the feet into the floor"; in a bridge the feet and the shoulder blades pushing apart) nothing
moves. They change the joint moments, so the muscles choose them, within the friction limits.

The grip is made of pairs that cancel exactly, so that the body stays in equilibrium whatever the
optimiser chooses:

- a twist pair: one support twists on the floor one way, the next the other way, equally;
- a sideways pair: two supports on the same level push sideways in opposite directions, equally, with
  the yaw moment of the two pushes cancelled by equal twists of the two supports;
- a fore-aft pair: two supports one before the other (the shoulder blades or a bench and a foot) push
  apart or together along the line between them, equally. On the same level this is a pure friction
  pair; between a bench and the floor the line slopes, and the pair also moves weight from one support
  to the other (lines steeper than 45 degrees form no pair).

Each pair's size is limited by the weaker support: a horizontal force up to ``mu``
(``LoadSpec.friction``, 0.5 unless a scene says otherwise) times its vertical force, a twist up to
``mu`` times the vertical force times a torsion radius; the vertical forces are those of
:mod:`.equilibrium`, without the weight a sloping fore-aft pair moves (an approximation). A single
foot on the floor has no partner, and the statics stay as they are (single-leg stance).

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
    """The grip variables, each scaled so that its friction limit is 1 (bounds [-1, 1]).

    Attributes
    ----------
    names : list of str
        ``'<support> and <support> twist'``, ``'... sideways'`` or ``'... fore-aft'``.
    generalised_nm : (n, c, f) float
        Generalised force at every coordinate per unit of each variable.
    wrench : (n, 6, f) float
        Whole-body force (N) and moment about the origin (N m) per unit: zero by construction, kept as
        a check.
    """

    names: list[str]
    generalised_nm: NDArray[np.float64]
    wrench: NDArray[np.float64]


def grip_freedoms(pose: PoseDerivatives, contacts: list[Contact], sideways: NDArray[np.float64], *,
                  mu: float = DEFAULT_FRICTION_COEFFICIENT) -> Freedoms:
    """Twist, sideways and fore-aft pairs between the supports, scaled by their friction limits.

    Parameters
    ----------
    pose : PoseDerivatives
    contacts : list of Contact
    sideways : (n, 3) float
        The body's horizontal left-to-right direction (world); the fore-aft direction is horizontal
        and square to it.
    mu : float
        Static friction coefficient (``LoadSpec.friction``).

    Returns
    -------
    Freedoms
    """
    n, c = pose.transforms.shape[1], len(pose.coordinates)
    up = np.array([0.0, 1.0, 0.0])
    columns: list[tuple[str, list[tuple[Contact, NDArray, NDArray]]]] = []  # (name, [(contact, force, torque)])
    for a, b in zip(contacts, contacts[1:]):
        twist = mu * np.minimum(_torsion(a), _torsion(b))
        columns.append((f"{a.name} and {b.name} twist", [(a, np.zeros((n, 3)), up * twist[:, None]),
                                                        (b, np.zeros((n, 3)), -up * twist[:, None])]))
    fore_aft = np.cross(sideways, up)
    for i, a in enumerate(contacts):
        for b in contacts[i + 1:]:
            limit = mu * np.minimum(a.normal_n, b.normal_n).clip(0.0)
            apart = a.point_m - b.point_m
            level = np.abs(apart[:, 1]).max() <= SAME_LEVEL_M
            if level:
                force = sideways * limit[:, None]
                yaw = np.cross(apart, force)[:, 1]  # of +force at a and -force at b
                torque = -0.5 * yaw[:, None] * up
                columns.append((f"{a.name} and {b.name} sideways", [(a, force, torque), (b, -force, torque)]))
            ahead = np.abs(np.einsum("ni,ni->n", apart, fore_aft))
            across = np.abs(np.einsum("ni,ni->n", apart, sideways))
            if np.all(ahead > across) and np.all(np.hypot(ahead, across) >= np.abs(apart[:, 1])):
                # one support before the other (the back and a foot): the pair acts along the line
                # between them, so that it makes no moment whatever their heights; its horizontal part
                # is limited by friction, its vertical part moves weight from one support to the other
                force = apart / np.hypot(ahead, across)[:, None] * limit[:, None]
                no_torque = np.zeros((n, 3))
                columns.append((f"{a.name} and {b.name} fore-aft", [(a, force, no_torque), (b, -force, no_torque)]))
    if not columns:
        return Freedoms([], np.zeros((n, c, 0)), np.zeros((n, 6, 0)))
    generalised, wrench = [], []
    for _, parts in columns:
        g, w = np.zeros((n, c)), np.zeros((n, 6))
        for contact, force, torque in parts:
            local = pose.local(contact.bone, contact.point_m)
            g += np.einsum("ni,nic->nc", force, pose.jacobian(contact.bone, local))
            g += np.einsum("ni,nic->nc", torque, pose.angular_jacobian(contact.bone))
            w += np.concatenate([force, np.cross(contact.point_m, force) + torque], axis=1)
        generalised.append(g)
        wrench.append(w)
    return Freedoms([name for name, _ in columns], np.stack(generalised, axis=2), np.stack(wrench, axis=2))


def _torsion(contact: Contact) -> NDArray[np.float64]:
    """Normal force times the torsion radius, (n,)."""
    return np.maximum(contact.normal_n, 0.0) * TORSION_RADIUS_SHARE * contact.length_m
