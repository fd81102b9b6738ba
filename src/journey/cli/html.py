"""`journey report --format html`: the pipeline as one self-contained page a browser can open.

No network request: the styles and the script are inline, and a Content-Security-Policy
forbids anything else. The table is complete without JavaScript (real headers, a
caption, rows in the report's order); the script only adds sorting by any column and
filtering. Narrow screens show each record as a card. Every value from a record is
HTML-escaped. Rows are strings joined once, so the page grows linearly with records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from journey.records.rows import status_of
from journey.records.summary import state_on
from journey.text import html

Row = dict[str, Any]
# header, and whether its cells sort by a hidden key (data-v) rather than their text
COLUMNS = (
    ("Procurement", False), ("Owner", False), ("Status", False), ("Stage", False),
    ("Progress", True), ("Open", True), ("Deviations", True), ("Next deadline", True),
    ("Missed deadlines", True), ("Notices", True), ("Updated", False),
)  # fmt: skip

STYLE = """
:root{color:#1b1b1b;background:#fff;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
body{margin:0 auto;max-width:90rem;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}
.tools{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.8rem 0}
.tools[hidden]{display:none}
input,select{font:inherit;padding:.3rem .4rem;border:1px solid #595959;border-radius:3px}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:600;padding:.4rem 0}
th,td{padding:.4rem .5rem;border-bottom:1px solid #b1b4b6;text-align:left;vertical-align:top}
thead th{background:#0b3d59;color:#fff;position:sticky;top:0}
th button{all:inherit;cursor:pointer;padding:0}
th button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #fd0;outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
td:nth-child(5),td:nth-child(6),td:nth-child(7){text-align:right}
time,td:nth-child(3),td:nth-child(11){white-space:nowrap}
td:nth-child(9){font-size:.9em;min-width:12rem}
tr.bad{background:#fde8e8}
.p{color:#a4000f;font-weight:600}
small{display:block;color:#4b4b4b}
ul{margin:0;padding-left:1rem}
@media (max-width:48rem){
 table,caption,tbody,tr,td{display:block}
 thead,thead tr{display:flex;flex-wrap:wrap;gap:.3rem;background:#0b3d59;margin-bottom:.6rem}
 thead th{display:block;position:static;border:0}
 td:empty{display:none}
 tbody tr{border:1px solid #b1b4b6;margin:0 0 .8rem;padding:.3rem}
 td{border:0;padding:.15rem .3rem}
 td:nth-child(n){text-align:left}
 td::before{font-weight:600;display:inline-block;min-width:9rem}
""" + "".join(
    f' td:nth-child({i})::before{{content:"{name}: "}}\n'
    for i, (name, _) in enumerate(COLUMNS, 1)
) + "}\n"  # fmt: skip

SCRIPT = """
(function(){
var table=document.getElementById("pipeline"),body=table.tBodies[0],rows=[].slice.call(body.rows);
var tools=document.getElementById("tools"),filter=document.getElementById("filter"),
status=document.getElementById("status"),shown=document.getElementById("shown");
tools.hidden=false;document.getElementById("hint").hidden=false;
var keys=rows.map(function(r){return r.textContent.toLowerCase();});
function key(row,i){var c=row.cells[i];
 return c.hasAttribute("data-v")?c.getAttribute("data-v"):c.textContent.trim().toLowerCase();}
function cmp(a,b){var x=parseFloat(a),y=parseFloat(b);
 if(!isNaN(x)&&!isNaN(y)&&String(x)===a&&String(y)===b)return x-y;return a<b?-1:a>b?1:0;}
[].forEach.call(table.tHead.rows[0].cells,function(th,i){
 var b=document.createElement("button");b.type="button";b.textContent=th.textContent;
 th.textContent="";th.appendChild(b);
 b.addEventListener("click",function(){
  var up=th.getAttribute("aria-sort")!=="ascending";
  [].forEach.call(table.tHead.rows[0].cells,function(h){h.removeAttribute("aria-sort");});
  th.setAttribute("aria-sort",up?"ascending":"descending");
  var order=rows.map(function(r,n){return [key(r,i),n,r];});
  order.sort(function(p,q){return (up?1:-1)*cmp(p[0],q[0])||p[1]-q[1];});
  var frag=document.createDocumentFragment();order.forEach(function(p){frag.appendChild(p[2]);});
  body.appendChild(frag);});});
function apply(){var q=filter.value.trim().toLowerCase(),s=status.value,n=0;
 rows.forEach(function(r,i){var ok=(!q||keys[i].indexOf(q)>=0)&&(!s||r.cells[2].textContent===s);
  r.hidden=!ok;if(ok)n++;});shown.textContent=n+" of "+rows.length+" shown";}
filter.addEventListener("input",apply);status.addEventListener("change",apply);
})();
"""


def e(value: Any) -> str:
    """A value as safe HTML text, also inside a quoted attribute (journey.text.html: control
    characters shown as visible escapes, as in every other output)."""
    return html("" if value is None else str(value))


def page(
    rows: Iterable[Row], counts: str, today: dt.date, title: str = "Procurement pipeline"
) -> str:
    """The whole page: one row per record, in the order given."""
    rows = list(rows)
    return "".join(pieces(rows, {status_of(r) for r in rows}, counts, today, title))


def pieces(
    rows: Iterable[Row],
    seen: set[str],
    counts: str,
    today: dt.date,
    title: str = "Procurement pipeline",
) -> Iterator[str]:
    """The page in pieces, a row at a time, so that 100,000 rows are never one string; `seen`
    holds the rows' statuses (`status_of`), for the filter above them."""
    head = "".join(f'<th scope="col">{e(name)}</th>' for name, _ in COLUMNS)
    options = "".join(f'<option value="{e(s)}">{e(s)}</option>' for s in sorted(seen))
    yield f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{e(title)}</h1>
<p>{e(counts)}. Deadlines as of {today.isoformat()}.</p>
<div class="tools" id="tools" hidden>
<label>Filter <input type="search" id="filter" autocomplete="off"></label>
<label>Status <select id="status"><option value="">all</option>{options}</select></label>
<span id="shown" role="status"></span>
</div>
<table id="pipeline">
<caption>{e(title)}: one row per record.<span id="hint" hidden> Choose a column heading to sort by it.</span></caption>
<thead><tr>{head}</tr></thead>
<tbody>
"""
    for n, r in enumerate(rows):
        yield ("\n" if n else "") + _row(r, today)
    yield f"""
</tbody>
</table>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _row(row: Row, today: dt.date) -> str:
    """One record's row; a damaged record shows its problem where its stage would be."""
    where = " · ".join(filter(None, [row["reference"], row["route"]]))
    title = e(row["title"] or "(unreadable)") + _small(where) + _small(row["path"])
    updated = e((row["updated"] or "")[:10])
    if row["error"]:
        cells = [
            title,
            e(row["owner"]),
            "damaged",
            e(row["error"]),
            "",
            "",
            "",
            "",
            "",
            "",
            updated,
        ]
        keys: list[str | None] = [None, None, None, None, "-1", "-1", "-1", None, "-1", "-1", None]
        return _tr(' class="bad"', cells, keys)
    # Deadlines missed: a governed date entered late, or gone by with no date entered.
    missed = [
        d
        for d in row.get("deadlines") or []
        if state_on(d["settled"], d["date"], today) == "missed"
    ]
    cells = [
        title, e(row["owner"]), e(row["status"]), e(row["stage"]),
        f"{row['percent']}%<small>{row['done']} of {row['total']}</small>",
        e(row["required_outstanding"]), e(row["deviations"]), _due(row), _missed(missed),
        _notices(row), updated,
    ]  # fmt: skip
    # Sort keys where the text would sort wrongly; numbers and ISO dates sort as they read.
    keys = [None, None, None, None, str(row["percent"]), None, None, None, str(len(missed)),
            _notices_key(row), None]  # fmt: skip
    return _tr("", cells, keys)


def _tr(klass: str, cells: list[str], keys: list[str | None]) -> str:
    """A row without the optional end tags (HTML allows it): 10,000 rows stay under 5 MB."""
    tds = (
        f'<td data-v="{key}">{cell}' if key is not None else f"<td>{cell}"
        for cell, key in zip(cells, keys, strict=True)
    )
    return f"<tr{klass}>{''.join(tds)}"


def _due(row: Row) -> str:
    if not row["next_deadline"]:
        return ""
    state = row["next_deadline_state"]
    klass = " class=p" if state == "missed" else ""
    date = f"<time{klass}>{e(row['next_deadline'])}</time> {e(state)}"
    return date + _small(row["next_deadline_label"])


def _notices(row: Row) -> str:
    """Statutory notices by state, overdue first and marked; empty for a route with none."""
    if row.get("notices_published") is None:
        return ""
    counts = ((row["notices_overdue"], "overdue", " class=p"), (row["notices_due"], "due", ""),
              (row["notices_published"], "published", ""))  # fmt: skip
    items = "".join(f"<li{k}>{n} {state}" for n, state, k in counts if n)
    return f"<ul>{items}</ul>" if items else "none due yet"


def _notices_key(row: Row) -> str:
    """Sorts by overdue notices, then due ones; a route without notices first."""
    if row.get("notices_published") is None:
        return "-1"
    return str(1000 * (row["notices_overdue"] or 0) + (row["notices_due"] or 0))


def _small(text: Any) -> str:
    return f"<small>{e(text)}</small>" if text else ""


def _missed(missed: list[dict[str, Any]]) -> str:
    if not missed:
        return ""
    items = "".join(f"<li><time class=p>{e(d['date'])}</time> {e(d['label'])}" for d in missed)
    return f"<ul>{items}</ul>"
