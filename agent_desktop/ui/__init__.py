"""Windows, widgets, item models and delegates: the only layer that imports QtWidgets."""
