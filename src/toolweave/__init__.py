"""toolweave: compile-time OpenTelemetry instrumentation for Go.

The pipeline is plan -> prefilter -> parse -> match -> advise -> splice -> hand to go.
Imports point one way: cli -> build -> weave -> aspect -> {engine, template}.
"""

__version__ = "0.1.0"
