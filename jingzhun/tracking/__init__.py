"""Precise management (精准管理): lifecycle, destinations, alerts, batches, follow-ups, handover."""
