"""The reference Agent API v1 server (FastAPI, SQLAlchemy), its demo seed and customer simulator.

Never imports Qt or the client.
"""
