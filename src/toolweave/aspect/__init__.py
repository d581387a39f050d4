"""The aspect language: YAML files of join points and advice, loaded, validated and applied.

`load_aspects(paths)` gives an AspectSet; `join/` and `advice/` hold one module per kind family,
each kind a small class registered under its YAML key (registry.py); schema.json is the single
list of kinds.
"""

from .errors import AspectError
from .model import Aspect, AspectSet
from .load import load_aspects, load_aspect_text

__all__ = ["AspectError", "Aspect", "AspectSet", "load_aspects", "load_aspect_text"]
