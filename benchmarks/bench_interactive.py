"""Interactive speed: slider change to updated picture, in the window and in the browser; a lesson's step
change; server start-up time and memory. Run by hand (needs the web and test extras, and Debian's
chromium):

    xvfb-run -s "-screen 0 1920x1080x24" python benchmarks/bench_interactive.py

The window is measured off-screen (the same plotter, panel and render calls as on screen); four
settings take turns at every step, so the load of a shared machine falls on all alike: FXAA (what the
window draws at rest) or none, and the bones' full surfaces or their decimated copies
(``HipView.set_detail``). While a slider or the camera moves the window draws without anti-aliasing and
with the decimated bones: the last setting. The browser is measured
through `anatviz serve` and headless Chromium, from the key press on the slider to the new picture
arriving in the page (its websocket frame; drawing it takes a few ms more): first the half-size picture
sent while the slider moves, then the full one once it rests. Goal: under 100 ms.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import numpy as np

if not os.environ.get("DISPLAY"):
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

import anatviz  # noqa: E402
from anatviz import desktop  # noqa: E402
from anatviz.render import HipView  # noqa: E402
from anatviz.scene import load_scene  # noqa: E402

SCENE = "hip_extension"
STEPS = 30
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def summary(times_s: list[float]) -> str:
    ms = np.array(times_s) * 1000
    return f"median {np.median(ms):5.0f} ms, 90th percentile {np.percentile(ms, 90):5.0f} ms ({len(ms)} changes)"


def bench_window(model, *, present: bool = False) -> None:
    """Slider to picture in the window, for four settings measured in turn at every step (so that
    the load of a shared machine falls on all of them alike): FXAA or none, all the bones' triangles
    or a fifth of them."""
    scene = load_scene(SCENE, model)
    size, panel_width, scale = desktop.window_layout(scene, present=present, screen=(1920, 1080))
    view = HipView(model, scene, size=size, anti_aliasing="fxaa",
                   text_scale=desktop.window.PRESENT_PICTURE_TEXT_SCALE if present else 1.0)
    controls = desktop.WindowControls(view)
    panel = desktop.attach(controls, panel_width_px=panel_width, scale=scale, compact=present)
    triangles = view.detail.triangles()
    view.set_detail(True)  # the decimated copies are made once, here
    light = view.detail.triangles()
    view.set_detail(False)
    settings = {"fxaa, full bones (at rest)": (True, False),
                "no anti-aliasing, full bones (dragging, before set_detail)": (False, False),
                f"fxaa, bones {light} instead of {triangles} triangles": (True, True),
                "no anti-aliasing, decimated bones (dragging now)": (False, True)}
    renderer = view.plotter.renderer
    view.plotter.render_window.Render()
    times: dict[str, list[float]] = {name: [] for name in settings}
    for value in np.linspace(-20, 110, STEPS):
        for k, (name, (fxaa, interactive)) in enumerate(settings.items()):
            renderer.SetUseFXAA(fxaa)
            view.set_detail(interactive)
            start = time.perf_counter()
            with desktop.one_render(view.plotter):  # what a slider drag does
                controls.set_coordinate("hip_flexion_r", float(value) + 0.1 * k)
                panel.refresh()
            view.plotter.render_window.Render()  # (pyvista's render() waits for show() off-screen)
            view.plotter.render_window.WaitForCompletion()
            times[name].append(time.perf_counter() - start)
    for name, values in times.items():
        mode = ", presentation mode" if present else ""
        print(f"window {size[0] + panel_width}x{size[1]}{mode} ({name}): slider to picture {summary(values)}")
    view.close()


def bench_lesson(model) -> None:
    """A lesson's step change (the step's scene loaded into the one view): the first time (its frames are
    computed) and again (kept), with and without the next step's frames computed ahead; the memory
    after all the steps."""
    from anatviz.lesson import load_lesson, shipped_lessons

    lesson = load_lesson(shipped_lessons()[0], model)
    size, panel_width, scale = desktop.window_layout(lesson.steps[0].scene, present=False)
    print(f"lesson: {rss_mb(os.getpid()):.0f} MB resident before its view")
    first = HipView(model, lesson.steps[0].scene, size=size, anti_aliasing=None)
    steps = desktop.LessonSteps(lesson, first)
    controls = desktop.WindowControls(first)
    panel = desktop.attach(controls, panel_width_px=panel_width, scale=scale, lesson=steps)
    window = first.plotter.render_window
    window.Render()

    def step(forward: bool) -> float:
        start = time.perf_counter()
        with desktop.one_render(first.plotter):
            desktop.step_lesson(panel, forward)
        window.Render()
        window.WaitForCompletion()
        return time.perf_counter() - start

    built, kept, ahead = [], [], []
    for _ in range(len(lesson) - 1):
        built.append(step(True))
    for _ in range(len(lesson) - 1):
        kept.append(step(False))
    steps.frames = {0: steps.frames[0]}
    for _ in range(len(lesson) - 1):
        steps.prefetch()  # what the window does while the lecturer talks
        ahead.append(step(True))
    print(f"lesson {lesson.name!r} in the window: next step, first time {summary(built)}")
    print(f"lesson {lesson.name!r} in the window: a step shown before {summary(kept)}")
    print(f"lesson {lesson.name!r} in the window: next step with its frames computed ahead {summary(ahead)}")
    print(f"lesson: {rss_mb(os.getpid()):.0f} MB resident after all {len(lesson)} steps, twice (one view)")
    first.close()


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def bench_browser() -> None:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tempfile.NamedTemporaryFile("w+", suffix=".log")  # a file, not a pipe nobody reads
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "anatviz", "serve", SCENE, "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT,
                              env={**{k: v for k, v in os.environ.items() if k != "DISPLAY"}, "PYTHONUNBUFFERED": "1"})
    try:
        while "serving" not in open(log.name).read():
            if server.poll() is not None or time.perf_counter() - started > 60:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        listening = time.perf_counter() - started
        print(f"server: listening after {listening:.1f} s, {rss_mb(server.pid):.0f} MB resident")
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path="/usr/bin/chromium",
                                                           args=CHROMIUM_ARGS, viewport={"width": 1600, "height": 900})
            page = context.new_page()
            page.set_default_timeout(30_000)
            # pictures reach the page as binary websocket frames: note when each one arrives
            pictures: list[float] = []

            def on_socket(socket) -> None:
                socket.on("framereceived", lambda payload: pictures.append(time.perf_counter())
                          if isinstance(payload, bytes) and len(payload) > 8_000 else None)

            page.on("websocket", on_socket)
            t0 = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("#picture img")
            print(f"server: first picture in the page {time.perf_counter() - t0:.1f} s after loading it "
                  f"({time.perf_counter() - started:.1f} s after start)")
            page.wait_for_timeout(2000)
            page.locator("#slider-hip_flexion_r .v-slider-thumb").focus()  # the slider's thumb takes the arrow keys
            times, settled = [], []
            for k in range(STEPS):
                seen = len(pictures)
                start = time.perf_counter()
                page.keyboard.press("ArrowLeft" if k % 10 < 5 else "ArrowRight")  # one degree
                while len(pictures) < seen + 2 and time.perf_counter() - start < 5:
                    page.wait_for_timeout(2)
                times.append(pictures[seen] - start)  # the picture while dragging (half size)
                if len(pictures) >= seen + 2:
                    settled.append(pictures[seen + 1] - start)  # the full picture once the slider rests
                page.wait_for_timeout(200)
            width = page.locator("#picture").bounding_box()["width"]
            print(f"browser 1600x900 page, picture {width:.0f} px wide: slider to picture {summary(times)}")
            print(f"browser: slider to the full-size picture after it rests {summary(settled)}")
            others = [context.new_page() for _ in range(2)]
            for other in others:
                other.goto(f"http://127.0.0.1:{port}/")
                other.wait_for_selector("#picture img")
            time.sleep(2)
            print(f"server: {rss_mb(server.pid):.0f} MB resident with 3 browsers connected")
            context.close()
    finally:
        server.send_signal(signal.SIGINT)
        stopped = time.perf_counter()
        code = server.wait(timeout=30)
        print(f"server: stopped {time.perf_counter() - stopped:.1f} s after Ctrl-C, exit code {code}")


def main() -> None:
    model = anatviz.load_model()
    print(f"{os.cpu_count()} cores; scene {SCENE!r}")
    bench_window(model)
    bench_window(model, present=True)
    bench_lesson(model)
    bench_browser()


if __name__ == "__main__":
    main()
