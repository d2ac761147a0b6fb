"""One line of a student's case file timeline (一人一档), as every stage supplies it.

Each stage has a `timeline.entries_for(*, actor, student) -> list[TimelineEntry]` that reads
its own records, already filtered for what `actor` may see; the case file app merges the
lists by time. An entry carries plain, already translated text, so the case file needs to
know nothing of the stage that wrote it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TimelineEntry:
    when: dt.datetime
    stage: str  # the app that wrote it: "identification", later "assistance", …
    kind: str  # stable code within the stage: "signal", "case_event", …
    title: str
    detail: str = ""
    actor_name: str = ""
    sensitivity: str = ""  # the field group the entry's detail comes from, if sensitive
    # A field group the viewer may not open: the entry says that something happened, and
    # its detail is left empty by the stage (never filled and hidden by a template).
    restricted: bool = False
    link: str = ""


def merged(*streams: Iterable[TimelineEntry]) -> list[TimelineEntry]:
    """All entries, newest first; entries of the same moment keep their stage's order."""
    entries = [entry for stream in streams for entry in stream]
    return sorted(entries, key=lambda e: e.when, reverse=True)
