"""Talking to a backend: the `Backend` protocol the rest of the client depends on, and its connectors."""
