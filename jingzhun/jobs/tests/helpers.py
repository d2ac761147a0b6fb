"""Running a postings file through the import wizard's services, as the worker would."""

from __future__ import annotations

from typing import Any

from jingzhun.students.intake import services
from jingzhun.students.intake.models import ImportBatch


def import_postings(
    actor: Any, filename: str, data: bytes, *, apply: bool = True, mode: str = "valid_rows"
) -> ImportBatch:
    batch = services.import_batch_create(actor=actor, kind="postings", filename=filename, data=data)
    services.import_batch_read(batch_id=batch.pk)
    batch = services.import_batch_check(batch_id=batch.pk)
    if apply and batch.status == ImportBatch.Status.VALIDATED:
        services.import_batch_request_apply(actor=actor, batch=batch, mode=mode)
        batch = services.import_batch_apply(batch_id=batch.pk)
    return batch


def posting(
    college: Any, title: str = "Python开发", *, employer: Any = None, deadline: Any = None,
    city: str = "410100", salary: tuple[int | None, int | None] = (5000, 8000),
) -> Any:  # fmt: skip
    """An active posting of the college (a verified employer of its own unless given)."""
    from jingzhun.jobs.models import Education, Employer, JobPosting

    if employer is None:
        employer, _created = Employer.objects.get_or_create(
            institution=college.institution, name_key="郑州甲科技",
            defaults={"name": "郑州甲科技有限公司", "vetting": Employer.Vetting.VERIFIED},
        )  # fmt: skip
    return JobPosting.objects.create(
        institution=college.institution, employer=employer, title=title, title_key=title,
        place_key=city, city_code=city, education=Education.ZHUANKE, salary_min=salary[0],
        salary_max=salary[1], deadline=deadline, description="负责开发",
    )  # fmt: skip


def student_b_login(college: Any) -> Any:
    """Student B with a login and the student role (conftest gives only student A one)."""
    from jingzhun.org.roles import Role
    from jingzhun.org.tests.factories import RoleAssignmentFactory, UserFactory

    user = UserFactory.create(username="2024020001", display_name="李小红")
    college.student_b.user = user
    college.student_b.save(update_fields=["user"])
    return RoleAssignmentFactory.create(
        user=user, role=Role.STUDENT, institution=college.institution
    )
