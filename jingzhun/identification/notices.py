"""What identification tells people, through the one notification service.

The kind is declared in `IdentificationConfig.ready`. Titles name no student (group robots post
titles to a whole group); the body, read in the app and by e-mail, names the student and the
class but never the difficulty types or the student's reason, which may be sensitive.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.identification.models import Case
from jingzhun.identification.selectors import responsible_options
from jingzhun.notifications.services import notify
from jingzhun.org.roles import Role

SELF_APPLICATION = "identification.self_application"
KINDS = {SELF_APPLICATION: gettext_lazy("Self-application")}


def self_application_notify(case: Case) -> None:
    """A student applied (or added an application to an unreviewed case): the class's
    counsellors hear of it — or, when the class has none, the school's employment officers."""
    student = case.student
    options = responsible_options(students=[student])[student.pk]
    recipients = [o.user for o in options if o.is_counsellor] or [
        o.user for o in options if o.role == Role.SCHOOL_OFFICER
    ]
    query = urlencode({"class_group": student.class_group_id})
    with translation.override(settings.LANGUAGE_CODE):  # what the staff read, whoever applied
        title = _("A student of your class applied for assistance")
        body = _("%(name)s (%(class)s) applied for assistance. The application is in the "
                 "review queue.") % {"name": student.name, "class": student.class_group}  # fmt: skip
    notify(
        recipients=recipients, kind=SELF_APPLICATION, title=title, body=body,
        url=f"{reverse('identification:review')}?{query}",
        dedupe_key=f"{SELF_APPLICATION}:{case.pk}",
    )  # fmt: skip
