"""Regenerate the pictures in docs/pictures/ from the real views, as SVG exported by rich.

Run from the repository root after a change to what the tool shows:

    python scripts/pictures.py

Each picture is drawn by the same function the command uses, on a recording
console of a fixed width, so the pictures match what a user sees.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from rich.console import Console

from journey.cli.choose import advice_view
from journey.cli.prompts import TerminalUI, print_links, review_table
from journey.cli.tubemap import tube_map
from journey.records.atomicfile import write_atomic
from journey.records.checklist import render
from journey.routes.catalogue import find
from journey.routes.thresholds import load_thresholds
from journey.walk.drive import apply_given
from journey.walk.engine import Walk, new_record
from journey.walk.finder import Need, advise

OUT = Path(__file__).resolve().parents[1] / "docs" / "pictures"
WIDTH = 90


def picture(name: str, title: str, draw: Callable[[Console], None], width: int = WIDTH) -> None:
    """Draw on a recording console and save it as docs/pictures/NAME.svg."""
    console = Console(
        record=True, width=width, force_terminal=True, color_system="truecolor", file=io.StringIO()
    )
    draw(console)
    OUT.mkdir(parents=True, exist_ok=True)
    console.save_svg(str(OUT / f"{name}.svg"), title=title)
    print(f"wrote {OUT / name}.svg")


def sample_walk() -> Walk:
    """A Route 2 walk part-way through, with answers a buyer could give."""
    loaded = find("scotland-route-2")
    rec = new_record(
        loaded,
        title="School catering 2027",
        owner="Ann Buyer",
        reference="CAT-27",
        now="2026-11-23T09:00:00Z",
    )
    walk = Walk(loaded, rec, user="Ann Buyer", clock=lambda: "2026-11-23T10:00:00Z")
    answers = {"whole-life-value": "180000", "what-is-bought": "Services"}
    apply_given(walk, answers)
    return walk


def main() -> None:
    route = find("scotland-route-2").route
    here = route.stages[2].steps[0].id
    picture(
        "tube-map",
        "journey show scotland-route-2",
        lambda c: c.print(tube_map(route, current=here)),
    )

    walk = sample_walk()
    nxt = walk.next_open()
    assert nxt is not None
    picture(
        "walk-step",
        "journey start scotland-route-2",
        lambda c: TerminalUI(c).step(walk, walk.places[nxt.id]),
    )

    def finished(console: Console) -> None:
        full = find("scotland-route-1")
        rec = new_record(
            full, title="Printer toner", owner="Ann Buyer", reference="", now="2026-11-23T09:00:00Z"
        )
        w = Walk(full, rec, user="Ann Buyer", clock=lambda: "2026-11-23T10:00:00Z")
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from answers import answers_for

        apply_given(w, answers_for(full, 3))
        console.print(review_table(w))

    picture("review", "journey start: the review before finishing", finished)

    need = Need(
        what="services",
        body="sub-central",
        annual_value=Decimal("60000"),
        years=Decimal(3),
        extension_years=Decimal(1),
        on=dt.date(2026, 11, 23),
    )

    def finder(console: Console) -> None:
        advice = advise(need, load_thresholds())
        console.print(advice_view(advice, need))
        print_links(console, [(f"Source: {row.source}", row.url) for row in advice.cited])

    picture("choose", "journey choose", finder)

    def pipeline(console: Console) -> None:
        from journey.cli.report import run_report

        with tempfile.TemporaryDirectory() as tmp:
            for i, title in enumerate(["School catering 2027", "Library books", "Fleet tyres"]):
                w = sample_walk()
                w.record.title = title
                write_atomic(Path(tmp) / f"records/{i}.md", render(w))
            run_report(
                Path(tmp),
                status=None,
                route=None,
                owner=None,
                sort="title",
                fmt="table",
                console=console,
            )

    picture("report", "journey report", pipeline, width=110)
    html_picture()


def html_picture() -> None:
    """`journey report --format html` as headless Chromium shows it: docs/pictures/report-html.png."""
    import os
    import shutil
    import subprocess

    from journey.cli.html import page
    from journey.cli.report import _counts, collect, find_records

    browser = os.environ.get("JOURNEY_CHROMIUM") or shutil.which("chromium")
    if browser is None:
        print("skipped report-html.png: Chromium not found (apt-get install chromium)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        top = Path(tmp)
        sys.path.insert(0, str(OUT.parents[1] / "tests"))
        from answers import answers_for

        samples = [("School catering 2027", "scotland-route-2", 0.9), ("Library books",
                   "scotland-route-3", 0.6), ("Fleet tyres", "scotland-route-1", 1.0),
                   ("Office cleaning", "scotland-route-2", 0.3)]  # fmt: skip
        for i, (title, route, share) in enumerate(samples):
            loaded = find(route)
            rec = new_record(loaded, title=title, owner="Ann Buyer", reference=f"PJ-{i + 1:03d}",
                             now="2026-11-20T09:00:00Z")  # fmt: skip
            w = Walk(loaded, rec, user="Ann Buyer", clock=lambda: "2026-11-22T10:00:00Z")
            apply_given(w, answers_for(loaded, i + 3, share))
            write_atomic(top / f"records/{title.lower().replace(' ', '-')}.md", render(w))
        today = dt.date(2026, 11, 23)
        rows = collect(top, find_records(top), today)
        (top / "page.html").write_text(page(rows, _counts(rows), today), encoding="utf-8")
        target = OUT / "report-html.png"
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", f"--user-data-dir={top / 'profile'}", "--window-size=1200,700"]  # fmt: skip
        shot = [browser, *flags, f"--screenshot={target}", (top / "page.html").as_uri()]
        subprocess.run(shot, check=True, capture_output=True, timeout=120)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
