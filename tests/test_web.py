"""The browser app end to end: `anatviz serve` in a subprocess on 127.0.0.1, driven by Playwright in
Debian's headless Chromium. Every wait is bounded; the server and the browser stop by themselves."""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anatviz.cli import main
from anatviz.render import HipView
from anatviz.scene import load_scene, with_overrides

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE_SIZE = {"width": 1400, "height": 820}
SCENE = "hip_extension"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*args: str, log: Path) -> tuple[subprocess.Popen, str]:
    """`anatviz serve` on a free port, its output to ``log`` (a pipe nobody reads could fill and block
    it); returns the process and its URL once it listens (60 s at most)."""
    port = free_port()
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "anatviz", "serve", *args, "--port", str(port)],
                                   stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1",
                                        "ANATVIZ_NUMBA": "0"})  # numpy: no compiler beside the tests
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if "serving" in log.read_text():
            return process, f"http://127.0.0.1:{port}/"
        time.sleep(0.05)
    process.kill()
    pytest.fail(f"anatviz serve did not start: {log.read_text()}")


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail('Playwright is missing: pip install -e ".[test]"')
    with sync_playwright() as p:  # a fresh profile in a temporary folder
        context = p.chromium.launch_persistent_context(tmp_path_factory.mktemp("chromium"), executable_path=str(CHROMIUM),
                                                       args=CHROMIUM_ARGS, viewport=PAGE_SIZE)
        yield context
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    process, url = start_server(SCENE, log=tmp_path_factory.mktemp("serve") / "serve.log")
    yield url
    stop(process)


def open_page(browser, url):
    page = browser.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    page.wait_for_selector("#picture img")
    wait_for_picture(page)
    return page


def picture(page) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(page.locator("#picture").screenshot())).convert("RGB")).astype(int)


def wait_for_picture(page, *, unlike: np.ndarray | None = None, timeout_s: float = 20.0) -> np.ndarray:
    """The picture once something is drawn (and it differs from ``unlike``)."""
    deadline = time.monotonic() + timeout_s
    while True:
        image = picture(page)
        drawn = image.std() > 10
        changed = unlike is None or (np.abs(image - unlike).sum(axis=-1) > 40).mean() > 0.002
        if (drawn and changed) or time.monotonic() > deadline:
            return image
        time.sleep(0.25)


def changed_share(a: np.ndarray, b: np.ndarray) -> float:
    return float((np.abs(a - b).sum(axis=-1) > 40).mean())


def test_page_loads_with_the_picture_and_the_controls(browser, server):
    page = open_page(browser, server)
    try:
        image = picture(page)
        assert image.std() > 10  # bones and muscles, not a blank or loading page
        assert page.is_checked("#show-hamstrings_r") and not page.is_checked("#show-hamstrings_l")
        assert "Click a muscle" in page.inner_text("#card")
    finally:
        page.close()


def test_unticking_the_hamstrings_changes_the_picture(browser, server):
    page = open_page(browser, server)
    try:
        before = picture(page)
        page.uncheck("#show-hamstrings_r")
        after = wait_for_picture(page, unlike=before)
        assert changed_share(before, after) > 0.002
        page.check("#show-hamstrings_r")
        wait_for_picture(page, unlike=after)
    finally:
        page.close()


def test_the_slider_poses_the_model(browser, server):
    page = open_page(browser, server)
    try:
        before = picture(page)
        track = page.locator("#slider-knee_flexion_r").bounding_box()
        page.mouse.click(track["x"] + track["width"] * 0.7, track["y"] + track["height"] / 2)
        after = wait_for_picture(page, unlike=before)
        assert changed_share(before, after) > 0.005
        value = float(page.inner_text("#value-knee_flexion_r").rstrip("\N{DEGREE SIGN}"))
        assert 50 < value < 100
    finally:
        page.locator("#reset-pose").click()
        page.close()


