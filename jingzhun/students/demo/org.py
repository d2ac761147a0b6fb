"""Creates the demo college's org tree (institution, schools, majors, departments, classes)."""

from __future__ import annotations

from dataclasses import dataclass

from jingzhun.org.models import ClassGroup, Department, Institution, Major, School
from jingzhun.students.demo import catalogue
from jingzhun.students.demo.cohorts import PROGRAMME_YEARS, ClassPlan


@dataclass
class DemoOrg:
    institution: Institution
    schools: dict[str, School]  # by school code
    majors: dict[str, Major]  # by MOE code
    departments: dict[str, Department]  # by department kind


def create_org() -> DemoOrg:
    institution = Institution.objects.create(
        code=catalogue.INSTITUTION_CODE,
        name=catalogue.INSTITUTION_NAME,
        short_name=catalogue.INSTITUTION_SHORT_NAME,
        province_code=catalogue.INSTITUTION_PROVINCE,
    )
    schools = School.objects.bulk_create(
        School(institution=institution, code=s.code, name=s.name) for s in catalogue.SCHOOLS
    )
    by_code = {school.code: school for school in schools}
    majors = Major.objects.bulk_create(
        Major(
            school=by_code[m.school_code],
            moe_code=m.moe_code,
            name=m.name,
            level=Major.Level.VOCATIONAL,
            duration_years=PROGRAMME_YEARS,
        )
        for m in catalogue.MAJORS
    )
    departments = Department.objects.bulk_create(
        Department(institution=institution, code=d.code, name=d.name, kind=d.kind)
        for d in catalogue.DEPARTMENTS
    )
    return DemoOrg(
        institution=institution,
        schools=by_code,
        majors={major.moe_code: major for major in majors},
        departments={department.kind: department for department in departments},
    )


def create_classes(org: DemoOrg, plans: list[ClassPlan], batch_size: int) -> list[ClassGroup]:
    """One row per planned class, returned in plan order (with primary keys)."""
    return ClassGroup.objects.bulk_create(
        [
            ClassGroup(major=org.majors[plan.major.moe_code], name=plan.name, cohort=plan.cohort)
            for plan in plans
        ],
        batch_size=batch_size,
    )
