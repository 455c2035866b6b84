"""Quasi-static equilibrium: the moments the muscles must make at every joint, frame by frame.

Gravity is world -y; the body's orientation comes from the pelvis coordinates (``pelvis_tilt = 90``
lies supine). Velocities and accelerations are ignored (the exercises are slow), so every frame is a
statics problem:

1. Loads: each segment's weight at its centre of mass (:mod:`.body`), the weights the exercise adds and
   the bands' pulls. Segments resting on the floor (lying on a side) carry their own weight and drop out.
2. Support reactions, vertical, from the whole body's equilibrium (vertical force and the two moments
   about horizontal axes). Where this is statically indeterminate, a stated rule splits it:

   - feet only: the centre of pressure of each loaded foot moves forward or back together (one foot:
     anywhere under the centre of gravity); the lateral split between two feet is the lever rule
     between the ankles;
   - shoulders and feet (bridges, hip thrust): each foot pushes through its heel ("drive through the
     heels", the coaching cue of both exercises); the shoulders push on the midline, and with one foot
     down they may shift sideways along the shoulder blades to balance the body;
   - these centres of pressure may then move sideways across their contacts in pairs that leave the
     body balanced (one foot pressing on its outer edge, the shoulders shifting the other way): the
     grip's roll, which the optimiser chooses (:mod:`.friction`);
   - horizontal loads (bands) are met by friction under the feet, shared equally, with the moment about
     the vertical axis taken by the feet as a free moment (which counts against each foot's twist limit
     in :mod:`.friction`).
3. Generalised forces by virtual work: tau_j = sum_i F_i . dp_i/dq_j (+ M . omega_j for free moments),
   with the Jacobians of the body points from the model's own kinematics. The muscles must supply
   ``-tau`` at every joint coordinate; with reactions from whole-body equilibrium the pelvis
   coordinates come out balanced (a check, not an input).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..hipmodel import HipModel
from .anthropometry import GRAVITY_M_S2, Anthropometry
from .body import SHOULDER_HALF_WIDTH_M, BodyLayout, Mass
from .friction import Contact, Freedoms, grip_freedoms
from .kinematics import PoseDerivatives, pose_derivatives
from .loads import LoadSpec

BALANCE_TOLERANCE_M = 0.01
"""How far a centre of pressure may stray outside its contact area before the frame is flagged as
unbalanced. Our choice: the resolution of the lumped-mass body model."""


@dataclass(frozen=True)
class Statics:
    """The statics of ``n`` frames.

    Attributes
    ----------
    coordinates : list of str
    required_moment_nm : (n, c) float
        Generalised force the muscles must supply at each coordinate (N m; positive drives the coordinate
        positive: flexion, adduction, internal rotation, knee flexion).
    reactions_n : dict of str to (n,) float
        Vertical support forces, per support (``foot_r``, ``foot_l``, ``shoulders``).
    cop_m : dict of str to (n, 3) float
        Centre of pressure of each support (world), as the statics put it; the grip's roll moves it
        sideways (``grip.support_shift_m``).
    balanced : (n,) bool
        Every reaction pushes (none pulls) and every centre of pressure lies within its contact area.
    centre_of_gravity_m : (n, 3) float
        Of everything the supports carry: the body's free segments and the added weights.
    carried_weight_n : (n,) float
    grip : Freedoms
        The supports' friction (sideways and fore-aft), twist and roll, for the optimiser to choose
        (:mod:`.friction`).
    """

    coordinates: list[str]
    required_moment_nm: NDArray[np.float64]
    reactions_n: dict[str, NDArray[np.float64]]
    cop_m: dict[str, NDArray[np.float64]]
    balanced: NDArray[np.bool_]
    centre_of_gravity_m: NDArray[np.float64]
    carried_weight_n: NDArray[np.float64]
    grip: Freedoms


@dataclass(frozen=True)
class _Force:
    bone: str
    local_m: NDArray[np.float64]  # (3,) or (n, 3)
    force_n: NDArray[np.float64]  # (n, 3)


def solve_statics(model: HipModel, load: LoadSpec, q_rad: NDArray[np.float64]) -> Statics:
    """Support reactions and the joint moments the muscles must make, for every frame.

    Parameters
    ----------
    model : HipModel
    load : LoadSpec
    q_rad : (n, c) float
        Coordinates in radians, columns in ``model.coordinates`` order.

    Returns
    -------
    Statics
    """
    layout = BodyLayout(model, Anthropometry(load.body_mass_kg, load.height_m, load.sex))
    pose = pose_derivatives(model, q_rad)
    loads = _loads(layout, load, pose)
    world = [pose.world(f.bone, f.local_m) for f in loads]
    total_n = sum((f.force_n for f in loads), np.zeros((q_rad.shape[0], 3)))
    moment_nm = sum((np.cross(p, f.force_n) for p, f in zip(world, loads)), np.zeros_like(total_n))
    reactions, vertical_n, contacts, supports_ok, free = _reactions(layout, load, pose, total_n, moment_nm)
    forces = loads + reactions
    tau = sum((np.einsum("ni,nic->nc", f.force_n, pose.jacobian(f.bone, f.local_m)) for f in forces),
              np.zeros(q_rad.shape))
    for bone, torque_nm in free:
        tau = tau + np.einsum("ni,nic->nc", torque_nm, pose.angular_jacobian(bone))
    weight_n = -total_n[:, 1]
    gravity_points = [p for p, f in zip(world, loads) if not np.any(f.force_n[:, [0, 2]])]
    vertical = [f.force_n[:, 1] for f in loads if not np.any(f.force_n[:, [0, 2]])]
    cog = sum((p * -v[:, None] for p, v in zip(gravity_points, vertical)), np.zeros_like(total_n))
    cog = cog / np.maximum(sum(-v for v in vertical), 1e-9)[:, None]
    own = {f"foot_{bone[-1]}": torque_nm[:, 1] for bone, torque_nm in free}
    grip = grip_freedoms(pose, contacts, _sideways(pose), mu=load.friction, own_twist_nm=own)
    cops = {c.name: c.point_m for c in contacts}
    return Statics(list(model.coordinates), -tau, vertical_n, cops, supports_ok, cog, weight_n, grip)


def _sideways(pose: PoseDerivatives) -> NDArray[np.float64]:
    """The pelvis's left-to-right axis made horizontal (world z when it stands vertical)."""
    right = pose.transforms[pose.bones.index("pelvis"), :, :3, 2].copy()
    right[:, 1] = 0.0
    length = np.linalg.norm(right, axis=1)
    return np.where(length[:, None] > 1e-6, right / np.maximum(length, 1e-9)[:, None], [0.0, 0.0, 1.0])


