"""Shared by every test directory: tests/ itself is importable (buildmodes.py)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
