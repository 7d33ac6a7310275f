"""Fixtures that run the real reference server on a free loopback port (filled in by the server work)."""
