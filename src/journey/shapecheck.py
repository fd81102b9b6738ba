"""Check YAML data against a msgspec struct, reporting every problem with its position.

msgspec stops at the first error and knows nothing of lines; this walks the
same type information (`msgspec.inspect`) over the parsed document so that an
author sees all mistakes in one run, each as FILE:LINE:COLUMN: key.path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any, TypeVar

import msgspec
import msgspec.inspect as mi

from journey.errors import InvalidFile, Problem
from journey.safeyaml import Document, PathT

T = TypeVar("T")


def build(doc: Document, cls: type[T]) -> T:
    """Build `cls` from the document, or raise every problem found.

    msgspec's converter (in C) enforces exactly the rules the walk below checks,
    but stops at the first problem and knows no lines. So it goes first, and
    the walk only runs to locate and word every problem of a document it refuses
    (tests/robustness/test_fast_paths.py holds the two to the same verdict).
    """
    try:
        return msgspec.convert(doc.data, cls, strict=True)
    except msgspec.ValidationError as exc:
        problems = check(doc, cls)
        raise InvalidFile(problems or [doc.problem((), str(exc))]) from None


def fits(doc: Document, cls: type[T]) -> tuple[T | None, list[Problem]]:
    """The document built as `cls`, or None and every place where it does not fit."""
    try:
        return msgspec.convert(doc.data, cls, strict=True), []
    except msgspec.ValidationError as exc:
        return None, check(doc, cls) or [doc.problem((), str(exc))]


def check(doc: Document, cls: type[Any]) -> list[Problem]:
    """All the places where the document does not fit `cls`."""
    problems: list[Problem] = []
    _Walker(doc, problems).walk(doc.data, _type_info(cls), ())
    return problems


_TYPE_INFO: dict[type[Any], mi.Type] = {}


def _type_info(cls: type[Any]) -> mi.Type:
    """The type information of `cls`, worked out once per process."""
    if cls not in _TYPE_INFO:
        _TYPE_INFO[cls] = mi.type_info(cls)
    return _TYPE_INFO[cls]


def describe(t: mi.Type) -> str:
    """A type as an author would say it."""
    t = _bare(t)
    names = {
        mi.StrType: "text",
        mi.IntType: "a whole number",
        mi.FloatType: "a number",
        mi.BoolType: "true or false",
        mi.DateType: "a date (YYYY-MM-DD)",
        mi.StructType: "a mapping",
        mi.DictType: "a mapping",
        mi.VarTupleType: "a list",
        mi.ListType: "a list",
        mi.NoneType: "nothing",
    }
    if isinstance(t, mi.UnionType):
        return " or ".join(describe(x) for x in t.types if not isinstance(x, mi.NoneType))
    if isinstance(t, mi.LiteralType):
        return "one of " + ", ".join(str(v) for v in t.values)
    return names.get(type(t), type(t).__name__)


def _given(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    return f"{value!r}"


class _Walker:
    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def fail(self, path: PathT, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, message, at_key=at_key))

    def walk(self, value: Any, t: mi.Type, path: PathT) -> None:
        t = _bare(t)
        if isinstance(t, mi.UnionType):
            self._union(value, t, path)
        elif isinstance(t, mi.StructType):
            self._struct(value, t, path)
        elif isinstance(t, (mi.VarTupleType, mi.ListType)):
            if not isinstance(value, list):
                self.fail(path, f"expected a list, got {_given(value)}")
                return
            for i, item in enumerate(value):
                self.walk(item, t.item_type, (*path, i))
        elif isinstance(t, mi.DictType):
            if not isinstance(value, dict):
                self.fail(path, f"expected a mapping, got {_given(value)}")
                return
            for key, item in value.items():
                if not isinstance(key, str):
                    self.fail((*path, key), f"key {key!r} must be text", at_key=True)
                self.walk(item, t.value_type, (*path, key))
        elif isinstance(t, mi.AnyType):
            return
        elif isinstance(t, mi.LiteralType):
            self._literal(value, t, path)
        elif not _fits(value, t):
            hint = "; put it in quotes" if isinstance(t, mi.StrType) and _scalar(value) else ""
            self.fail(path, f"expected {describe(t)}, got {_given(value)}{hint}")
        elif isinstance(t, mi.StrType) and t.pattern and not re.search(t.pattern, value):
            self.fail(path, f"{value!r} is not valid here: {_pattern_hint(t.pattern)}")

    def _union(self, value: Any, t: mi.UnionType, path: PathT) -> None:
        options = [x for x in t.types if not isinstance(x, mi.NoneType)]
        if value is None and len(options) < len(t.types):
            return
        if len(options) == 1:  # an optional value: the one type says more than 'or nothing'
            self.walk(value, options[0], path)
            return
        for option in map(_bare, options):
            if (
                _fits(value, option)
                or (isinstance(value, dict) and isinstance(option, mi.StructType))
                or (isinstance(value, list) and isinstance(option, (mi.VarTupleType, mi.ListType)))
            ):
                self.walk(value, option, path)
                return
        self.fail(path, f"expected {describe(t)}, got {_given(value)}")

    def _literal(self, value: Any, t: mi.LiteralType, path: PathT) -> None:
        if value in t.values and type(value) in {type(v) for v in t.values}:
            return
        allowed = ", ".join(str(v) for v in t.values)
        close = difflib.get_close_matches(str(value), [str(v) for v in t.values], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        if isinstance(value, bool) and ("yes" if value else "no") in t.values:
            word = "yes" if value else "no"
            hint = f' (write "{word}" in quotes: YAML reads a bare {word} as {str(value).lower()})'

        self.fail(path, f"{_given(value)} is not one of {allowed}{hint}")

    def _struct(self, value: Any, t: mi.StructType, path: PathT) -> None:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, got {_given(value)}")
            return
        fields = {f.encode_name: f for f in t.fields}
        for key, item in value.items():
            field = fields.get(key) if isinstance(key, str) else None
            if field is None:
                self._unknown(key, list(fields), (*path, key))
            else:
                self.walk(item, field.type, (*path, key))
        missing = [f.encode_name for f in t.fields if f.required and f.encode_name not in value]
        for name in missing:
            self.fail(path, f"missing required key '{name}'")

    def _unknown(self, key: Any, allowed: list[str], path: PathT) -> None:
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.fail(path, f"unknown key '{key}'; {hint}allowed: {', '.join(allowed)}", at_key=True)


def _bare(t: mi.Type) -> mi.Type:
    """The type under `Annotated[...]` metadata (a pattern stays on the inner type)."""
    return t.type if isinstance(t, mi.Metadata) else t


def _scalar(value: Any) -> bool:
    return isinstance(value, (int, float, bool, dt.date))


def _fits(value: Any, t: mi.Type) -> bool:
    t = _bare(t)
    if isinstance(t, mi.StrType):
        return isinstance(value, str)
    if isinstance(t, mi.BoolType):
        return isinstance(value, bool)
    if isinstance(t, mi.IntType):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(t, mi.FloatType):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(t, mi.DateType):
        return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(t, mi.UnionType):
        return any(_fits(value, x) for x in t.types)
    if isinstance(t, mi.NoneType):
        return value is None
    if isinstance(t, mi.LiteralType):
        return value in t.values
    return False


def _pattern_hint(pattern: str) -> str:
    if pattern.startswith("^https?"):
        return "expected an address starting with http:// or https://"
    return "use lower-case letters, digits and '-' (e.g. 'contract-notice')"
