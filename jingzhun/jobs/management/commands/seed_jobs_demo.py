"""`jingzhun seed_jobs_demo`: employers, postings and recommendations for the demo college (once)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.jobs.demo import seed_jobs_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE


def realdata_dir() -> Path | None:
    """The public data folder (`JINGZHUN_REALDATA_DIR`), or None when it is not there."""
    root = os.environ.get("JINGZHUN_REALDATA_DIR", "")
    return Path(root) if root and Path(root).is_dir() else None


class Command(BaseCommand):
    help = (
        "Import the public job-posting files (when JINGZHUN_REALDATA_DIR is set), generate local "
        "postings, vet employers and compute every active case's recommendations (once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = realdata_dir()
        if folder is None:
            self.stdout.write(
                _("JINGZHUN_REALDATA_DIR is not set: the demo gets generated postings only.")
            )
        result = seed_jobs_demo(institution_code=INSTITUTION_CODE, realdata_dir=folder)
        if result is None:
            self.stdout.write(_("Jobs demo already present (or no demo college)."))
            return
        self.stdout.write(
            _("%(postings)s postings (%(files)s public files imported) of %(employers)s employers, "
              "%(blacklisted)s blacklisted; recommendations for %(students)s students.")
            % {"postings": result.postings, "files": result.real_files, "employers": result.employers,
               "blacklisted": result.blacklisted, "students": result.recommended_students}
        )  # fmt: skip
