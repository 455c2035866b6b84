"""The model and geometry layers import no renderer (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["anatviz", "anatviz.model", "anatviz.geometry.paths",
                                    "anatviz.hipmodel", "anatviz.cli"])
def test_no_renderer_import(module):
    code = (f"import sys, {module}, anatviz; m = anatviz.load_model(); m.moment_arms(hip_flexion_r=10); "
            "m.bone_meshes(); "
            "bad = sorted(k for k in sys.modules if k.split('.')[0] in ('pyvista', 'vtk', 'vtkmodules', 'matplotlib')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
