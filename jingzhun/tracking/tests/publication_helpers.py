"""Test helpers of publications and satisfaction: articles, a login for student B, a plan
with a completed action."""

from __future__ import annotations

import datetime as dt
from typing import Any

from jingzhun.assistance.models import Action
from jingzhun.assistance.services import actions, plans
from jingzhun.assistance.tests.helpers import confirmed_case, school_officer_b
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.org.tests.factories import RoleAssignmentFactory, UserFactory
from jingzhun.tracking.publications import services
from jingzhun.tracking.publications.models import PolicyArticle
from jingzhun.tracking.publications.services import ArticleInput, StepInput


def article(
    college: Any, title: str = "求职创业补贴申请流程", *, publish: bool = True, **fields: Any
) -> PolicyArticle:
    data: dict[str, Any] = {"kind": PolicyArticle.Kind.PROCEDURE, "title": title,
                            "summary": "毕业年度困难毕业生可申请一次性求职创业补贴",
                            "body": "符合条件的毕业生**按时**提交材料。",
                            "department": college.departments["employment"],
                            "documents": "申请表\n身份证复印件", "deadline": dt.date(2026, 11, 30),
                            "steps": [StepInput("网上申请", "登录系统填写申请表", "学院就业专干"),
                                      StepInput("材料审核", where="招生就业处", deadline="11月30日前")]}  # fmt: skip
    data |= fields
    officer = college.personas["employment_officer"]
    saved = services.article_save(actor=officer, article=None, data=ArticleInput(**data))
    if publish:
        services.article_publish(actor=officer, article=saved)
    saved.refresh_from_db()
    return saved


def student_b_login(college: Any) -> RoleAssignment:
    """Student B can log in too (username = student number)."""
    user = UserFactory.create(username=college.student_b.student_number, display_name="李小红")
    college.student_b.user = user
    college.student_b.save(update_fields=["user"])
    return RoleAssignmentFactory.create(
        user=user, role=Role.STUDENT, institution=college.institution
    )


def completed_action(college: Any, *, student_b: bool = False) -> Action:
    """An approved plan of student A (or B) whose aid action the aid centre completed."""
    if student_b:
        case = confirmed_case(college, student=college.student_b, responsible="employment_officer")
        owner, approver = college.personas["employment_officer"], school_officer_b(college)
    else:
        case = confirmed_case(college)
        owner, approver = college.personas["counsellor_a"], college.personas["school_officer_a"]
    plan = plans.plan_draft(actor=owner, case=case)
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=approver, plan=plan)
    action = plan.actions.get(measure__code="aid")
    aid = college.personas["aid_staff"]
    actions.action_start(actor=aid, action=action)
    return actions.action_close(actor=aid, action=action, status=Action.Status.DONE,
                                outcome=Action.Outcome.HELPED, note="已发放")  # fmt: skip
