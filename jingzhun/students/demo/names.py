"""Chinese personal names with realistic frequencies, and the other contact details.

Own tables rather than Faker: surname frequencies follow the national census with a Henan
lean (郭, 闫, 牛, 申 are commoner there), given names follow what parents chose in
2003–2010, and the output stays identical across Faker releases for a given seed.
"""

from __future__ import annotations

import random
from itertools import accumulate

# Surname → relative frequency (roughly per ten thousand people).
_SURNAMES: dict[str, int] = {
    "王": 740, "张": 760, "李": 720, "刘": 560, "陈": 420, "杨": 320, "赵": 240, "郭": 180,
    "周": 170, "吴": 150, "孙": 140, "高": 140, "马": 150, "黄": 130, "徐": 130, "朱": 130,
    "胡": 120, "宋": 110, "郑": 90, "韩": 90, "何": 80, "梁": 80, "冯": 80, "董": 80, "程": 80,
    "曹": 80, "许": 80, "贾": 80, "魏": 80, "谢": 70, "于": 70, "袁": 70, "田": 70, "任": 70,
    "唐": 60, "罗": 60, "吕": 60, "苏": 60, "丁": 60, "杜": 60, "范": 60, "孟": 60, "崔": 60,
    "常": 60, "闫": 60, "付": 60, "邓": 50, "彭": 50, "卢": 50, "蔡": 50, "薛": 50, "姜": 50,
    "石": 50, "姚": 50, "郝": 50, "白": 50, "史": 50, "侯": 50, "段": 50, "武": 50, "林": 40,
    "沈": 40, "蒋": 40, "余": 40, "夏": 40, "孔": 40, "康": 40, "毛": 40, "秦": 40, "乔": 40,
    "牛": 40, "叶": 30, "潘": 30, "汪": 30, "方": 30, "熊": 30, "金": 30, "邵": 30, "万": 30,
    "雷": 30, "尹": 30, "贺": 30, "申": 30, "聂": 30, "靳": 30, "翟": 30, "岳": 30, "耿": 30,
    "葛": 30, "路": 30, "曾": 30, "傅": 20, "戴": 20, "钟": 20, "谭": 20, "邹": 20, "陆": 20,
    "邱": 20, "江": 20, "顾": 20, "钱": 20, "汤": 20, "龚": 20, "文": 20, "司": 20, "樊": 20,
    "廖": 10, "龙": 10, "黎": 10, "易": 10, "楚": 10, "欧阳": 3, "司马": 2, "上官": 1,
}  # fmt: skip
SURNAMES: tuple[str, ...] = tuple(_SURNAMES)
SURNAME_CUM_WEIGHTS: tuple[int, ...] = tuple(accumulate(_SURNAMES.values()))

_POPULAR_GIVEN = {
    "M": (
        "浩然", "子豪", "宇航", "俊杰", "博文", "浩宇", "子轩", "梓豪", "家豪", "明轩", "一鸣", "宇轩",
        "天宇", "嘉豪", "文博", "志豪", "佳乐", "晨阳", "鹏飞", "浩东", "振宇", "思远", "泽宇", "昊天",
        "旭阳", "晓东", "少杰", "永康", "志强", "国豪", "宏伟", "梦龙", "雨泽", "卓然", "俊豪", "子航",
        "家乐", "鑫磊", "亚东", "龙飞", "世杰", "跃辉", "浩楠", "子健", "帅帅", "晨旭", "佳豪", "宇豪",
        "凯旋", "新宇",
    ),
    "F": (
        "欣怡", "梓涵", "诗涵", "雨涵", "佳怡", "紫涵", "可馨", "思雨", "梦瑶", "雨欣", "心怡", "欣雨",
        "佳琪", "晓雯", "婷婷", "雅静", "梦琪", "一诺", "雨萱", "静怡", "佳慧", "嘉欣", "慧敏", "晓燕",
        "丹丹", "若曦", "晨曦", "欣悦", "文静", "子怡", "梦洁", "雪莹", "思琪", "佳欣", "玉洁", "亚楠",
        "倩倩", "璐璐", "亚茹", "梦雨", "家琪", "晓彤", "雅琪", "甜甜", "梦圆", "佳佳", "艺菲",
    ),
}  # fmt: skip
_FIRST_CHARS = {
    "M": "子浩宇俊博嘉明泽昊天志晨一家思文振鹏凯旭建永佳世成立国梓奕",
    "F": "欣梓诗雨佳紫可思梦心晓婷雅一静慧嘉若子文语晨怡雪",
}
_SECOND_CHARS = {
    "M": "轩豪航然鸣杰宇涛磊阳辉龙凯鑫博文远峰川林睿晨哲铭乐",
    "F": "怡涵萱琪瑶雯婷悦妍洁琳颖欣然茹楠璐蕊菲彤",
}
_SINGLE_CHARS = {
    "M": "磊鑫阳帅鹏凯伟杰浩强超辉飞博龙涛斌森旭航",
    "F": "静雪璐倩娜婷敏洁琳颖悦茜瑶露丹妍萌欣佳蕾",
}

# GB/T 3304 ethnicity code → share among the college's students.
ETHNICITY_CODES: tuple[str, ...] = ("01", "03", "11", "02", "15", "06", "08", "12")
ETHNICITY_CUM_WEIGHTS: tuple[float, ...] = tuple(
    accumulate((975.0, 12.0, 4.0, 3.0, 2.0, 2.0, 1.0, 1.0))
)

_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180", "181", "182", "183",
    "185", "186", "187", "188", "189", "191", "193", "195", "198", "199",
)  # fmt: skip


def chinese_name(rng: random.Random, gender: str) -> str:
    surname = rng.choices(SURNAMES, cum_weights=SURNAME_CUM_WEIGHTS)[0]
    roll = rng.random()
    if roll < 0.55:
        given = rng.choice(_POPULAR_GIVEN[gender])
    elif roll < 0.87:
        given = rng.choice(_FIRST_CHARS[gender]) + rng.choice(_SECOND_CHARS[gender])
    else:
        given = rng.choice(_SINGLE_CHARS[gender])
    return surname + given


def ethnicity(rng: random.Random) -> str:
    return rng.choices(ETHNICITY_CODES, cum_weights=ETHNICITY_CUM_WEIGHTS)[0]


def mobile_number(rng: random.Random) -> str:
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"


def email_address(rng: random.Random, *, student_number: str, phone: str, domain: str) -> str:
    """Most students give a QQ mailbox; some a 163 mailbox on their phone number."""
    roll = rng.random()
    if roll < 0.55:
        return f"{rng.randrange(10**8, 4 * 10**9)}@qq.com"
    if roll < 0.70:
        return f"{phone}@163.com"
    return f"{student_number}@stu.{domain}"