def test_a_click_on_a_muscle_shows_its_card(browser, server, model):
    page = open_page(browser, server)
    try:
        box = page.locator("#picture").bounding_box()
        size = (int(box["width"]), int(box["height"]))
        # where the muscle is drawn at that size: the same scene, camera and frame, rendered here
        view = HipView(model, with_overrides(model, load_scene(SCENE, model), size=size), anti_aliasing=None)
        try:
            actor = view.muscle_actors["biceps_femoris_long_head_r"]
            middle = np.asarray(actor.source.points)[actor.points // 2]
            renderer = view.plotter.renderer
            renderer.SetWorldPoint(*middle, 1.0)
            renderer.WorldToDisplay()
            x, y, _ = renderer.GetDisplayPoint()
        finally:
            view.close()
        page.mouse.click(box["x"] + x, box["y"] + size[1] - 1 - y)
        page.wait_for_selector("#card-title")
        card = page.inner_text("#card")
        assert "Biceps femoris, long head (right)" in card
        for fact in ("Origin:", "Ischial tuberosity", "Nerve:", "L5", "Blood supply:", "Actions:", "length",
                     "extends the hip"):
            assert fact in card
        page.locator("#chart-open").click()  # the muscle's plot beside the 3D view
        image = page.wait_for_selector("#chart-image")
        assert image.get_attribute("src").startswith("data:image/png;base64,")
        assert page.locator("#chart-image").bounding_box()["width"] > 200
        page.locator("#chart-length").click()
        page.wait_for_function("document.querySelector('#chart-image') && "
                               f"document.querySelector('#chart-image').src !== {image.get_attribute('src')[:60]!r}"
                               " && !document.querySelector('#chart-image').src.startsWith("
                               f"{image.get_attribute('src')[:200]!r})")
        page.locator("#card-clear").click()
        page.wait_for_selector("#card-title", state="detached")
    finally:
        page.close()


def test_three_students_at_once(browser, server):
    pages = [browser.new_page() for _ in range(3)]
    try:
        for page in pages:
            page.set_default_timeout(30_000)
            page.goto(server)
        for page in pages:
            page.wait_for_selector("#picture img")
        before = [wait_for_picture(page) for page in pages]
        pages[0].uncheck("#show-gluteals_r")  # one view for the class: everyone sees the change
        after = [wait_for_picture(page, unlike=b) for page, b in zip(pages, before)]
        assert all(changed_share(b, a) > 0.002 for b, a in zip(before, after))
        pages[1].check("#show-gluteals_r")
        for page in pages:  # the check boxes follow, in every browser
            page.wait_for_function("document.querySelector('#show-gluteals_r').checked")
    finally:
        for page in pages:
            page.close()


def test_ctrl_c_stops_the_server_cleanly(browser, tmp_path):
    log = tmp_path / "serve.log"
    process, url = start_server("overview", log=log)
    page = browser.new_page()
    try:
        page.set_default_timeout(30_000)
        page.goto(url)
        page.wait_for_selector("#picture img")
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
        assert "stopped" in log.read_text()
    finally:
        page.close()
        stop(process)


@pytest.mark.parametrize("argv, fragment", [
    (["serve", "overview", "--port", "99999"], "argument --port: expected a port number from 0 to 65535"),
    (["serve", "overview", "--port", "http"], "argument --port: expected a port number"),
    (["serve", "overview", "--host", "no.such.host.invalid"], "argument --host: expected an address of this machine"),
    (["serve", "overview", "--rendering", "wasm"], "argument --rendering: invalid choice: 'wasm'"),
    (["serve", "--lesson", "no_such_lesson"], "argument --lesson: no_such_lesson"),
])
def test_serve_arguments_are_checked(capsys, argv, fragment):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1, err


def test_a_port_in_use_is_a_one_line_error(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "overview", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"argument --port: {port} is already in use" in err and err.count("\n") == 1


def test_the_example_notebook_runs(capsys, monkeypatch):
    """The notebook's cells, run outside Jupyter (where pyvista ignores the inline backend)."""
    import json

    import pyvista

    monkeypatch.setattr(pyvista, "OFF_SCREEN", True)
    notebook = json.loads((Path(__file__).parents[1] / "examples" / "classroom.ipynb").read_text())
    namespace: dict = {}
    with pytest.warns(UserWarning, match="Not within a jupyter notebook"):
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                exec("".join(cell["source"]), namespace)  # noqa: S102 - our own example
    assert "Semitendinosus (right)" in capsys.readouterr().out
    assert namespace["view"].pose()["knee_flexion_r"] == 90.0


def test_a_lesson_steps_with_buttons_keys_and_a_clicker(browser, tmp_path):
    process, url = start_server("--lesson", "glutes_and_hamstrings", log=tmp_path / "serve.log")
    page = None
    try:
        page = open_page(browser, url)
        assert page.inner_text("#lesson-heading").startswith("1/16") and "Glutes and hamstrings" in page.inner_text("#lesson-caption")
        assert page.is_disabled("#lesson-previous")
        before = picture(page)
        page.keyboard.press("n")
        page.wait_for_function("document.querySelector('#lesson-heading').innerText.startsWith('2/16')")
        after = wait_for_picture(page, unlike=before)
        assert changed_share(before, after) > 0.01  # another scene in the picture
        page.keyboard.press("PageDown")  # what a presenter's clicker sends
        page.wait_for_function("document.querySelector('#lesson-heading').innerText.startsWith('3/16')")
        page.click("#lesson-previous")
        page.wait_for_function("document.querySelector('#lesson-heading').innerText.startsWith('2/16')")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("document.querySelector('#lesson-heading').innerText.startsWith('1/16')")
        page.click("#lesson-next")
        page.wait_for_function("document.querySelector('#lesson-heading').innerText.startsWith('2/16')")
    finally:
        if page is not None:
            page.close()
        stop(process)


def test_the_strength_slider_recolours_an_activation_scene(browser, tmp_path):
    process, url = start_server("hip_thrust", log=tmp_path / "serve.log")
    page = None
    try:
        page = open_page(browser, url)
        assert page.inner_text("#strength-value-gluteus_maximus") == "100%"
        before = picture(page)
        track = page.locator("#strength-gluteus_maximus").bounding_box()
        page.mouse.click(track["x"] + track["width"] * 0.2, track["y"] + track["height"] / 2)
        after = wait_for_picture(page, unlike=before)
        assert changed_share(before, after) > 0.001
        value = float(page.inner_text("#strength-value-gluteus_maximus").rstrip("%"))
        assert 10 <= value <= 30
    finally:
        if page is not None:
            page.close()
        stop(process)


def test_the_trendelenburg_abductor_slider_drops_the_pelvis_in_the_browser(browser, tmp_path, model):
    """The scene's one strength slider (its label, 5%) and the computed drop under it; a strong
    abductor, once the slider settles, levels the pelvis."""
    process, url = start_server("trendelenburg", log=tmp_path / "serve.log")
    page = None
    try:
        page = open_page(browser, url)
        assert page.inner_text("#strength-label-stance_abductors") == "Hip abductors R"
        assert page.inner_text("#strength-value-stance_abductors") == "5%"
        assert page.locator("#strength-gluteus_maximus").count() == 0  # the other sliders are not this scene's
        drop = load_scene("trendelenburg", model).pelvis_drop.drop_deg  # as the scene solves it
        assert page.inner_text("#pelvis-drop").startswith(f"pelvis drops {drop:.1f}\N{DEGREE SIGN} on the left")
        before = picture(page)
        track = page.locator("#strength-stance_abductors").bounding_box()
        page.mouse.click(track["x"] + track["width"] * 0.9, track["y"] + track["height"] / 2)  # about 95%
        page.wait_for_function("document.querySelector('#pelvis-drop').innerText.startsWith('pelvis level')")
        assert float(page.inner_text("#strength-value-stance_abductors").rstrip("%")) >= 85
        assert changed_share(before, wait_for_picture(page, unlike=before)) > 0.001
    finally:
        if page is not None:
            page.close()
        stop(process)
