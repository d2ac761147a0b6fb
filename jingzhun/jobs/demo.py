"""Jobs in the demo college: employers (a few blacklisted), postings and stored recommendations.

Everything goes through the services a college's employment office uses: the real scraped
files (BOSS直聘, 前程无忧, 智联) through the postings import when the public data folder is
there, then a generated file of local postings through the same import (so its salary text,
places and requirements are parsed like any export), then vetting, then the recommendations
of every active case (the queued runs executed inline, as the other seeds execute theirs).

Local postings come from two kinds of employer: those that hired the college's graduates
(they recruit again, as they do at a college's job fairs) and other firms of the region.
A posting is generated from its employer's line of business and city only, never from a
graduate's profile, so `evaluate_matching` can measure whether the matcher finds the
employer a graduate really joined from what the student's file said before graduation.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from jingzhun.jobs import services
from jingzhun.jobs.credit_code import normalise_employer_name
from jingzhun.jobs.models import Employer, JobPosting, RecommendationRun
from jingzhun.jobs.runs import recommendation_run_execute
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.demo import employers as demo_employers
from jingzhun.students.demo.catalogue import MAJORS
from jingzhun.students.demo.regions import WORK_CITY_CUM_WEIGHTS, WORK_CITY_NAMES
from jingzhun.students.intake import services as intake
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.models import DestinationCode, GraduateDestination

# The real files, as scraped (the UTF-8 copy of the 51job file holds the same postings).
REAL_FILES = ("boss_zhipin_python_multicity.csv", "51job_cugwhzenith_2019.gbk.csv",
              "zhilian_zl.jsonl")  # fmt: skip
LOCAL_FILE = "本地招聘岗位.csv"
RETURNING_EMPLOYERS = 450  # employers that hired graduates and post again
OTHER_EMPLOYERS = 250
EXPIRED_SHARE = 0.08
BLACKLIST = (
    ("拖欠实习学生工资，经劳动监察部门查实", 0),
    ("以培训贷名义向学生收取费用", 1),
    ("招聘信息与实际岗位严重不符，多名学生投诉", 2),
)
DESTINATION_CODES = ("10", "11", "12")  # agreements, contracts, other hiring: an employer

FAMILY_MAJORS: dict[str, list[str]] = {}
for _spec in MAJORS:
    FAMILY_MAJORS.setdefault(_spec.family, []).append(_spec.name)
FAMILY_OF_MAJOR = {spec.moe_code: spec.family for spec in MAJORS}

DUTIES = {
    "it": "负责软件系统的开发、测试与部署，编写技术文档，配合项目实施与运维。熟悉 Java、Python 或前端技术，了解 MySQL 数据库和 Linux。",
    "design": "负责品牌视觉、海报与新媒体素材的设计制作，参与短视频拍摄剪辑。熟练使用 Photoshop、Illustrator、Premiere。",
    "manufacturing": "负责生产设备的安装调试与日常维护，处理电气及机械故障，执行设备点检和保养计划。能看懂电气图纸，熟悉 PLC。",
    "automotive": "负责车辆的检测、保养与维修，新能源车高压系统检修，接待客户并解释维修方案。持有低压电工证者优先。",
    "transport": "负责车站客运组织、票务服务和乘客引导，处理突发情况，执行安全规章。服从倒班安排。",
    "commerce": "负责店铺日常运营、商品上下架与活动策划，跟进订单和物流，维护客户关系，分析销售数据。",
    "finance": "负责凭证录入、账务核对、发票管理与纳税申报，协助编制财务报表。熟练使用财务软件和 Excel，持初级会计证优先。",
    "construction": "负责施工现场技术管理、工程量计算与资料整理，配合质量安全检查。熟悉 CAD 和广联达软件。",
    "nursing": "负责病区患者的基础护理与专科护理，执行医嘱，做好护理记录和健康宣教。持护士执业资格证。",
    "medical": "负责药品调配、检验标本处理或康复训练指导，做好记录与患者沟通。持相关从业资格证书。",
    "care": "负责老人的生活照料、健康监测与康复陪护，组织文娱活动，做好照护记录。",
    "education": "负责幼儿一日生活与教学活动的组织，做好家园沟通与安全管理。持教师资格证优先。",
    "tourism": "负责酒店前台接待、客房服务或旅游线路讲解与咨询，维护客户满意度。普通话标准，形象良好。",
    "language": "负责外贸询盘回复、客户开发与订单跟进，处理跨境平台运营。英语读写流利，四级以上。",
}  # fmt: skip
SKILLS = {
    "it": "Java、Python、MySQL、Linux", "design": "Photoshop、剪辑、新媒体", "manufacturing": "PLC、电气、设备维护",
    "automotive": "新能源、汽修、检测", "transport": "客运、票务、安全", "commerce": "电商运营、直播、数据分析",
    "finance": "会计、税务、Excel", "construction": "CAD、广联达、施工管理", "nursing": "护理、护士资格证",
    "medical": "药学、检验、康复", "care": "养老护理、健康管理", "education": "幼儿教育、教师资格证",
    "tourism": "酒店、导游、接待", "language": "英语、外贸、跨境电商",
}  # fmt: skip
EDUCATIONS = (("大专", 45), ("大专及以上", 25), ("学历不限", 12), ("中专", 8), ("本科", 10))
EXPERIENCES = (("经验不限", 45), ("应届生", 30), ("1年以内", 10), ("1-3年", 15))
HEADER = ["职位名称", "公司名称", "工作城市", "薪资", "学历", "工作经验", "招聘人数", "职位描述",
          "技能要求", "专业要求", "职业类别", "截止日期", "发布日期", "残疾人友好", "见习岗位"]  # fmt: skip


@dataclass(frozen=True)
class DemoJobs:
    real_files: int  # imported from the public data folder (0 when it is absent)
    postings: int
    employers: int
    blacklisted: int
    runs: int
    recommended_students: int


def seed_jobs_demo(
    *, institution_code: str, realdata_dir: Path | None, seed: int = 2026,
    today: dt.date | None = None, returning: int = RETURNING_EMPLOYERS,
    others: int = OTHER_EMPLOYERS,
) -> DemoJobs | None:  # fmt: skip
    """Idempotent: does nothing when the institution already has an employer."""
    institution = Institution.objects.filter(code=institution_code).first()
    if institution is None or Employer.objects.filter(institution=institution).exists():
        return None
    office = RoleAssignment.objects.filter(
        institution=institution, role=Role.EMPLOYMENT_OFFICE, is_active=True
    ).select_related("user").first()  # fmt: skip
    if office is None:
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    real = 0
    folder = realdata_dir / "jobs_cn" if realdata_dir is not None else None
    for name in REAL_FILES:
        if folder is not None and (folder / name).is_file():
            _import(office, name, (folder / name).read_bytes(), source=name)
            real += 1
    rows = _local_rows(rng, institution, today, returning=returning, others=others)
    _import(office, LOCAL_FILE, _csv(rows), source="demo")
    blacklisted = _vet(office, institution)
    # Each import queued a run; the newest computes everything and the older ones find
    # themselves superseded (here rather than later in the worker).
    runs = list(RecommendationRun.objects.filter(
        institution=institution, status=RecommendationRun.Status.QUEUED
    ).order_by("-pk"))  # fmt: skip
    done = [recommendation_run_execute(run_id=run.pk) for run in runs]
    last = done[0] if done else None
    return DemoJobs(
        real_files=real, postings=JobPosting.objects.filter(institution=institution).count(),
        employers=Employer.objects.filter(institution=institution).count(),
        blacklisted=blacklisted, runs=len(runs), recommended_students=last.students if last else 0,
    )  # fmt: skip


def _import(office: RoleAssignment, filename: str, data: bytes, *, source: str) -> ImportBatch:
    batch = intake.import_batch_create(
        actor=office, kind="postings", filename=filename, data=data, source=source
    )
    intake.import_batch_read(batch_id=batch.pk)
    batch = intake.import_batch_check(batch_id=batch.pk)
    if batch.status != ImportBatch.Status.VALIDATED:
        raise RuntimeError(f"demo postings {filename}: {batch.status} {batch.failure}")
    intake.import_batch_request_apply(actor=office, batch=batch, mode=ImportBatch.Mode.VALID_ROWS)
    return intake.import_batch_apply(batch_id=batch.pk)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _returning_employers(institution: Institution) -> list[tuple[str, str, str]]:
    """(employer, city, line of business) of the graduates' employers, one each, by name."""
    codes = DestinationCode.objects.filter(code__in=DESTINATION_CODES).values("code")
    found: dict[str, tuple[str, str, str]] = {}
    rows = (
        GraduateDestination.objects.filter(student__institution=institution, code__in=codes)
        .exclude(Q(employer_name="") | Q(city=""))
        .values_list("employer_name", "city", "student__major__moe_code")
        .order_by("pk")
    )
    for name, city, major in rows:
        family = FAMILY_OF_MAJOR.get(major)
        if family is not None:
            found.setdefault(normalise_employer_name(name), (name, city, family))
    return list(found.values())