RESTING_SEGMENTS = {"shoulders": ("head", "arms"), "bench": ("arms",)}
"""Segments that lie on the floor or the bench in a bridge: their weight goes straight to the support."""


def _resting_bones(load: LoadSpec) -> set[str]:
    side = load.lying_side
    return {"pelvis", f"femur_{side}", f"tibia_{side}"} if side else set()


def _rests(mass: Mass, load: LoadSpec) -> bool:
    return mass.point.bone in _resting_bones(load) or mass.segment in RESTING_SEGMENTS.get(load.upper_back or "", ())


def _loads(layout: BodyLayout, load: LoadSpec, pose: PoseDerivatives) -> list[_Force]:
    """Weights of the free segments, added weights and band pulls."""
    n = pose.transforms.shape[1]
    resting = _resting_bones(load)
    down = np.array([0.0, -GRAVITY_M_S2, 0.0])
    out = [_Force(m.point.bone, np.array(m.point.local_m), np.tile(m.mass_kg * down, (n, 1)))
           for m in layout.masses if not _rests(m, load)]
    for w in load.weights:
        point = layout.points[w.at]
        if point.bone not in resting:
            out.append(_Force(point.bone, np.array(point.local_m), np.tile(w.mass_kg * down, (n, 1))))
    for band in load.bands:
        point = layout.points[band.at]
        if point.bone in resting:
            continue
        to_anchor = np.asarray(band.anchor_m) - pose.world(point.bone, point.local_m)
        distance = np.linalg.norm(to_anchor, axis=1)
        tension = np.maximum(band.tension_n + band.stiffness_n_per_m * (distance - distance[0]), 0.0)
        out.append(_Force(point.bone, np.array(point.local_m),
                          to_anchor / np.maximum(distance, 1e-9)[:, None] * tension[:, None]))
    return out


