"""`journey init`: write a records repository's settings (journey.toml), asking for each value.

Flags give values in advance; `--no-input` never asks, and a missing value is an
error naming its flag. What is written is read back through the same checks
`journey export` uses, so `init` cannot write a file that the others refuse.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from journey.errors import InvalidFile, UsageError
from journey.records import settings

# field -> (flag, question, default)
QUESTIONS: dict[str, tuple[str, str, str | None]] = {
    "name": ("--name", "Organisation name, as published", None),
    "scheme": (
        "--scheme",
        "Identifier scheme (an org-id.guide list code, e.g. GB-COH)",
        None,
    ),
    "org_id": ("--id", "The organisation's identifier in that scheme", None),
    "prefix": ("--prefix", "OCDS ocid prefix (ocds- and six letters or digits)", None),
    "currency": ("--currency", "Currency of values", "GBP"),
    "nation": (
        "--nation",
        "Default nation for `journey choose`, or none (" + ", ".join(settings.NATIONS) + ")",
        None,
    ),
    "records": ("--records", "Records folder, relative to journey.toml", "records"),
}


REQUIRED = ("name", "scheme", "org_id", "prefix")


def run_init(given: dict[str, str | None], *, folder: Path, no_input: bool, force: bool) -> Path:
    """Ask for what is missing, check it all, write journey.toml; return its path."""
    target = folder / settings.NAME
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; use --force to replace it")
    values = dict(given)
    for field, (_flag, question, default) in QUESTIONS.items():
        if values.get(field) is None:
            values[field] = default if no_input else _ask(question, default)
    missing = [QUESTIONS[f][0] for f in REQUIRED if values.get(f) in (None, "")]
    if missing and no_input:
        raise UsageError(f"--no-input needs {', '.join(missing)}")
    chosen = settings.Settings(**{k: v or "" for k, v in values.items()})  # type: ignore[arg-type]
    text = settings.render(dataclasses.replace(chosen, nation=chosen.nation or None))
    try:
        settings.parse(text, str(target))
    except InvalidFile as exc:
        raise UsageError(_flag_words(exc)) from None
    target.write_text(text, encoding="utf-8")
    return target


def _flag_words(exc: InvalidFile) -> str:
    """Problems in a file not yet written, named by the flag that gives the value."""
    flags = {"organisation.id": "--id", "organisation.name": "--name", "organisation.scheme": "--scheme",
             "ocds.prefix": "--prefix", "ocds.currency": "--currency", "journey.nation": "--nation",
             "journey.records": "--records"}  # fmt: skip
    return "\n".join(f"{flags.get(p.path, p.path)}: {p.message}" for p in exc.problems)


def _ask(question: str, default: str | None) -> str:
    import questionary

    from journey.cli.asking import ask

    return str(ask(questionary.text(question + ":", default=default or ""))).strip()
