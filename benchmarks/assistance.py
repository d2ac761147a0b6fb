"""Assistance at scale: plans and routed actions for 100,000 newly confirmed cases, set-based,
against the per-case ORM loop on a subset in the same run; then a department's work queue
with a million open actions.

    python benchmarks/assistance.py [--cases 100000] [--baseline 500] [--approve 2000]
                                    [--actions 1000000] [--requests 30] [--database-url URL]

The registry comes from `student_list.make_registry` (plain rows through
`jingzhun.core.bulk.insert_rows`); each case gets one to three difficulty types, a level and a
signal of one identification run, so the frozen inputs are what a real draft freezes. Then:

- baseline: `plans.plan_draft` then `actions.actions_create_for_plan` (what approval routes),
  case by case, over the first `--baseline` cases; the loop's time for every case is projected
  from its throughput;
- Jingzhun: `drafting.plans_draft_many` then `routing.actions_route_many` over the other
  cases, timed end to end (each of the two is printed too);
- approval: `--approve` more drafted plans are submitted, then approved by the school officer
  one by one (`plans.plan_approve`, as the plan page does) and, for as many others, at once
  (`approving.plans_approve_many`, the approval queue's 批量审批) — each routes its actions;
- queue: open actions are added in bulk up to `--actions` (spread over the departments as
  the catalogue routes them, due dates around today), then the busiest department's queue
  page is requested through Django's test client as its staff member — the count, the
  first page of 50 by due date and the workload panel, rendered — `--requests` times;
  median and p95 are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import start_django
from student_list import make_registry

TYPES = ("economic", "academic", "psychological", "employability", "motivation",
         "long_term_unemployed", "disability")  # fmt: skip
STAFF_PER_DEPARTMENT = 8


def make_departments(institution: Any) -> dict[str, Any]:
    """One department of each kind with its staff; the employment office's officer works in
    its own office, as in a real college."""
    from jingzhun.org.models import Department, RoleAssignment, User
    from jingzhun.org.roles import DepartmentKind, Role

    departments = {}
    for n, kind in enumerate(DepartmentKind.values):
        department = Department.objects.create(
            institution=institution, code=f"D{n}", name=kind, kind=kind
        )
        departments[kind] = department
        for m in range(STAFF_PER_DEPARTMENT):
            RoleAssignment.objects.create(user=User.objects.create(username=f"staff{n}_{m}"), role=Role.DEPARTMENT_STAFF,
                                          institution=institution, department=department)  # fmt: skip
    return departments


def make_cases(institution: Any, officer: Any, count: int) -> list[int]:
    """`count` confirmed cases, each with types, a level and the signals of one run."""
    from django.db import transaction

    from jingzhun.core.bulk import insert_rows
    from jingzhun.identification.models import Case, IdentificationRun, Signal
    from jingzhun.identification.services import difficulty_types_ensure
    from jingzhun.students.models import Student

    rng = random.Random(7)
    known = difficulty_types_ensure()
    students = list(
        Student.objects.filter(institution=institution)
        .order_by("pk")
        .values_list("pk", flat=True)[:count]
    )
    chosen = {s: rng.sample(TYPES, rng.choice((1, 1, 2, 3))) for s in students}
    with transaction.atomic():
        run = IdentificationRun.objects.create(institution=institution, as_of=dt.date(2026, 11, 1),
                                               started_by=officer.user)  # fmt: skip
        insert_rows(Case, ({"student_id": s, "status": Case.Status.CONFIRMED, "level": 1 + s % 3,
                            "responsible_id": officer.user_id} for s in students))  # fmt: skip
        case_of = dict(Case.objects.filter(student_id__in=students).values_list("student_id", "pk"))
        insert_rows(Case.types.through, ({"case_id": case_of[s], "difficultytype_id": known[t].pk}
                                         for s in students for t in chosen[s]))  # fmt: skip
        insert_rows(Signal, ({"run_id": run.pk, "student_id": s, "difficulty_type_id": known[t].pk,
                              "level": 1 + s % 3, "explanation": f"{known[t].name}：规则命中", "sensitivity": ""}
                             for s in students for t in chosen[s]))  # fmt: skip
    return sorted(case_of.values())


def run_baseline(officer: Any, case_ids: list[int]) -> float:
    from django.db import transaction

    from jingzhun.assistance.services import actions, plans
    from jingzhun.identification.models import Case

    started = time.perf_counter()
    for case in Case.objects.filter(pk__in=case_ids).select_related("student").order_by("pk"):
        with transaction.atomic():  # routing runs inside approval's transaction
            plan = plans.plan_draft(actor=officer, case=case)
            actions.actions_create_for_plan(
                plan=plan, version=plan.current_version, by=officer.user
            )
    return time.perf_counter() - started


def run_ours(officer: Any, case_ids: list[int]) -> dict[str, float]:
    from jingzhun.assistance.services.drafting import plans_draft_many
    from jingzhun.assistance.services.routing import actions_route_many

    server = backend_cpu()
    started, started_cpu = time.perf_counter(), time.process_time()
    drafted = plans_draft_many(actor=officer, case_ids=case_ids)
    middle = time.perf_counter()
    routed = actions_route_many(plan_ids=drafted.plan_ids, by=officer.user)
    ended = time.perf_counter()
    assert drafted.drafted == len(case_ids) and not drafted.refusals, drafted.refusals[:3]
    after = backend_cpu()
    return {"draft": middle - started, "route": ended - middle, "total": ended - started,
            "cpu": time.process_time() - started_cpu,
            "server_cpu": after - server if after is not None and server is not None else None,
            "plans": drafted.drafted, "actions": routed}  # fmt: skip


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs
    on this machine and its process can be read (None otherwise). Beside the client's own CPU
    time it says what a run costs whatever else the machine is doing: wall time stretches
    with the load, CPU time hardly does."""
    import os

    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # utime and stime, the 14th and 15th fields of the line (11th and 12th after the name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_approvals(officer: Any, case_ids: list[int]) -> dict[str, float]:
    """Draft and submit the plans of `case_ids` (set-up), then approve the first half one by
    one and the second half at once, as the school's officer."""
    from django.db import transaction

    from jingzhun.assistance.models import AssistancePlan, PlanEvent
    from jingzhun.assistance.services import plans
    from jingzhun.assistance.services.approving import plans_approve_many
    from jingzhun.assistance.services.drafting import plans_draft_many
    from jingzhun.core.bulk import insert_columns
    from jingzhun.org.models import RoleAssignment
    from jingzhun.org.roles import Role

    drafted = plans_draft_many(actor=officer, case_ids=case_ids).plan_ids
    with transaction.atomic():
        AssistancePlan.objects.filter(pk__in=drafted).update(status=AssistancePlan.Status.SUBMITTED)
        insert_columns(PlanEvent, {"plan_id": drafted}, constants={
            "actor_id": officer.user_id, "from_status": "draft", "to_status": "submitted", "version": 1, "note": ""})  # fmt: skip
    # The officer of the school with the most of these plans approves that school's own.
    schools = Counter(
        AssistancePlan.objects.filter(pk__in=drafted).values_list("student__school_id", flat=True)
    )
    school_id = schools.most_common(1)[0][0]
    approver = RoleAssignment.objects.create(user=_user("approver"), role=Role.SCHOOL_OFFICER,
                                             institution=officer.institution, school_id=school_id)  # fmt: skip
    AssistancePlan.objects.exclude(student__school_id=school_id).filter(pk__in=drafted).update(
        status=AssistancePlan.Status.DRAFT)  # fmt: skip
    mine = sorted(
        AssistancePlan.objects.filter(pk__in=drafted, status="submitted").values_list(
            "pk", flat=True
        )
    )
    half = len(mine) // 2
    started = time.perf_counter()
    for plan in AssistancePlan.objects.filter(pk__in=mine[:half]).order_by("pk"):
        plans.plan_approve(actor=approver, plan=plan)
    loop = time.perf_counter() - started
    started = time.perf_counter()
    result = plans_approve_many(actor=approver, plan_ids=mine[half:])
    ours = time.perf_counter() - started
    assert result.approved == len(mine) - half and not result.refusals, result.refusals[:3]
    return {
        "loop": loop,
        "ours": ours,
        "loop_n": half,
        "ours_n": result.approved,
        "routed": result.routed,
    }


