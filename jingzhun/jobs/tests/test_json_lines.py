"""JSON lines read as a table by `core.tabular` (the 智联 export)."""

from __future__ import annotations

import io

import pytest

from jingzhun.core.tabular import TableReadError, detect_encoding, iter_csv


def _rows(data: bytes) -> list[list[str]]:
    handle = io.BytesIO(data)
    encoding, _notice = detect_encoding(handle)
    return list(iter_csv(handle, encoding))


def test_json_lines_become_a_header_of_keys_and_rows_of_text():
    data = (
        '{"jobname": "Python实习", "plan": 1, "salary": "4K-5K"}\n'
        "\n"
        '{"jobname": "测试", "salary": "面议", "skills": ["SQL", "Linux"], "extra": {"a": 1}}\n'
    ).encode()
    assert _rows(data) == [
        ["jobname", "plan", "salary", "skills", "extra"],
        ["Python实习", "1", "4K-5K", "", ""],
        ["测试", "", "面议", "SQL\nLinux", '{"a": 1}'],
    ]


def test_a_line_that_is_no_object_is_refused_with_its_number():
    with pytest.raises(TableReadError, match="第 2 行"):
        _rows(b'{"a": 1}\n[1, 2]\n')
    with pytest.raises(TableReadError, match="第 2 行不是有效的 JSON"):
        _rows(b'{"a": 1}\n{"a": \n')
