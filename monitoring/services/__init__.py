"""Writes of the monitoring app: feeds received, people watched, rules tuned, warnings handled."""
