"""benchmarks/run.py runs as committed: its quick mode measures every figure and prints the table.

Not a timing: the quick mode judges no budget. It catches a benchmark that no longer
starts (an import order, a moved module), a command it times that fails, or a
figure that went missing from the table.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"
JOURNEY = Path(sys.executable).parent / "journey"

pytestmark = pytest.mark.skipif(not JOURNEY.exists(), reason="the journey command is not installed")


@pytest.mark.parametrize("group", ["startup", "records"])
def test_the_quick_benchmark_runs_and_prints_every_figure(group: str) -> None:
    args = [sys.executable, str(RUN), "--quick", "--only", group, "--records", "12"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, cwd=RUN.parent)
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    assert "QUICK: budgets not judged" in table
    wanted = {
        "startup": ["python -c pass", "journey --version", "journey routes", "journey validate"],
        "records": [
            "report --format json, 12 records, cold",
            "verify, 12 records, warm (cache)",
            "report --format html, 12 records, cold",
            "export, 12 records, cold",
            "report --format html, 12 records, warm (cache)",
        ],
    }[group]
    for figure in wanted:
        assert figure in table
    assert "exit status" not in table, table
