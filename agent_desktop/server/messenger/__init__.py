"""The Messenger bridge of the reference server: webhook in, Send API out (docs/MESSENGER.md)."""
