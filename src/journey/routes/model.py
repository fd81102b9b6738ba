"""The route format, declared once.

These frozen structs are the single definition of a route file: the checker
walks YAML against them (with line numbers), msgspec builds them, and
`journey schema` prints the JSON Schema generated from them.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

Kind = Literal[
    "confirm", "text", "choice", "multi-choice", "date", "money", "number", "evidence", "sign-off"
]
KINDS: tuple[Kind, ...] = (
    "confirm",
    "text",
    "choice",
    "multi-choice",
    "date",
    "money",
    "number",
    "evidence",
    "sign-off",
)
Id = Annotated[
    str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", description="lower-case words joined by '-'")
]
Url = Annotated[str, msgspec.Meta(pattern=r"^https?://\S+$", description="an http(s) address")]
Scalar = str | int | float | bool
OcdsField = Annotated[
    str,
    msgspec.Meta(
        pattern=r"^(planning|tender|awards|contracts)(\.[A-Za-z]+)+$",
        description="an OCDS release field path, e.g. tender.value.amount",
    ),
]
NoticeId = Annotated[
    str, msgspec.Meta(pattern=r"^UK[0-9]{1,2}$", description="a notice of journeys/notices.yaml")
]
Calendar = Literal["scotland", "england-and-wales", "northern-ireland", "united-kingdom"]


class _Strict(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, rename="kebab", omit_defaults=True
):
    """Base for every part of a route: immutable, no unknown keys, kebab-case keys.

    Defaults are left out when a route is encoded, so the digest records pin a route by
    does not change when the route format gains an optional key the route does not use.
    """


class Source(_Strict, frozen=True):
    """A document a route draws on, listed once at the top of the route."""

    id: str
    title: str
    url: Url
    checked: str | None = None  # YYYY-MM-DD: when this route was last checked against it


class Basis(_Strict, frozen=True):
    """The rule a checkpoint rests on: an act, regulation, policy note or guidance page."""

    ref: str
    url: Url | None = None
    source: str | None = None


class Link(_Strict, frozen=True):
    """A page or template the buyer may want open while working on a step."""

    title: str
    url: Url


class Condition(_Strict, frozen=True):
    """When a checkpoint applies: declarative data, never code.

    Exactly one of `all`, `any`, `not` or `answer`; with `answer`, exactly one of
    `equals`, `one-of`, `at-least`, `below` or `answered`.
    """

    all: tuple[Condition, ...] | None = None
    any: tuple[Condition, ...] | None = None
    not_: Condition | None = msgspec.field(default=None, name="not")
    answer: Id | None = None
    equals: Scalar | None = None
    one_of: tuple[str, ...] | None = None
    at_least: float | None = None
    below: float | None = None
    answered: bool | None = None


class OcdsCode(_Strict, frozen=True):
    """The OCDS code a choice is published as ("" for a choice that is not published)."""

    choice: str
    code: str


class Checkpoint(_Strict, frozen=True):
    """One compliance question the buyer answers, with the rule behind it.

    For a confirm, `expect` is the compliant answer (default yes): a mandatory
    confirm answered otherwise is a deviation, recorded with its reason. A
    question where "no" is the compliant answer (is this business critical?)
    sets `expect: no`; a factual question that only steers conditions sets
    `expect: either`.
    """

    id: Id
    prompt: str
    kind: Kind
    required: bool = True
    expect: Literal["yes", "no", "either"] | None = None
    help: str = ""
    choices: tuple[str, ...] = ()
    basis: tuple[Basis, ...] = ()
    when: Condition | None = None
    role: str | None = None
    distinct_from: tuple[Id, ...] = ()
    ocds: OcdsField | None = None  # the OCDS release field its answer feeds (docs/open-data.md)
    ocds_codes: tuple[OcdsCode, ...] = ()  # the OCDS code of each choice
    notice: NoticeId | None = None  # the statutory notice it concerns, from journeys/notices.yaml
    notes: str = ""  # for route authors and reviewers only: never shown in a walk or record
    integer: bool = False  # number: whole numbers only (a count of suppliers)
    min: float | None = None  # number: the least value allowed
    max: float | None = None  # number: the greatest value allowed
    allow_none: bool = False  # optional: "none" is an answer here (no request came), not a skip


class Step(_Strict, frozen=True):
    """A station: guidance to read, then the checkpoints to confirm."""

    id: Id
    title: str
    guidance: str = ""
    links: tuple[Link, ...] = ()
    templates: tuple[Link, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    notes: str = ""  # for route authors and reviewers only


class Stage(_Strict, frozen=True):
    """A zone of the journey: strategy, documents, tender, award..."""

    id: Id
    title: str
    summary: str = ""
    steps: tuple[Step, ...] = ()
    notes: str = ""  # for route authors and reviewers only


class Deadline(_Strict, frozen=True):
    """A date that follows from a date the buyer enters, e.g. the end of standstill."""

    id: Id
    label: str
    after: Id
    days: int
    working_day: Literal["none", "next", "previous"] = "none"
    basis: tuple[Basis, ...] = ()
    when: Condition | None = None
    # "days": calendar days after the start date; "working-days": the Nth working day
    # counted beginning with the start date (as PA 2023 s.51(2) counts standstill).
    unit: Literal["days", "working-days"] = "days"
    # Whose bank holidays make a day not a working day (default Scotland's); or the
    # nation named by the answer to `calendar-from` (a choice of nation names).
    calendar: Calendar = "scotland"
    calendar_from: Id | None = None
    # With "working-days": calendar days added after the Nth working day (1: the day after a
    # standstill ends, the first day the contract may be entered into).
    plus_days: int = 0
    notice: NoticeId | None = None  # the notice this date is the deadline for
    # The date checkpoint this deadline holds the buyer to: with limit "latest" the date
    # entered must be on or before it (a notice due), with "earliest" on or after it (a
    # minimum tender period). A date that breaks it is a deviation that needs a reason.
    governs: Id | None = None
    limit: Literal["latest", "earliest"] = "latest"


class Route(_Strict, frozen=True):
    """A whole procurement route: ordered stages of ordered steps."""

    id: Id
    title: str
    version: str
    jurisdiction: str
    summary: str
    stages: tuple[Stage, ...]
    sources: tuple[Source, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    reviewed: str | None = None
    notes: str = ""  # for route authors and reviewers only: sources, doubts, decisions

    def checkpoints(self) -> tuple[Checkpoint, ...]:
        """Every checkpoint in walk order."""
        return tuple(c for stage in self.stages for step in stage.steps for c in step.checkpoints)
