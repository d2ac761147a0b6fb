"""Recommendations for one student, computed on request from the students' pool.

Reads only: the student's profile (major, education, newest job intention, certificates,
whether a disability record asks for disability-friendly postings, the employers of their
internships) and the pool
(`selectors.postings_for_students`: active, employer not blacklisted), scored by the pure
`matching` module. Storing them for every active case, as a background task, comes later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.utils import timezone

from jingzhun.jobs import matching, selectors
from jingzhun.jobs.credit_code import normalise_employer_name
from jingzhun.jobs.models import Education, Employer, JobPosting, JobRecommendation
from jingzhun.jobs.places import city_code
from jingzhun.students.models import (
    Certificate,
    DisabilityRecord,
    Internship,
    JobIntention,
    Student,
)

EDUCATION_OF_STUDENT = {"zhuanke": Education.ZHUANKE, "benke": Education.BENKE}


@dataclass(frozen=True)
class Recommended:
    posting: JobPosting
    score: float
    parts: dict[str, float]
    reason: str
    computed_at: dt.datetime | None = None  # stored by a run; None when computed now


def stored_for(*, student: Student) -> list[Recommended]:
    """What the newest run stored for the student, best first (postings since closed or
    blacklisted are left out)."""
    rows = (
        JobRecommendation.objects.filter(student=student, posting__in=selectors.postings_for_students(
            institution_id=student.institution_id))
        .select_related("posting__employer", "run").order_by("rank")
    )  # fmt: skip
    return [Recommended(r.posting, r.score, r.parts, r.reason, r.run.finished_at) for r in rows]


def student_profile(student: Student) -> matching.StudentProfile:
    return profiles_for([student])[student.pk]


def profiles_for(students: list[Student]) -> dict[int, matching.StudentProfile]:
    """Profiles of many students in four queries (students with their majors loaded)."""
    ids = [s.pk for s in students]
    intentions: dict[int, JobIntention] = {}
    for intention in JobIntention.objects.filter(student_id__in=ids).order_by(
        "student_id", "-recorded_on"
    ):
        intentions.setdefault(intention.student_id, intention)
    certificates: dict[int, list[str]] = {}
    for student_id, name in Certificate.objects.filter(student_id__in=ids).values_list(
        "student_id", "name"
    ):
        certificates.setdefault(student_id, []).append(name)
    disabled = set(
        DisabilityRecord.objects.filter(student_id__in=ids).values_list("student_id", flat=True)
    )
    interned: dict[int, set[str]] = {}
    for student_id, employer in Internship.objects.filter(student_id__in=ids).values_list(
        "student_id", "employer_name"
    ):
        interned.setdefault(student_id, set()).add(normalise_employer_name(employer))
    return {
        s.pk: replace(
            _profile(s, intentions.get(s.pk), certificates.get(s.pk, []), s.pk in disabled),
            internship_employers=tuple(sorted(interned.get(s.pk, ()))),
        )
        for s in students
    }


def _profile(
    student: Student, intention: JobIntention | None, certificates: list[str], disabled: bool
) -> matching.StudentProfile:
    cities: tuple[str, ...] = ()
    if intention and intention.city:
        code, _problem = city_code(intention.city)
        cities = (code,) if code else ()
    occupation = intention.occupation if intention else ""
    return matching.StudentProfile(
        major_code=student.major.moe_code,
        major_name=student.major.name,
        education=EDUCATION_OF_STUDENT.get(student.education_level or student.major.level, Education.ZHUANKE),
        cities=cities,
        salary_min=intention.salary_min if intention else None,
        needs_disability_friendly=disabled,
        text=" ".join(t for t in (occupation, student.major.name, " ".join(sorted(certificates))) if t),
    )  # fmt: skip


def pool_facts(
    *, institution_id: int, today: dt.date
) -> tuple[list[matching.PostingFacts], list[list[str]]]:
    """The pool's facts and each posting's words (stored by the import; computed when absent)."""
    rows = selectors.postings_for_students(institution_id=institution_id, today=today)
    facts, words = [], []
    for p in rows.select_related("employer").order_by("pk").iterator(2000):
        facts.append(_facts(p))
        words.append(
            p.tokens.split()
            if p.tokens
            else matching.posting_tokens(p.title, p.skills, p.description)
        )
    return facts, words


def _facts(p: JobPosting) -> matching.PostingFacts:
    return matching.PostingFacts(
        id=p.pk, title=p.title, education=p.education, city_code=p.city_code,
        salary_min=p.salary_min, salary_max=p.salary_max, salary_months=p.salary_months,
        deadline=p.deadline, blacklisted=p.employer.vetting == Employer.Vetting.BLACKLISTED,
        disability_friendly=p.disability_friendly, majors=tuple(p.majors or ()),
        employer_key=p.employer.name_key,
        text=f"{p.title} {p.skills} {p.description[: matching.TEXT_CHARS]}",
    )  # fmt: skip


def recommendations_for(
    *, student: Student, limit: int = 10, today: dt.date | None = None
) -> list[Recommended]:
    """The student's best postings with reasons; the caller has checked the student is in scope."""
    today = today or timezone.localdate()
    facts, words = pool_facts(institution_id=student.institution_id, today=today)
    index = matching.TextIndex.build(words)
    found = matching.recommend(
        student_profile(student), facts, today=today, index=index, limit=limit
    )
    postings = JobPosting.objects.select_related("employer").in_bulk([r.posting_id for r in found])
    return [Recommended(postings[r.posting_id], r.score, r.parts, r.reason) for r in found]
