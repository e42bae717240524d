"""Helpers for the suite tests: suite files, scripted file and title answers, a run gate."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

HAND_COMMENT = "# Hand-written: QA checks these before every campaign."


def write_suite(folder: Path, count: int, name: str = "fifty", extra: str = "") -> Path:
    """A suite of `count` goals (`goal_000`, …) that the sandbox accepts, with a comment."""
    lines = [HAND_COMMENT, f"suite: {name}", "goals:"]
    for i in range(count):
        lines += [f"  - name: goal_{i:03d}", f"    metadata: {{ step: '{i}' }}"]
    path = folder / f"{name}.suite.yaml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


class ScriptedPrompts:
    """Answers the suite features' file and title questions from a script."""

    def __init__(self) -> None:
        self.files: list[str] = []
        self.add_to: str | None = None
        self.title: str | None = ""
        self.new_file: str | None = None
        self.asked: list[str] = []

    def suite_files(self, folder: str) -> list[str]:
        self.asked.append("suite_files")
        return list(self.files)

    def suite_to_add_to(self, suggested: str) -> str | None:
        self.asked.append("suite_to_add_to")
        return self.add_to

    def goal_title(self, name: str) -> str | None:
        self.asked.append("goal_title")
        return self.title

    def new_suite_file(self, suggested: str) -> str | None:
        self.asked.append("new_suite_file")
        return self.new_file


class RunGate:
    """Holds a window's run on its worker after chosen goals, until the test lets it go on:
    the test then acts (a fault, a cancel) at an exact point of the run."""

    def __init__(self, runs: Any, *holds: int) -> None:
        self._events = {done: threading.Event() for done in holds}
        self.reached = {done: threading.Event() for done in holds}
        original = runs._post

        def post(progress: Any) -> None:
            original(progress)
            if progress.done in self._events:
                self.reached[progress.done].set()
                self._events[progress.done].wait(20)

        runs._post = post  # the runner is made at the run's start and picks this up

    def release(self, done: int) -> None:
        """Let the run go on after goal number `done`."""
        self._events[done].set()

    def release_all(self) -> None:
        """Never hold the run again (a failing test must not leave a worker waiting)."""
        for event in self._events.values():
            event.set()
