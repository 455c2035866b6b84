"""Make the left side from the right by reflection through the sagittal plane (z -> -z).

With M = diag(1, 1, -1), a left-side position is ``M @ p`` and a left-side rotation is ``M @ R @ M``.
Conjugation leaves rotations about z unchanged and reverses rotations about x and y, so the left hip's
adduction and internal rotation keep their anatomical meaning (as the published models do with their
mirrored axes).
"""

from __future__ import annotations

from dataclasses import replace

from .schema import AnatomyData, Condition, Joint, PathPoint, Rotation, Vec3, Wrap


def left_name(name: str) -> str:
    """``femur_r`` -> ``femur_l``; midline names are unchanged."""
    return name[:-2] + "_l" if name.endswith("_r") else name


def _mirror_vec(v: Vec3) -> Vec3:
    return (v[0], v[1], -v[2])


def _mirror_rotation(r: Rotation) -> Rotation:
    sign = r.sign if r.axis == "z" else -r.sign
    return Rotation(r.axis, left_name(r.coordinate), sign)


def _mirror_joint(j: Joint) -> Joint:
    spline = j.translation_spline
    if spline is not None:
        spline = replace(spline, coordinate=left_name(spline.coordinate), z_m=-spline.z_m)
    return replace(j, name=left_name(j.name), parent=left_name(j.parent), child=left_name(j.child),
                   location_in_parent_m=_mirror_vec(j.location_in_parent_m),
                   rotations=tuple(_mirror_rotation(r) for r in j.rotations), translation_spline=spline)


def _mirror_wrap(w: Wrap) -> Wrap:
    # M Rx(a) Ry(b) Rz(c) M = Rx(-a) Ry(-b) Rz(c): the wrap frame's z flips, x and y do not,
    # so the quadrant (always about x or y, for cylinders and spheres) is unchanged.
    a, b, c = w.xyz_body_rotation_rad
    return replace(w, name=left_name(w.name), bone=left_name(w.bone),
                   translation_m=_mirror_vec(w.translation_m), xyz_body_rotation_rad=(-a, -b, c),
                   published_name=left_name(w.published_name))


def _mirror_point(p: PathPoint) -> PathPoint:
    condition = p.active_when
    if condition is not None:
        condition = Condition(left_name(condition.coordinate), condition.range_deg)
    return PathPoint(left_name(p.bone), _mirror_vec(p.position_m), condition)


def _left_text(text: str) -> str:
    return text.replace("Right", "Left").replace("right", "left")


def with_left_side(data: AnatomyData) -> AnatomyData:
    """Return ``data`` with an ``_l`` twin of every ``_r`` item, right items first."""
    def twin(table: dict, make) -> dict:
        out = dict(table)
        out.update({left_name(k): make(v) for k, v in table.items() if k.endswith("_r")})
        return out

    return replace(
        data,
        bones=twin(data.bones, lambda b: replace(
            b, name=left_name(b.name), display_name=_left_text(b.display_name),
            mesh=b.mesh.replace("_r.", "_l."), side="l")),
        landmarks=twin(data.landmarks, lambda lm: replace(
            lm, name=left_name(lm.name), bone=left_name(lm.bone), position_m=_mirror_vec(lm.position_m),
            description=_left_text(lm.description))),
        coordinates=twin(data.coordinates, lambda c: replace(
            c, name=left_name(c.name), description=_left_text(c.description))),
        joints=twin(data.joints, _mirror_joint),
        wraps=twin(data.wraps, _mirror_wrap),
        muscles=twin(data.muscles, lambda m: replace(
            m, name=left_name(m.name), side="l", published_name=left_name(m.published_name),
            path=tuple(_mirror_point(p) for p in m.path),
            wrap=left_name(m.wrap) if m.wrap else None,
            wraps=tuple(replace(w, surface=left_name(w.surface)) for w in m.wraps))),
    )
