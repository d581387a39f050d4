"""``python -m toolweave.otlp``: the same as ``toolweave receive`` (toolweave.otlp.live)."""

import sys

from toolweave.otlp.live import main

sys.exit(main())
