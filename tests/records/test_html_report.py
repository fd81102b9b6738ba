"""`journey report --format html`: one self-contained page, checked as text and in Chromium.

The browser tests run the system's Chromium headless (`apt-get install chromium`, as
.ci/run does); where none is found they are skipped, saying so. They read the page's
DOM after its script ran (`--dump-dom`), so what is checked is what a reader gets.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from test_report import TODAY_EPOCH, build_repo, notices_repo

from conftest import Run
from journey.cli.html import COLUMNS, page
from journey.cli.report import FIELDS

TODAY = dt.date(2026, 11, 23)
HOSTILE = '<script>alert("x")</script> & "quoted" \'single\' <img src=x onerror=alert(1)>'


def chromium() -> str | None:
    """The browser to test with: $JOURNEY_CHROMIUM, else chromium on the PATH."""
    for name in (os.environ.get("JOURNEY_CHROMIUM", ""), "chromium", "chromium-browser"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


needs_browser = pytest.mark.skipif(
    chromium() is None,
    reason="Chromium not found: install it (apt-get install chromium) or set JOURNEY_CHROMIUM",
)


def browse(html_file: Path, *extra: str) -> str:
    """The page's DOM once loaded and its scripts ran, from headless Chromium."""
    browser = chromium()
    assert browser is not None
    profile = html_file.parent / f"profile-{html_file.stem}"
    args = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", *extra]  # fmt: skip
    done = subprocess.run(
        [*args, "--dump-dom", html_file.as_uri()], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def row(n: int, **changes: Any) -> dict[str, Any]:
    """A sound report row, as `journey report` builds them."""
    base: dict[str, Any] = dict.fromkeys(FIELDS) | {
        "title": f"Procurement {n:05d}", "reference": f"REF-{n}", "route": "scotland-route-2",
        "owner": f"Owner {n % 7}", "status": "in-progress", "stage": "3. Develop Documents",
        "done": n % 50, "total": 50, "percent": 2 * (n % 50), "required_outstanding": 50 - n % 50,
        "deviations": n % 3, "next_deadline": f"2026-12-{1 + n % 28:02d}",
        "next_deadline_label": "Contract award notice due on PCS", "next_deadline_past": False,
        "next_deadline_state": "due",
        "updated": "2026-11-20T09:30:00Z", "path": f"records/r{n}.md",
        "deadlines": [{"label": "Standstill ends", "date": "2026-11-01", "settled": "governed"}],
    }  # fmt: skip
    return base | changes


class Cells(HTMLParser):
    """The text of each body row's cells, and the attributes of headers and script tags."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.heads: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if tag in ("td", "tr"):
            self._close()  # the page leaves out the optional </td> and </tr>
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.rows.append([])
        elif tag == "td" and self._in_body:
            self._cell = []
        elif tag == "th":
            self.heads.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "tr", "tbody"):
            self._close()
        if tag == "tbody":
            self._in_body = False

    def _close(self) -> None:
        if self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def cells(text: str) -> Cells:
    parser = Cells()
    parser.feed(text)
    return parser


def test_every_field_is_escaped() -> None:
    hostile = dict.fromkeys(("title", "reference", "owner", "stage", "path"), HOSTILE)
    text = page([row(1, **hostile), row(2, error=HOSTILE, **hostile)], HOSTILE, TODAY, HOSTILE)
    assert "<script>alert" not in text and "<img" not in text
    parsed = cells(text)
    assert parsed.tags <= {"html", "head", "meta", "title", "style", "body", "main", "h1", "p",
                           "div", "label", "input", "select", "option", "span", "table",
                           "caption", "thead", "tr", "th", "tbody", "td", "small", "ul", "li",
                           "script", "time"}  # fmt: skip
    assert HOSTILE in parsed.rows[0][0] and HOSTILE in parsed.rows[1][3]


def test_rows_given_once_over_make_the_same_page() -> None:
    """The page reads its rows twice (statuses first): rows that can be read only once are
    kept, not lost from the table."""
    rows = [row(1), row(2, error="bad")]
    assert page(iter(rows), "2 records", TODAY) == page(rows, "2 records", TODAY)
    assert page(iter(rows), "2 records", TODAY).count("<tr") == 3  # the heading and two rows


def test_the_page_asks_for_nothing_from_the_network() -> None:
    text = page([row(1)], "1 record", TODAY)
    assert not re.search(r"""(src|href)\s*=|url\(|@import|https?://""", text)
    assert "default-src 'none'" in text


def test_the_table_is_accessible_without_script() -> None:
    parsed = cells(page([row(1)], "1 record", TODAY))
    assert [h.get("scope") for h in parsed.heads] == ["col"] * len(COLUMNS)
    assert "caption" in parsed.tags
    assert len(parsed.rows[0]) == len(COLUMNS)


def test_ten_thousand_records_make_a_page_under_5_mb() -> None:
    text = page([row(n) for n in range(10_000)], "10000 records", TODAY)
    assert len(text.encode("utf-8")) < 5_000_000
    assert len(cells(text).rows) == 10_000


def test_report_writes_the_page_with_damaged_records_as_rows(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    build_repo(tmp_path)
    code, out, err = run("report", str(tmp_path), "--format", "html", "--sort", "title")
    assert code == 1, err
    parsed = cells(out)
    assert len(parsed.rows) == 9
    assert [r[2] for r in parsed.rows].count("damaged") == 3
    assert "Deadlines as of 2026-11-23" in out


def sorted_by(dom: str, column: int) -> list[str]:
    return [r[column] for r in cells(dom).rows]


@needs_browser
def test_chromium_shows_every_row_and_sorts_by_a_clicked_heading(tmp_path: Path) -> None:
    rows = [row(n, title=t) for n, t in enumerate(["Bravo", "alpha", "Charlie", "delta"])]
    text = page(rows, "4 records", TODAY)
    plain = tmp_path / "plain.html"
    plain.write_text(text, encoding="utf-8")
    dom = browse(plain)
    assert [r[0].split("REF")[0] for r in cells(dom).rows] == ["Bravo", "alpha", "Charlie", "delta"]
    assert 'id="tools" hidden' not in dom  # the script ran and showed the controls
    click = "<script>document.querySelectorAll('th button')[0].click();</script></body>"
    clicked = tmp_path / "clicked.html"
    clicked.write_text(text.replace("</body>", click), encoding="utf-8")
    dom = browse(clicked)
    assert [r[0].split("REF")[0] for r in cells(dom).rows] == ["alpha", "Bravo", "Charlie", "delta"]
    assert 'aria-sort="ascending"' in dom


@needs_browser
def test_chromium_sorts_numbers_as_numbers_and_filters(tmp_path: Path) -> None:
    rows = [row(n, deviations=d) for n, d in enumerate([10, 2, 33, 1])]
    script = ("<script>var b=document.querySelectorAll('th button');b[6].click();b[6].click();"
              "var f=document.getElementById('filter');f.value='REF-2';"
              "f.dispatchEvent(new Event('input'));</script></body>")  # fmt: skip
    path = tmp_path / "numbers.html"
    path.write_text(page(rows, "4 records", TODAY).replace("</body>", script), encoding="utf-8")
    dom = browse(path)
    assert sorted_by(dom, 6) == ["33", "10", "2", "1"]
    assert len(re.findall(r"<tr[^>]* hidden", dom)) == 3 and "1 of 4 shown" in dom


@needs_browser
def test_chromium_with_javascript_off_still_shows_the_table(tmp_path: Path) -> None:
    path = tmp_path / "nojs.html"
    text = page([row(1), row(2)], "2 records", TODAY)
    off = text.replace("script-src 'unsafe-inline'", "script-src 'none'")  # the browser runs none
    assert off != text
    path.write_text(off, encoding="utf-8")
    dom = browse(path)
    assert len(cells(dom).rows) == 2
    assert 'id="tools" hidden' in dom  # no controls that would not work
    assert 'id="hint" hidden' in dom  # nor an offer to sort


@needs_browser
def test_chromium_opens_the_page_of_ten_thousand_records(tmp_path: Path) -> None:
    path = tmp_path / "big.html"
    path.write_text(page([row(n) for n in range(10_000)], "10000 records", TODAY), "utf-8")
    dom = browse(path)
    assert len(cells(dom).rows) == 10_000


def test_the_page_has_a_notices_column_from_the_report(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TODAY_EPOCH)
    notices_repo(tmp_path)
    code, out, err = run("report", str(tmp_path), "--format", "html", "--sort", "title")
    assert code == 0, err
    at = [name for name, _ in COLUMNS].index("Notices")
    assert [r[at] for r in cells(out).rows] == [
        "1 due1 published", "1 overdue1 published", ""]  # fmt: skip


@needs_browser
def test_chromium_sorts_by_overdue_notices_and_shows_them_without_script(tmp_path: Path) -> None:
    counts = [(2, 0, 1), (0, 3, 0), (None, None, None), (1, 1, 4)]
    rows = [row(n, notices_published=p, notices_due=d, notices_overdue=o)
            for n, (p, d, o) in enumerate(counts)]  # fmt: skip
    text = page(rows, "4 records", TODAY)
    at = [name for name, _ in COLUMNS].index("Notices")
    off = tmp_path / "off.html"
    off.write_text(text.replace("script-src 'unsafe-inline'", "script-src 'none'"), "utf-8")
    assert sorted_by(browse(off), at) == [
        "1 overdue2 published",
        "3 due",
        "",
        "4 overdue1 due1 published",
    ]
    click = f"<script>document.querySelectorAll('th button')[{at}].click();</script></body>"
    clicked = tmp_path / "clicked.html"
    clicked.write_text(text.replace("</body>", click), encoding="utf-8")
    assert sorted_by(browse(clicked), at) == [
        "",
        "3 due",
        "1 overdue2 published",
        "4 overdue1 due1 published",
    ]
