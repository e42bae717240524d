"""`flowsery-gui` and `python -m flowsery_gui`: open the goal tester window."""

from __future__ import annotations

import time

_STARTED = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the window."""
    from flowsery_gui.ui.app import run

    return run(argv, started=_STARTED)


if __name__ == "__main__":
    raise SystemExit(main())
