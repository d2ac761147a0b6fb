"""Event sources as an immutable Parquet lake: importers, layout, manifest and reader."""

from jingzhun.data.events.card import import_datacastle_card
from jingzhun.data.events.generic import MappingError, import_events
from jingzhun.data.events.lake import Lake, LakeError, ManifestEntry
from jingzhun.data.events.read import read_events
from jingzhun.data.events.report import ImportReport, RejectedRow
from jingzhun.data.events.schemas import CARD, DORM, JOBS, LIBRARY, SOURCES, EventSource

__all__ = [
    "CARD",
    "DORM",
    "JOBS",
    "LIBRARY",
    "SOURCES",
    "EventSource",
    "ImportReport",
    "Lake",
    "LakeError",
    "ManifestEntry",
    "MappingError",
    "RejectedRow",
    "import_datacastle_card",
    "import_events",
    "read_events",
]
