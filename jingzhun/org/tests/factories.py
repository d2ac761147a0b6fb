from __future__ import annotations

from typing import Any

import factory

from jingzhun.org.models import (
    ClassGroup,
    Department,
    Institution,
    Major,
    RoleAssignment,
    School,
    User,
)
from jingzhun.org.roles import DepartmentKind, Role

TEST_PASSWORD = "Jingzhun2026test"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{4132010000 + n}")
    name = factory.Sequence(lambda n: f"测试职业技术学院{n}")
    province_code = "41"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"S{n:02d}")
    name = factory.Sequence(lambda n: f"测试学院{n}")


class MajorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Major

    school = factory.SubFactory(SchoolFactory)
    moe_code = factory.Sequence(lambda n: f"{510201 + n}")
    name = factory.Sequence(lambda n: f"测试专业{n}")
    level = Major.Level.VOCATIONAL
    duration_years = 3


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    major = factory.SubFactory(MajorFactory)
    name = factory.Sequence(lambda n: f"测试{n}班")
    cohort = 2027


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"D{n:02d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    kind = DepartmentKind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"T{10000 + n}")
    display_name = factory.Sequence(lambda n: f"测试用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    role = Role.EMPLOYMENT_OFFICE
    institution = factory.SubFactory(InstitutionFactory)

    @factory.post_generation
    def classes(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.classes.set(extracted)
