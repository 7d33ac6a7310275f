"""The frozen executable's entry script: the same dispatcher as the `agent-desktop` command."""

import sys

from agent_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
