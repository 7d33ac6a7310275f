"""`python -m agent_desktop`: same as the `agent-desktop` command."""

import sys

from agent_desktop.app import main

sys.exit(main())