def _user(username: str) -> Any:
    from jingzhun.org.models import User

    return User.objects.create(username=username)


def fill_open_actions(institution: Any, target: int, departments: dict[str, Any]) -> int:
    """Add open actions in bulk until `target` are open: extra lines on the drafted plans'
    versions, each with its action (an action owns its plan line), due dates around today."""
    from django.db import connection, transaction

    from jingzhun.assistance.models import Action, Measure, PlanItem, PlanVersion
    from jingzhun.assistance.transitions import ACTION_OPEN
    from jingzhun.core.bulk import insert_columns
    from jingzhun.org.models import RoleAssignment

    missing = target - Action.objects.filter(status__in=ACTION_OPEN).count()
    if missing <= 0:
        return 0
    rng = random.Random(11)
    measures = list(
        Measure.objects.filter(institution=institution).values_list("pk", "department_kind")
    )
    members = {d.pk: list(RoleAssignment.objects.filter(department=d).values_list("user_id", flat=True))
               for d in departments.values()}  # fmt: skip
    versions = list(PlanVersion.objects.values_list("pk", "plan_id", "plan__student_id"))
    today = dt.date.today()
    picks = [
        (versions[n % len(versions)], measures[rng.randrange(len(measures))])
        for n in range(missing)
    ]
    with transaction.atomic():
        before = PlanItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        insert_columns(PlanItem, {
            "version_id": [v[0] for v, _m in picks], "measure_id": [m[0] for _v, m in picks],
            "order": [100 + n // len(versions) for n in range(missing)],
            "department_kind": [m[1] for _v, m in picks], "deadline_days": [30] * missing,
        })  # fmt: skip
        items = list(
            PlanItem.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
        )
        assert len(items) == missing
        department_ids = [departments[m[1]].pk for _v, m in picks]
        insert_columns(Action, {
            "plan_id": [v[1] for v, _m in picks], "item_id": items, "student_id": [v[2] for v, _m in picks],
            "measure_id": [m[0] for _v, m in picks], "department_id": department_ids,
            "assignee_id": [rng.choice(members[d]) for d in department_ids],
            "status": [rng.choice(("todo", "todo", "doing")) for _ in range(missing)],
            "due_date": [today + dt.timedelta(days=rng.randint(-60, 120)) for _ in range(missing)],
        })  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # what autovacuum does after a bulk load
            cursor.execute("VACUUM ANALYZE assistance_action")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return missing


def time_queue(departments: dict[str, Any], requests: int) -> dict[str, Any]:
    """The busiest department's queue page, as its first staff member sees it."""
    from django.db.models import Count
    from django.test import Client

    from jingzhun.assistance.models import Action
    from jingzhun.assistance.transitions import ACTION_OPEN
    from jingzhun.org.models import RoleAssignment
    from jingzhun.org.roles import Role

    busiest = (
        Action.objects.filter(status__in=ACTION_OPEN).values("department_id")
        .annotate(n=Count("pk")).order_by("-n").first()
    )  # fmt: skip
    staff = (
        RoleAssignment.objects.filter(department_id=busiest["department_id"], role=Role.DEPARTMENT_STAFF)
        .order_by("pk").first()
    )  # fmt: skip
    client = Client()
    client.force_login(staff.user)
    timings, cpu = [], []
    for _ in range(requests + 2):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get("/assistance/queue/")
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        assert response.status_code == 200, response.status_code
    timings = sorted(timings[2:])  # the first two warm the caches and the template loader
    return {"department_open": busiest["n"], "median": statistics.median(timings),
            "p95": timings[max(0, round(0.95 * len(timings)) - 1)], "total": response.context["page"].paginator.count,
            "cpu": statistics.median(cpu[2:])}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--approve", type=int, default=2000)
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    start_django(database_url=args.database_url)
    from django.db import connection
    from django.test.utils import setup_test_environment

    from jingzhun.assistance.services.catalogue import catalogue_ensure
    from jingzhun.org.roles import DepartmentKind

    setup_test_environment()  # the test client records the response's context
    started = time.perf_counter()
    officer, _counsellor, _classes = make_registry(args.cases + args.baseline + 2 * args.approve)
    departments = make_departments(officer.institution)
    officer.department = departments[DepartmentKind.EMPLOYMENT]
    officer.save(update_fields=["department"])
    catalogue_ensure(institution_id=officer.institution_id)
    all_cases = make_cases(
        officer.institution, officer, args.cases + args.baseline + 2 * args.approve
    )
    case_ids, to_approve = (
        all_cases[: args.cases + args.baseline],
        all_cases[args.cases + args.baseline :],
    )
    print(
        f"{connection.vendor}: {len(case_ids):,} confirmed cases set up in {time.perf_counter() - started:.1f} s"
    )

    loop = run_baseline(officer, case_ids[: args.baseline])
    ours = run_ours(officer, case_ids[args.baseline :])
    projected = loop / args.baseline * ours["plans"]
    server_cpu = (
        "" if ours["server_cpu"] is None else f", of the database server {ours['server_cpu']:.1f} s"
    )
    print(f"per-case loop: {args.baseline} cases in {loop:.2f} s ({args.baseline / loop:.0f} cases/s); "
          f"projected for {ours['plans']:,}: {projected:.0f} s")  # fmt: skip
    print(f"set-based: {ours['plans']:,} plans and {ours['actions']:,} routed actions in {ours['total']:.1f} s "
          f"(draft {ours['draft']:.1f} s, route {ours['route']:.1f} s; CPU of this process {ours['cpu']:.1f} s"
          f"{server_cpu}) — "
          f"{projected / ours['total']:.0f}x the loop; "
          f"goal < 60 s: {'met' if ours['total'] < 60 else 'NOT met'}")  # fmt: skip

    if to_approve:
        approvals = run_approvals(officer, to_approve)
        print(f"approval: one by one {approvals['loop_n']:,} plans in {approvals['loop']:.1f} s "
              f"({approvals['loop_n'] / approvals['loop']:.0f} plans/s); at once {approvals['ours_n']:,} plans "
              f"and {approvals['routed']:,} routed actions in {approvals['ours']:.2f} s "
              f"({approvals['ours_n'] / approvals['ours']:.0f} plans/s) — "
              f"{approvals['loop'] / approvals['loop_n'] * approvals['ours_n'] / approvals['ours']:.0f}x")  # fmt: skip

    added = fill_open_actions(officer.institution, args.actions, departments)
    queue = time_queue(departments, args.requests)
    print(f"queue: {added:,} open actions added; busiest department holds {queue['department_open']:,} open "
          f"(page total {queue['total']:,}); first page median {queue['median'] * 1000:.1f} ms, "
          f"p95 {queue['p95'] * 1000:.1f} ms over {args.requests} requests (median CPU of this process "
          f"{queue['cpu'] * 1000:.1f} ms); "
          f"goal < 100 ms: {'met' if queue['p95'] < 0.1 else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    main()
