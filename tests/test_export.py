"""Interactive exports: a real binary GLB, glTF with embedded buffers, vtk.js, and a standalone HTML page
that works from file:// with no network and whose muscle groups still toggle (checked in Chromium)."""

from __future__ import annotations

import io
import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
import trimesh
from PIL import Image

from anatviz.cli import main
from anatviz.render.export import export_scene
from anatviz.scene import load_scene

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def exported(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    scene = load_scene("hip_extension", model)
    return {ext: export_scene(model, scene, folder / f"hip{ext}") for ext in (".glb", ".gltf", ".html")}


def test_glb_is_binary_gltf_with_a_named_node_per_shown_bone_and_muscle(model, exported):
    data = exported[".glb"].read_bytes()
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert magic == b"glTF" and version == 2 and length == len(data)
    scene = trimesh.load(exported[".glb"])
    shown = set(load_scene("hip_extension", model).muscles) | {"pelvis", "femur_r", "tibia_r"}
    sheets = {"gluteus_maximus_r_sheet", "gluteus_medius_r_sheet", "gluteus_minimus_r_sheet"}
    assert set(scene.geometry) == shown | sheets
    femur = scene.geometry["femur_r"]
    assert femur.visual.vertex_colors.shape[1] == 4 and len(femur.faces) > 1000
    assert np.ptp(femur.vertices[:, 1]) > 0.3  # metres: a femur is about 40 cm long


def test_gltf_is_json_with_its_buffers_inside(exported):
    gltf = json.loads(exported[".gltf"].read_text())
    assert gltf["asset"]["version"] == "2.0"
    assert all(b["uri"].startswith("data:") for b in gltf["buffers"])


def test_the_fan_sheets_are_translucent_in_gltf_glb_and_the_page(exported):
    """The sheets drawn between a broad muscle's fibres blend by alpha everywhere they are exported."""
    for gltf in (json.loads(exported[".gltf"].read_text()),
                 json.loads(exported[".glb"].read_bytes()[20:20 + struct.unpack("<I", exported[".glb"].read_bytes()[12:16])[0]])):
        sheet = next(m for m in gltf["meshes"] if m["name"] == "gluteus_maximus_r_sheet")
        material = gltf["materials"][sheet["primitives"][0]["material"]]
        assert material["alphaMode"] == "BLEND" and material["doubleSided"]
        tube = next(m for m in gltf["meshes"] if m["name"] == "gluteus_maximus_middle_r")
        assert "material" not in tube["primitives"][0]
    text = exported[".html"].read_text()
    data = json.loads(text[text.index('type="application/json">') + 24:text.index("</script>")])
    sheets = [m for m in data["meshes"] if m["name"].endswith("_sheet")]
    assert {"gluteals_r", "gluteals_l"} <= {m["group"] for m in sheets}
    assert {m["name"] for m in sheets if m["shown"]} == {"gluteus_maximus_r_sheet", "gluteus_medius_r_sheet",
                                                        "gluteus_minimus_r_sheet"}
    assert all(0.0 < m["opacity"] < 1.0 for m in sheets)
    assert all(m["opacity"] == 1.0 for m in data["meshes"] if not m["name"].endswith("_sheet"))


def test_vtksz_and_bad_extensions_on_the_command_line(tmp_path, capsys):
    assert main(["export", "overview", "-o", str(tmp_path / "o.vtksz"), "--show", "gluteals"]) == 0
    assert zipfile.is_zipfile(tmp_path / "o.vtksz")
    capsys.readouterr()
    assert main(["export", "overview", "-o", str(tmp_path / "o.obj")]) == 2
    err = capsys.readouterr().err
    assert "argument -o/--output" in err and "expected one of .html, .gltf, .glb, .vtksz" in err
    assert err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.vtksz"]  # nothing else, no partial file


def test_html_page_works_offline_from_a_file_and_its_groups_toggle(exported, tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run installs it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail('Playwright is missing: pip install -e ".[test]"')
    page_file = exported[".html"]
    text = page_file.read_text()
    assert "<script src" not in text and "<link" not in text  # nothing fetched: all in the page
    requests = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(tmp_path / "profile", executable_path=str(CHROMIUM),
                                                       args=CHROMIUM_ARGS, viewport={"width": 1200, "height": 700})
        try:
            page = context.new_page()
            page.set_default_timeout(30_000)
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            page.wait_for_function("Number(document.body.dataset.drawn) >= 1")

            def picture():
                return np.asarray(Image.open(io.BytesIO(page.locator("canvas").screenshot())).convert("RGB")).astype(int)

            before = picture()
            assert before.std() > 10
            assert page.is_checked("#show-hamstrings_r") and not page.is_checked("#show-hamstrings_l")
            page.uncheck("#show-hamstrings_r")
            without = picture()
            assert (np.abs(before - without).sum(axis=-1) > 40).mean() > 0.002
            page.check("#show-hamstrings_r")
            np.testing.assert_array_equal(picture(), before)  # back exactly as it was
            page.click("#view-posterior")
            assert (np.abs(picture() - before).sum(axis=-1) > 40).mean() > 0.05
        finally:
            context.close()
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
