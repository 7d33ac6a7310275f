"""The rules of the trade in plain Python: data types, response clock, metrics, templates, reply window.

No Qt and no I/O here; the server and the client share this code.
"""
