"""`records_changed`: sent once per import or API upsert that wrote registry rows, so that a
later stage keeping something derived from a profile (jobs' stored recommendations) can mark
it out of date. One send per write, never one per row: a receiver sees every student at once.

Arguments: `sender` the model written, `student_ids` the students whose rows were created or
changed (new students are left out: nothing is derived from them yet), `fields` the names of
the fields that changed on existing rows (every field for created rows).
"""

from __future__ import annotations

from django.dispatch import Signal

records_changed = Signal()
