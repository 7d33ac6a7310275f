"""The client's live state: applies events, keeps the outbox and drafts (sqlite3), exposes Qt signals."""
