"""Everything with effects: running the go command, reading the build plan, the cache,
the overlay and generated module file, the runtime module wiring. The weave core
(`toolweave.weave`) stays pure; this package feeds it files and hands results to go."""
