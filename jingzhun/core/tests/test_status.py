"""The status helper's table: pure, tested without a database."""

from __future__ import annotations

import pytest

from jingzhun.core.errors import DomainError
from jingzhun.core.status import StatusErrorCode, TransitionTable

TABLE = TransitionTable(
    allowed={
        "draft": frozenset({"active", "cancelled"}),
        "active": frozenset({"done", "cancelled"}),
        "done": frozenset(),
        "cancelled": frozenset(),
    },
    needs_reason=frozenset({"cancelled"}),
    labels={"draft": "草稿", "active": "进行中", "done": "完成", "cancelled": "取消"},
)


@pytest.mark.parametrize(
    ("current", "target", "ok"),
    [("draft", "active", True), ("draft", "done", False), ("active", "done", True),
     ("done", "active", False), ("cancelled", "draft", False), ("nowhere", "draft", False)],
)  # fmt: skip
def test_can_move(current: str, target: str, ok: bool) -> None:
    assert TABLE.can_move(current, target) is ok


def test_check_names_both_statuses_in_words() -> None:
    with pytest.raises(DomainError) as exc:
        TABLE.check("done", "active")
    assert exc.value.code == StatusErrorCode.BAD_TRANSITION
    assert exc.value.message == "“完成”不能变为“进行中”。"


@pytest.mark.parametrize("note", ["", "   "])
def test_a_target_that_needs_a_reason_refuses_a_blank_note(note: str) -> None:
    with pytest.raises(DomainError) as exc:
        TABLE.check("active", "cancelled", note)
    assert exc.value.code == StatusErrorCode.REASON_REQUIRED
    TABLE.check("active", "cancelled", "学生退学")  # with a reason: allowed


def test_a_table_with_a_target_outside_it_is_refused_at_definition() -> None:
    with pytest.raises(ValueError, match="without a row"):
        TransitionTable(allowed={"a": frozenset({"b"})})
    with pytest.raises(ValueError, match="needs_reason"):
        TransitionTable(allowed={"a": frozenset()}, needs_reason=frozenset({"z"}))


def test_codes_can_be_the_apps_own() -> None:
    table = TransitionTable(allowed={"a": frozenset()}, bad_transition_code="plan.bad_move")
    with pytest.raises(DomainError) as exc:
        table.check("a", "a")
    assert exc.value.code == "plan.bad_move"
