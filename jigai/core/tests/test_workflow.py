"""The one workflow table type: lookups, the single illegal/repeated-move check, derived views."""

from __future__ import annotations

import pytest

from jigai.core.errors import AccessDenied, Conflict
from jigai.core.workflow import Move, Workflow

LABELS = {"a": "甲", "b": "乙", "c": "丙"}


def flow() -> Workflow:
    def m(state: str, role: str, action: str, to: str) -> Move:
        return Move(
            state=state, role=role, action=action, to=to, permission="p", label=f"办{action}", verb=action
        )

    return Workflow(
        noun="事项",
        field="status",
        state_label=LABELS.__getitem__,
        authorize=lambda actor, permission: None,
        record=lambda **kw: None,
        moves=[m("a", "clerk", "go", "b"), m("b", "chief", "go", "c"), m("b", "chief", "back", "a")],
    )


def test_lookups_and_derived_views():
    w = flow()
    assert w.check(state="a", role="clerk", action="go").to == "b"
    assert [x.action for x in w.moves("b", "chief")] == ["go", "back"]
    assert w.targets() == {("a", "clerk"): frozenset({"b"}), ("b", "chief"): frozenset({"c", "a"})}
    assert w.actions()[("b", "chief")] == {"go": "c", "back": "a"}
    assert w.action_to("chief", "a") == "back" and w.action_to("clerk", "c") is None
    assert w.action_label("back") == "办back"


def test_a_repeated_move_and_an_illegal_move_are_refused_in_chinese():
    w = flow()
    with pytest.raises(Conflict) as repeated:
        w.check(state="b", role="clerk", action="go")  # the clerk's move already happened
    assert (
        repeated.value.code == "repeated_transition"
        and "已是“乙”状态，请勿重复操作" in repeated.value.message
    )
    with pytest.raises(Conflict) as illegal:
        w.check(state="a", role="chief", action="go")
    assert illegal.value.code == "illegal_transition"
    assert illegal.value.message.startswith("该事项当前为“甲”，您不能执行“办go”操作")
    with pytest.raises(AccessDenied):
        w.action_to_or_deny("clerk", "c")


def test_a_table_with_a_duplicate_row_is_refused():
    m = Move(state="a", role="r", action="x", to="b", permission="p", label="l", verb="v")
    with pytest.raises(ValueError, match="duplicate"):
        Workflow(noun="n", field="f", moves=[m, m], state_label=str, authorize=print, record=print)
