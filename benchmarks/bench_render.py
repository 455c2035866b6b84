"""Rendering speed (run by hand): a 1920x1080 anti-aliased still and the hip-extension animation at
1280x720, each against plain pyvista drawing the same meshes and tubes in the same run.

    python benchmarks/bench_render.py

Plain pyvista here means: the same bone meshes and the same tube polydata, added once with add_mesh, and
per frame only the bones' user_matrix and the tubes' points changed in place; no labels, legend, fans,
tendon colouring or posing. The ratio is our overhead (goal: under 10%).
"""

from __future__ import annotations

import os
import time

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import numpy as np
import pyvista as pv

import anatviz
from anatviz.render import HipView
from anatviz.scene import compute_frames, load_scene, with_overrides


def timed(fn, repeats=3):
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def plain_plotter(model, view, size, aa):
    """Plain pyvista with the same geometry: the visible bone meshes and the visible tubes (static copies
    of the view's tube outputs), one colour each, default lighting, no overlays."""
    plotter = pv.Plotter(off_screen=True, window_size=list(size))
    if aa:
        plotter.enable_anti_aliasing(aa)
    bones = {}
    for b, mesh in model.local_meshes.items():
        if view.visible[b]:
            bones[b] = plotter.add_mesh(pv.PolyData.from_regular_faces(mesh.vertices, mesh.faces),
                                        color="ivory", smooth_shading=True)
    tubes = {}
    for m, actor in view.muscle_actors.items():
        if view.visible[m]:
            actor.tube.Update()
            tubes[m] = pv.wrap(actor.tube.GetOutput()).copy()
            plotter.add_mesh(tubes[m], color="red")
    plotter.screenshot(return_img=True)  # the first screenshot makes later render() calls draw
    return plotter, bones, tubes


def main() -> None:
    model = anatviz.load_model()
    still_scene = with_overrides(model, load_scene("overview", model), size=(1920, 1080))
    view = HipView(model, still_scene, anti_aliasing="ssaa")
    view.image()
    ours = timed(lambda: view.image())
    plain, _, _ = plain_plotter(model, view, (1920, 1080), "ssaa")
    plain.camera_position = view.plotter.camera_position
    plain.render()
    plain.screenshot(return_img=True)
    theirs = timed(lambda: (plain.render(), plain.screenshot(return_img=True)))
    print(f"1920x1080 SSAA still (render + read back): anatviz {ours * 1e3:.0f} ms, plain pyvista "
          f"{theirs * 1e3:.0f} ms, ratio {ours / theirs:.2f}")
    view.close()
    plain.close()

    scene = with_overrides(model, load_scene("hip_extension", model), size=(1280, 720))
    start = time.perf_counter()
    frames = compute_frames(model, scene)
    posing = time.perf_counter() - start
    n = len(frames)
    view = HipView(model, scene, frames=frames, anti_aliasing=None)
    view.image()
    start = time.perf_counter()
    for i in range(n):
        view.set_frame(i)
        view.image(transparent=False)
    ours = (time.perf_counter() - start) / n
    start = time.perf_counter()
    for i in range(n):
        view.set_frame(i)
    update_only = (time.perf_counter() - start) / n

    plain, bones, tubes = plain_plotter(model, view, (1280, 720), None)
    plain.camera_position = view.plotter.camera_position
    transforms = frames.motion.bone_transforms
    tube_points = {m: np.array(t.points) for m, t in tubes.items()}
    plain.render()
    start = time.perf_counter()
    for i in range(n):
        for b, name in enumerate(frames.motion.bones):
            if name in bones:
                bones[name].user_matrix = transforms[b, i]
        for m, t in tubes.items():
            t.points[:] = tube_points[m] + 0.0001 * (i % 2)
            t.Modified()
        plain.render()
        plain.screenshot(return_img=True)
    theirs = (time.perf_counter() - start) / n
    print(f"hip_extension 1280x720, no AA, {n} frames: anatviz {1 / ours:.1f} fps, plain pyvista "
          f"{1 / theirs:.1f} fps, ratio {ours / theirs:.2f}")
    print(f"  posing + paths + moment arms for all {n} frames up front: {posing * 1e3:.0f} ms "
          f"({posing / n * 1e3:.2f} ms/frame); per-frame actor update without rendering: {update_only * 1e3:.1f} ms")
    view.close()
    plain.close()


if __name__ == "__main__":
    main()
