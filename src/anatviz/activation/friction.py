"""What the supports' grip adds: sideways friction and twist that leave the whole body in equilibrium.

The vertical reactions follow from the whole body's equilibrium (:mod:`.equilibrium`). Friction adds
more: a foot can push sideways on the floor, or twist on it, and as long as these pushes cancel over
the whole body (both feet pushing outward, both twisting outward: "knees out", "screw the feet into
the floor") nothing moves. They change the hips' abduction and rotation moments, so the muscles choose
them, within the friction limits.

The grip is made of pairs that cancel exactly, so that the body stays in equilibrium whatever the
optimiser chooses:

- a twist pair: one support twists on the floor one way, the next the other way, equally;
- a sideways pair: two supports on the same level push sideways in opposite directions, equally, with
  the yaw moment of the two pushes cancelled by equal twists of the two supports.

Each pair's size is limited by the weaker support: a sideways force up to ``mu`` times its vertical
force, a twist up to ``mu`` times the vertical force times a torsion radius. A single foot on the floor
has no partner, and the statics stay as they are (single-leg stance). Fore-aft friction is left out:
it would let the optimiser reshape the sagittal moments (pushing the feet toward the shoulders in a
bridge), which lifters can do, but which no exercise here coaches.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .kinematics import PoseDerivatives

FRICTION_COEFFICIENT = 0.5
"""mu: our choice, a conservative static friction coefficient for a shoe or a clothed back on a gym
floor or bench (rubber soles on dry floors measure about 0.5 to 1)."""

TORSION_RADIUS_SHARE = 0.25
"""Torsion radius of a contact as a share of its length (foot length; the shoulder blades' breadth):
our choice, the mean distance of a uniformly pressed rectangle's points from its centre is about a
quarter of its length."""

SAME_LEVEL_M = 0.05
"""Supports within this height of each other count as on the same level (a sideways pair between them
makes no roll moment): our choice, the precision of the scenes' solved postures."""


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
        ``'<support> and <support> twist'`` or ``'... sideways'``.
    generalised_nm : (n, c, f) float
        Generalised force at every coordinate per unit of each variable.
    wrench : (n, 6, f) float
        Whole-body force (N) and moment about the origin (N m) per unit: zero by construction, kept as
        a check.
    """

    names: list[str]
    generalised_nm: NDArray[np.float64]
    wrench: NDArray[np.float64]


def grip_freedoms(pose: PoseDerivatives, contacts: list[Contact], sideways: NDArray[np.float64]) -> Freedoms:
    """Twist and sideways pairs between the supports, scaled by their friction limits.

    Parameters
    ----------
    pose : PoseDerivatives
    contacts : list of Contact
    sideways : (n, 3) float
        The body's horizontal left-to-right direction (world).

    Returns
    -------
    Freedoms
    """
    n, c = pose.transforms.shape[1], len(pose.coordinates)
    up = np.array([0.0, 1.0, 0.0])
    columns: list[tuple[str, list[tuple[Contact, NDArray, NDArray]]]] = []  # (name, [(contact, force, torque)])
    for a, b in zip(contacts, contacts[1:]):
        twist = FRICTION_COEFFICIENT * np.minimum(_torsion(a), _torsion(b))
        columns.append((f"{a.name} and {b.name} twist", [(a, np.zeros((n, 3)), up * twist[:, None]),
                                                        (b, np.zeros((n, 3)), -up * twist[:, None])]))
    for i, a in enumerate(contacts):
        for b in contacts[i + 1:]:
            if np.abs(a.point_m[:, 1] - b.point_m[:, 1]).max() > SAME_LEVEL_M:
                continue
            force = sideways * (FRICTION_COEFFICIENT * np.minimum(a.normal_n, b.normal_n).clip(0.0))[:, None]
            yaw = np.cross(a.point_m - b.point_m, force)[:, 1]  # of +force at a and -force at b
            torque = -0.5 * yaw[:, None] * up
            columns.append((f"{a.name} and {b.name} sideways", [(a, force, torque), (b, -force, torque)]))
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
