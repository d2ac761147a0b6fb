"""Destinations in the demo college: the graduated cohorts' registry destinations get the
registrations behind them — mostly verified by school and office, the newest cohort with some
still submitted, school-verified or returned, some changed (superseded) — and a few in each
cohort fail each quality check, for the checks page to list. The demo student (in the current
final year) has a destination waiting for their school, registered through the service.

Past registrations are history: they are written with the dates they happened on, in bulk,
since the services (rightly) refuse changes after a cohort's deadline.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from jingzhun.core.errors import DomainError
from jingzhun.jobs.credit_code import check_character
from jingzhun.org.models import Institution, RoleAssignment, User
from jingzhun.org.roles import Role
from jingzhun.students.models import GraduateDestination, Student
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.destinations import reference, services
from jingzhun.tracking.destinations.models import (
    DestinationEvent,
    DestinationEvidence,
    DestinationRegistration,
)
from jingzhun.tracking.destinations.reference import Evidence
from jingzhun.tracking.destinations.wages import city_region

S = DestinationRegistration.Status
RETURN_REASONS = (
    "协议书未加盖单位公章，请补充",
    "单位证明未写明月工资，请重新开具",
    "录取通知书照片不清晰，请重新上传",
)
DEMO_FILES = "destinations/demo"
REUSED_CREDIT_CODE = "91410105MA44XKQ" + "0" * 2  # completed with its check character below


@dataclass(frozen=True)
class DemoDestinations:
    registrations: int
    by_status: dict[str, int]
    faults: dict[str, int]
    student_pending: bool


def png_bytes(width: int = 4, height: int = 3) -> bytes:
    """A real, valid PNG of white pixels: the demo's (and the tests') photo of a document."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    out = io.BytesIO()
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return out.getvalue()


def _png() -> bytes:
    return png_bytes(8, 6)


def _credit_code(seed: str) -> str:
    digits = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    h = int(hashlib.sha256(seed.encode()).hexdigest(), 16)
    body = "914101" + "".join(digits[(h >> (5 * i)) % 31] for i in range(11))
    return body + check_character(body)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _demo_file(kind: str) -> str:
    name = f"{DEMO_FILES}/{kind}.png"
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(_png()))
    return name


def seed_destination_demo(*, institution_code: str, seed: int = 2026) -> DemoDestinations | None:
    """Seed once: None when the college is absent or already has registrations."""
    institution = Institution.objects.filter(code=institution_code).first()
    if (
        institution is None
        or DestinationRegistration.objects.filter(student__institution=institution).exists()
    ):
        return None
    rng = random.Random(seed)  # noqa: S311 — reproducible demo data, not a secret
    with transaction.atomic():
        faults = _history(institution, rng)
        pending = _student_pending(institution)
    counts: dict[str, int] = {}
    for status in DestinationRegistration.objects.filter(
        student__institution=institution
    ).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return DemoDestinations(sum(counts.values()), counts, faults, pending)


def _history(institution: Institution, rng: random.Random) -> dict[str, int]:
    rows = list(
        GraduateDestination.objects.filter(student__institution=institution, student__status=Student.Status.GRADUATED)
        .select_related("student").order_by("student__cohort", "student__student_number")
    )  # fmt: skip
    if not rows:
        return {}
    newest = max(r.student.cohort for r in rows)
    staff = (
        RoleAssignment.objects.filter(institution=institution, role=Role.EMPLOYMENT_OFFICE)
        .select_related("user")
        .first()
    )
    officer = staff.user if staff else None
    plans = [_plan(rng, r, newest) for r in rows]
    faults = _inject_faults(rng, plans)
    _write(plans, officer, rng)
    return faults


@dataclass
class _Plan:
    row: GraduateDestination
    status: str
    source: str
    code: str
    wage: int | None
    city: str
    credit_code: str
    evidence: list[tuple[str, str, dt.date | None]]  # kind, original name, valid until
    contact: bool = True
    earlier: bool = False  # a superseded first registration before this one


def _plan(rng: random.Random, row: GraduateDestination, newest: int) -> _Plan:
    code = row.code_id
    status = S.OFFICE_VERIFIED if row.verified else rng.choice([S.SUBMITTED, S.SCHOOL_VERIFIED])
    if row.student.cohort == newest and row.verified and rng.random() < 0.04:
        status = S.RETURNED
    kinds = reference.required_evidence(code)
    evidence: list[tuple[str, str, dt.date | None]] = (
        [(kinds[0], f"{reference.evidence_label(kinds[0])[:20]}.png", None)] if kinds else []
    )
    credit = (
        _credit_code(row.employer_name)
        if reference.asks_credit_code(code) and row.employer_name
        else ""
    )
    return _Plan(row=row, status=status, source="student" if rng.random() < 0.6 else "staff", code=code,
                 wage=row.monthly_salary, city=row.city, credit_code=credit, evidence=evidence,
                 earlier=status == S.OFFICE_VERIFIED and rng.random() < 0.03)  # fmt: skip


