"""`verify` keeps one verdict on an answer for every checkpoint with the same
`answers.parse_key`: that key must hold everything `answers.parse` reads."""

from __future__ import annotations

import ast
import inspect
from collections import defaultdict
from typing import Any

from journey.routes.catalogue import discover
from journey.routes.model import Checkpoint
from journey.walk import answers


def test_the_parsers_read_no_checkpoint_field_the_key_leaves_out() -> None:
    """Every `cp.<field>` read in the answers module is in PARSE_FIELDS (a new field read
    by a parser without being added there would let two checkpoints share a verdict)."""
    tree = ast.parse(inspect.getsource(answers))
    read = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        and node.value.id == "cp"
    }  # fmt: skip
    assert read, "the parsers read their checkpoint as `cp`"
    assert read <= set(answers.PARSE_FIELDS), read - set(answers.PARSE_FIELDS)


SAMPLES: list[Any] = [
    True, False, "yes", "no", "", " ", "none", None, 0, 7, -3, 2.5, 1e400, "12", "1,200.50",
    "£1,000", "-5", "2026-03-31", "31/03/2026", "31 March 2026", "2026-02-30", "tomorrow",
    ["Lot 1"], ["x"], [], {"name": "Ann Lee", "role": "Head of Procurement"}, {"name": ""},
    "Goods", "Services", "Works", "A text answer", "x" * 300,
]  # fmt: skip


def _verdict(cp: Checkpoint, value: Any) -> tuple[str, Any]:
    try:
        return "ok", answers.parse(cp, value)
    except answers.BadAnswer as exc:
        return "bad", str(exc)


def test_checkpoints_with_one_key_take_every_answer_alike() -> None:
    """Across every built-in route, checkpoints sharing a key parse each sample alike."""
    by_key: dict[tuple[Any, ...], list[Checkpoint]] = defaultdict(list)
    for entry in discover():
        assert entry.loaded is not None
        for cp in entry.loaded.route.checkpoints():
            by_key[answers.parse_key(cp)].append(cp)
    shared = [cps for cps in by_key.values() if len(cps) > 1]
    assert shared, "some checkpoints share a key (the dates, the yes/no questions)"
    for cps in shared:
        for value in SAMPLES:
            verdicts = [_verdict(cp, value) for cp in cps]
            assert all(v == verdicts[0] for v in verdicts), (cps[0].id, value, verdicts)
