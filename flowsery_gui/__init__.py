"""Flowsery Goal Tester: compose, validate, send and inspect Flowsery custom goal events."""

from __future__ import annotations

import functools

APP_NAME = "Flowsery Goal Tester"
DIST_NAME = "flowsery-goal-tester"


@functools.cache  # reading package metadata costs 1-2 ms, and every planned send asks
def version() -> str:
    """The installed package version: the one source of truth is the package metadata."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _version

    try:
        return _version(DIST_NAME)
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "0+unknown"