def _inject_faults(rng: random.Random, plans: list[_Plan]) -> dict[str, int]:
    """A few of the newest cohort's registrations fail each check (never corrected)."""
    newest = max(p.row.student.cohort for p in plans)
    pool = [p for p in plans if p.row.student.cohort == newest and p.status != S.RETURNED]
    rng.shuffle(pool)
    taken: set[int] = set()

    def pick(n: int, ok: Callable[[_Plan], bool] = lambda p: True) -> list[_Plan]:
        chosen = [p for p in pool if id(p) not in taken and ok(p)][:n]
        taken.update(id(p) for p in chosen)
        return chosen

    faults: dict[str, int] = {}
    low = pick(4, lambda p: p.code in ("11", "10", "12"))
    for p in low:
        p.code, p.wage, p.city = "12", rng.choice([1500, 1650, 1700]), "郑州市"
        p.evidence = [(Evidence.EMPLOYER_CERTIFICATE, "单位用工证明.png", None)]
    faults["wage_below_minimum"] = len(low)
    missing = pick(5, lambda p: bool(p.evidence))
    for p in missing:
        p.evidence = []
    faults["evidence_missing"] = len(missing)
    expired = pick(3, lambda p: bool(p.evidence))
    for p in expired:
        kind, name, _until = p.evidence[0]
        p.evidence = [(kind, name, dt.date(newest, 9, 30))]
    faults["evidence_expired"] = len(expired)
    interns = pick(3, lambda p: p.code in ("10", "11"))
    for p in interns:
        p.code = "11"
        p.evidence = [(Evidence.LABOUR_CONTRACT, "劳动合同.png", None),
                      (Evidence.INTERNSHIP_CERTIFICATE, "顶岗实习证明.png", None)]  # fmt: skip
    faults["internship_as_employment"] = len(interns)
    reused = pick(10, lambda p: p.code in ("10", "11") and bool(p.credit_code))
    code = REUSED_CREDIT_CODE[:17] + check_character(REUSED_CREDIT_CODE[:17])
    for p in reused:
        p.credit_code = code
    faults["credit_code_reused"] = len(reused) if len(reused) > 8 else 0
    silent = pick(4, lambda p: p.source == "staff")
    for p in silent:
        p.contact = False
    faults["no_contact"] = len(silent)
    faults["freelance_share_high"] = _freelance_school(rng, pool, taken)
    return faults


