"""`python -m flowsery_gui.cli`: the same as the `flowsery-goal` command."""

from flowsery_gui.cli import main

raise SystemExit(main())
