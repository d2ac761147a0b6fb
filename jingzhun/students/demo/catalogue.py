"""The demo college's organisation: schools, majors and functional departments.

Major codes and names are transcribed from the MOE 2021 catalogue of higher vocational
(高职专科) majors, so imports, reports and matching are exercised with real codes. The
college itself is fictional; its code has the shape of a Henan institution identifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from jingzhun.org.roles import DepartmentKind

INSTITUTION_CODE = "4141019026"
INSTITUTION_NAME = "豫中职业技术学院"
INSTITUTION_SHORT_NAME = "豫中职院"
INSTITUTION_PROVINCE = "41"
EMAIL_DOMAIN = "yzvtc.edu.cn"


@dataclass(frozen=True)
class SchoolSpec:
    code: str
    name: str


@dataclass(frozen=True)
class MajorSpec:
    school_code: str
    moe_code: str
    name: str
    abbreviation: str  # used in class names such as 计应2401
    family: str  # key into the certificate, employer and occupation tables
    popularity: float  # relative enrolment
    male_share: float


SCHOOLS: tuple[SchoolSpec, ...] = (
    SchoolSpec("01", "信息工程学院"),
    SchoolSpec("02", "智能制造学院"),
    SchoolSpec("03", "汽车与交通学院"),
    SchoolSpec("04", "财经商贸学院"),
    SchoolSpec("05", "建筑工程学院"),
    SchoolSpec("06", "医药健康学院"),
    SchoolSpec("07", "文旅与教育学院"),
)

MAJORS: tuple[MajorSpec, ...] = (
    MajorSpec("01", "510201", "计算机应用技术", "计应", "it", 1.6, 0.68),
    MajorSpec("01", "510202", "计算机网络技术", "网络", "it", 1.0, 0.78),
    MajorSpec("01", "510203", "软件技术", "软件", "it", 1.2, 0.72),
    MajorSpec("01", "510205", "大数据技术", "大数据", "it", 0.9, 0.62),
    MajorSpec("01", "510206", "云计算技术应用", "云计算", "it", 0.6, 0.75),
    MajorSpec("01", "510209", "人工智能技术应用", "人工智能", "it", 0.7, 0.70),
    MajorSpec("01", "510102", "物联网应用技术", "物联网", "it", 0.7, 0.80),
    MajorSpec("01", "510204", "数字媒体技术", "数媒", "design", 0.8, 0.45),
    MajorSpec("02", "460301", "机电一体化技术", "机电", "manufacturing", 1.4, 0.90),
    MajorSpec("02", "460306", "电气自动化技术", "电气", "manufacturing", 1.2, 0.88),
    MajorSpec("02", "460305", "工业机器人技术", "机器人", "manufacturing", 0.8, 0.90),
    MajorSpec("02", "460103", "数控技术", "数控", "manufacturing", 0.7, 0.93),
    MajorSpec("02", "460113", "模具设计与制造", "模具", "manufacturing", 0.5, 0.90),
    MajorSpec("02", "460101", "机械设计与制造", "机制", "manufacturing", 0.7, 0.90),
    MajorSpec("02", "460609", "无人机应用技术", "无人机", "manufacturing", 0.5, 0.92),
    MajorSpec("03", "460702", "新能源汽车技术", "新能源", "automotive", 1.2, 0.93),
    MajorSpec("03", "500211", "汽车检测与维修技术", "汽检", "automotive", 0.8, 0.95),
    MajorSpec("03", "460704", "智能网联汽车技术", "智联", "automotive", 0.5, 0.90),
    MajorSpec("03", "500606", "城市轨道交通运营管理", "城轨", "transport", 1.0, 0.50),
    MajorSpec("03", "530802", "现代物流管理", "物流", "commerce", 0.8, 0.55),
    MajorSpec("04", "530302", "大数据与会计", "会计", "finance", 1.8, 0.22),
    MajorSpec("04", "530301", "大数据与财务管理", "财管", "finance", 0.8, 0.25),
    MajorSpec("04", "530201", "金融服务与管理", "金融", "finance", 0.6, 0.35),
    MajorSpec("04", "530605", "市场营销", "营销", "commerce", 0.7, 0.45),
    MajorSpec("04", "530701", "电子商务", "电商", "commerce", 1.1, 0.40),
    MajorSpec("04", "530702", "跨境电子商务", "跨境", "commerce", 0.5, 0.35),
    MajorSpec("04", "530704", "网络营销与直播电商", "直播", "commerce", 0.6, 0.38),
    MajorSpec("05", "440301", "建筑工程技术", "建工", "construction", 1.0, 0.82),
    MajorSpec("05", "440501", "工程造价", "造价", "construction", 1.1, 0.45),
    MajorSpec("05", "440502", "建设工程管理", "建管", "construction", 0.6, 0.70),
    MajorSpec("05", "440106", "建筑室内设计", "室内", "design", 0.6, 0.45),
    MajorSpec("05", "420301", "工程测量技术", "测量", "construction", 0.5, 0.85),
    MajorSpec("06", "520201", "护理", "护理", "nursing", 2.2, 0.10),
    MajorSpec("06", "520301", "药学", "药学", "medical", 0.8, 0.30),
    MajorSpec("06", "520501", "医学检验技术", "检验", "medical", 0.7, 0.35),
    MajorSpec("06", "520601", "康复治疗技术", "康复", "medical", 0.7, 0.40),
    MajorSpec("06", "590302", "智慧健康养老服务与管理", "养老", "care", 0.4, 0.25),
    MajorSpec("07", "570102K", "学前教育", "学前", "education", 1.6, 0.04),
    MajorSpec("07", "540101", "旅游管理", "旅管", "tourism", 0.5, 0.30),
    MajorSpec("07", "540106", "酒店管理与数字化运营", "酒管", "tourism", 0.5, 0.35),
    MajorSpec("07", "550102", "视觉传达设计", "视传", "design", 0.6, 0.40),
    MajorSpec("07", "570201", "商务英语", "商英", "language", 0.5, 0.15),
)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    kind: str


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec("ZSJYC", "招生就业处", DepartmentKind.EMPLOYMENT),
    DepartmentSpec("XSZZZX", "学生资助中心", DepartmentKind.AID),
    DepartmentSpec("XLJKZX", "心理健康教育中心", DepartmentKind.PSYCH),
    DepartmentSpec("JWC", "教务处", DepartmentKind.ACADEMIC),
    DepartmentSpec("TW", "团委", DepartmentKind.YOUTH_LEAGUE),
    DepartmentSpec("XSGZC", "学生工作处", DepartmentKind.STUDENT_AFFAIRS),
)