def _freelance_school(rng: random.Random, pool: list[_Plan], taken: set[int]) -> int:
    """One school whose graduates are suddenly mostly freelance (76)."""
    by_school: dict[int, list[_Plan]] = {}
    for p in pool:
        if id(p) not in taken and p.code in ("10", "11", "12", "76"):
            by_school.setdefault(p.row.student.school_id, []).append(p)
    if not by_school:
        return 0
    school = max(by_school, key=lambda k: len(by_school[k]))
    chosen = by_school[school][: max(6, len(by_school[school]) * 2 // 3)]
    for p in chosen:
        p.code, p.credit_code = "76", ""
        p.wage = max(p.wage or 0, 3200)
        p.evidence = [(Evidence.FREELANCE_PROOF, "自由职业证明.png", None)]
    taken.update(id(p) for p in chosen)
    return len(chosen)


def _write(plans: list[_Plan], officer: User | None, rng: random.Random) -> None:
    files = {kind: _demo_file(kind) for kind in reference.EVIDENCE_LABELS}
    regs: list[DestinationRegistration] = []
    earlier: list[DestinationRegistration] = []
    for p in plans:
        recorded = p.row.recorded_on
        created = _at(recorded - dt.timedelta(days=rng.randint(6, 14)))
        reg = DestinationRegistration(
            student=p.row.student, code_id=p.code, employer_name=p.row.employer_name, credit_code=p.credit_code,
            city=p.city, region_code=city_region(p.city), monthly_wage=p.wage, source=p.source, status=p.status,
            submitted_by=p.row.student.user if p.source == "student" else officer,
            return_reason=rng.choice(RETURN_REASONS) if p.status == S.RETURNED else "",
            school_verified_at=created + dt.timedelta(days=3) if p.status in (S.SCHOOL_VERIFIED, S.OFFICE_VERIFIED) else None,
            office_verified_at=_at(recorded, 15) if p.status == S.OFFICE_VERIFIED else None,
        )  # fmt: skip
        reg.created_at = created
        regs.append(reg)
        if p.earlier:
            first = DestinationRegistration(
                student=p.row.student, code_id="70", source="staff", status=S.SUPERSEDED, submitted_by=officer,
                school_verified_at=created - dt.timedelta(days=40), office_verified_at=created - dt.timedelta(days=38),
            )  # fmt: skip
            first.created_at = created - dt.timedelta(days=42)
            earlier.append(first)
    moments = {id(r): r.created_at for r in earlier + regs}
    DestinationRegistration.objects.bulk_create(earlier + regs, batch_size=500)
    # `created_at` is set on insert: give the history its real moments afterwards.
    for reg in earlier + regs:
        reg.created_at = moments[id(reg)]
    DestinationRegistration.objects.bulk_update(earlier + regs, ["created_at"], batch_size=500)
    _events(earlier, regs, officer)
    DestinationEvidence.objects.bulk_create(
        [DestinationEvidence(registration=reg, kind=kind, file=files[kind], original_name=name,
                             valid_until=until, uploaded_by=reg.submitted_by)
         for reg, p in zip(regs, plans, strict=True) for kind, name, until in p.evidence],
        batch_size=500,
    )  # fmt: skip
    ContactAttempt.objects.bulk_create(
        [ContactAttempt(student=reg.student, attempted_on=reg.created_at.date() - dt.timedelta(days=2),
                        channel="phone", reached=True, note="电话核实去向", author=officer)
         for reg, p in zip(regs, plans, strict=True) if p.source == "staff" and p.contact],
        batch_size=500,
    )  # fmt: skip


def _events(
    earlier: list[DestinationRegistration],
    regs: list[DestinationRegistration],
    officer: User | None,
) -> None:
    events: list[DestinationEvent] = []
    for reg in [*earlier, *regs]:
        steps: list[tuple[str, str, dt.datetime, str]] = [("", S.SUBMITTED, reg.created_at, "")]
        if reg.school_verified_at:
            steps.append((S.SUBMITTED, S.SCHOOL_VERIFIED, reg.school_verified_at, ""))
        if reg.office_verified_at:
            steps.append((S.SCHOOL_VERIFIED, S.OFFICE_VERIFIED, reg.office_verified_at, ""))
        if reg.status == S.RETURNED:
            steps.append(
                (S.SUBMITTED, S.RETURNED, reg.created_at + dt.timedelta(days=2), reg.return_reason)
            )
        if reg.status == S.SUPERSEDED:
            steps.append(
                (
                    S.OFFICE_VERIFIED,
                    S.SUPERSEDED,
                    (reg.office_verified_at or reg.created_at) + dt.timedelta(days=38),
                    "已由核定后的去向变更替代",
                )
            )
        for from_status, to_status, at, note in steps:
            events.append(
                DestinationEvent(
                    registration=reg,
                    from_status=from_status,
                    to_status=to_status,
                    actor=officer,
                    note=note,
                )
            )
            events[-1].at = at
    moments = [e.at for e in events]
    DestinationEvent.objects.bulk_create(events, batch_size=1000)
    # `at` is set on insert: give the history its real moments afterwards.
    for event, at in zip(events, moments, strict=True):
        event.at = at
    DestinationEvent.objects.bulk_update(events, ["at"], batch_size=1000)


def _student_pending(institution: Institution) -> bool:
    """The demo student's destination, submitted through the service and waiting for the
    school (False when the cohort's window is closed: they can still see the page)."""
    student = (
        Student.objects.filter(institution=institution, user__isnull=False)
        .order_by("student_number")
        .first()
    )
    if student is None or student.user_id is None:
        return False
    actor = RoleAssignment.objects.filter(user_id=student.user_id, role=Role.STUDENT).first()
    if actor is None:
        return False
    data = services.DestinationInput(
        code="11", employer_name="郑州宇通客车股份有限公司", credit_code=_credit_code("宇通"),
        city="郑州市", monthly_wage=5200, start_date=dt.date(student.cohort, 7, 1),
    )  # fmt: skip
    photo = SimpleUploadedFile("劳动合同.png", _png(), content_type="image/png")
    try:
        services.destination_register(actor=actor, student=student, data=data,
                                      evidence=[services.EvidenceUpload(Evidence.LABOUR_CONTRACT, photo)])  # fmt: skip
    except DomainError:
        return False
    return True
