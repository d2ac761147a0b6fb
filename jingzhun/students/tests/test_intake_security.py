"""Imports under attack: hostile files, sensitive batches, existence probes, oversized bodies."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from jingzhun.core.models import AuditLog, Job
from jingzhun.core.tests.hostile import two_cell_xlsx
from jingzhun.students.intake import services
from jingzhun.students.intake.kinds import KINDS
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.permissions import can_import, readable_kinds
from jingzhun.students.models import (
    DisabilityRecord,
    FamilyEconomicStatus,
    PriorityGroupEvidence,
    PsychScreening,
    Student,
)
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import csv_bytes

pytestmark = pytest.mark.django_db

# kind → (uploader, header, a valid row for student A, a row with an error)
SENSITIVE = {
    "economic_status": ("aid_staff", ["学号", "学年", "困难等级"], ["2024010001", "2025-2026", "特别困难"], ["2024010001", "2025", "特别困难"]),
    "priority_group": ("aid_staff", ["学号", "重点群体类别"], ["2024010001", "低保"], ["2024010001", "无"]),
    "disability": ("aid_staff", ["学号", "残疾类别", "残疾等级"], ["2024010001", "肢体", "三级"], ["2024010001", "肢体", "九级"]),
    "psych_screening": ("psych_staff", ["学号", "测评日期", "筛查结果"], ["2024010001", "2025-10-01", "重点关注"], ["2024010001", "2025-13-01", "重点关注"]),
    "students": ("employment_officer", ["学号", "姓名", "性别", "班级", "身份证号"], ["2024010077", "新生", "男", "计应2401", valid_id_number(sequence=177)], ["2024010078", "错", "X", "计应2401", ""]),
}  # fmt: skip
MODELS: dict[str, Any] = {
    "economic_status": FamilyEconomicStatus,
    "priority_group": PriorityGroupEvidence,
    "disability": DisabilityRecord,
    "psych_screening": PsychScreening,
    "students": Student,
}
IMPORTERS = (
    "employment_officer", "school_officer_a", "counsellor_a", "aid_staff", "psych_staff", "academic_staff",
)  # fmt: skip
OTHERS = [
    (kind, persona) for kind in SENSITIVE for persona in IMPORTERS if persona != SENSITIVE[kind][0]
]


def checked_batch(college, kind: str) -> ImportBatch:
    uploader, header, good, bad = SENSITIVE[kind]
    actor = college.personas[uploader]
    batch = services.import_batch_create(
        actor=actor, kind=kind, filename=f"{kind}.csv", data=csv_bytes(header, [good, bad])
    )
    services.import_batch_read(batch_id=batch.pk)
    return services.import_batch_check(batch_id=batch.pk)


def test_which_roles_may_open_which_files(college):
    """Field access decides, as for the same fields in the registry."""
    opened = {
        (kind, persona)
        for kind, persona in OTHERS
        if KINDS[kind] in readable_kinds(college.personas[persona])
    }
    assert sorted(p for k, p in opened if k == "psych_screening") == ["counsellor_a"]
    assert ("psych_screening", "employment_officer") not in opened
    assert ("disability", "school_officer_a") not in opened
    assert ("students", "aid_staff") not in opened
    assert ("economic_status", "employment_officer") in opened


@pytest.mark.parametrize(("kind", "persona"), [
    (k, p) for k, p in OTHERS if (k, p) not in {("economic_status", "employment_officer"),
                                                ("priority_group", "employment_officer"),
                                                ("disability", "employment_officer")}
])  # fmt: skip
def test_a_sensitive_batch_is_closed_to_everyone_else(client, college, kind, persona):
    """Roles without its fields (and roles that see only their own uploads): no file, preview,
    error report, apply or retry, nothing written, nothing audited as read."""
    batch = checked_batch(college, kind)
    assert (batch.status, batch.valid_rows, batch.error_rows) == ("validated", 1, 1)
    actor = college.personas[persona]
    before = MODELS[kind].objects.count()
    client.force_login(actor.user)
    audits = AuditLog.objects.count()
    pages = [
        ("get", "students:import-detail"), ("get", "students:import-file"),
        ("get", "students:import-errors"), ("post", "students:import-apply"),
        ("post", "students:import-configure"), ("post", "students:import-retry"),
    ]  # fmt: skip
    for method, name in pages:
        response = getattr(client, method)(reverse(name, args=[batch.pk]), {"mode": "valid_rows"})
        assert response.status_code in (403, 404), (name, response.status_code)
    listing = client.get(reverse("students:import-list"))
    assert listing.status_code in (200, 403)
    if listing.status_code == 200:
        assert f"{kind}.csv" not in listing.content.decode()
    if not can_import(actor, kind):
        with pytest.raises(services.DomainError) as exc:
            services.import_batch_request_apply(actor=actor, batch=batch, mode="valid_rows")
        assert exc.value.code == "import.not_allowed"
    assert ImportBatch.objects.get(pk=batch.pk).status == "validated"
    assert MODELS[kind].objects.count() == before
    assert AuditLog.objects.count() == audits


def test_the_psych_centre_batch_is_invisible_to_the_employment_office_but_not_the_centre(
    client, college
):
    batch = checked_batch(college, "psych_screening")
    client.force_login(college.user("employment_officer"))
    assert client.get(reverse("students:import-file", args=[batch.pk])).status_code == 404
    client.force_login(college.user("psych_staff"))
    assert client.get(reverse("students:import-file", args=[batch.pk])).status_code == 200


@pytest.mark.parametrize(("name", "part", "action"), [
    ("students:import-file", "file", "export"),
    ("students:import-errors", "errors", "export"),
    ("students:import-detail", "error_list", "view_sensitive"),
])  # fmt: skip
def test_every_read_of_a_batch_is_audited(client, college, name, part, action):
    batch = checked_batch(college, "economic_status")
    client.force_login(college.user("employment_officer"))
    assert client.get(reverse(name, args=[batch.pk])).status_code == 200
    entry = AuditLog.objects.filter(action=action).latest("at")
    assert (entry.actor, entry.actor_role, entry.object_id, entry.fields) == (
        college.user("employment_officer"), "employment_office", str(batch.pk), ["family_finance"],
    )  # fmt: skip
    assert entry.detail == {"import_batch": batch.pk, "kind": "economic_status", "part": part}


def test_the_mapping_preview_is_audited(client, college):
    actor = college.personas["aid_staff"]
    header, good = SENSITIVE["economic_status"][1:3]
    batch = services.import_batch_create(
        actor=actor, kind="economic_status", filename="e.csv", data=csv_bytes(header, [good])
    )
    services.import_batch_read(batch_id=batch.pk)
    client.force_login(actor.user)
    page = client.get(reverse("students:import-detail", args=[batch.pk]))
    assert "特别困难" in page.content.decode()
    entry = AuditLog.objects.get(action="view_sensitive")
    assert (entry.actor, entry.detail["part"]) == (actor.user, "preview")


def test_an_apply_is_credited_to_whoever_applied_it(college):
    batch = checked_batch(college, "economic_status")
    officer = college.personas["employment_officer"]
    services.import_batch_request_apply(actor=officer, batch=batch, mode="valid_rows")
    services.import_batch_apply(batch_id=batch.pk)
    entry = AuditLog.objects.filter(detail__applied="economic_status").get()
    assert (entry.actor, entry.actor_role) == (officer.user, "employment_office")
    assert FamilyEconomicStatus.objects.get().student == college.student_a


def test_an_upload_is_not_parsed_in_the_request(client, college):
    """The 1.6 KB two-cell sheet: the request stores it, the worker refuses it by its shape."""
    client.force_login(college.user("counsellor_a"))
    upload = SimpleUploadedFile("证书.xlsx", two_cell_xlsx())
    response = client.post(reverse("students:import-list"), {"kind": "certificate", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.status, batch.rows_file.name, batch.reading) == ("reading", "", {})
    services.import_batch_read(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed"
    assert batch.failure.startswith("文件有 1,048,576 行，超过每次导入 200,000 行的上限")
    page = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert "1,048,576" in page


def test_a_body_larger_than_any_upload_is_refused_before_it_is_read(client, college, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    client.force_login(college.user("employment_officer"))
    response = client.generic(
        "POST", reverse("students:import-list"), b"x" * 10,
        content_type="multipart/form-data; boundary=x", CONTENT_LENGTH=str(200 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413
    assert "1 MB" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_another_schools_number_and_an_unknown_one_get_the_same_answer(college):
    """Otherwise a school officer could probe which student numbers exist."""
    actor = college.personas["school_officer_a"]
    other_school = college.student_b.student_number
    rows = [[other_school, "甲", "男", "计应2401"], ["2099999999", "乙", "男", "计应2401"]]
    batch = services.import_batch_create(
        actor=actor,
        kind="students",
        filename="s.csv",
        data=csv_bytes(["学号", "姓名", "性别", "班级"], rows),
    )
    services.import_batch_read(batch_id=batch.pk)
    batch = services.import_batch_check(batch_id=batch.pk)
    messages = [(e["row"], e["value"], e["message"]) for e in batch.errors]
    assert messages == [
        (2, other_school, "学号不存在或不在您的数据范围内；新学生的学籍由就业处导入"),
        (3, "2099999999", "学号不存在或不在您的数据范围内；新学生的学籍由就业处导入"),
    ]
    assert not Student.objects.filter(student_number="2099999999").exists()


def test_a_stalled_step_is_offered_again_and_requeued(
    client, college, django_capture_on_commit_callbacks
):
    actor = college.personas["employment_officer"]
    batch = services.import_batch_create(
        actor=actor, kind="students", filename="s.csv", data=csv_bytes(["学号"], [["1"]])
    )
    client.force_login(actor.user)
    page = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert 'data-testid="import-progress"' in page and "import-stalled" not in page
    # The reading job's worker stopped: its heartbeat is older than the stale limit.
    job = Job.objects.get(kind="import.read", subject_id=batch.pk)
    stale = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=stale)
    page = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert 'data-testid="import-stalled"' in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("students:import-retry", args=[batch.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert AuditLog.objects.filter(detail__requested="retry", detail__step="reading").count() == 1
    assert not services.import_batch_is_stalled(ImportBatch.objects.get(pk=batch.pk))
    job.refresh_from_db()
    assert (job.status, job.error) == ("queued", "")  # the same job, waiting again
