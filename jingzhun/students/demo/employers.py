"""The job side of the demo: employer names, occupations, salaries and upgrade universities.

Employers are fictional (trade name + city + line of business, the way Chinese company names
are built) so that no real company is tied to a made-up student. Universities that take
专升本 students are real Henan undergraduate institutions.
"""

from __future__ import annotations

import random

from jingzhun.students.demo.regions import COASTAL_CITIES, WORK_CITY_CUM_WEIGHTS, WORK_CITY_NAMES

_TRADE_NAMES = (
    "宇辰", "华信", "中鼎", "天成", "宏达", "博远", "新航", "瑞丰", "金桥", "恒通", "立信", "正阳",
    "鼎盛", "嘉禾", "汇智", "启明", "众诚", "远景", "森泰", "华耀", "信诚", "润达", "卓越", "联创",
    "万合", "金鹏", "合众", "英才", "和光", "泰隆", "永安", "豫顺", "中科", "智联", "华夏", "晟世",
    "凯瑞", "锦程", "盛源", "同辉",
)  # fmt: skip

# family → lines of business that recruit from it
_BUSINESSES = {
    "it": ("信息技术有限公司", "软件科技有限公司", "网络科技有限公司", "数据服务有限公司"),
    "design": ("文化传媒有限公司", "广告有限公司", "装饰设计工程有限公司", "数字科技有限公司"),
    "manufacturing": (
        "智能装备有限公司",
        "机械制造有限公司",
        "电气股份有限公司",
        "精密机械有限公司",
    ),
    "automotive": ("汽车销售服务有限公司", "新能源汽车有限公司", "汽车维修服务有限公司"),
    "transport": ("轨道交通运营有限公司", "客运服务有限公司", "物流有限公司"),
    "commerce": ("电子商务有限公司", "商贸有限公司", "供应链管理有限公司", "文化传媒有限公司"),
    "finance": ("财务咨询有限公司", "会计师事务所（普通合伙）", "商贸有限公司", "保险代理有限公司"),
    "construction": (
        "建设工程有限公司",
        "建筑工程有限公司",
        "工程造价咨询有限公司",
        "测绘有限公司",
    ),
    "nursing": ("医院", "中医院", "护理院"),
    "medical": ("大药房连锁有限公司", "医学检验实验室有限公司", "康复医院"),
    "care": ("养老服务有限公司", "康养中心", "护理院"),
    "education": ("幼儿园", "双语幼儿园", "教育咨询有限公司"),
    "tourism": ("酒店管理有限公司", "国际旅行社有限公司", "酒店有限公司"),
    "language": ("进出口贸易有限公司", "跨境电子商务有限公司", "教育咨询有限公司"),
}
FAMILIES = tuple(_BUSINESSES)

OCCUPATIONS = {
    "it": (
        "软件测试工程师",
        "Java开发工程师",
        "前端开发工程师",
        "运维工程师",
        "网络管理员",
        "实施工程师",
    ),
    "design": ("UI设计师", "平面设计师", "新媒体美工", "视频剪辑师", "设计师助理"),
    "manufacturing": ("机电技术员", "设备维护工程师", "数控操作工", "电气技术员", "质检员"),
    "automotive": ("新能源汽车维修技师", "汽车销售顾问", "售后服务顾问", "汽车检测员"),
    "transport": ("地铁站务员", "客运值班员", "列车乘务员", "调度员"),
    "commerce": ("电商运营专员", "主播助理", "客服专员", "物流专员", "销售代表"),
    "finance": ("出纳", "会计助理", "税务专员", "银行柜员", "财务助理"),
    "construction": ("施工员", "造价员", "资料员", "测量员", "安全员"),
    "nursing": ("护士", "护理员"),
    "medical": ("药店店员", "检验技师", "康复治疗师", "医药代表"),
    "care": ("养老护理员", "健康管理师", "社工"),
    "education": ("幼儿教师", "保育员", "早教老师"),
    "tourism": ("酒店前台", "导游", "旅游顾问", "客房服务员"),
    "language": ("外贸业务员", "英语培训教师", "跨境电商专员"),
}

_BASE_SALARY = {"it": 4800, "design": 4200, "manufacturing": 4800, "automotive": 4500,
                "transport": 4300, "commerce": 4200, "finance": 3800, "construction": 4600,
                "nursing": 4200, "medical": 3900, "care": 3800, "education": 3400,
                "tourism": 3800, "language": 4200}  # fmt: skip
MINIMUM_WAGE = 2100  # Henan's highest monthly minimum wage band

# Real Henan undergraduate institutions that admit 专升本 students, with their city.
UPGRADE_UNIVERSITIES = (
    ("郑州工程技术学院", "郑州市"), ("河南工程学院", "郑州市"), ("黄河科技学院", "郑州市"),
    ("郑州科技学院", "郑州市"), ("河南财政金融学院", "郑州市"), ("郑州师范学院", "郑州市"),
    ("安阳工学院", "安阳市"), ("许昌学院", "许昌市"), ("黄淮学院", "驻马店市"),
    ("商丘工学院", "商丘市"), ("新乡学院", "新乡市"), ("南阳理工学院", "南阳市"),
    ("洛阳理工学院", "洛阳市"), ("平顶山学院", "平顶山市"), ("周口师范学院", "周口市"),
)  # fmt: skip
ABROAD = (("日本语言学校", "东京"), ("马来西亚本科院校", "吉隆坡"), ("韩国大学语学院", "首尔"))


def work_city(rng: random.Random, home_city: str) -> str:
    """A third stay in their home city; the rest go where the jobs are."""
    if rng.random() < 0.3:
        return home_city
    return rng.choices(WORK_CITY_NAMES, cum_weights=WORK_CITY_CUM_WEIGHTS)[0]


def employer_name(rng: random.Random, family: str, city: str) -> str:
    business = rng.choice(_BUSINESSES[family])
    place = city.removesuffix("市")
    if family == "nursing" and rng.random() < 0.5:
        return f"{city}第{rng.randint(1, 6)}人民医院"
    return f"{place}{rng.choice(_TRADE_NAMES)}{business}"


def occupation(rng: random.Random, family: str) -> str:
    return rng.choice(OCCUPATIONS[family])


def monthly_salary(rng: random.Random, family: str, city: str, ability: float) -> int:
    salary = _BASE_SALARY[family] * rng.uniform(0.8, 1.2) * (1 + 0.06 * ability)
    if city in COASTAL_CITIES:
        salary *= 1.3
    return max(MINIMUM_WAGE + 300, round(salary / 100) * 100)
