"""Agent Desktop: a native desktop client for shops that answer their customers on Messenger."""

__version__ = "0.1.0"
