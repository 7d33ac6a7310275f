"""The reference Agent API v1 server (FastAPI, SQLAlchemy), its demo seed and customer simulator.

Never imports Qt or the client.
"""

from agent_desktop.core import messenger_types as _messenger_types  # noqa: F401 - built below
from agent_desktop.core import order_types as _order_types  # noqa: F401 - built below
from agent_desktop.core.types import build_validators

# The API models build their validators on first use, for the client's start; the server uses
# them all, and FastAPI's schemas want them built before its routes are declared.
build_validators()
