"""Messenger bridge tests: webhook in, Send API out, order messages, against the real server."""
