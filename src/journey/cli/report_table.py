"""`journey report`'s table: aligned lines, one a record and one for where it is.

Apart from the other outputs, so that only the table loads rich.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group
from rich.text import Text

from journey.cli.console import piped
from journey.cli.report import RIGHT, cells, counts
from journey.records.rows import Row, Rows
from journey.text import one_line

TABLE = ("title", "owner", "status", "stage", "done", "open", "deviations", "next deadline",
         "notices", "updated")  # fmt: skip


def table(rows: Rows, console: Console) -> None:
    """Aligned Text cells: a line for each record, then where it is (or what is wrong).

    Built by hand rather than with rich's Table, which takes seconds for 10,000 rows;
    the first line is cut at the terminal's edge, the second wraps. Column widths
    come from the cells' text; the lines are then made and printed a batch at a
    time, so 100,000 rows never exist as rich objects all at once.
    """
    if not rows:
        console.print(Text("no records found"))
        return
    if piped(console):
        console.width = 10_000  # whole cells: nothing is cut to `Library l…` in a file or CI log
    short = {"deviations": "dev", "next deadline": "deadline"}
    # The notices column only where a record's route names statutory notices.
    has_notices = any(r["notices_published"] is not None for r in rows)
    cols = TABLE if has_notices else tuple(k for k in TABLE if k != "notices")
    heads = [short.get(k, k) for k in cols]
    widths = [cell_len(h) for h in heads]
    for row in rows:
        for i, text in enumerate(_row_cells(row, cols)):
            widths[i] = max(widths[i], cell_len(text))
    widths[1] = min(widths[1], 24)  # owner
    over = sum(widths) + 2 * len(widths) - 2 - console.width
    for i, least in ((3, 16), (0, 16), (3, 10), (0, 10)):  # narrow stage and title to fit
        cut = max(0, min(over, widths[i] - least))
        widths[i], over = widths[i] - cut, over - cut
    # A Text printed alone wraps whatever its no_wrap says (rich 15); inside a Group it is cut.
    console.print(Group(_line(heads, widths, "bold", cols)))
    for start in range(0, len(rows), TABLE_BATCH):
        lines: list[Text] = []
        for row in rows[start : start + TABLE_BATCH]:
            cells = _row_cells(row, cols)
            lines.append(_line(cells, widths, "red" if row["error"] else "", cols))
            where = " · ".join(filter(None, [row["reference"], row["route"], row["path"]]))
            style = "red" if row["error"] else "dim"
            lines.append(Text("  " + one_line(row["error"] or where), style=style))
        console.print(Group(*lines))
    console.print(Text(counts(rows)))


TABLE_BATCH = 1000  # rows made into rich lines and printed at a time


def _row_cells(row: Row, cols: tuple[str, ...]) -> list[str]:
    """A row's cells in the table, as one line each (a damaged record's problem goes below)."""
    shown = cells(row) | ({"stage": ""} if row["error"] else {})
    return [one_line(shown[k]) for k in cols]


def _line(cells: list[str], widths: list[int], style: str, cols: tuple[str, ...]) -> Text:
    """One line of the table, each cell fitted to its column, as one Text (a Text a cell
    was most of the time of a 100,000-row table)."""
    fitted = (_fit(c, w, k in RIGHT) for c, k, w in zip(cells, cols, widths, strict=True))
    line = Text("  ".join(fitted), style=style)
    line.no_wrap, line.overflow = True, "ellipsis"
    return line


def _fit(text: str, width: int, right: bool) -> str:
    """`text` cut to `width` cells with an ellipsis and padded, as rich's Text.align does."""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad
