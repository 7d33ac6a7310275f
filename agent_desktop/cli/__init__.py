"""Command-line subcommands of `agent-desktop` that open no window (`check`, `metrics`)."""
