"""Interactive exports of a scene's still: a standalone HTML page, glTF, binary GLB and vtk.js (.vtksz).

- ``.html``: one self-contained file (no network, opens from ``file://``): the posed bones and muscle
  tubes drawn by a small WebGL viewer embedded in the page, with a check box per muscle group and side,
  named views, drag to rotate and scroll to zoom.
- ``.glb`` / ``.gltf``: the same meshes with vertex colours, one named node per bone and muscle, for
  Blender and three.js (through trimesh: pyvista's ``export_gltf`` writes JSON even when asked for .glb).
- ``.vtksz``: pyvista's vtk.js scene (needs ``trame-pyvista``, the web extra).
"""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import trimesh
from numpy.typing import NDArray
from vtk.util.numpy_support import vtk_to_numpy

from ..hipmodel import HipModel
from ..scene.frames import compute_frames
from ..scene.overrides import still_time_s
from ..scene.schema import Scene
from . import style as S
from ..atomic import replacing
from .output import OutputError
from .view import HipView

EXPORT_FORMATS = (".html", ".gltf", ".glb", ".vtksz")


@dataclass
class Part:
    """One drawn thing: a bone or a muscle, as a triangle mesh in world metres.

    Attributes
    ----------
    name : str
    group : str
        What the page's check boxes toggle: ``bones``, or a muscle group and side (``gluteals_r``).
    vertices : (n, 3) float
    faces : (m, 3) int
    colours : (n, 3) uint8
    shown : bool
        Shown in the scene (the page starts with these).
    opacity : float
        1 for bones and muscle tubes; less for a fan's translucent sheet.
    """

    name: str
    group: str
    vertices: NDArray[np.float64]
    faces: NDArray[np.int64]
    colours: NDArray[np.uint8]
    shown: bool
    opacity: float = 1.0


def check_export_path(path: Path) -> str:
    """The export format of ``path`` (its extension), or OutputError naming the allowed ones."""
    ext = path.suffix.lower()
    if ext not in EXPORT_FORMATS:
        raise OutputError(f"{path}: unknown export extension {ext or '(none)'!r}; expected one of "
                          f"{', '.join(EXPORT_FORMATS)}")
    if not path.parent.is_dir():
        raise OutputError(f"{path}: no such folder {path.parent}")
    return ext


def export_scene(model: HipModel, scene: Scene, path: str | Path) -> Path:
    """Export a scene's still (for an animated scene, the frame at its still time) to ``path``;
    the extension chooses the format (see :data:`EXPORT_FORMATS`). Written atomically."""
    path = Path(path)
    ext = check_export_path(path)
    t = still_time_s(scene)
    frames = compute_frames(model, scene, times_s=None if t is None else np.array([t]))
    view = HipView(model, scene, frames=frames, anti_aliasing=None)
    try:
        with replacing(path) as tmp:
            if ext == ".vtksz":
                view.plotter.trame.export_vtksz(str(tmp))
            else:
                parts = scene_parts(view)
                if ext == ".html":
                    tmp.write_text(html_page(view, parts), encoding="utf-8")
                else:
                    tmp.write_bytes(gltf_bytes(parts, binary=ext == ".glb"))
    finally:
        view.close()
    return path


def _muscle_group(model: HipModel, muscle: str, groups: list[str]) -> str:
    side = model.muscle(muscle).side
    for group in groups:
        if muscle in model.groups[group]:
            return f"{group}_{side}"
    return f"{model.muscle(muscle).card}_{side}"


def toggle_groups(model: HipModel) -> list[str]:
    """The groups that the window, the browser app and a page toggle: the model's top-level groups (not
    a card, not one side) in file order, skipping any that overlaps one already taken
    (``biceps_femoris`` inside ``hamstrings``)."""
    taken: list[str] = []
    for name, members in model.groups.items():
        if name in model.data.cards or name.endswith(("_r", "_l")):
            continue
        if not any(set(members) & set(model.groups[t]) for t in taken):
            taken.append(name)
    return taken


