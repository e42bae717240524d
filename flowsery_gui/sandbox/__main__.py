"""`python -m flowsery_gui.sandbox`: the same as the `flowsery-sandbox` command."""

from __future__ import annotations

from flowsery_gui.sandbox.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
