"""The reference for one answer through the terminal: a bare questionary loop, no journey work.

    python benchmarks/qloop.py COUNT

Asks `Question 1` … `Question COUNT` as text prompts, as `journey start` asks the
text checkpoints of the benchmark's text route, and does nothing with the answers.
"""

from __future__ import annotations

import sys

import questionary


def main() -> None:
    count = int(sys.argv[1])
    for n in range(1, count + 1):
        if questionary.text(f"Question {n}").ask() is None:
            return


if __name__ == "__main__":
    main()