def _foot_frame(layout: BodyLayout, pose: PoseDerivatives, side: str) -> tuple[NDArray, NDArray, NDArray]:
    """Ankle (n, 3), sole height (n,) and the foot's horizontal forward direction (n, 3)."""
    ankle = layout.points[f"ankle_{side}"]
    position = pose.world(ankle.bone, ankle.local_m)
    forward = pose.transforms[pose.bones.index(ankle.bone), :, :3, 0].copy()
    forward[:, 1] = 0.0
    length = np.linalg.norm(forward, axis=1)
    forward = np.where(length[:, None] > 1e-6, forward / np.maximum(length, 1e-9)[:, None], [1.0, 0.0, 0.0])
    return position, position[:, 1] - layout.body.ankle_height_m, forward


def _reactions(layout: BodyLayout, load: LoadSpec, pose: PoseDerivatives, total_n: NDArray, moment_nm: NDArray,
               ) -> tuple[list[_Force], dict[str, NDArray], list[Contact], NDArray[np.bool_],
                          list[tuple[str, NDArray]]]:
    """Reactions that balance the loads (see the module doc): the forces, the vertical force of each
    support, its contact (centre of pressure and size), whether the frame is balanced, and the feet's free
    moments."""
    n = total_n.shape[0]
    if load.lying_side:
        return [], {}, [], np.ones(n, bool), []
    feet = {side: _foot_frame(layout, pose, side) for side in load.feet}
    friction = -total_n * [1.0, 0.0, 1.0] / len(feet)  # horizontal loads, shared by the feet
    moment = moment_nm.copy()
    for _, floor, _ in feet.values():  # friction acts at the sole: its x and z moments need only its height
        moment += np.stack([floor * friction[:, 2], np.zeros(n), -floor * friction[:, 0]], axis=1)
    contacts = _contacts(layout, load, pose, feet)
    vertical, dx, dz = _vertical_reactions(contacts, load, total_n, moment)
    out, grips, ok = [], [], vertical.min(axis=1) >= -0.01 * np.maximum(vertical.sum(axis=1), 1e-9)
    sideways = _sideways(pose)
    for k, (name, bone, nominal) in enumerate(contacts):
        cop = nominal + np.stack([dx, np.zeros(n), np.zeros(n)], axis=1)
        if dz is not None and k == 0:  # the one foot, or the back beside one foot, shifts sideways
            shift = dz / np.where(np.abs(vertical[:, k]) > 1e-9, vertical[:, k], 1e-9)
            cop[:, 2] += shift
            if name in ("shoulders", "bench"):
                ok &= np.abs(shift) <= SHOULDER_HALF_WIDTH_M + BALANCE_TOLERANCE_M
        if name.startswith("foot_"):
            ankle, floor, forward = feet[name[-1]]
            cop[:, 1] = floor
            ok &= _inside_foot(layout, cop - ankle, forward)
            out.append(_Force(bone, pose.local(bone, cop), friction))
            across = np.cross(forward, [0.0, 1.0, 0.0])  # horizontal, square to the foot, toward the right
            offset = np.einsum("ni,ni->n", cop - ankle, across)
            grips.append(Contact(name, bone, cop, vertical[:, k], layout.body.length_m("foot"),
                                 layout.body.foot_width_m / 2, offset))
        else:
            grips.append(Contact(name, bone, cop, vertical[:, k], 2 * SHOULDER_HALF_WIDTH_M, SHOULDER_HALF_WIDTH_M,
                                 np.einsum("ni,ni->n", cop - nominal, sideways)))
        out.append(_Force(bone, pose.local(bone, cop), vertical[:, k, None] * [0.0, 1.0, 0.0]))
    return out, {name: vertical[:, k] for k, (name, _, _) in enumerate(contacts)}, grips, ok, \
        _free_moments(pose, moment_nm, out, list(feet))


