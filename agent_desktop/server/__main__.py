"""`python -m agent_desktop.server`: the reference server (see `agent_desktop.server.cli`)."""

import sys

from agent_desktop.server.cli import main

sys.exit(main())
