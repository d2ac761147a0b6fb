"""Writes of assistance: the catalogue, plans and actions (each module has its services)."""
