"""Writes of the relief app, one module per subject."""
