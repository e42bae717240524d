"""Stand-ins for the window's seams: a task runner that runs inline, a scripted person."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flowsery_gui.ui.interaction import Preview
from flowsery_gui.ui.tasks import TaskRunner


class InlineTaskRunner(TaskRunner):
    """Runs each task at once on the calling thread, then its callback (as Picard's
    FakeThreadPool does), so a service can be driven step by step with no waiting."""

    def __init__(self) -> None:
        super().__init__()
        self.ran = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.ran += 1
        try:
            result = fn()
        except Exception as exc:  # as the real runner: the type only, to the error callback
            if on_error is not None:
                on_error(type(exc).__name__)
            return
        if on_done is not None:
            on_done(result)


class ScriptedInteraction:
    """Answers the window's questions from a script, and records what was asked."""

    def __init__(self) -> None:
        self.confirm_answers: list[bool] = []
        self.paste_texts: list[str | None] = []
        self.choose_answers: list[tuple[int, bool] | None] = []
        self.asked: list[tuple[str, str]] = []
        self.previews: list[tuple[bool, str]] = []

    def confirm(self, title: str, text: str, yes_text: str) -> bool:
        self.asked.append(("confirm", f"{title}\n{text}"))
        return self.confirm_answers.pop(0) if self.confirm_answers else False

    def warn(self, title: str, text: str) -> None:
        self.asked.append(("warn", f"{title}\n{text}"))

    def choose(
        self, title: str, text: str, choices: Sequence[str], check: str = ""
    ) -> tuple[int, bool] | None:
        self.asked.append(("choose", f"{title}\n{text}"))
        return self.choose_answers.pop(0) if self.choose_answers else None

    def paste(self, title: str, explanation: str, preview: Preview, ok_text: str) -> str | None:
        self.asked.append(("paste", title))
        text = self.paste_texts.pop(0) if self.paste_texts else None
        if text is not None:
            self.previews.append(preview(text))
        return text


class HeldTaskRunner(TaskRunner):
    """Keeps each task until told: `release()` runs the work and its callback, as a
    delivered task; `drain()` runs the work only, as when the window closes and the event
    loop will not deliver results any more."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple[Callable[[], Any], Callable[[Any], None] | None]] = []
        self.undelivered: list[Any] = []

    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        self.held.append((fn, on_done))

    def release(self) -> None:
        """Run every held task and deliver its result."""
        held, self.held = self.held, []
        for fn, on_done in held:
            result = fn()
            if on_done is not None:
                on_done(result)

    def drain(self, timeout_ms: int = 3000) -> bool:
        held, self.held = self.held, []
        self.undelivered += [fn() for fn, _on_done in held]
        return True

    def pending(self) -> int:
        return len(self.held)
