"""Setting a college up from spreadsheets: org structure, staff, roster, through the web pages
with the real worker; every mistake by row and column; nothing written before the apply."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jingzhun.core.models import AuditLog
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
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

ORG_HEADER = [
    "学院名称",
    "学院代码",
    "专业代码",
    "专业名称",
    "学历层次",
    "学制",
    "班级",
    "班级代码",
    "届别",
    "辅导员工号",
]
ORG_ROWS = [
    ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2301", "", "2026届", ""],
    ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2302", "", "2026", ""],
    ["信息工程学院", "S01", "510202", "计算机网络技术", "专科", "三年", "网络2301", "", "2026", ""],
    ["财经商贸学院", "S02", "530302", "大数据与会计", "高职专科", "3", "会计2301", "", "2026", ""],
    # Class names repeat across schools: matched on school + class.
    ["财经商贸学院", "S02", "530302", "大数据与会计", "高职专科", "3", "计应2301", "", "2026", ""],
]  # fmt: skip
STAFF_HEADER = ["工号", "姓名", "部门或学院", "角色", "手机", "邮箱", "所带班级"]
STAFF_ROWS = [
    ["T3001", "王辅导", "信息工程学院", "辅导员", "138 0013 8000", "", "计应2301、计应2302"],
    ["T3002", "赵专干", "信息工程学院", "二级学院就业专干", "", "zhao@example.edu.cn", ""],
    ["T3003", "钱老师", "学生资助管理中心", "职能部门人员", "", "", ""],
    ["T3004", "孙辅导", "财经商贸学院", "辅导员,帮扶责任人", "", "", "会计2301；计应2301"],
]  # fmt: skip
ROSTER_HEADER = ["学号", "姓名", "性别", "班级", "身份证号"]


def sheet_rows(data: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@pytest.fixture
def fresh() -> RoleAssignment:
    """A fresh installation: the institution, its aid centre, one employment officer."""
    institution = Institution.objects.create(code="4141019999", name="新建职业技术学院")
    Department.objects.create(institution=institution, code="D01", name="学生资助管理中心",
                              kind=DepartmentKind.AID)  # fmt: skip
    user = User.objects.create_user("T1002", password="Demo2026jz", display_name="就业处老师")
    return RoleAssignment.objects.create(
        user=user, role=Role.EMPLOYMENT_OFFICE, institution=institution
    )


def work() -> None:
    call_command("worker", "--batch", "--interval", "0")


def upload_and_check(
    client: Client, kind: str, header: list[str], rows: list[list[Any]]
) -> ImportBatch:
    """Upload, let the worker read it, accept the detected mapping, let the worker check it."""
    response = client.post(reverse("students:import-list"), {
        "kind": kind, "source": "", "file": SimpleUploadedFile(f"{kind}.xlsx", xlsx_bytes(header, rows)),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    batch = ImportBatch.objects.filter(kind=kind).latest("pk")
    work()
    batch.refresh_from_db()
    assert batch.status == "uploaded", batch.failure
    form = {"sheet": batch.sheet, "header_row": batch.header_row + 1, "save_for_source": "",
            **{f"col_{c}": name for c, name in batch.mapping.items()}}  # fmt: skip
    client.post(reverse("students:import-configure", args=[batch.pk]), form)
    work()
    batch.refresh_from_db()
    return batch


def apply(client: Client, batch: ImportBatch, mode: str = "all_or_nothing") -> ImportBatch:
    client.post(reverse("students:import-apply", args=[batch.pk]), {"mode": mode})
    work()
    batch.refresh_from_db()
    return batch


def page(client: Client, batch: ImportBatch) -> str:
    return client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()


def units() -> tuple[int, int, int]:
    return School.objects.count(), Major.objects.count(), ClassGroup.objects.count()


def test_a_fresh_installation_is_set_up_from_three_sheets_through_the_pages(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    setup = client.get(reverse("students:setup")).content.decode()
    assert 'data-testid="setup-step-org" data-done="0"' in setup
    assert reverse("students:setup") in client.get(reverse("home")).content.decode()

    # 1. The org structure: checked, shown, nothing created before the apply.
    org = upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS)
    assert (org.status, org.total_rows, org.valid_rows, org.error_rows) == ("validated", 5, 5, 0)
    assert units() == (0, 0, 0)
    shown = page(client, org)
    assert "信息工程学院、财经商贸学院" in shown
    assert "信息工程学院 / 计算机网络技术（510202）" in shown
    assert org.reading["plan"]["counts"] == {
        "new_schools": 2, "new_majors": 3, "new_classes": 5, "existing_schools": 0,
        "existing_majors": 0, "existing_classes": 0, "counsellor_links": 0,
    }  # fmt: skip
    org = apply(client, org)
    assert (org.status, org.created_count, org.updated_count, org.unchanged_count) == (
        "applied",
        10,
        0,
        0,
    )
    assert "新建学院 2 个、专业 3 个、班级 5 个" in page(client, org)
    network = Major.objects.get(moe_code="510202")
    assert (network.school.code, network.level, network.duration_years) == ("S01", "zhuanke", 3)
    assert sorted(ClassGroup.objects.filter(name="计应2301").values_list("major__school__name", "cohort")) == [
        ("信息工程学院", 2026), ("财经商贸学院", 2026)]  # fmt: skip

    # 2. Staff: accounts with one-time passwords, roles, classes.
    staff = upload_and_check(client, "staff", STAFF_HEADER, STAFF_ROWS)
    assert (staff.status, staff.valid_rows, staff.error_rows) == ("validated", 4, 0)
    assert not User.objects.filter(username__startswith="T300").exists()
    staff = apply(client, staff)
    assert (staff.status, staff.created_count) == ("applied", 4)
    assert staff.reading["applied"] == {
        "users_created": 4,
        "users_updated": 0,
        "roles_added": 5,
        "class_links": 4,
    }
    wang = User.objects.get(username="T3001")
    assert (wang.display_name, wang.phone, wang.must_change_password) == (
        "王辅导",
        "13800138000",
        True,
    )
    created = AuditLog.objects.filter(action="create", detail__via="staff_import")
    assert sorted(created.values_list("object_repr", "actor__username")) == [
        ("孙辅导", "T1002"), ("王辅导", "T1002"), ("赵专干", "T1002"), ("钱老师", "T1002")]  # fmt: skip
    granted = AuditLog.objects.filter(
        action="update", detail__via="staff_import", object_id=str(wang.pk)
    )
    assert [(g.detail["role"], g.detail["classes_added"]) for g in granted] == [("counsellor", 2)]
    counsellor = wang.role_assignments.get()
    assert counsellor.role == Role.COUNSELLOR and counsellor.data_scope == "own_classes"
    assert sorted(counsellor.classes.values_list("major__school__name", "name")) == [
        ("信息工程学院", "计应2301"), ("信息工程学院", "计应2302")]  # fmt: skip
    sun = User.objects.get(username="T3004")
    assert sorted(sun.role_assignments.values_list("role", flat=True)) == ["counsellor", "mentor"]
    assert sorted(sun.role_assignments.get(role="counsellor").classes.values_list("major__school__name", "name")) == [
        ("财经商贸学院", "会计2301"), ("财经商贸学院", "计应2301")]  # fmt: skip
    officer = User.objects.get(username="T3002").role_assignments.get()
    assert officer.school is not None
    assert (officer.role, officer.school.name, officer.data_scope) == (
        "school_officer",
        "信息工程学院",
        "org_unit",
    )
    aid = User.objects.get(username="T3003").role_assignments.get()
    assert aid.department is not None
    assert (aid.role, aid.department.kind) == ("department_staff", "aid")

    # The passwords: once, to the applier, never stored.
    assert 'data-testid="passwords-download"' in page(client, staff)
    download = client.get(reverse("students:import-passwords", args=[staff.pk]))
    rows = sheet_rows(download.content)
    assert rows[1] == ["工号", "姓名", "一次性密码"]
    passwords = {row[0]: row[2] for row in rows[2:]}
    assert sorted(passwords) == ["T3001", "T3002", "T3003", "T3004"]
    assert all(len(p) == 12 and any(c.isdigit() for c in p) for p in passwords.values())
    staff.refresh_from_db()
    assert "salt" not in staff.reading["one_time"] and passwords["T3001"] not in str(staff.reading)
    again = client.get(reverse("students:import-passwords", args=[staff.pk]), follow=True)
    assert "一次性密码已下载过" in again.content.decode()
    assert AuditLog.objects.filter(action="export", detail__one_time_passwords=4).count() == 1

    # The counsellor logs in with it and must choose a password first.
    other = Client()
    assert (
        other.post(
            reverse("login"), {"username": "T3001", "password": passwords["T3001"]}
        ).status_code
        == 302
    )
    assert other.get(reverse("students:list"))["Location"] == reverse("password-change")
    changed = other.post(reverse("password-change"), {"old_password": passwords["T3001"],
                         "new_password1": "Xinmima2026", "new_password2": "Xinmima2026"})  # fmt: skip
    assert changed.status_code == 302
    wang.refresh_from_db()
    assert wang.must_change_password is False
    assert other.get(reverse("students:list")).status_code == 200

    # 3. The roster goes into the classes just created.
    roster = upload_and_check(client, "students", ROSTER_HEADER, [
        ["2023010001", "李一", "男", "计应2302", valid_id_number(sequence=101)],
        ["2023010002", "李二", "女", "会计2301", valid_id_number(sequence=102)],
    ])  # fmt: skip
    roster = apply(client, roster)
    assert (roster.status, roster.created_count) == ("applied", 2)
    assert sorted(Student.objects.values_list("class_group__name", "cohort")) == [
        ("会计2301", 2026),
        ("计应2302", 2026),
    ]
    setup = client.get(reverse("students:setup")).content.decode()
    for step in ("institution", "org", "staff", "roster"):
        assert f'data-testid="setup-step-{step}" data-done="1"' in setup
    assert 'data-testid="setup-step-records" data-done="0"' in setup


def test_org_mistakes_are_reported_by_row_and_column_and_nothing_is_created(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    rows = [
        ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2301", "", "2026", "T9999"],
        ["信息工程学院", "S01", "999999", "不存在专业", "高职专科", "3", "虚构2301", "", "2026", ""],
        ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "", "", "2026", ""],
        ["信息工程学院", "S01", "510202", "计算机网络", "高职专科", "3", "网络2301", "", "2026", ""],
        ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2301", "", "2026", ""],
        ["信息工程学院", "S01", "080901", "计算机科学与技术", "本科", "4", "计科2301", "", "2023级", ""],
        ["信息工程学院", "S09", "510201", "计算机应用技术", "高职专科", "3", "计应2309", "", "2026", ""],
        ["信息工程学院", "S01", "510201", "计算机应用", "高职专科", "3", "计应2310", "", "2026", ""],
        ["财经商贸学院", "S02", "530302", "大数据与会计", "本科", "3", "会计2301", "", "2026", ""],
        ["机电工程学院", "S01", "460101", "机械设计与制造", "高职专科", "3", "机械2301", "", "2026", ""],
    ]  # fmt: skip
    batch = upload_and_check(client, "org_structure", ORG_HEADER, rows)
    assert (batch.status, batch.total_rows, batch.valid_rows, batch.error_rows) == (
        "validated",
        10,
        2,
        8,
    )
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in batch.errors] == [
        (3, "C列 专业代码", "999999", "专业代码不在国家专业目录中（高职专科 2021 版、本科 2026 版）"),
        (4, "G列 班级", "", "班级不能为空"),
        (6, "G列 班级", "计应2301", "与第 2 行重复：同一学院的班级名称须唯一"),
        (7, "I列 届别", "2023级", "“2023级”是入学年级，不是毕业年份（例如 2026 或 2026届）"),
        (8, "B列 学院代码", "S09", "与第 2 行同一学院的代码 S01 不一致"),
        (9, "D列 专业名称", "计算机应用", "与第 2 行同一专业（510201）的专业名称不一致"),
        (10, "E列 学历层次", "本科", "专业代码 530302 属于高职专科专业目录"),
        (11, "B列 学院代码", "S01", "学院代码 S01 在第 2 行已用于学院「信息工程学院」"),
    ]  # fmt: skip
    warnings = [(w["row"], w["column"], w["message"]) for w in batch.reading["plan"]["warnings"]]
    assert warnings == [
        (2, "J列 辅导员工号", "尚无此工号的辅导员账号，班级先不关联；导入教职工时在“所带班级”填写本班即可"),
        (5, "D列 专业名称", "专业名称与国家专业目录不一致：目录为「计算机网络技术」，表中为「计算机网络」"),
        (9, "D列 专业名称", "专业名称与国家专业目录不一致：目录为「计算机应用技术」，表中为「计算机应用」"),
    ]  # fmt: skip
    # The plan counts the rows an apply would write: 财经商贸学院 only has a row with an error.
    assert batch.reading["plan"]["new_schools"] == ["信息工程学院"]
    assert batch.reading["plan"]["counts"] == {
        "new_schools": 1, "new_majors": 2, "new_classes": 2, "existing_schools": 0,
        "existing_majors": 0, "existing_classes": 0, "counsellor_links": 0,
    }  # fmt: skip
    assert units() == (0, 0, 0)
    refused = client.post(
        reverse("students:import-apply", args=[batch.pk]), {"mode": "all_or_nothing"}, follow=True
    )
    assert "8 行有错误" in refused.content.decode()
    assert units() == (0, 0, 0)
    errors = sheet_rows(client.get(reverse("students:import-errors", args=[batch.pk])).content)
    assert errors[2] == [
        3.0,
        "C列 专业代码",
        "999999",
        "专业代码不在国家专业目录中（高职专科 2021 版、本科 2026 版）",
    ]


def test_org_rows_contradicting_what_exists_are_errors_and_matches_are_not_duplicated(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    apply(client, upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS))
    assert units() == (2, 3, 5)
    rows = [
        *ORG_ROWS,
        ["信息工程学院", "S01", "510202", "计算机网络技术", "高职专科", "3", "计应2302", "", "2026", ""],  # other major
        ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2303", "", "2027", ""],  # new
        ["信息工程学院", "S07", "510201", "计算机应用技术", "高职专科", "3", "计应2304", "", "2026", ""],
        ["财经商贸学院", "S02", "530302", "大数据与会计", "本科", "3", "会计2399", "", "2026", ""],
    ]  # fmt: skip
    batch = upload_and_check(client, "org_structure", ORG_HEADER, rows)
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (7, "G列 班级", "与第 3 行重复：同一学院的班级名称须唯一"),
        (9, "B列 学院代码", "学院「信息工程学院」已存在，代码为 S01"),
        (10, "E列 学历层次", "专业代码 530302 属于高职专科专业目录"),
    ]
    assert batch.reading["plan"]["counts"] == {
        "new_schools": 0, "new_majors": 0, "new_classes": 1, "existing_schools": 2,
        "existing_majors": 3, "existing_classes": 5, "counsellor_links": 0,
    }  # fmt: skip
    done = apply(client, batch, mode="valid_rows")
    assert (done.created_count, done.unchanged_count) == (1, 5)
    assert units() == (2, 3, 6)


def test_staff_mistakes_are_reported_by_row_and_column(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    apply(client, upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS))
    rows = [
        ["T3001", "王辅导", "信息工程学院", "辅导员", "", "", "计应2301"],
        ["T3002", "赵老师", "信息工程学院", "校长", "", "", ""],
        ["T3001", "王辅导", "信息工程学院", "辅导员", "", "", ""],
        ["T3005", "周辅导", "信息工程学院", "辅导员", "", "", "计应2399"],
        ["T3006", "吴辅导", "", "辅导员", "", "", "计应2301"],
        ["T3007", "郑专干", "学生资助管理中心", "二级学院就业专干", "", "", ""],
        ["T3008", "冯老师", "信息工程学院", "职能部门人员", "", "", ""],
        ["T3009", "陈老师", "信息工程学院", "帮扶责任人", "", "", "计应2301"],
    ]  # fmt: skip
    batch = upload_and_check(client, "staff", STAFF_HEADER, rows)
    assert (batch.valid_rows, batch.error_rows) == (1, 7)
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in batch.errors] == [
        (3, "D列 角色", "校长", "“校长”不是可导入的角色，可选：辅导员、二级学院就业负责人、就业指导中心、职能部门人员、帮扶责任人、领导小组、考核部门"),
        (4, "A列 工号", "T3001", "工号与第 2 行重复"),
        (5, "G列 所带班级", "计应2399", "班级「计应2399」在学院「信息工程学院」不存在；请先导入院系专业班级"),
        (6, "C列 部门或学院", "", "部门或学院不能为空"),
        (7, "C列 部门或学院", "学生资助管理中心", "二级学院就业专干须填写所在学院，「学生资助管理中心」不是已有的学院"),
        (8, "C列 部门或学院", "信息工程学院", "职能部门人员须填写所在职能部门，「信息工程学院」不是已有的部门"),
        (9, "G列 所带班级", "计应2301", "只有辅导员可以填写所带班级"),
    ]  # fmt: skip
    assert not User.objects.filter(username__startswith="T300").exists()


def test_a_class_named_in_two_schools_needs_the_school(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    apply(client, upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS))
    batch = upload_and_check(
        client,
        "staff",
        STAFF_HEADER,
        [["T3010", "何老师", "就业指导中心", "辅导员", "", "", "计应2301"]],
    )
    assert [(e["column"], e["message"]) for e in batch.errors] == [
        (
            "G列 所带班级",
            "班级「计应2301」在多个学院都有（信息工程学院、财经商贸学院），请在“部门或学院”列填写所在学院",
        ),
    ]


def test_existing_staff_are_updated_and_keep_their_roles(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    apply(client, upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS))
    apply(client, upload_and_check(client, "staff", STAFF_HEADER, STAFF_ROWS[:1]))
    wang = User.objects.get(username="T3001")
    password = wang.password
    rows = [["T3001", "王老师", "信息工程学院", "帮扶责任人", "", "wang@example.edu.cn", ""],
            ["T3001X", "新老师", "财经商贸学院", "辅导员", "", "", "会计2301"]]  # fmt: skip
    done = apply(client, upload_and_check(client, "staff", STAFF_HEADER, rows))
    assert (done.created_count, done.updated_count, done.unchanged_count) == (1, 1, 0)
    wang.refresh_from_db()
    assert (wang.display_name, wang.email, wang.password) == (
        "王老师",
        "wang@example.edu.cn",
        password,
    )
    assert sorted(wang.role_assignments.values_list("role", flat=True)) == ["counsellor", "mentor"]
    assert wang.role_assignments.get(role="counsellor").classes.count() == 2
    assert User.objects.filter(username="T3001").count() == 1
    assert done.reading["one_time"]["users"] == [["T3001X", "新老师"]]


def test_a_failure_in_the_middle_of_an_apply_leaves_nothing(
    fresh: RoleAssignment, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.force_login(fresh.user)
    batch = upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS)
    from django.db.models import Manager

    calls = {"n": 0}
    real_create = Manager.create

    def crash_on_fourth_class(self: Any, **kwargs: Any) -> Any:
        if self.model is ClassGroup:
            calls["n"] += 1
            if calls["n"] == 4:
                raise RuntimeError("disk full")
        return real_create(self, **kwargs)

    monkeypatch.setattr(Manager, "create", crash_on_fourth_class)
    client.post(reverse("students:import-apply", args=[batch.pk]), {"mode": "all_or_nothing"})
    work()
    assert calls["n"] == 4
    assert units() == (0, 0, 0)
    batch.refresh_from_db()
    assert batch.status == "applying" and batch.created_count == 0
    monkeypatch.undo()


def test_only_the_college_administrator_sets_it_up(college: Any, client: Client) -> None:
    officer = college.user("school_officer_a")
    client.force_login(officer)
    assert client.get(reverse("students:setup")).status_code == 403
    form = client.get(reverse("students:import-list")).content.decode()
    assert 'value="org_structure"' not in form and 'value="staff"' not in form
    refused = client.post(reverse("students:import-list"), {
        "kind": "staff", "source": "", "file": SimpleUploadedFile("s.xlsx", xlsx_bytes(STAFF_HEADER, STAFF_ROWS))})  # fmt: skip
    assert refused.status_code == 400 and not ImportBatch.objects.exists()
    client.force_login(college.user("employment_officer"))
    assert client.get(reverse("students:setup")).status_code == 200
    template = sheet_rows(
        client.get(reverse("students:setup-template", args=["org_structure"])).content
    )
    assert template[0] == [
        "学院*",
        "学院代码",
        "专业代码*",
        "专业名称*",
        "学历层次",
        "学制",
        "班级*",
        "班级代码",
        "届别*",
        "辅导员工号",
    ]
    assert template[1][:4] == ["信息工程学院", "S01", "510201", "计算机应用技术"]
    assert (
        client.get(reverse("students:setup-template", args=["psych_screening"])).status_code == 404
    )


ROSTER_WITH_UNITS = ["学号", "姓名", "性别", "学院", "专业代码", "专业", "班级", "毕业年份"]


def test_a_roster_proposes_its_missing_units_which_are_reviewed_then_applied(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    rows = [
        ["2023010001", "李一", "男", "信息工程学院", "510201", "计算机应用技术", "计应2301", "2026"],
        ["2023010002", "李二", "女", "信息工程学院", "510201", "计算机应用技术", "计应2301", "2026"],
        ["2023010003", "李三", "男", "财经商贸学院", "530302", "大数据与会计", "会计2301", "二〇二六"],
        ["2023010004", "李四", "女", "财经商贸学院", "530302", "", "计应2301", "2026届"],
    ]  # fmt: skip
    roster = upload_and_check(client, "students", ROSTER_WITH_UNITS, rows)
    assert roster.error_rows == 4 and units() == (0, 0, 0)
    shown = page(client, roster)
    assert 'data-testid="propose-units"' in shown

    response = client.post(reverse("students:import-propose-units", args=[roster.pk]))
    org = ImportBatch.objects.get(kind="org_structure")
    assert response["Location"] == reverse("students:import-detail", args=[org.pk])
    assert (org.status, org.source) == ("reading", f"花名册#{roster.pk}")
    work()
    org.refresh_from_db()
    form = {"sheet": org.sheet, "header_row": org.header_row + 1, "save_for_source": "",
            **{f"col_{c}": name for c, name in org.mapping.items()}}  # fmt: skip
    assert sorted(org.mapping.values()) == [
        "class_name",
        "cohort",
        "major_code",
        "major_name",
        "school_name",
    ]
    client.post(reverse("students:import-configure", args=[org.pk]), form)
    work()
    org.refresh_from_db()
    # One row per distinct unit; the name left out is the catalogue's; nothing created yet.
    assert (org.status, org.total_rows, org.error_rows) == ("validated", 3, 0)
    assert org.reading["plan"]["new_classes"] == [
        "信息工程学院 / 计应2301",
        "财经商贸学院 / 会计2301",
        "财经商贸学院 / 计应2301",
    ]
    assert units() == (0, 0, 0)

    org = apply(client, org)  # the worker applies it and then checks the roster again
    assert units() == (2, 2, 3) and org.reading["applied"]["roster_batch"] == roster.pk
    assert 'data-testid="roster-recheck"' in page(client, org)
    roster.refresh_from_db()
    assert (roster.status, roster.error_rows, roster.valid_rows) == ("validated", 0, 4)
    roster = apply(client, roster)
    assert sorted(Student.objects.values_list("student_number", "class_group__major__school__name")) == [
        ("2023010001", "信息工程学院"), ("2023010002", "信息工程学院"),
        ("2023010003", "财经商贸学院"), ("2023010004", "财经商贸学院"),
    ]  # fmt: skip


def test_only_a_roster_missing_classes_may_propose_units(college: Any, client: Client) -> None:
    client.force_login(college.user("employment_officer"))
    roster = upload_and_check(client, "students", ROSTER_HEADER, [
        ["2024010077", "新生", "男", "计应2401", valid_id_number(sequence=131)],
    ])  # fmt: skip
    assert roster.error_rows == 0
    assert 'data-testid="propose-units"' not in page(client, roster)
    refused = client.post(reverse("students:import-propose-units", args=[roster.pk]), follow=True)
    assert "此花名册无法补建院系、专业和班级" in refused.content.decode()
    assert not ImportBatch.objects.filter(kind="org_structure").exists()


def test_class_codes_and_school_codes_match_existing_units(
    fresh: RoleAssignment, client: Client
) -> None:
    client.force_login(fresh.user)
    first = [["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2301", "C2301", "2026", ""]]  # fmt: skip
    apply(client, upload_and_check(client, "org_structure", ORG_HEADER, first))
    rows = [
        # The school by its code under another name: matched, with a warning.
        ["信息学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2302", "", "2026", ""],
        # A known class code on another class name: refused, never renamed.
        ["信息工程学院", "S01", "510201", "计算机应用技术", "高职专科", "3", "计应2399", "C2301", "2026", ""],
    ]  # fmt: skip
    batch = upload_and_check(client, "org_structure", ORG_HEADER, rows)
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [
        (3, "H列 班级代码", "班级代码 C2301 已属于班级「计应2301」"),
    ]
    assert [(w["row"], w["column"], w["message"]) for w in batch.reading["plan"]["warnings"]] == [
        (2, "A列 学院名称", "按学院代码 S01 匹配到已有学院「信息工程学院」，名称不同，未修改"),
    ]
    done = apply(client, batch, mode="valid_rows")
    assert done.created_count == 1
    assert sorted(ClassGroup.objects.values_list("major__school__name", "name", "code")) == [
        ("信息工程学院", "计应2301", "C2301"), ("信息工程学院", "计应2302", ""),
    ]  # fmt: skip
    assert School.objects.get().name == "信息工程学院"


def test_one_time_passwords_are_hashed_before_the_write_transaction(
    fresh: RoleAssignment, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hashing is slow by design (~0.3 s each): it must not hold the database's write lock."""
    from django.db import connection

    from jingzhun.students.intake import staff_import

    client.force_login(fresh.user)
    apply(client, upload_and_check(client, "org_structure", ORG_HEADER, ORG_ROWS))
    batch = upload_and_check(client, "staff", STAFF_HEADER, STAFF_ROWS)
    in_transaction: list[bool] = []
    hashed: list[str] = []
    real_prepare, real_hash = staff_import.prepare_passwords, staff_import.make_password

    def prepare(result: Any) -> None:
        in_transaction.append(connection.in_atomic_block)
        real_prepare(result)

    def make_password(password: str) -> str:
        hashed.append(password)
        return real_hash(password)

    monkeypatch.setattr(staff_import, "prepare_passwords", prepare)
    monkeypatch.setattr(staff_import, "make_password", make_password)
    assert apply(client, batch).created_count == 4
    assert in_transaction == [False]
    assert len(hashed) == 4  # once each, not again inside the transaction
