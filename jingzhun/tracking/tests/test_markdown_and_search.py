"""Article bodies render a safe subset of HTML; search words become terms (pure, no database)."""

from __future__ import annotations

import re

import pytest

from jingzhun.tracking.publications import search, tags
from jingzhun.tracking.publications.markdown import render_markdown

TAG_WITH_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
TAG_WITH_STYLE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '<a href="#" onclick="steal()">点我</a>',
        "[点我](javascript:alert(1))",
        '<iframe src="https://evil.example/"></iframe>',
        '<div style="background:url(javascript:alert(1))">x</div>',
        "<svg onload=alert(1)>",
    ],
)
def test_scripts_handlers_and_javascript_links_never_reach_the_page(source: str):
    html = render_markdown(f"正文\n\n{source}\n\n**结束**")

    assert "<script" not in html
    assert "<iframe" not in html and "<svg" not in html and "<img" not in html
    assert TAG_WITH_HANDLER.search(html) is None
    assert 'href="javascript' not in html
    assert TAG_WITH_STYLE.search(html) is None
    assert "<strong>结束</strong>" in html


def test_the_safe_subset_is_kept():
    html = render_markdown(
        "## 申请条件\n\n- 脱贫家庭\n- 低保家庭\n\n[政策原文](https://www.example.gov.cn/a)\n\n"
        "| 项目 | 金额 |\n|---|---|\n| 求职补贴 | 1000元 |"
    )

    assert "<h2>申请条件</h2>" in html
    assert "<li>脱贫家庭</li>" in html
    assert '<a href="https://www.example.gov.cn/a" rel="noopener noreferrer nofollow">' in html
    assert "<td>1000元</td>" in html


def test_raw_html_is_shown_as_text_not_markup():
    html = render_markdown("<b>粗体</b>")

    assert html == "<p>&lt;b&gt;粗体&lt;/b&gt;</p>\n"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("申请补贴", ["申请", "补贴"]),
        ("求职创业补贴怎么申请", ["求职", "创业", "补贴", "申请"]),
        ("网签 协议", ["网签", "协议"]),
        ("报到证", ["报到证"]),
        ("  ", []),
        ("a b c d e f g h", ["a", "b", "c", "d", "e", "f"]),
    ],
)
def test_search_terms(query: str, expected: list[str]):
    assert search.terms(query) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("补贴， 求职 补贴", "补贴,求职"), ("a;b；c、d", "a,b,c,d"), ("", "")],
)
def test_tags_are_normalised(text: str, expected: str):
    assert tags.normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027 2026", [2026, 2027]),
        ("2026，2026", [2026]),
        ("", []),
        ("26", None),
        ("二〇二六", None),
    ],
)
def test_cohorts_are_years(text: str, expected: list[int] | None):
    assert tags.cohorts(text) == expected
