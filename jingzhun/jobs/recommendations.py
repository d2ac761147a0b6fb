"""Recommendations for one student, computed on request from the students' pool.

Reads only: the student's profile (major, education, newest job intention, certificates,
whether a disability record asks for disability-friendly postings) and the pool
(`selectors.postings_for_students`: active, employer not blacklisted), scored by the pure
`matching` module. Storing them for every active case, as a background task, comes later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from jingzhun.jobs import matching, selectors
from jingzhun.jobs.models import Education, Employer, JobPosting
from jingzhun.jobs.places import city_code
from jingzhun.students.models import Student

EDUCATION_OF_STUDENT = {"zhuanke": Education.ZHUANKE, "benke": Education.BENKE}
TEXT_CHARS = 3000  # of a description: enough for its words, bounded work per posting


@dataclass(frozen=True)
class Recommended:
    posting: JobPosting
    score: float
    parts: dict[str, float]
    reason: str


def student_profile(student: Student) -> matching.StudentProfile:
    intention = student.job_intentions.order_by("-recorded_on").first()
    cities: tuple[str, ...] = ()
    if intention and intention.city:
        code, _problem = city_code(intention.city)
        cities = (code,) if code else ()
    certificates = " ".join(student.certificates.values_list("name", flat=True))
    occupation = intention.occupation if intention else ""
    return matching.StudentProfile(
        major_code=student.major.moe_code,
        major_name=student.major.name,
        education=EDUCATION_OF_STUDENT.get(student.education_level or student.major.level, Education.ZHUANKE),
        cities=cities,
        salary_min=intention.salary_min if intention else None,
        needs_disability_friendly=student.disabilities.exists(),
        text=" ".join(t for t in (occupation, student.major.name, certificates) if t),
    )  # fmt: skip


def pool_facts(*, institution_id: int, today: dt.date) -> list[matching.PostingFacts]:
    rows = selectors.postings_for_students(institution_id=institution_id, today=today)
    return [_facts(p) for p in rows.select_related("employer").order_by("pk").iterator(2000)]


def _facts(p: JobPosting) -> matching.PostingFacts:
    return matching.PostingFacts(
        id=p.pk, title=p.title, education=p.education, city_code=p.city_code,
        salary_min=p.salary_min, salary_max=p.salary_max, salary_months=p.salary_months,
        deadline=p.deadline, blacklisted=p.employer.vetting == Employer.Vetting.BLACKLISTED,
        disability_friendly=p.disability_friendly, majors=tuple(p.majors or ()),
        text=f"{p.title} {p.skills} {p.description[:TEXT_CHARS]}",
    )  # fmt: skip


def recommendations_for(
    *, student: Student, limit: int = 10, today: dt.date | None = None
) -> list[Recommended]:
    """The student's best postings with reasons; the caller has checked the student is in scope."""
    today = today or timezone.localdate()
    facts = pool_facts(institution_id=student.institution_id, today=today)
    index = matching.TextIndex.build(matching.tokens(f.text) for f in facts)
    found = matching.recommend(
        student_profile(student), facts, today=today, index=index, limit=limit
    )
    postings = JobPosting.objects.select_related("employer").in_bulk([r.posting_id for r in found])
    return [Recommended(postings[r.posting_id], r.score, r.parts, r.reason) for r in found]