def _local_rows(
    rng: random.Random, institution: Institution, today: dt.date, *, returning: int, others: int
) -> list[list[str]]:
    employers = _returning_employers(institution)
    chosen = rng.sample(employers, min(returning, len(employers)))
    families = sorted(FAMILY_MAJORS)
    for _ in range(others):
        family = rng.choice(families)
        city = rng.choices(WORK_CITY_NAMES, cum_weights=WORK_CITY_CUM_WEIGHTS)[0]
        chosen.append((demo_employers.employer_name(rng, family, city), city, family))
    rows: list[list[str]] = []
    for name, city, family in chosen:
        titles = rng.sample(demo_employers.OCCUPATIONS[family],
                            min(rng.choice((1, 1, 2, 2, 3)), len(demo_employers.OCCUPATIONS[family])))  # fmt: skip
        rows.extend(_posting(rng, name, city, family, title, today) for title in titles)
    return rows


def _posting(
    rng: random.Random, employer: str, city: str, family: str, title: str, today: dt.date
) -> list[str]:
    monthly = demo_employers.monthly_salary(rng, family, city, rng.gauss(0, 1))
    internship = rng.random() < 0.08
    expired = rng.random() < EXPIRED_SHARE
    deadline = (
        today - dt.timedelta(days=rng.randint(1, 40))
        if expired
        else today + dt.timedelta(days=rng.randint(7, 120))
    )
    majors = rng.sample(FAMILY_MAJORS[family], min(len(FAMILY_MAJORS[family]), rng.randint(1, 3)))
    return [
        f"{title}（见习）" if internship else title,
        employer,
        city,
        "100-150元/天" if internship else _salary_text(rng, monthly),
        rng.choices([e for e, _ in EDUCATIONS], weights=[w for _, w in EDUCATIONS])[0],
        rng.choices([e for e, _ in EXPERIENCES], weights=[w for _, w in EXPERIENCES])[0],
        f"{rng.randint(1, 10)}人",
        DUTIES[family],
        SKILLS[family],
        "、".join(majors) if rng.random() < 0.8 else "",
        title,
        deadline.isoformat(),
        (min(today, deadline) - dt.timedelta(days=rng.randint(3, 60))).isoformat(),
        "是" if rng.random() < 0.05 else "否",
        "是" if internship else "否",
    ]  # fmt: skip


