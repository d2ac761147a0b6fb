"""Alerts (预警): what needs attention now, opened and closed by set-based daily checks."""
