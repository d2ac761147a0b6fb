"""Policies and procedures for the demo college, written through the services the employment
office uses; some are backdated and some are new since the demo students' last visit; the
students with a login rate some of their completed actions.

Texts are the demo's own summaries of national programmes; amounts and dates that differ by
province say so and point to the current provincial notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jingzhun.assistance.models import Action
from jingzhun.org.models import Department, Institution, RoleAssignment
from jingzhun.org.roles import DepartmentKind, Role
from jingzhun.tracking.publications import services
from jingzhun.tracking.publications.models import PolicyArticle, PolicyVisit
from jingzhun.tracking.publications.services import ArticleInput, StepInput
from jingzhun.tracking.satisfaction.models import ActionRating
from jingzhun.tracking.satisfaction.services import action_rate

P, S, N = PolicyArticle.Kind.POLICY, PolicyArticle.Kind.PROCEDURE, PolicyArticle.Kind.NOTICE
# Days since publication; articles published after LAST_VISIT_DAYS ago are new for students.
LAST_VISIT_DAYS = 6


@dataclass(frozen=True)
class DemoArticle:
    kind: str
    title: str
    summary: str
    body: str
    office: str  # department kind
    documents: str = ""
    tags: str = ""
    age_days: int = 30
    deadline_in_days: int | None = None
    contact: str = ""
    steps: tuple[StepInput, ...] = ()


ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        S,
        "求职创业补贴申请流程",
        "毕业年度内家庭困难的毕业生，可在校申请一次性求职创业补贴，减轻求职路上的花销。",
        "## 谁可以申请\n\n毕业学年内有求职意愿并积极求职的下列毕业生：\n\n"
        "- 脱贫家庭、低保家庭、零就业家庭的毕业生\n- 特困供养人员、残疾毕业生\n"
        "- 在校期间获得国家助学贷款的毕业生\n\n"
        "## 补贴标准\n\n标准由各省确定，按当年省人社厅、财政厅通知执行，一般在毕业前一学年的秋季集中申报。\n\n"
        "> 补贴直接发到本人银行卡，**不收取任何费用**。如有人以“代办”为名收费，请立即向招生就业处反映。",
        DepartmentKind.EMPLOYMENT,
        "求职创业补贴申请表\n身份证复印件\n困难身份证明（低保证、残疾证等）\n本人银行卡复印件",
        "补贴 资助 求职",
        age_days=3,
        deadline_in_days=20,
        contact="招生就业处 行政楼 204 室",
        steps=(
            StepInput(
                "在系统中提交申请",
                "登录学校就业系统，填写申请表，上传困难身份证明。",
                "本人",
                "申请表\n困难身份证明",
                "截止日前",
            ),
            StepInput(
                "学院初审与公示",
                "学院就业专干核对材料，在学院内公示五个工作日（只公示姓名与学院）。",
                "二级学院就业专干",
            ),
            StepInput("学校复核", "招生就业处汇总复核后报送人社部门。", "招生就业处"),
            StepInput(
                "审核发放",
                "人社部门审核通过后，补贴打入本人银行卡；可在系统里查看进度。",
                "当地人社部门",
            ),
        ),
    ),
    DemoArticle(
        S,
        "就业协议签订与网签流程",
        "找到工作后，用网签完成三方协议：单位发起、学生确认、学校审核，全程在线。",
        "三方协议是学生、用人单位和学校三方的约定，是办理毕业去向登记和档案转递的依据。\n\n"
        "## 注意\n\n- 签约前看清岗位、薪酬、违约责任等条款\n- 一名毕业生同一时间只能有一份有效协议\n"
        "- 解约需单位出具解约函，并在系统中办理",
        DepartmentKind.EMPLOYMENT,
        "用人单位录用意向\n本人身份证",
        "协议 网签 签约",
        age_days=40,
        steps=(
            StepInput("与单位达成录用意向", "确认岗位、工作地点、薪酬和试用期。", "用人单位"),
            StepInput(
                "单位在平台发起网签", "单位在就业服务平台填写协议内容并发送给学生。", "用人单位 HR"
            ),
            StepInput(
                "学生核对并确认",
                "逐项核对协议内容，无误后确认签约。",
                "本人",
                deadline="收到后 7 日内",
            ),
            StepInput(
                "学校审核", "招生就业处审核协议，通过后协议生效，去向登记自动更新。", "招生就业处"
            ),
        ),
    ),
    DemoArticle(
        N,
        "报到证取消后的档案转递说明",
        "自 2023 届起不再发放就业报到证；档案按去向转递，请在离校前确认接收单位和地址。",
        "毕业生不再需要办理报到证，也不必到档案接收单位“报到”。人事档案由学校通过机要通道转递。\n\n"
        "## 档案去哪里\n\n- 已签约且单位有人事档案管理权限：转至单位\n"
        "- 单位无档案管理权限：转至单位所在地或户籍地的公共就业人才服务机构\n"
        "- 升学：转至录取院校\n- 暂未就业：可申请在学校保留两年",
        DepartmentKind.EMPLOYMENT,
        "档案接收单位名称、地址与联系人",
        "档案 报到证 离校",
        age_days=55,
    ),
    DemoArticle(
        S,
        "宏志助航计划培训报名",
        "面向家庭经济困难毕业生的免费就业能力培训：求职技能、职业素养、模拟面试。",
        "宏志助航计划是教育部组织的全国高校家庭经济困难毕业生就业能力提升培训，线上线下结合，"
        "**全程免费**，完成培训可获结业证书。\n\n培训内容包括求职准备、简历与面试、职场适应等。",
        DepartmentKind.EMPLOYMENT,
        "报名表",
        "宏志助航 培训 能力提升",
        age_days=2,
        deadline_in_days=12,
        steps=(
            StepInput(
                "线上报名",
                "在就业系统的“宏志助航”栏目报名，选择线上或线下班。",
                "本人",
                deadline="截止日前",
            ),
            StepInput("学院确认名单", "学院核对困难身份后确认。", "辅导员"),
            StepInput("参加培训", "按课表参加培训，完成线上课程与线下实训。", "培训基地"),
            StepInput("领取结业证书", "考核合格后领取证书，可写入简历。", "招生就业处"),
        ),
    ),
    DemoArticle(
        P,
        "三支一扶计划介绍",
        "到乡镇从事支农、支教、支医和乡村振兴帮扶工作，服务期一般为两年。",
        "“三支一扶”由各省人社部门组织招募，服务期间享受工作生活补贴和社会保险。\n\n"
        "## 服务期满后\n\n可按规定享受考录公务员、事业单位招聘、升学等方面的优惠政策，具体以当年省级公告为准。",
        DepartmentKind.EMPLOYMENT,
        "",
        "基层项目 三支一扶",
        age_days=25,
    ),
    DemoArticle(
        P,
        "大学生志愿服务西部计划",
        "到西部基层从事教育、卫生、农业科技等志愿服务，服务期一到三年。",
        "西部计划由共青团中央等部门组织，每年春季开始报名，经笔试面试、体检后确定人选。\n\n"
        "志愿者享受生活补贴和保险；服务期满考核合格的，可享受升学、就业等方面的优惠政策。",
        DepartmentKind.EMPLOYMENT,
        "",
        "基层项目 西部计划 团委",
        age_days=20,
    ),
    DemoArticle(
        P,
        "特岗教师计划介绍",
        "到中西部农村义务教育学校任教三年，期满可留任入编或重新择业。",
        "特岗教师计划即农村义务教育阶段学校教师特设岗位计划，需具备相应教师资格证。"
        "招聘通常在每年上半年由各省教育厅统一组织。",
        DepartmentKind.EMPLOYMENT,
        "教师资格证\n学历证明",
        "基层项目 特岗教师 教师",
        age_days=18,
    ),
    DemoArticle(
        P,
        "离校未就业毕业生实名服务",
        "离校时还没找到工作也不要紧：学校和户籍地人社部门会持续为你提供服务。",
        "离校未就业毕业生的信息会按规定转交户籍地公共就业服务机构，"
        "提供“1131”服务：至少 1 次政策宣介、1 次职业指导、3 次岗位推荐、1 次职业培训或就业见习机会。\n\n"
        "学校也会继续回访，直到你找到去向。",
        DepartmentKind.EMPLOYMENT,
        "",
        "离校未就业 回访 人社",
        age_days=1,
    ),
    DemoArticle(
        S,
        "毕业去向登记须知",
        "每位毕业生都要如实登记毕业去向，并上传证明材料，学校逐条核查。",
        "去向登记关系到档案转递和后续服务，**必须真实**，严禁虚假签约。\n\n"
        "| 去向 | 需要的证明 |\n|---|---|\n| 签就业协议 | 网签协议 |\n| 签劳动合同 | 劳动合同 |\n"
        "| 自由职业 | 本人签字的自由职业证明及收入材料 |\n| 升学 | 录取通知书 |",
        DepartmentKind.EMPLOYMENT,
        "去向证明材料（见表）",
        "去向登记 毕业 核查",
        age_days=12,
        steps=(
            StepInput("选择去向类别", "在门户的“毕业去向”页选择去向类别。", "本人"),
            StepInput("上传证明", "按表格上传对应材料的照片或 PDF。", "本人", "去向证明材料"),
            StepInput(
                "辅导员核查",
                "辅导员核对材料，必要时电话核实。",
                "辅导员",
                deadline="提交后 5 个工作日",
            ),
        ),
    ),
    DemoArticle(
        N,
        "应届毕业生就业见习岗位报名",
        "见习期间有生活补助，可积累工作经历；见习单位优先留用表现好的见习生。",
        "本批见习岗位涵盖行政、财务、软件测试等方向，见习期 3 到 12 个月。"
        "报名后由招生就业处统一推荐。",
        DepartmentKind.EMPLOYMENT,
        "简历",
        "见习 岗位",
        age_days=4,
        deadline_in_days=30,
    ),
)


def _department(institution: Institution, kind: str) -> Department | None:
    return Department.objects.filter(institution=institution, kind=kind).order_by("pk").first()


def seed_publications_demo(*, institution_code: str) -> tuple[int, int] | None:
    """Articles and ratings; None when the college is missing or already has articles."""
    institution = Institution.objects.filter(code=institution_code).first()
    if institution is None or PolicyArticle.objects.filter(institution=institution).exists():
        return None
    office = RoleAssignment.objects.filter(
        institution=institution, role=Role.EMPLOYMENT_OFFICE, is_active=True
    ).first()
    if office is None:
        return None
    now = timezone.now()
    with transaction.atomic():
        for demo in ARTICLES:
            _article(office, institution, demo, now)
        _visits(institution, now)
        rated = _ratings(institution)
    return len(ARTICLES), rated


def _article(
    office: RoleAssignment, institution: Institution, demo: DemoArticle, now: dt.datetime
) -> None:
    deadline = (
        timezone.localdate() + dt.timedelta(days=demo.deadline_in_days)
        if demo.deadline_in_days is not None else None
    )  # fmt: skip
    article = services.article_save(
        actor=office, article=None,
        data=ArticleInput(
            kind=demo.kind, title=demo.title, summary=demo.summary, body=demo.body,
            department=_department(institution, demo.office), contact=demo.contact,
            documents=demo.documents, deadline=deadline, tags=demo.tags, steps=list(demo.steps),
        ),
    )  # fmt: skip
    services.article_publish(actor=office, article=article)
    PolicyArticle.objects.filter(pk=article.pk).update(
        published_at=now - dt.timedelta(days=demo.age_days)
    )


def _visits(institution: Institution, now: dt.datetime) -> None:
    """Every student with a login last opened the list LAST_VISIT_DAYS ago."""
    from jingzhun.students.models import Student

    last = now - dt.timedelta(days=LAST_VISIT_DAYS)
    students = Student.objects.filter(institution=institution, user__isnull=False)
    PolicyVisit.objects.bulk_create(
        [PolicyVisit(student=s, last_at=last, previous_at=None) for s in students],
        ignore_conflicts=True,
    )


SCORES = (
    (5, "老师很耐心，补贴很快就到账了"),
    (4, ""),
    (3, "希望能早点通知"),
    (5, ""),
    (2, "等了很久才有人联系我"),
)


def _ratings(institution: Institution) -> int:
    """Four in five completed actions rated (the fifth left for the portal's form). A student
    with a login rates through the service; the demo's other students cannot log in, so
    their ratings are written as data."""
    done = (
        Action.objects.filter(student__institution=institution, status=Action.Status.DONE)
        .select_related("student").order_by("pk")
    )  # fmt: skip
    rated = 0
    for n, action in enumerate(done):
        if n % 5 == 4 or ActionRating.objects.filter(action=action).exists():
            continue
        score, comment = SCORES[n % len(SCORES)]
        actor = RoleAssignment.objects.filter(
            user_id=action.student.user_id or 0, role=Role.STUDENT
        ).first()
        if actor is not None:
            action_rate(actor=actor, action_id=action.pk, score=score, comment=comment)
        else:
            ActionRating.objects.create(
                action=action, student=action.student, score=score, comment=comment
            )
        rated += 1
    return rated
