"""The matching scorer: hard filters, parts and Chinese reasons, BM25 on jieba tokens."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.jobs.matching import (
    PostingFacts,
    StudentProfile,
    TextIndex,
    city_fit,
    excluded,
    major_fit,
    recommend,
    salary_fit,
    tokens,
)

TODAY = dt.date(2026, 11, 1)
STUDENT = StudentProfile(
    major_code="510201", major_name="计算机应用技术", education=3, cities=("410100",),
    salary_min=4000, text="软件开发 Python 数据库 计算机应用技术",
)  # fmt: skip


def posting(pid: int = 1, **fields: object) -> PostingFacts:
    base: dict[str, object] = {"id": pid, "title": "岗位", "education": 3, "city_code": "410100"}
    return PostingFacts(**(base | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("student", "facts", "why"),
    [
        (STUDENT, posting(education=4), "学历要求高于学生学历"),
        (STUDENT, posting(deadline=TODAY - dt.timedelta(days=1)), "已过截止日期"),
        (STUDENT, posting(blacklisted=True), "用人单位已列入黑名单"),
        (StudentProfile("510201", "计算机应用技术", 3, ("410100",), city_required=True), posting(city_code="310000"), "不在学生要求的城市"),
        (StudentProfile("510201", "计算机应用技术", 3, needs_disability_friendly=True), posting(), "非残疾人友好岗位"),
        (STUDENT, posting(education=0, deadline=TODAY, city_code="310000"), None),
        (StudentProfile("510201", "x", 3, needs_disability_friendly=True), posting(disability_friendly=True), None),
    ],
)  # fmt: skip
def test_hard_filters(student, facts, why):
    assert excluded(student, facts, TODAY) == why


@pytest.mark.parametrize(
    ("majors", "text", "value", "reason"),
    [
        (("510201",), "", 1.0, "专业对口（计算机应用技术）"),
        (("510203",), "", 0.7, "专业同类（计算机类）"),  # 软件技术: same 专业类
        (("510101",), "", 0.4, "专业相近（电子与信息大类）"),  # same 专业大类
        (("530302",), "", 0.0, "专业要求不符"),  # 大数据与会计
        (("计算机应用技术",), "", 1.0, "专业对口（计算机应用技术）"),
        (("计算机相关专业",), "", 0.7, "专业同类（计算机类）"),
        ((), "要求计算机应用技术专业毕业", 0.8, "岗位描述提及本专业（计算机应用技术）"),
        ((), "计算机、电子等专业本科", 0.5, "岗位与专业类相关（计算机类）"),
        ((), "销售代表", 0.2, ""),
    ],
)
def test_major_relatedness_follows_the_catalogue(majors, text, value, reason):
    assert major_fit(STUDENT, posting(majors=majors, text=text)) == (value, reason)


@pytest.mark.parametrize(
    ("low", "high", "value", "reason"),
    [
        (5000, 8000, 1.0, "薪资 5-8K 高于期望"),
        (3000, 5000, 0.8, "薪资 3-5K 符合期望"),
        (2000, 3000, 0.45, "薪资 2-3K 低于期望"),
        (None, None, 0.5, ""),
    ],
)
def test_salary_against_the_expectation(low, high, value, reason):
    part = salary_fit(STUDENT, posting(salary_min=low, salary_max=high))
    assert (round(part.value, 3), part.reason) == (value, reason)


def test_city_preference():
    assert city_fit(STUDENT, posting(city_code="410100")) == (1.0, "期望城市郑州")
    assert city_fit(STUDENT, posting(city_code="410300")) == (0.5, "同省（洛阳市）")
    assert city_fit(STUDENT, posting(city_code="310000")) == (0.0, "")


def test_jieba_tokens_drop_stopwords_and_single_characters():
    assert tokens("负责Python后端开发，熟悉MySQL数据库") == [
        "python",
        "后端",
        "开发",
        "mysql",
        "数据库",
    ]


def test_bm25_ranks_the_document_sharing_rare_words_first():
    docs = [
        tokens(t) for t in ("Python 后端开发 数据库", "会计 出纳 账务", "前台 接待", "Python 爬虫")
    ]
    scores = TextIndex.build(docs).scores(tokens("Python 数据库 开发"))
    assert (
        scores.index(max(scores)) == 0
        and scores[1] == scores[2] == 0.0
        and 0 < scores[3] < scores[0]
    )


def test_recommendations_are_ranked_with_reasons_and_filtered():
    facts = [
        posting(1, title="Java开发", majors=("510203",), salary_min=5000, salary_max=8000, text="Java 开发"),
        posting(2, title="Python开发", majors=("510201",), salary_min=5000, salary_max=8000, text="Python 软件开发 数据库"),
        posting(3, title="会计", majors=("530302",), city_code="310000", salary_min=3000, salary_max=4000, text="会计 账务"),
        posting(4, title="研发", education=4, majors=("510201",), text="Python"),  # 本科: filtered
        posting(5, title="黑名单", blacklisted=True, majors=("510201",)),
    ]  # fmt: skip
    index = TextIndex.build(tokens(f.text) for f in facts)
    found = recommend(STUDENT, facts, today=TODAY, index=index)
    assert [r.posting_id for r in found] == [2, 1, 3]
    assert (
        found[0].reason
        == "专业对口（计算机应用技术）；期望城市郑州；薪资 5-8K 高于期望；学历要求相符（大专）；描述与求职意向相近"
    )
    assert found[0].parts == {
        "major": 1.0,
        "city": 1.0,
        "salary": 1.0,
        "education": 1.0,
        "text": 1.0,
    }
    assert found[0].score == 1.0
    assert found[2].reason == "专业要求不符；薪资 3-4K 符合期望；学历要求相符（大专）"
    assert (
        recommend(STUDENT, facts, today=TODAY, limit=1)[0].posting_id == 2
    )  # no index: no text part


def test_the_pool_recommends_exactly_what_the_pure_matcher_does():
    import random

    from jingzhun.jobs.matching_pool import Pool

    rng = random.Random(3)
    words = [
        "Python",
        "软件",
        "开发",
        "数据库",
        "测试",
        "会计",
        "出纳",
        "销售",
        "前端",
        "运营",
        "计算机",
        "网络",
    ]
    facts = [
        posting(
            i, education=rng.choice((0, 2, 3, 4)), city_code=rng.choice(("410100", "410300", "110000", "")),
            salary_min=rng.choice((None, 3000, 5000)), salary_max=rng.choice((None, 6000, 9000)),
            deadline=rng.choice((None, TODAY, TODAY - dt.timedelta(days=3))), blacklisted=rng.random() < 0.1,
            disability_friendly=rng.random() < 0.3, majors=tuple(rng.sample(("510201", "510203", "530302", "计算机相关"), rng.randint(0, 2))),
            text=" ".join(rng.choices(words, k=rng.randint(0, 12))),
        )
        for i in range(300)
    ]  # fmt: skip
    index = TextIndex.build(tokens(f.text) for f in facts)
    pool = Pool(facts, [tokens(f.text) for f in facts], today=TODAY)
    students = [
        STUDENT,
        StudentProfile(
            "530302", "大数据与会计", 4, ("110000",), city_required=True, text="会计 出纳"
        ),
        StudentProfile("510203", "软件技术", 3, needs_disability_friendly=True, salary_min=6000),
        StudentProfile("999999", "", 2),
    ]
    for student in students:
        expected = recommend(student, facts, today=TODAY, index=index if student.text else None)
        assert pool.recommend(student) == expected


def test_the_fast_pool_equals_the_pure_matcher_on_many_students_and_tied_scores():
    """Many postings share every part (few distinct values): the tie-break by id, the rounding
    near the best and the dense text columns must still give the pure matcher's ten."""
    import random

    from jingzhun.jobs.matching_pool import Pool

    rng = random.Random(11)
    words = [
        "Python",
        "软件",
        "开发",
        "会计",
        "出纳",
        "销售",
        "计算机应用技术",
        "大数据与会计",
        "护理",
    ]
    facts = [
        posting(
            i, education=rng.choice((0, 3, 4)), city_code=rng.choice(("410100", "410300", "110000")),
            salary_min=rng.choice((None, 4000)), salary_max=rng.choice((None, 6000)),
            deadline=rng.choice((None, TODAY - dt.timedelta(days=1))), blacklisted=rng.random() < 0.05,
            disability_friendly=rng.random() < 0.2,
            majors=rng.choice(((), (), ("510201",), ("510203", "530302"), ("计算机相关",))),
            text=" ".join(rng.choices(words, k=rng.randint(0, 6))),
            employer_key=rng.choice(("", "宇辰", "华信", "立信")),
        )
        for i in range(1500)
    ]  # fmt: skip
    index = TextIndex.build(tokens(f.text) for f in facts)
    pool = Pool(facts, [tokens(f.text) for f in facts], today=TODAY)
    majors = (
        ("510201", "计算机应用技术"),
        ("530302", "大数据与会计"),
        ("520201", "护理"),
        ("", ""),
    )
    students, expected_lists = [], []
    for n in range(40):
        code, name = rng.choice(majors)
        student = StudentProfile(
            code, name, rng.choice((3, 4)), rng.choice(((), ("410100",), ("410300", "110000"))),
            city_required=rng.random() < 0.3, salary_min=rng.choice((None, 3000, 5000)),
            needs_disability_friendly=n % 7 == 0, text=" ".join(rng.choices(words, k=n % 4)),
            internship_employers=rng.choice(((), (), ("宇辰",), ("华信", "远景"), ("远景",))),
        )  # fmt: skip
        expected = recommend(student, facts, today=TODAY, index=index if student.text else None)
        assert pool.recommend(student) == expected, student
        assert len(expected) == 10
        students.append(student)
        expected_lists.append(expected)
    # in a batch, students sharing the parts other than the text share their sum
    assert pool.recommend_many(students + students[:5]) == expected_lists + expected_lists[:5]


@pytest.mark.parametrize(
    ("employers", "key", "value", "reason"),
    [(("宇辰", "华信"), "华信", 1.0, "曾在该单位实习"), (("宇辰",), "华信", 0.0, ""),
     (("宇辰",), "", 0.0, "")],
)  # fmt: skip
def test_an_employer_the_student_interned_with(employers, key, value, reason):
    from jingzhun.jobs.matching import internship_fit, score_pair

    student = StudentProfile("510201", "计算机应用技术", 3, internship_employers=employers)
    facts = posting(employer_key=key)
    assert internship_fit(student, facts) == (value, reason)
    assert score_pair(student, facts, None).parts["internship"] == value
    # a student who interned nowhere has no such part (the other weights are unchanged)
    assert "internship" not in score_pair(STUDENT, facts, None).parts
