"""The one place that knows where the event lake is (the JINGZHUN_EVENT_LAKE_DIR setting)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from jingzhun.data.events import Lake


def event_lake(root: str | Path | None = None) -> Lake:
    """The lake at `root` (a command's `--lake`), else at the EVENT_LAKE_DIR setting; its
    folder is created on first use."""
    return Lake.at(Path(root) if root else Path(settings.EVENT_LAKE_DIR))