def _contacts(layout: BodyLayout, load: LoadSpec, pose: PoseDerivatives, feet: dict,
              ) -> list[tuple[str, str, NDArray]]:
    """(support, bone, nominal centre of pressure (n, 3)) for each support, the back first."""
    back = load.upper_back
    heel_m = layout.body.heel_m if back else 0.0  # bridges: "drive through the heels"
    contacts = [(f"foot_{s}", f"tibia_{s}", feet[s][0] - heel_m * feet[s][2]) for s in feet]
    if back:
        p = layout.points[back]
        contacts.insert(0, (back, "pelvis", pose.world(p.bone, p.local_m)))
    return contacts


def _vertical_reactions(contacts: list, load: LoadSpec, total_n: NDArray, moment: NDArray,
                        ) -> tuple[NDArray, NDArray, NDArray | None]:
    """Vertical forces (n, k), the feet's common fore-aft shift of the centre of pressure (n,), and the
    sideways moment of a single foot's (or the back's) shift (n,) or None: the three equations of
    vertical force and the two horizontal moments, solved (least norm where more unknowns remain)."""
    n = total_n.shape[0]
    columns = [np.stack([np.ones(n), -c[2][:, 2], c[2][:, 0]], axis=1) for c in contacts]
    shift_x = load.upper_back is None  # feet only: the centres of pressure move fore and aft together
    shift_z = len(load.feet) == 1  # one foot: the foot, or the back beside it, shifts sideways
    if shift_x:
        columns.append(np.tile([0.0, 0.0, 1.0], (n, 1)))
    if shift_z:
        columns.append(np.tile([0.0, -1.0, 0.0], (n, 1)))
    b = np.stack([-total_n[:, 1], -moment[:, 0], -moment[:, 2]], axis=1)
    x = np.einsum("nkr,nr->nk", np.linalg.pinv(np.stack(columns, axis=2)), b)
    k = len(contacts)
    vertical = x[:, :k]
    dx = x[:, k] / np.maximum(vertical.sum(axis=1), 1e-9) if shift_x else np.zeros(n)
    return vertical, dx, x[:, -1] if shift_z else None


def _free_moments(pose: PoseDerivatives, moment_nm: NDArray, reactions: list[_Force], feet: list[str],
                  ) -> list[tuple[str, NDArray]]:
    """The moment about the vertical axis that the feet's friction must add, shared by the feet."""
    if not feet:
        return []
    arms = [pose.world(f.bone, f.local_m) for f in reactions]
    residual_y = moment_nm[:, 1] + sum(np.cross(p, f.force_n)[:, 1] for p, f in zip(arms, reactions))
    torque = np.zeros_like(moment_nm)
    torque[:, 1] = -residual_y / len(feet)
    return [(f"tibia_{s}", torque) for s in feet]


def _inside_foot(layout: BodyLayout, offset_m: NDArray, forward: NDArray) -> NDArray[np.bool_]:
    """Whether centres of pressure (offsets from the ankle, (n, 3)) lie within the foot's outline."""
    along = np.einsum("ni,ni->n", offset_m, forward)
    across = forward[:, 2] * offset_m[:, 0] - forward[:, 0] * offset_m[:, 2]
    body, tol = layout.body, BALANCE_TOLERANCE_M
    return (along >= -body.heel_m - tol) & (along <= body.toe_m + tol) & (np.abs(across) <= body.foot_width_m / 2 + tol)
