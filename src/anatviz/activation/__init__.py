"""Which muscles work, and how hard: loads, statics and static optimisation (numpy and scipy only).

The model is documented in ``docs/activation-model.md``; :func:`activations` is the one call.

>>> import anatviz
>>> from anatviz.activation import LoadSpec, activations
>>> model = anatviz.load_model()
>>> result = activations(model, {"hip_adduction_r": 5.8}, LoadSpec(supports=("foot_r",)))
>>> bool(result.weighted_activation(model.groups["gluteus_medius_r"])[0] > 0.1)
True
"""

from .analysis import (
           PLANES,
           activations,
           merged_strength,
           ratio_muscles,
           scene_frames,
           strength_factors,
)
from .anthropometry import Anthropometry
from .equilibrium import Statics, solve_statics
from .loads import LOAD_POINTS, SUPPORTS, Band, LoadSpec, Weight, read_load
from .result import ACTUATORS, ActivationResult

__all__ = ["ACTUATORS", "LOAD_POINTS", "PLANES", "SUPPORTS", "ActivationResult", "Anthropometry", "Band", "LoadSpec",
           "Statics", "Weight", "activations", "merged_strength", "ratio_muscles", "read_load", "scene_frames", "solve_statics",
           "strength_factors"]
