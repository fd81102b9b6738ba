"""`journey export --format ocds`: release packages the official OCDS 1.1.5 schema accepts.

The schemas in tests/ocds/ are the standard's own (Apache-2.0, LICENSE beside them);
the package schema's reference to the release schema is resolved offline.
"""

from __future__ import annotations

import json
import random
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT4

from answers import answers_for
from conftest import Run
from journey.records import rows
from journey.records.atomicfile import write_atomic
from journey.records.checklist import render
from journey.records.opening import route_for
from journey.records.settings import Settings
from journey.routes import ocdsfields
from journey.routes.catalogue import builtin_dir, route_files
from journey.routes.loader import load_route
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record
from ocds_paths import SCHEMA, module_text, ocds_fields

OCDS = Path(__file__).parents[1] / "ocds"
ROUTES = [load_route(p) for p in route_files(builtin_dir())]
SETTINGS = """\
[organisation]
name = "Example Council"
scheme = "GB-SC"
id = "SC000001"

[ocds]
prefix = "ocds-abc123"
"""
PEOPLE = ("Signer of", "Ann Owner")


def _validator() -> jsonschema.Draft4Validator:
    release = json.loads((OCDS / "release-schema.json").read_text(encoding="utf-8"))
    pack = json.loads((OCDS / "release-package-schema.json").read_text(encoding="utf-8"))
    registry: Registry = Registry().with_resource(release["id"], DRAFT4.create_resource(release))
    return jsonschema.Draft4Validator(
        pack, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


VALIDATOR = _validator()


def assert_valid(package: dict[str, Any]) -> None:
    errors = sorted(VALIDATOR.iter_errors(package), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def record(
    folder: Path, route: str, name: str, *, given: dict[str, Any] | None = None,
    finish: bool = False, reference: str = "",
) -> Path:  # fmt: skip
    """A record of `route` in `folder`, with the answers `given`, written as `journey` writes it."""
    loaded = route_for(route)
    assert loaded is not None
    rec = new_record(loaded, title=f"Record {name}", owner="Ann Owner", reference=reference,
                     now="2026-03-01T09:00:00Z")  # fmt: skip
    walk = Walk(loaded, rec, user="Ann Owner", clock=lambda: "2026-03-02T10:00:00Z")
    apply_given(walk, given or {})
    if finish:
        walk.finish()
    path = folder / f"{name}.md"
    write_atomic(path, render(walk))
    return path


def upto(route: str, last: str, seed: int = 1) -> dict[str, Any]:
    """Generated answers for `route` up to and including checkpoint `last`."""
    loaded = route_for(route)
    assert loaded is not None
    answers = answers_for(loaded, seed)
    ids = [c.id for c in loaded.route.checkpoints()]
    return {k: v for k, v in answers.items() if ids.index(k) <= ids.index(last)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "journey.toml").write_text(SETTINGS, encoding="utf-8")
    (tmp_path / "records").mkdir()
    return tmp_path / "records"


def exported(run: Run, *args: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run("export", *args)
    package = json.loads(out) if out.strip() else {}
    if package:
        assert_valid(package)
    return code, package, err


def test_an_empty_record_gives_a_planning_release(run: Run, repo: Path) -> None:
    path = record(repo, "scotland-route-2", "empty", reference="PCS-2026/001")
    code, package, err = exported(run, str(path))
    assert code == 0, err
    (release,) = package["releases"]
    assert release["tag"] == ["planning"]
    assert release["ocid"] == "ocds-abc123-PCS-2026-001"
    assert release["buyer"] == {"id": "GB-SC-SC000001", "name": "Example Council"}
    assert release["tender"]["title"] == "Record empty"
    assert package["publisher"]["name"] == "Example Council"


def test_the_tag_follows_the_stage_reached_and_mapped_answers_are_published(
    run: Run, repo: Path
) -> None:
    route = "scotland-route-3"
    tender = {**upto(route, "tender-deadline"), "procedure": "Restricted procedure",
              "tender-deadline": "2026-05-04", "whole-life-value": "£250,000.50"}  # fmt: skip
    record(repo, route, "a-tender", given=tender)
    record(repo, route, "b-contract", given=answers_for(route_for(route), 3), finish=True)  # type: ignore[arg-type]
    code, package, err = exported(run, str(repo))
    assert code == 0, err
    first, second = package["releases"]
    assert first["tag"] == ["tender"]
    assert first["tender"]["procurementMethod"] == "selective"
    assert first["tender"]["tenderPeriod"]["endDate"] == "2026-05-04T00:00:00Z"
    assert first["tender"]["value"] == {"amount": 250000.5, "currency": "GBP"}
    assert second["tag"] == ["contract"]
    assert second["contracts"][0]["awardID"] == second["awards"][0]["id"]


def test_a_damaged_record_is_refused_and_the_others_are_still_exported(
    run: Run, repo: Path
) -> None:
    record(repo, "scotland-route-1", "good")
    bad = record(
        repo, "scotland-route-1", "edited", given=upto("scotland-route-1", "foi-awareness")
    )
    bad.write_text(bad.read_text(encoding="utf-8").replace("Record edited", "Record EDITED"))
    code, package, err = exported(run, str(repo / "good.md"), str(bad))
    assert code == 1
    assert [r["tender"]["title"] for r in package["releases"]] == ["Record good"]
    assert f"refused: {bad}:" in err
    assert "Traceback" not in err


def test_a_name_the_system_refuses_is_refused_and_the_others_are_still_exported(
    run: Run, repo: Path
) -> None:
    """A path too long for the system is a file that cannot be read, as `verify` says of it:
    one refusal naming it, the other records exported, no traceback."""
    record(repo, "scotland-route-1", "good")
    too_long = str(repo / ("x" * 5000 + ".md"))
    code, package, err = exported(run, str(repo / "good.md"), too_long)
    assert code == 1
    assert [r["tender"]["title"] for r in package["releases"]] == ["Record good"]
    assert f"refused: {too_long}: cannot read" in err
    assert "Traceback" not in err


def test_exporting_on_worker_processes_gives_the_same_package_and_refusals(
    run: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export reads and verifies records on the report's worker pool: the package, the
    order of its releases and the refusals are those of one process."""
    for n in range(4):
        record(repo, "scotland-route-1", f"r{n}", reference=f"PCS-2026/00{n}")
    bad = record(repo, "scotland-route-1", "edited")
    bad.write_text(bad.read_text(encoding="utf-8").replace("Record edited", "Record EDITED"))
    (repo / "notes.md").write_text("# Not a record\n", encoding="utf-8")
    serial = exported(run, str(repo))
    monkeypatch.setattr(rows, "PARALLEL_FROM", 1)
    parallel = exported(run, str(repo))
    assert parallel == serial
    assert serial[0] == 1 and len(serial[1]["releases"]) == 4
    assert serial[2].count("refused: ") == 1


def test_nothing_personal_leaves_a_record_unless_asked(run: Run, repo: Path) -> None:
    path = record(repo, "scotland-route-2", "signed", given=answers_for(route_for("scotland-route-2"), 2), finish=True)  # type: ignore[arg-type]  # fmt: skip
    _, package, _ = exported(run, str(path))
    assert not any(name in json.dumps(package) for name in PEOPLE)
    _, package, _ = exported(run, str(path), "--include-people")
    text = json.dumps(package)
    assert all(name in text for name in PEOPLE)
    milestones = package["releases"][0]["tender"]["milestones"]
    assert {m["type"] for m in milestones} == {"approval"}


def test_export_writes_a_file_and_needs_settings(run: Run, repo: Path, tmp_path: Path) -> None:
    path = record(repo, "scotland-route-1", "one")
    code, out, err = run("export", str(path), "--output", str(tmp_path / "out.json"))
    assert (code, out) == (0, ""), err
    assert_valid(json.loads((tmp_path / "out.json").read_text(encoding="utf-8")))
    (tmp_path / "journey.toml").unlink()
    code, _, err = run("export", str(path))
    assert code == 2
    assert "no journey.toml here or in a folder above; run `journey init` first" in err


def test_bad_ocds_mappings_in_a_route_are_located(run: Run, tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "fixtures" / "routes" / "valid" / "walk.yaml").read_text()
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "kind: money" in line)
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at + 1, f"{indent}ocds: tender.value.amont\n")
    route = tmp_path / "bad.yaml"
    route.write_text("".join(lines), encoding="utf-8")
    code, out, _ = run("validate", str(route))
    assert code == 1
    expected = f"{route}:{at + 2}:{len(indent) + 7}:"
    assert expected in out and "did you mean tender.value.amount?" in out, out


def test_an_answer_must_fit_the_field_it_feeds(run: Run, tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "fixtures" / "routes" / "valid" / "walk.yaml").read_text()
    route = tmp_path / "bad.yaml"
    route.write_text(
        text.replace("kind: money\n", "kind: money\n            ocds: awards.date\n", 1)
    )
    code, out, _ = run("validate", str(route))
    assert code == 1 and "a money answer cannot feed awards.date (a date-time)" in out, out


def test_the_field_table_matches_the_vendored_schema() -> None:
    fields = ocds_fields(json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert ocdsfields.FIELDS == fields, (
        "run: python tests/ocds_paths.py > src/journey/routes/ocdsfields.py"
    )
    assert module_text(fields).count("\n") > 10


@settings(max_examples=60, deadline=None)
@given(
    route=st.sampled_from(ROUTES),
    seed=st.integers(0, 10_000),
    share=st.floats(0, 1),
    people=st.booleans(),
)
def test_every_shipped_route_exports_valid_releases_along_random_paths(
    route: Any, seed: int, share: float, people: bool
) -> None:
    from journey.cli.export import _release
    from journey.records import ocds

    config = Settings("Example Council", "GB-SC", "SC000001", "ocds-abc123")
    rng = random.Random(seed)
    rec = new_record(route, title="Random", owner="Ann Owner", reference=f"R-{seed}",
                     now="2026-03-01T09:00:00Z")  # fmt: skip
    walk = Walk(route, rec, user="Ann Owner", clock=lambda: "2026-03-02T10:00:00Z")
    apply_given(walk, answers_for(route, rng, share))
    if not walk.missing() and rng.random() < 0.5:
        walk.finish()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.md"
        write_atomic(path, render(walk))
        release, problems = _release(path, config, people)
    assert release is not None, problems
    assert release["tag"][0] in ocds.TAGS
    assert_valid(ocds.package([release], config, None))


@pytest.mark.parametrize(
    ("last", "tag"),
    [("ppn-published", "planning"), ("tender-notice-published", "tender"),
     ("can-published", "award"), ("contract-entered", "contract")],
)  # fmt: skip
def test_procurement_act_records_reach_the_platforms_stages(
    run: Run, repo: Path, last: str, tag: str
) -> None:
    route = "uk-pa2023-open"
    loaded = route_for(route)
    assert loaded is not None
    kinds = {c.id: c.kind for c in loaded.route.checkpoints()}
    # Generated answers, but dates in an order the Act allows (the route refuses others).
    answers = {k: v for k, v in upto(route, last, seed=4).items() if kinds[k] != "date"}
    dates = {"tender-notice-published": "2026-01-05", "tender-deadline": "2026-02-20",
             "can-published": "2026-03-02", "contract-entered": "2026-04-01"}  # fmt: skip
    answers |= {k: v for k, v in dates.items() if k in upto(route, last, seed=4)}
    path = record(repo, route, "pa", given=answers)
    code, package, err = exported(run, str(path))
    assert code == 0, err
    (release,) = package["releases"]
    assert release["tag"] == [tag], sorted(answers)
    assert "value" not in release["tender"]  # the routes' estimate includes VAT: OCDS amount is net


def test_codes_must_name_real_choices_and_real_codes(run: Run, tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "fixtures" / "routes" / "valid" / "walk.yaml").read_text()
    at = text.index("kind: choice\n") + len("kind: choice\n")
    codes = (
        "            ocds: tender.mainProcurementCategory\n"
        "            ocds-codes: [{choice: Gods, code: goods}, {choice: Works, code: building}]\n"
    )
    route = tmp_path / "bad.yaml"
    route.write_text(text[:at] + codes + text[at:], encoding="utf-8")
    code, out, _ = run("validate", str(route))
    assert code == 1
    assert "ocds-codes[0].choice: 'Gods' is not a choice of" in out, out
    assert "ocds-codes[1].code: 'building' is not a code of tender.mainProcurementCategory" in out


def test_a_folder_is_searched_as_report_searches_it(run: Run, repo: Path) -> None:
    record(repo, "scotland-route-1", "kept")
    (repo / "notes.md").write_text("# Notes, not a record\n", encoding="utf-8")
    hidden = repo / ".drafts"
    hidden.mkdir()
    record(hidden, "scotland-route-1", "hidden")
    code, package, err = exported(run)  # no RECORD: the records folder of journey.toml
    assert code == 0, err
    assert [r["tender"]["title"] for r in package["releases"]] == ["Record kept"]


def test_two_records_with_one_reference_are_not_one_procurement(run: Run, repo: Path) -> None:
    record(repo, "scotland-route-1", "a-first", reference="GC/2026/001")
    second = record(repo, "scotland-route-1", "b-second", reference="GC/2026/001")
    code, package, err = exported(run, str(repo))
    assert code == 1
    assert [r["tender"]["title"] for r in package["releases"]] == ["Record a-first"]
    assert f"refused: {second}: same ocid ocds-abc123-GC-2026-001 as " in err
