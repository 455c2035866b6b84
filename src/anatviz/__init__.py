"""anatviz: a 3D visualiser of the hip's gluteal and hamstring muscles, for teaching.

>>> import anatviz
>>> model = anatviz.load_model()
>>> model.lengths(hip_flexion_r=30)["gluteus_maximus_middle_r"] > model.lengths()["gluteus_maximus_middle_r"]
True
"""

from __future__ import annotations

from .geometry.frame_solver import use_numba
from .geometry.pose import PoseError
from .hipmodel import HipModel, Motion, load_model
from .model import AnatomyDataError

__version__ = "0.1.0"
__all__ = ["AnatomyDataError", "HipModel", "Motion", "PoseError", "__version__", "load_model", "use_numba"]
