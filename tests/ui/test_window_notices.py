"""What the window says when the built-in sandbox cannot start or answers with a fault the
Sandbox Fault menu does not offer (one typed as a header value by a developer)."""

from __future__ import annotations

from typing import Any

from flowsery_gui.ui.sandbox_faults import FAULTS, explanation, short_words


def test_a_sandbox_that_cannot_start_is_said_in_a_warning_and_the_status_bar(
    make_window: Any,
) -> None:
    window = make_window()
    window.target.sandbox_failed.emit("[Errno 98] Address already in use")
    assert window.target_label.text() == "Sandbox: could not start"
    kind, text = window.ask.asked[-1]
    assert kind == "warn"
    assert text.startswith("The sandbox could not start\n")
    assert "[Errno 98] Address already in use" in text
    assert "flowsery-sandbox" in text  # what to do instead


def test_a_fault_the_menu_does_not_offer_is_named_by_its_header(make_window: Any) -> None:
    window = make_window()
    assert window.sending.set_fault("delay=2")
    assert "fault: delay=2" in window.target_label.text()
    assert window.statusBar().currentMessage() == "Sandbox fault: delay=2."
    assert not any(action.isChecked() for action in window.fault_menu.choices.values())
    window.fault_menu.choices["delay=5"].trigger()  # the menu works as before afterwards
    assert [h for h, a in window.fault_menu.choices.items() if a.isChecked()] == ["delay=5"]
    assert "fault: Slow answer" in window.target_label.text()


def test_each_offered_fault_has_its_short_words_and_explanation() -> None:
    for choice in FAULTS:
        assert explanation(choice.header) == choice.explains
        assert short_words(choice.header) == (choice.short or choice.header)
    assert short_words("") == ""
    assert short_words("status=418") == "status=418"
    assert explanation("status=418") == "Sandbox fault: status=418."