def _salary_text(rng: random.Random, monthly: int) -> str:
    """The ways Chinese job boards write a monthly range (all understood by `salary.py`)."""
    low = max(demo_employers.MINIMUM_WAGE, round(monthly * 0.85 / 500) * 500)
    high = low + 500 * rng.randint(2, 6)
    shape = rng.random()
    if shape < 0.35:
        return f"{low / 1000:g}-{high / 1000:g}K"
    if shape < 0.6:
        return f"{low}-{high}元/月"
    if shape < 0.75:
        return f"{low / 1000:g}千-{high / 1000:g}千/月"
    if shape < 0.9:
        return f"{low / 1000:g}-{high / 1000:g}K·13薪"
    return "面议"


def _vet(office: RoleAssignment, institution: Institution) -> int:
    """Blacklist a few local employers, with the reason; verify every fifth of the others."""
    local = Employer.objects.filter(institution=institution, postings__source="demo").distinct()
    candidates = list(local.order_by("pk")[: len(BLACKLIST) * 40])
    blacklisted = {
        candidates[n * 37].pk: reason for reason, n in BLACKLIST if n * 37 < len(candidates)
    }
    for employer in candidates:
        if employer.pk in blacklisted:
            services.employer_vet(actor=office, employer=employer, vetting=Employer.Vetting.BLACKLISTED,
                                  reason=blacklisted[employer.pk])  # fmt: skip
        elif employer.pk % 5 == 1:
            services.employer_vet(
                actor=office, employer=employer, vetting=Employer.Vetting.VERIFIED
            )
    return len(blacklisted)
