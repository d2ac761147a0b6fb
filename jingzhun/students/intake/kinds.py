"""What each import kind accepts: fields, header synonyms, parsers and the upsert key.

Synonyms are the headers real exports use (学工系统、资助系统、教务系统、心理测评平台);
matching ignores spaces, full-width characters, asterisks and anything in parentheses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.org.roles import Sensitivity
from jingzhun.students import models as m
from jingzhun.students.intake import parsers as p
from jingzhun.students.reference import ETHNICITIES


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    parser: p.Parser
    synonyms: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class KindSpec:
    slug: str
    label: Any
    model: type[models.Model]
    fields: tuple[FieldSpec, ...]
    key: tuple[str, ...]  # model fields identifying a row besides the student/institution
    sensitivity: Sensitivity | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # False for the kinds that set the college up (org structure, staff): their rows are
    # checked and applied by their own modules (`intake/setup.py`), not per student.
    per_student: bool = True

    @property
    def by_name(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.fields}

    @property
    def file_sensitivities(self) -> frozenset[Sensitivity]:
        """What a file of this kind reveals: its own group, and identifiers if it holds them
        (a roster carries full ID numbers and phones, which screens show masked)."""
        groups = {self.sensitivity} if self.sensitivity else set()
        if any(f.name in IDENTIFIER_FIELDS for f in self.fields):
            groups.add(Sensitivity.IDENTIFIERS)
        return frozenset(groups)


IDENTIFIER_FIELDS = frozenset({"id_number", "phone", "email", "hukou_region_code"})


def _labels(choices: type[models.Choices], *extra: tuple[str, str]) -> dict[str, str]:
    """Map stored values and their labels (and the Chinese in parentheses) to stored values."""
    options: dict[str, str] = {}
    for value, label in choices.choices:
        options[str(value)] = str(value)
        label = str(label)
        options[label] = str(value)
        if "（" in label or "(" in label:
            inner = label.replace("（", "(").split("(")[1].rstrip(")）")
            options[inner] = str(value)
    options.update(dict(extra))
    return options


STUDENT_NUMBER = FieldSpec("student_number", "学号", p.student_number, ("学号", "学生学号", "学籍号", "studentno", "studentnumber", "xh"), required=True)  # fmt: skip

GENDERS = {"男": "M", "女": "F", "m": "M", "f": "F", "1": "M", "2": "F", "male": "M", "female": "F"}
ETHNICITY_OPTIONS = {**{c: c for c, _n in ETHNICITIES}, **{n: c for c, n in ETHNICITIES},
                     **{n.removesuffix("族"): c for c, n in ETHNICITIES if n.endswith("族")}}  # fmt: skip
HUKOU = {"城镇": "urban", "农村": "rural", "非农业": "urban", "农业": "rural", "城市": "urban", "urban": "urban", "rural": "rural"}  # fmt: skip
LEVELS = {"专科": "zhuanke", "高职": "zhuanke", "高职专科": "zhuanke", "本科": "benke", "职业本科": "benke"}  # fmt: skip

STUDENTS = KindSpec(
    slug="students",
    label=_("Students"),
    model=m.Student,
    key=("student_number",),
    fields=(
        STUDENT_NUMBER,
        FieldSpec("name", "姓名", p.text(60), ("姓名", "学生姓名", "name", "xm"), required=True),
        FieldSpec("class_name", "班级", p.text(60), ("班级", "班级名称", "行政班", "所在班级", "class"), required=True),
        # Checked against the class, never stored (ROSTER_CHECKS): the class says where a
        # student belongs; these columns catch a row that says otherwise, pick a class whose
        # name several schools use, and let the org import propose missing units.
        FieldSpec("class_code", "班级代码", p.text(30), ("班级代码", "班级编码", "班级编号", "班号", "班级号")),
        FieldSpec("school_name", "学院", p.text(100), ("学院", "学院名称", "院系", "所在学院", "所在院系", "系部", "二级学院", "院部", "系别")),
        FieldSpec("major_code", "专业代码", p.major_code, ("专业代码", "专业编码", "专业编号", "专业号")),
        FieldSpec("major_name", "专业", p.text(100), ("专业", "专业名称", "所学专业", "所在专业", "专业全称")),
        FieldSpec("graduation_year", "毕业年份", p.graduation_year, ("毕业年份", "届别", "毕业年度", "毕业届", "毕业届别", "届次")),
        FieldSpec("gender", "性别", p.choice(GENDERS, "性别"), ("性别", "xb", "gender"), required=True),
        FieldSpec("ethnicity", "民族", p.choice(ETHNICITY_OPTIONS, "民族"), ("民族", "mz")),
        FieldSpec("id_number", "身份证号", p.id_number, ("身份证号", "身份证号码", "身份证", "证件号码", "公民身份号码", "sfzh")),
        FieldSpec("phone", "手机号", p.phone, ("手机号", "手机号码", "联系电话", "手机", "电话", "联系方式")),
        FieldSpec("email", "电子邮箱", p.email, ("电子邮箱", "邮箱", "email", "e-mail")),
        FieldSpec("hukou_region_code", "户籍地区码", p.region_code, ("户籍地区码", "户籍所在地代码", "生源地代码", "生源地", "生源地区", "户口所在地代码")),
        FieldSpec("hukou_type", "户口性质", p.choice(HUKOU, "户口性质"), ("户口性质", "户籍类型", "城乡", "户口类别")),
        FieldSpec("education_level", "学历层次", p.choice(LEVELS, "学历层次"), ("学历层次", "培养层次", "学历")),
        FieldSpec("entry_year", "入学年份", p.year, ("入学年份", "年级", "入学年级")),
        FieldSpec("status", "学籍状态", p.choice(_labels(m.Student.Status, ("在读", "enrolled"), ("在籍", "enrolled"), ("休学", "suspended"), ("退学", "withdrawn"), ("毕业", "graduated")), "学籍状态"), ("学籍状态", "在校状态", "学籍")),
    ),
)  # fmt: skip
# Roster columns that are checked against the student's class, not stored.
ROSTER_CHECKS = ("class_code", "school_name", "major_code", "major_name", "graduation_year")

ECONOMIC = KindSpec(
    slug="economic_status",
    label=_("Family economic status"),
    model=m.FamilyEconomicStatus,
    key=("academic_year",),
    sensitivity=Sensitivity.FAMILY_FINANCE,
    fields=(
        STUDENT_NUMBER,
        FieldSpec("academic_year", "学年", p.academic_year, ("学年", "认定学年", "认定年度"), required=True),
        FieldSpec("level", "困难等级", p.choice(_labels(m.FamilyEconomicStatus.Level, ("特别困难", "special"), ("特困", "special"), ("困难", "difficult"), ("比较困难", "somewhat"), ("一般困难", "somewhat"), ("不困难", "none")), "困难等级"), ("困难等级", "认定等级", "认定结果", "困难程度"), required=True),
        FieldSpec("assessed_by", "认定单位", p.text(60), ("认定单位", "认定部门")),
        FieldSpec("assessed_on", "认定日期", p.date, ("认定日期", "认定时间")),
        FieldSpec("per_capita_income", "家庭人均年收入", p.decimal(10, 2), ("家庭人均年收入", "人均年收入", "人均收入")),
        FieldSpec("note", "备注", p.text(2000), ("备注", "说明")),
    ),
)  # fmt: skip

PRIORITY = KindSpec(
    slug="priority_group",
    label=_("Priority group evidence"),
    model=m.PriorityGroupEvidence,
    key=("group",),
    sensitivity=Sensitivity.FAMILY_FINANCE,
    fields=(
        STUDENT_NUMBER,
        FieldSpec("group", "重点群体类别", p.choice(_labels(m.PriorityGroupEvidence.Group, ("脱贫户", "poverty_alleviated"), ("建档立卡", "poverty_alleviated"), ("低保", "minimum_living"), ("零就业", "zero_employment"), ("特困", "extreme_poverty"), ("残疾人家庭", "disabled_family"), ("残疾学生", "disabled_student"), ("孤儿", "orphan"), ("烈士子女", "martyr_family"), ("助学贷款", "student_loan")), "重点群体类别"), ("重点群体类别", "困难类别", "群体类别", "类别"), required=True),
        FieldSpec("certificate_type", "证明材料", p.text(60), ("证明材料", "证件类型", "证明类型")),
        FieldSpec("certificate_number", "证件编号", p.text(60), ("证件编号", "证书编号", "证号")),
        FieldSpec("issuer", "发证机关", p.text(100), ("发证机关", "出具单位", "认定机关")),
        FieldSpec("valid_from", "有效期起", p.date, ("有效期起", "起始日期", "发证日期")),
        FieldSpec("valid_to", "有效期止", p.date, ("有效期止", "截止日期", "有效期至")),
    ),
)  # fmt: skip

DISABILITY = KindSpec(
    slug="disability",
    label=_("Disability records"),
    model=m.DisabilityRecord,
    key=("category",),
    sensitivity=Sensitivity.HEALTH,
    fields=(
        STUDENT_NUMBER,
        FieldSpec("category", "残疾类别", p.choice(_labels(m.DisabilityRecord.Category, ("视力残疾", "visual"), ("视力", "visual"), ("听力残疾", "hearing"), ("听力", "hearing"), ("言语残疾", "speech"), ("言语", "speech"), ("肢体残疾", "physical"), ("肢体", "physical"), ("智力残疾", "intellectual"), ("智力", "intellectual"), ("精神残疾", "mental"), ("精神", "mental"), ("多重残疾", "multiple"), ("多重", "multiple")), "残疾类别"), ("残疾类别", "残疾类型"), required=True),
        FieldSpec("grade", "残疾等级", p.choice({"1": "1", "2": "2", "3": "3", "4": "4", "一级": "1", "二级": "2", "三级": "3", "四级": "4"}, "残疾等级"), ("残疾等级", "等级"), required=True),
        FieldSpec("certificate_number", "残疾证号", p.text(30), ("残疾证号", "残疾人证号", "证号")),
        FieldSpec("issuer", "发证机关", p.text(100), ("发证机关",)),
        FieldSpec("valid_to", "有效期至", p.date, ("有效期至", "有效期止")),
    ),
)  # fmt: skip

PSYCH = KindSpec(
    slug="psych_screening",
    label=_("Psychological screening"),
    model=m.PsychScreening,
    key=("screened_on", "instrument"),
    sensitivity=Sensitivity.PSYCHOLOGICAL,
    fields=(
        STUDENT_NUMBER,
        FieldSpec("screened_on", "测评日期", p.date, ("测评日期", "筛查日期", "测试日期", "测评时间"), required=True),
        FieldSpec("instrument", "量表", p.text(30), ("量表", "测评量表", "测评工具", "问卷")),
        FieldSpec("level", "筛查结果", p.choice(_labels(m.PsychScreening.Level, ("正常", "normal"), ("无异常", "normal"), ("一般关注", "attention"), ("关注", "attention"), ("二类", "attention"), ("重点关注", "key"), ("一类", "key")), "筛查结果"), ("筛查结果", "测评结果", "预警等级", "关注等级"), required=True),
        FieldSpec("note", "跟进备注", p.text(2000), ("跟进备注", "备注", "处理意见")),
    ),
)  # fmt: skip

ACADEMIC = KindSpec(
    slug="academic_result",
    label=_("Academic results"),
    model=m.AcademicResult,
    key=("term",),
    fields=(
        STUDENT_NUMBER,
        FieldSpec("term", "学期", p.term, ("学期", "学年学期", "开课学期"), required=True),
        FieldSpec("gpa", "平均学分绩点", p.decimal(3, 2, maximum=p.Decimal(5)), ("平均学分绩点", "绩点", "gpa", "平均绩点")),
        FieldSpec("failed_courses", "不及格门数", p.integer(0, 60), ("不及格门数", "不及格课程数", "挂科数", "不及格科目数")),
        FieldSpec("credits_earned", "已获学分", p.decimal(5, 1), ("已获学分", "获得学分", "实得学分")),
        FieldSpec("credits_owed", "欠学分", p.decimal(5, 1), ("欠学分", "欠修学分", "未获学分")),
        FieldSpec("academic_warning", "学业预警等级", p.integer(0, 3), ("学业预警等级", "学业预警", "预警级别")),
    ),
)  # fmt: skip

CERTIFICATES = KindSpec(
    slug="certificate",
    label=_("Certificates"),
    model=m.Certificate,
    key=("name",),
    fields=(
        STUDENT_NUMBER,
        FieldSpec("name", "证书名称", p.text(100), ("证书名称", "证书", "资格证书"), required=True),
        FieldSpec("kind", "证书类别", p.choice(_labels(m.Certificate.Kind, ("职业技能等级", "vocational"), ("1+x", "vocational"), ("职业资格", "professional"), ("语言", "language"), ("外语", "language"), ("计算机", "computer"), ("驾驶证", "driving"), ("其他", "other")), "证书类别"), ("证书类别", "证书类型", "类别"), required=True),
        FieldSpec("level", "等级", p.text(30), ("等级", "级别", "证书等级")),
        FieldSpec("issued_on", "发证日期", p.date, ("发证日期", "获证日期", "取得时间")),
        FieldSpec("issuer", "发证机构", p.text(100), ("发证机构", "发证单位", "颁发机构")),
    ),
)  # fmt: skip

INTERNSHIPS = KindSpec(
    slug="internship",
    label=_("Internships"),
    model=m.Internship,
    key=("employer_name", "start_date"),
    fields=(
        STUDENT_NUMBER,
        FieldSpec("employer_name", "实习单位", p.text(120), ("实习单位", "实习单位名称", "单位名称", "企业名称"), required=True),
        FieldSpec("position", "实习岗位", p.text(60), ("实习岗位", "岗位", "职位")),
        FieldSpec("city", "实习城市", p.text(30), ("实习城市", "城市", "实习地点")),
        FieldSpec("start_date", "开始日期", p.date, ("开始日期", "实习开始日期", "开始时间"), required=True),
        FieldSpec("end_date", "结束日期", p.date, ("结束日期", "实习结束日期", "结束时间")),
        FieldSpec("related_to_major", "是否专业相关", p.boolean, ("是否专业相关", "专业相关", "专业对口")),
        FieldSpec("rating", "单位评价", p.integer(1, 5), ("单位评价", "评价", "实习成绩等级")),
    ),
)  # fmt: skip

INTENTIONS = KindSpec(
    slug="job_intention",
    label=_("Job-search intentions"),
    model=m.JobIntention,
    key=("recorded_on",),
    fields=(
        STUDENT_NUMBER,
        FieldSpec("recorded_on", "登记日期", p.date, ("登记日期", "填报日期", "填写日期"), required=True),
        FieldSpec("plan", "毕业打算", p.choice(_labels(m.JobIntention.Plan, ("就业", "employment"), ("专升本", "upgrade"), ("升本", "upgrade"), ("考研", "postgraduate"), ("考公", "civil_service"), ("考编", "civil_service"), ("参军", "military"), ("入伍", "military"), ("创业", "entrepreneurship"), ("出国", "abroad"), ("暂不就业", "not_yet"), ("慢就业", "not_yet")), "毕业打算"), ("毕业打算", "毕业去向意向", "意向", "计划"), required=True),
        FieldSpec("occupation", "意向职业", p.text(60), ("意向职业", "求职意向", "意向岗位")),
        FieldSpec("city", "意向城市", p.text(30), ("意向城市", "就业城市", "意向地区")),
        FieldSpec("salary_min", "期望月薪下限", p.integer(0, 1_000_000), ("期望月薪下限", "期望薪资下限", "最低期望月薪")),
        FieldSpec("salary_max", "期望月薪上限", p.integer(0, 1_000_000), ("期望月薪上限", "期望薪资上限", "最高期望月薪")),
    ),
)  # fmt: skip

# After the specs above: the setup kinds build on FieldSpec and KindSpec.
from jingzhun.students.intake.setup_kinds import SETUP_KINDS  # noqa: E402

KINDS: dict[str, KindSpec] = {
    k.slug: k
    for k in (
        STUDENTS,
        ECONOMIC,
        PRIORITY,
        DISABILITY,
        PSYCH,
        ACADEMIC,
        CERTIFICATES,
        INTERNSHIPS,
        INTENTIONS,
        *SETUP_KINDS,
    )
}


def register_kind(kind: KindSpec) -> None:
    """A later stage's kind (jobs: `postings`), registered from its AppConfig.ready(); it sets
    `per_student=False` and brings its own `extra["check"]` and `extra["apply"]` (setup.py)."""
    KINDS[kind.slug] = kind
