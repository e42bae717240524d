"""Flowsery Goal Tester: compose, validate, send and inspect Flowsery custom goal events."""

from __future__ import annotations

import functools

APP_NAME = "Flowsery Goal Tester"
DIST_NAME = "flowsery-goal-tester"


@functools.cache  # every planned send asks (the User-Agent header)
def version() -> str:
    """The installed package version: the one source of truth is the package metadata.

    The `.dist-info` folder's METADATA is read directly: `importlib.metadata` imports the
    `email` package to parse it, about 20 ms of a CLI send's start-up.
    """
    found = _version_from_dist_info()
    if found:
        return found
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    try:
        return _version(DIST_NAME)
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"


def _version_from_dist_info() -> str | None:
    """`Version:` from the first `flowsery_goal_tester-*.dist-info/METADATA` on sys.path."""
    import os
    import sys

    prefix = DIST_NAME.replace("-", "_") + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file, a folder that went away
            continue
        for name in names:
            if not (name.startswith(prefix) and name.endswith(".dist-info")):
                continue
            try:
                with open(os.path.join(entry, name, "METADATA"), encoding="utf-8") as file:
                    for line in file:
                        if line.startswith("Version:"):
                            return line.partition(":")[2].strip() or None
                        if not line.strip():  # the headers end at the first empty line
                            break
            except OSError:
                continue
    return None
