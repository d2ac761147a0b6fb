"""Who may open which identification page: the view mixins read the permission table."""

from __future__ import annotations

from jingzhun.identification import permissions
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment


class RunnerRequiredMixin(RoleRequiredMixin):
    """Pages of the employment office: runs, rules, models."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_run(actor)


class ReviewerRequiredMixin(RoleRequiredMixin):
    """Pages of reviewers: the review queue and decisions on cases."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_review(actor)
