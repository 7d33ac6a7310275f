"""Starting the desktop client (`agent-desktop` without a subcommand).

The order of the start is decided in one place, `startup/main.py`: options (args.py), the
start-up optimisations that must come first (fast_start.py: each with its measured reason and the
test that guards it), Qt and the application, the language, the single-instance guard, quitting on
SIGINT/SIGTERM (signals.py), then on the qasync loop: the embedded demo server when `--demo` asks
for it (demo_server.py), the window and the session's sign-in, and `--screenshot` (screenshot.py)
or the loop until the window closes.

Nothing is imported here: `agent_desktop.app` imports `startup.main` only for the window path.
"""