def scene_parts(view: HipView) -> list[Part]:
    """Every bone and muscle of a view as world-space triangle meshes with their drawn colours:
    bones posed by their actors' matrices, muscles as the tubes drawn now (every muscle, so that a
    page can show the ones the scene hides)."""
    model = view.model
    parts = []
    bone_rgb = np.array(S.hex_to_rgb(S.BONE_COLOUR), dtype=np.uint8)
    for bone, mesh in model.local_meshes.items():
        T = np.array(view.bone_actors[bone].user_matrix)
        vertices = np.asarray(mesh.vertices) @ T[:3, :3].T + T[:3, 3]
        parts.append(Part(bone, "bones", vertices, np.asarray(mesh.faces), np.tile(bone_rgb, (len(vertices), 1)),
                          view.visible[bone]))
    groups = toggle_groups(model)
    for muscle, actor in view.muscle_actors.items():
        actor.tube.Update()
        tubes = actor.tube.GetOutput()
        vertices = vtk_to_numpy(tubes.GetPoints().GetData()).astype(float)
        faces = _triangles(tubes)
        rgb = vtk_to_numpy(tubes.GetPointData().GetArray("rgb")).astype(np.uint8)
        parts.append(Part(muscle, _muscle_group(model, muscle, groups), vertices, faces, rgb,
                          bool(view.visible[muscle])))
    return parts + sheet_parts(view, groups)


def sheet_parts(view: HipView, groups: list[str]) -> list[Part]:
    """The translucent sheets drawn between a broad muscle's fibres (the gluteal fans), one part per
    fan, named after its card and side (``gluteus_maximus_r_sheet``), as drawn now."""
    parts = []
    for sheet, (members, _) in zip(view.sheets, view._fans):
        if sheet is None:
            continue
        rgba = np.asarray(sheet.source.point_data["rgba"])
        alpha = rgba[:, 3]
        vertices = np.asarray(sheet.source.points, dtype=float)
        faces = _triangles(sheet.source)
        muscle = view.model.muscle(members[0])
        opacity = float(alpha.max()) / 255 if alpha.any() else S.SHEET_OPACITY
        parts.append(Part(f"{muscle.card}_{muscle.side}_sheet", _muscle_group(view.model, members[0], groups),
                          vertices, faces, rgba[:, :3].astype(np.uint8), bool(sheet.actor.GetVisibility()),
                          opacity=round(opacity, 3)))
    return parts


def _triangles(polydata) -> NDArray[np.int64]:
    """Triangles of a polydata's polygons and triangle strips (a tube filter makes strips and caps)."""
    import vtk

    triangulate = vtk.vtkTriangleFilter()
    triangulate.SetInputData(polydata)
    triangulate.PassLinesOff()
    triangulate.PassVertsOff()
    triangulate.Update()
    cells = vtk_to_numpy(triangulate.GetOutput().GetPolys().GetConnectivityArray())
    return cells.reshape(-1, 3).astype(np.int64)


def gltf_bytes(parts: list[Part], *, binary: bool) -> bytes:
    """A glTF 2.0 file of the shown parts: one node per bone or muscle, vertex colours, metres."""
    scene = trimesh.Scene()
    translucent = set()
    for part in parts:
        if not part.shown or len(part.faces) == 0:
            continue
        alpha = int(round(255 * part.opacity))
        colours = np.column_stack([part.colours, np.full(len(part.colours), alpha, np.uint8)])
        mesh = trimesh.Trimesh(part.vertices, part.faces, vertex_colors=colours, process=False)
        scene.add_geometry(mesh, node_name=part.name, geom_name=part.name)
        if alpha < 255:
            translucent.add(part.name)
    if binary:
        return _blend_materials_glb(trimesh.exchange.gltf.export_glb(scene, include_normals=True), translucent)
    files = trimesh.exchange.gltf.export_gltf(scene, include_normals=True, embed_buffers=True)
    gltf = json.loads(files["model.gltf"])
    _blend_materials(gltf, translucent)
    return json.dumps(gltf, separators=(",", ":")).encode("utf-8")


def _blend_materials(gltf: dict, translucent: set[str]) -> None:
    """Give the meshes named in ``translucent`` a double-sided material that blends by the vertex
    colours' alpha (trimesh writes none, and a viewer then draws the sheets opaque)."""
    if not translucent:
        return
    materials = gltf.setdefault("materials", [])
    materials.append({"name": "translucent_sheet", "alphaMode": "BLEND", "doubleSided": True,
                      "pbrMetallicRoughness": {"baseColorFactor": [1.0, 1.0, 1.0, 1.0], "metallicFactor": 0.0,
                                               "roughnessFactor": 0.8}})
    for mesh in gltf.get("meshes", []):
        if mesh.get("name") in translucent:
            for primitive in mesh["primitives"]:
                primitive["material"] = len(materials) - 1


