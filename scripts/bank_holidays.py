"""Regenerate src/journey/walk/bank_holidays.json from the installed `holidays` package.

Run from the repository root after `holidays` changes version in the lock file
(tests/walk/test_bank_holiday_table.py fails until it is run):

    python scripts/bank_holidays.py

The table holds, for each of journey's calendars and each year of YEARS, the
bank holidays `holidays` gives, and the version that gave them: journey reads
it only while that very version is installed (importing `holidays` and building
its first calendar takes a worker of `report` about 170 ms), and asks `holidays`
itself for any other year or version.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from journey.walk.deadlines import SUBDIVISIONS, TABLE_YEARS, holidays_of

TABLE = Path(__file__).resolve().parents[1] / "src" / "journey" / "walk" / "bank_holidays.json"


def table() -> dict[str, object]:
    """The table as it is written: the version, then calendar -> year -> ISO dates."""
    return {
        "holidays": metadata.version("holidays"),
        "calendars": {
            calendar: {
                str(year): sorted(d.isoformat() for d in holidays_of(year, calendar))
                for year in TABLE_YEARS
            }
            for calendar in SUBDIVISIONS
        },
    }


if __name__ == "__main__":
    TABLE.write_text(json.dumps(table(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {TABLE}")
