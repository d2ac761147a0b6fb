"""The case file's tabs: the registry's own (from `students.profile`) and those of the later
stages, beginning with the timeline assembled from each stage's `timeline.entries_for`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from jingzhun.assistance import timeline as assistance_timeline
from jingzhun.core.timeline import TimelineEntry, merged
from jingzhun.identification import timeline as identification_timeline
from jingzhun.jobs import timeline as jobs_timeline
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.students.profile import PROFILE_TABS, ProfileTab, tab_context
from jingzhun.tracking.destinations import timeline as destination_timeline
from jingzhun.tracking.followups import timeline as tracking_timeline

TIMELINE = ProfileTab("timeline", _("Timeline"), None, "casefile/tabs/timeline.html")
FILE_TABS: tuple[ProfileTab, ...] = (*PROFILE_TABS, TIMELINE)
FILE_TABS_BY_SLUG = {tab.slug: tab for tab in FILE_TABS}


def timeline_for(*, actor: RoleAssignment, student: Student) -> list[TimelineEntry]:
    """Every stage's entries for this student, newest first (later stages add theirs here)."""
    return merged(
        identification_timeline.entries_for(actor=actor, student=student),
        assistance_timeline.entries_for(actor=actor, student=student),
        jobs_timeline.entries_for(actor=actor, student=student),
        tracking_timeline.entries_for(actor=actor, student=student),
        destination_timeline.entries_for(actor=actor, student=student),
    )


def file_tab_context(student: Student, tab: ProfileTab, *, actor: RoleAssignment) -> dict[str, Any]:
    if tab.slug == TIMELINE.slug:
        return {"entries": timeline_for(actor=actor, student=student)}
    return tab_context(student, tab, actor=actor)
