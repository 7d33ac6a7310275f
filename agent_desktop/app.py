"""Start-up of `agent-desktop`: dispatches the window-less subcommands, or starts the desktop client.

Heavy imports (Qt, the server stack) happen only on the path that needs them, so `check` and
`metrics` start fast and the client does not load the server unless `--demo` asks for it.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    first = args[0] if args else ""
    if first == "metrics":
        from agent_desktop.cli.metrics_cmd import main as metrics_main

        return metrics_main(args[1:])
    if first == "check":
        from agent_desktop.cli.check_cmd import main as check_main

        return check_main(args[1:])
    if first == "--self-test":
        from agent_desktop.selftest import main as selftest_main

        return selftest_main(args[1:])
    if first == "--internal-server":
        # A frozen bundle has no `python -m`: it re-runs itself with this flag to host the
        # embedded demo server in a child process.
        from agent_desktop.server.cli import main as server_main

        return server_main(args[1:])
    from agent_desktop.startup.main import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