def _blend_materials_glb(glb: bytes, translucent: set[str]) -> bytes:
    """:func:`_blend_materials` on a binary glTF: rewrite its JSON chunk (padded with spaces to 4 bytes)."""
    if not translucent:
        return glb
    json_length, json_type = struct.unpack("<II", glb[12:20])
    assert json_type == 0x4E4F534A, "GLB: the first chunk must be JSON"
    gltf = json.loads(glb[20:20 + json_length])
    _blend_materials(gltf, translucent)
    text = json.dumps(gltf, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 4)
    rest = glb[20 + json_length:]
    body = struct.pack("<II", len(text), json_type) + text + rest
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body


# -- the standalone page ------------------------------------------------------------------------------
def _b64(array: NDArray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def _vertex_normals(vertices: NDArray[np.float64], faces: NDArray[np.int64]) -> NDArray[np.float64]:
    return np.asarray(trimesh.Trimesh(vertices, faces, process=False).vertex_normals)


def page_data(view: HipView, parts: list[Part]) -> dict:
    """What the page draws: quantised meshes (positions uint16, normals int8, colours uint8, indices
    uint16 or uint32), the groups with labels and colours, and the camera."""
    everything = np.concatenate([p.vertices for p in parts])
    lo, hi = everything.min(axis=0), everything.max(axis=0)
    scale = (hi - lo) / 65535.0
    meshes = []
    for part in parts:
        if len(part.faces) == 0:
            continue
        q = np.round((part.vertices - lo) / scale).astype(np.uint16)
        n = np.round(_vertex_normals(part.vertices, part.faces) * 127).astype(np.int8)
        index_type = np.uint16 if len(part.vertices) < 65536 else np.uint32
        meshes.append({"name": part.name, "group": part.group, "shown": part.shown, "opacity": part.opacity,
                       "positions": _b64(q), "normals": _b64(n), "colours": _b64(part.colours),
                       "indices": _b64(part.faces.astype(index_type)), "index32": index_type is np.uint32})
    model = view.model
    groups = []
    for group in dict.fromkeys(p.group for p in parts):
        if group == "bones":
            label, colour = "Bones", S.BONE_COLOUR
        else:
            base, side = group[:-2], group[-1]
            members = model.groups.get(group, [p.name for p in parts if p.group == group])
            label = f"{base.replace('_', ' ').capitalize()} {side.upper()}"
            colour = view.colours[model.muscle(members[0]).card]
        groups.append({"id": group, "label": label, "colour": colour})
    position, focal, up = view.plotter.camera_position
    from ..scene.views import VIEWS

    return {"title": view.scene.title, "background": view.scene.background if not view.scene.transparent else "#1f2430",
            "offset": lo.tolist(), "scale": scale.tolist(), "meshes": meshes, "groups": groups,
            "camera": {"position": list(position), "focal": list(focal), "up": list(up),
                       "angle_deg": view.plotter.camera.view_angle},
            "views": {name: {"direction": list(d), "up": list(u)} for name, (d, u) in VIEWS.items()}}


def html_page(view: HipView, parts: list[Part]) -> str:
    """A self-contained HTML page of the parts (see the module docstring)."""
    data = json.dumps(page_data(view, parts), separators=(",", ":"))
    title = view.scene.title.replace("&", "&amp;").replace("<", "&lt;")
    return PAGE.replace("__TITLE__", title).replace("__DATA__", data)


PAGE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__ (anatviz)</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
html,body{margin:0;height:100%;overflow:hidden;font-family:system-ui,sans-serif;color:#eceff4;background:#151922}
#view{position:absolute;left:0;top:0;right:300px;bottom:0}
canvas{width:100%;height:100%;display:block;cursor:grab}
#panel{position:absolute;top:0;right:0;width:284px;bottom:0;padding:8px;overflow:auto;background:#151922;font-size:15px}
#panel h1{font-size:17px;margin:4px 0 10px} #panel h2{font-size:15px;margin:14px 0 6px;color:#c9ced8}
label{display:flex;align-items:center;gap:8px;height:28px;cursor:pointer}
.sw{width:10px;height:18px;border-radius:2px;display:inline-block}
input[type=checkbox]{width:18px;height:18px}
button{background:#3a4150;color:#eceff4;border:0;border-radius:4px;padding:6px 4px;font-size:13px;cursor:pointer}
#views{display:grid;grid-template-columns:1fr 1fr;gap:6px}
#hint{color:#9aa4b5;font-size:13px;margin-top:14px}
</style></head><body>
<div id="view"><canvas id="canvas"></canvas></div>
<div id="panel"><h1>__TITLE__</h1><h2>Show</h2><div id="groups"></div><h2>Views</h2><div id="views"></div>
<div id="hint">Drag to rotate, shift-drag to move, scroll to zoom. Made with anatviz.</div></div>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const canvas = document.getElementById("canvas");
const gl = canvas.getContext("webgl", {antialias: true, preserveDrawingBuffer: true});
const u8 = s => Uint8Array.from(atob(s), c => c.charCodeAt(0));
const hex = h => [1, 3, 5].map(i => parseInt(h.substr(i, 2), 16) / 255);
const VS = `attribute vec3 p; attribute vec3 n; attribute vec3 c; uniform mat4 mvp; uniform mat4 mv;
uniform vec3 off; uniform vec3 sc; varying vec3 vn; varying vec3 vc; varying vec3 vp;
void main(){ vec4 w = vec4(off + p * sc, 1.0); gl_Position = mvp * w; vp = (mv * w).xyz;
vn = (mv * vec4(n / 127.0, 0.0)).xyz; vc = c / 255.0; }`;
const FS = `precision mediump float; varying vec3 vn; varying vec3 vc; varying vec3 vp; uniform float alpha;
void main(){ vec3 N = normalize(vn); vec3 V = normalize(-vp); float d = abs(dot(N, V));
float s = pow(max(dot(reflect(-V, N), V), 0.0), 25.0) * 0.25;
gl_FragColor = vec4(vc * (0.28 + 0.72 * d) + s, alpha); }`;
function shader(type, src){ const s = gl.createShader(type); gl.shaderSource(s, src); gl.compileShader(s); return s; }
const prog = gl.createProgram();
gl.attachShader(prog, shader(gl.VERTEX_SHADER, VS)); gl.attachShader(prog, shader(gl.FRAGMENT_SHADER, FS));
gl.linkProgram(prog); gl.useProgram(prog);
gl.getExtension("OES_element_index_uint");
const loc = n => gl.getAttribLocation(prog, n), uni = n => gl.getUniformLocation(prog, n);
function buffer(target, bytes){ const b = gl.createBuffer(); gl.bindBuffer(target, b); gl.bufferData(target, bytes, gl.STATIC_DRAW); return b; }
const meshes = D.meshes.map(m => ({group: m.group, name: m.name, alpha: m.opacity,
  p: buffer(gl.ARRAY_BUFFER, new Uint16Array(u8(m.positions).buffer)),
  n: buffer(gl.ARRAY_BUFFER, new Int8Array(u8(m.normals).buffer)),
  c: buffer(gl.ARRAY_BUFFER, u8(m.colours)),
  i: buffer(gl.ELEMENT_ARRAY_BUFFER, m.index32 ? new Uint32Array(u8(m.indices).buffer) : new Uint16Array(u8(m.indices).buffer)),
  count: u8(m.indices).length / (m.index32 ? 4 : 2), type: m.index32 ? gl.UNSIGNED_INT : gl.UNSIGNED_SHORT}));
const shown = {};
for (const m of D.meshes) shown[m.group] = shown[m.group] || m.shown;
// camera: spherical around the focal point
const sub = (a, b) => a.map((x, i) => x - b[i]), add = (a, b) => a.map((x, i) => x + b[i]);
const dot = (a, b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const norm = a => { const l = Math.hypot(...a); return a.map(x => x / l); }, mul = (a, s) => a.map(x => x * s);
let cam = {focal: D.camera.focal, eye: D.camera.position, up: D.camera.up};
const dist0 = Math.hypot(...sub(D.camera.position, D.camera.focal));
function lookAt(eye, f, up){ const z = norm(sub(eye, f)), x = norm(cross(up, z)), y = cross(z, x);
  return [x[0], y[0], z[0], 0, x[1], y[1], z[1], 0, x[2], y[2], z[2], 0, -dot(x, eye), -dot(y, eye), -dot(z, eye), 1]; }
function perspective(fovy, aspect, near, far){ const f = 1 / Math.tan(fovy / 2), nf = 1 / (near - far);
  return [f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (far + near) * nf, -1, 0, 0, 2 * far * near * nf, 0]; }
function mm(a, b){ const o = new Array(16).fill(0);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) o[j * 4 + i] += a[k * 4 + i] * b[j * 4 + k]; return o; }
function draw(){
  const w = canvas.clientWidth * devicePixelRatio, h = canvas.clientHeight * devicePixelRatio;
  if (canvas.width !== w || canvas.height !== h){ canvas.width = w; canvas.height = h; }
  gl.viewport(0, 0, w, h); gl.clearColor(...hex(D.background), 1); gl.enable(gl.DEPTH_TEST);
  gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
  const d = Math.hypot(...sub(cam.eye, cam.focal));
  const mv = lookAt(cam.eye, cam.focal, cam.up), pr = perspective(D.camera.angle_deg * Math.PI / 180, w / h, d / 50, d * 10);
  gl.uniformMatrix4fv(uni("mvp"), false, new Float32Array(mm(pr, mv)));
  gl.uniformMatrix4fv(uni("mv"), false, new Float32Array(mv));
  gl.uniform3fv(uni("off"), D.offset); gl.uniform3fv(uni("sc"), D.scale);
  // opaque parts first, then the translucent sheets blended over them without hiding what lies behind
  for (const pass of [0, 1]){
  if (pass){ gl.enable(gl.BLEND); gl.blendFunc(gl.SRC_ALPHA, gl.ONE_MINUS_SRC_ALPHA); gl.depthMask(false); }
  for (const m of meshes){ if (!shown[m.group] || (m.alpha < 1) !== (pass === 1)) continue;
    gl.uniform1f(uni("alpha"), m.alpha);
    gl.bindBuffer(gl.ARRAY_BUFFER, m.p); gl.enableVertexAttribArray(loc("p")); gl.vertexAttribPointer(loc("p"), 3, gl.UNSIGNED_SHORT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, m.n); gl.enableVertexAttribArray(loc("n")); gl.vertexAttribPointer(loc("n"), 3, gl.BYTE, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, m.c); gl.enableVertexAttribArray(loc("c")); gl.vertexAttribPointer(loc("c"), 3, gl.UNSIGNED_BYTE, false, 0, 0);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, m.i); gl.drawElements(gl.TRIANGLES, m.count, m.type, 0); }
  }
  gl.disable(gl.BLEND); gl.depthMask(true);
  document.body.dataset.drawn = String(Number(document.body.dataset.drawn || 0) + 1);
}
// controls
const groups = document.getElementById("groups");
for (const g of D.groups){ const l = document.createElement("label");
  l.innerHTML = `<input type="checkbox" id="show-${g.id}"><span class="sw" style="background:${g.colour}"></span>${g.label}`;
  const box = l.querySelector("input"); box.checked = !!shown[g.id];
  box.onchange = () => { shown[g.id] = box.checked; draw(); }; groups.appendChild(l); }
const views = document.getElementById("views");
for (const [name, v] of Object.entries(D.views)){ const b = document.createElement("button");
  b.textContent = name.replace("_r", " R").replace("_l", " L").replace("_", " "); b.id = "view-" + name;
  b.onclick = () => { const d = Math.hypot(...sub(cam.eye, cam.focal));
    cam = {focal: cam.focal, eye: add(cam.focal, mul(norm(v.direction), d)), up: v.up}; draw(); }; views.appendChild(b); }
let drag = null;
canvas.onpointerdown = e => { drag = {x: e.clientX, y: e.clientY, pan: e.shiftKey || e.button === 2}; canvas.setPointerCapture(e.pointerId); };
canvas.onpointerup = () => { drag = null; };
canvas.oncontextmenu = e => e.preventDefault();
canvas.onpointermove = e => { if (!drag) return; const dx = e.clientX - drag.x, dy = e.clientY - drag.y; drag.x = e.clientX; drag.y = e.clientY;
  const z = sub(cam.eye, cam.focal), d = Math.hypot(...z), zn = mul(z, 1 / d), x = norm(cross(cam.up, zn)), y = cross(zn, x);
  if (drag.pan){ const s = d * 0.0015, t = add(mul(x, -dx * s), mul(y, dy * s)); cam = {focal: add(cam.focal, t), eye: add(cam.eye, t), up: y}; }
  else { const a = -dx * 0.008, b = -dy * 0.008;
    let nz = add(mul(zn, Math.cos(a)), mul(x, Math.sin(a))); const nx = norm(cross(y, nz));
    nz = add(mul(nz, Math.cos(b)), mul(y, Math.sin(b))); const ny = cross(nz, nx);
    cam = {focal: cam.focal, eye: add(cam.focal, mul(norm(nz), d)), up: ny}; }
  draw(); };
canvas.onwheel = e => { e.preventDefault(); const z = sub(cam.eye, cam.focal);
  const f = Math.min(Math.max(Math.exp(e.deltaY * 0.001), 0.5), 2); const d = Math.hypot(...z) * f;
  if (d > dist0 * 0.1 && d < dist0 * 5) cam.eye = add(cam.focal, mul(z, f)); draw(); };
window.onresize = draw;
draw();
</script></body></html>
"""
