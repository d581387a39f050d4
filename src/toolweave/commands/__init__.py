"""One module per subcommand; each `run(args) -> exit code`."""
