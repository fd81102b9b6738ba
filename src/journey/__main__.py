"""Entry point: `python -m journey` and the `journey` console script."""

from journey.cli.main import main

if __name__ == "__main__":
    main()
