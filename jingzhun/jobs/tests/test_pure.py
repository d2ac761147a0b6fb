"""Credit codes, employer names, places and requirements: pure tables."""

from __future__ import annotations

import pytest

from jingzhun.jobs.credit_code import (
    check_character,
    credit_code_problem,
    normalise_credit_code,
    normalise_employer_name,
)
from jingzhun.jobs.places import PlaceProblem, city_code
from jingzhun.jobs.requirements import experience_years, headcount, requirements

# GB 32100-2015 computed independently here: the character set without I O S V Z, the
# weights 3^i mod 31, check = (31 − Σ mod 31) mod 31.
_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _check(first17: str) -> str:
    weights = [pow(3, i, 31) for i in range(17)]
    total = sum(_CHARS.index(c) * w for c, w in zip(first17, weights, strict=True))
    return _CHARS[(31 - total % 31) % 31]


# Real structures: registering authority + kind, region code, 9-character organisation code.
STRUCTURES = [
    "91" + "110108" + "MA01KP2T8",  # 工商 / enterprise, 北京海淀
    "91" + "440300" + "708461136",  # 深圳
    "91" + "350100" + "M000100Y4",  # 福州 (the standard's worked example)
    "12" + "100000" + "400000000",  # 机构编制 / public institution
    "52" + "410100" + "MJ0000000",  # 民政 / social organisation, 郑州
    "93" + "330106" + "MA2CFQ7E1",  # 农民专业合作社
]


@pytest.mark.parametrize("first17", STRUCTURES)
def test_check_character_follows_the_standard(first17):
    expected = _check(first17)
    assert check_character(first17) == expected
    assert credit_code_problem(first17 + expected) is None


def test_the_standards_example_is_valid():
    assert check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91350100M000100Y44", "校验位错误"),
        ("91350100M000100Y4", "应为 18 位"),
        ("91350100M000100I43", "不允许的字符"),
        ("91350100M000100O43", "不允许的字符"),
        ("", "应为 18 位"),
    ],
)
def test_invalid_credit_codes_say_why(code, fragment):
    assert fragment in (credit_code_problem(code) or "")


def test_credit_codes_are_normalised_before_the_check():
    assert normalise_credit_code(" ９１３５０１００m０００１００y４３ ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("腾讯科技（深圳）有限公司", "腾讯科技(深圳)有限公司"),
        ("北京掌控世代科技有限责任公司", "北京 掌控世代科技 有限公司"),
        ("ＡＢＣ信息技术股份有限公司", "abc信息技术"),
        ("上海领象信息科技有限公司", "上海领象信息科技"),
    ],
)
def test_spellings_of_one_employer_share_a_key(one, other):
    assert normalise_employer_name(one) == normalise_employer_name(other)


def test_different_employers_keep_different_keys():
    assert normalise_employer_name("腾讯科技(深圳)有限公司") != normalise_employer_name(
        "腾讯科技(北京)有限公司"
    )


PLACES = [
    ("上海-浦东新区", "310000"),
    ("北京·海淀区·中关村", "110000"),
    ("北京市海淀区苏家坨镇三星庄路", "110000"),
    ("['广州']", ""),  # the wrapping is removed by the import, not here
    ("广州", "440100"),
    ("深圳-南山区", "440300"),
    ("河南省郑州市金水区", "410100"),
    ("郑州", "410100"),
    ("吉林省吉林市", "220200"),
    ("黔南", "522700"),
    ("延边", "222400"),
    ("大兴安岭", "232700"),
]


@pytest.mark.parametrize(("text", "code"), PLACES)
def test_places_become_the_prefecture_or_municipality_code(text, code):
    assert city_code(text)[0] == code


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", PlaceProblem.MISSING),
        ("广东省", PlaceProblem.PROVINCE_ONLY),
        ("吉林", PlaceProblem.PROVINCE_ONLY),  # the province wins; the city is 吉林市
        ("昆山", PlaceProblem.UNKNOWN),  # a county-level city: not rounded up to 苏州
        ("异地招聘", PlaceProblem.UNKNOWN),
    ],
)
def test_places_that_cannot_be_placed_say_why(text, problem):
    assert city_code(text) == ("", problem)


@pytest.mark.parametrize(
    ("cells", "education", "experience", "years", "internship"),
    [
        (("1-3年本科",), 4, "1-3年", 1, False),
        (("经验不限学历不限",), 0, "经验不限", 0, False),
        (("4天/周6个月本科",), 4, "4天/周6个月", 0, True),
        (("在校/应届大专",), 3, "在校/应届", 0, False),
        (("5年以上博士",), 6, "5年以上", 5, False),
        # 51job: education slid into the experience column
        (("['本科']", "[]"), 4, "", None, False),
        (("['3-4年工作经验']", "['大专']"), 3, "3-4年工作经验", 3, False),
        (("['无工作经验']", "['英语熟练']"), None, "无工作经验", 0, False),
        # 智联: two plain cells
        (("3-5年", "本科"), 4, "3-5年", 3, False),
        (("1年以下", "硕士"), 5, "1年以下", 0, False),
    ],
)
def test_requirements_are_found_in_whichever_cell_holds_them(
    cells, education, experience, years, internship
):
    need = requirements(*cells)
    assert (need.education, need.experience, need.experience_years, need.internship) == (
        education, experience, years, internship,
    )  # fmt: skip


def test_experience_and_headcount():
    assert experience_years("['2年工作经验']") == 2
    assert experience_years("面议") is None
    assert [headcount(t) for t in ("['2人']", "['若干人']", "5", "")] == [2, None, 5, None]
