from __future__ import annotations

import datetime as dt

import factory

from jingzhun.core.idcard import check_character
from jingzhun.org.tests.factories import ClassGroupFactory
from jingzhun.students.models import (
    AcademicResult,
    DisabilityRecord,
    FamilyEconomicStatus,
    PriorityGroupEvidence,
    PsychScreening,
    Student,
)


def valid_id_number(region: str = "410102", birth: str = "20050317", sequence: int = 123) -> str:
    first17 = f"{region}{birth}{sequence:03d}"
    return first17 + check_character(first17)


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    class_group = factory.SubFactory(ClassGroupFactory)
    major = factory.LazyAttribute(lambda o: o.class_group.major)
    school = factory.LazyAttribute(lambda o: o.class_group.major.school)
    institution = factory.LazyAttribute(lambda o: o.class_group.major.school.institution)
    student_number = factory.Sequence(lambda n: f"2024{n:06d}")
    name = factory.Sequence(lambda n: f"学生{n}")
    gender = Student.Gender.FEMALE
    id_number = factory.Sequence(lambda n: valid_id_number(sequence=n % 1000))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    hukou_region_code = "410102"
    hukou_type = Student.HukouType.RURAL
    cohort = factory.LazyAttribute(lambda o: o.class_group.cohort)
    entry_year = factory.LazyAttribute(lambda o: o.cohort - 3)
    education_level = Student.EducationLevel.VOCATIONAL


class FamilyEconomicStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FamilyEconomicStatus

    student = factory.SubFactory(StudentFactory)
    academic_year = "2025-2026"
    level = FamilyEconomicStatus.Level.SPECIAL
    assessed_by = "学生资助中心"
    assessed_on = dt.date(2025, 9, 20)


class PriorityGroupEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriorityGroupEvidence

    student = factory.SubFactory(StudentFactory)
    group = PriorityGroupEvidence.Group.MINIMUM_LIVING
    certificate_type = "低保证"
    issuer = "郑州市民政局"


class DisabilityRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisabilityRecord

    student = factory.SubFactory(StudentFactory)
    category = DisabilityRecord.Category.PHYSICAL
    grade = 3


class PsychScreeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PsychScreening

    student = factory.SubFactory(StudentFactory)
    screened_on = dt.date(2025, 10, 10)
    level = PsychScreening.Level.KEY
    note = "已转介心理中心"


class AcademicResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcademicResult

    student = factory.SubFactory(StudentFactory)
    term = "2025-2026-1"
    failed_courses = 2
