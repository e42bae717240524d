"""Where the i18n lint looks, and what it counts as text for people: the one place to edit.

`PENDING` lists what is not converted yet (remove an entry once its strings are marked);
`NEVER_TRANSLATED` the modules whose text is wire text; `ALLOWED` single exceptions, each
with its reason; `SINKS` the calls whose arguments people read. `tools/i18n_lint.py` reads it.
"""

from __future__ import annotations

import re

#: Not converted yet: the lint skips them. Remove an entry when its strings go through `_()`.
#: Paths relative to the repository. Empty: every module is checked.
PENDING: dict[str, str] = {}

#: Modules whose text is never translated, with the reason: what they write is wire text
#: (the sandbox answers as the real API does, in English) or the mechanism itself. The
#: sandbox's command line (`sandbox/cli.py`, `sandbox/cli_help.py`: its --help and start
#: line) is people's text and is checked.
WIRE = "the sandbox's answers and log lines are wire text (English, as the real API)"
NEVER_TRANSLATED: dict[str, str] = {
    "flowsery_gui/sandbox/access.py": WIRE,
    "flowsery_gui/sandbox/collector.py": WIRE,
    "flowsery_gui/sandbox/faults.py": WIRE,
    "flowsery_gui/sandbox/handler.py": WIRE,
    "flowsery_gui/sandbox/httpd.py": WIRE,
    "flowsery_gui/sandbox/inspection.py": WIRE,
    "flowsery_gui/sandbox/routes.py": WIRE,
    "flowsery_gui/sandbox/server.py": WIRE,
    "flowsery_gui/sandbox/store.py": WIRE,
    "flowsery_gui/sandbox/wire.py": WIRE,
    "flowsery_gui/i18n/translate.py": "the translation calls themselves",
    "flowsery_gui/i18n/pseudo.py": "the pseudo-translations",
}

#: Single strings in checked modules that look like text but are not for people, by file
#: and the start of the string, each with its reason. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {
    ("flowsery_gui/ui/app.py", "first show: "): (
        "the smoke test's timing line: benchmarks and CI read it, the same in every language"
    ),
}

#: Sinks: call name -> argument positions and keywords whose text people read. A name is
#: matched on the call's last part (`self.label.setText` -> `setText`); a dotted name on
#: its last two parts (`QMessageBox.warning`).
SINKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    # Qt widgets and setters
    "setText": ((0,), ()),
    "setToolTip": ((0,), ()),
    "setStatusTip": ((0,), ()),
    "setWhatsThis": ((0,), ()),
    "setPlaceholderText": ((0,), ()),
    "setWindowTitle": ((0,), ()),
    "setTitle": ((0,), ()),
    "setLabelText": ((0,), ()),
    "setAccessibleName": ((0,), ()),
    "setAccessibleDescription": ((0,), ()),
    "setPrefix": ((0,), ()),
    "setSuffix": ((0,), ()),
    "setSpecialValueText": ((0,), ()),
    "setTabText": ((1,), ()),
    "setTabToolTip": ((1,), ()),
    "setHeaderLabels": ((0,), ()),
    "setHorizontalHeaderLabels": ((0,), ()),
    "showMessage": ((0,), ()),
    "addTab": ((1, 2), ()),
    "insertTab": ((2, 3), ()),
    "addAction": ((0, 1), ()),
    "addMenu": ((0, 1), ()),
    "addItem": ((0,), ()),
    "addItems": ((0,), ()),
    "addRow": ((0,), ()),
    "QLabel": ((0,), ("text",)),
    "QPushButton": ((0, 1), ("text",)),
    "QToolButton": ((), ("text",)),
    "QCheckBox": ((0,), ("text",)),
    "QRadioButton": ((0,), ("text",)),
    "QGroupBox": ((0,), ("title",)),
    "QAction": ((0, 1), ("text",)),
    "QMenu": ((0,), ("title",)),
    "QMessageBox.information": ((1, 2), ("title", "text")),
    "QMessageBox.warning": ((1, 2), ("title", "text")),
    "QMessageBox.critical": ((1, 2), ("title", "text")),
    "QMessageBox.question": ((1, 2), ("title", "text")),
    "QMessageBox.about": ((1, 2), ()),
    "QInputDialog.getText": ((1, 2), ()),
    "QFileDialog.getSaveFileName": ((1,), ("caption",)),
    "QFileDialog.getOpenFileName": ((1,), ("caption",)),
    "QFileDialog.getExistingDirectory": ((1,), ("caption",)),
    # the window's Interaction seam (ui/interaction.py)
    "confirm": ((0, 1, 2), ("title", "text", "yes_text")),
    "warn": ((0, 1), ("title", "text")),
    # the terminal
    "print": ((0, 1, 2, 3, 4, 5), ()),
    # argparse
    "ArgumentParser": ((), ("description", "epilog", "usage")),
    "add_parser": ((), ("help", "description", "epilog")),
    "add_subparsers": ((), ("title", "description", "help")),
    "add_argument_group": ((0, 1), ("title", "description")),
    "add_argument": ((), ("help",)),
    "error": ((0,), ()),
    # the app's own carriers of plain words
    "Finding": ((2, 5), ("message", "fix_label")),
    "Explanation": ((1, 2), ("title", "message")),
    "Refusal": ((1,), ("message",)),
    "Failure": ((1,), ("message",)),
    "PastedGoal": ((1,), ("summary",)),
    "CookiePaste": ((4,), ("message",)),
    "KeyStoreError": ((1, 2), ("message", "advice")),
    "HistoryError": ((0,), ("message", "reason")),
    "NotJSON": ((0,), ()),
    "ProfileStoreError": ((0,), ()),
    "PlanError": ((0,), ()),
    "SuiteError": ((0,), ()),
    "CaptureError": ((0,), ()),
    "YamlError": ((0,), ()),
    "TargetError": ((0,), ()),
    "RowsError": ((0,), ()),
    "ExpansionError": ((0,), ()),
    "FaultError": ((0,), ()),
    "SuiteEditError": ((0,), ()),
    "RunLogError": ((0,), ()),
}

#: Names that say they hold text (constants) or make it (functions), as whole words.
TEXT_CONSTANT = re.compile(
    r"(^|_)(MESSAGE|TEXT|WORDS|ADVICE|NOTE|HINT|TITLE|LABEL|HELP|HOW|TIP|SUMMARY)S?$"
)
TEXT_FUNCTION = re.compile(
    r"(^|_)(message|problem|text|words|advice|note|hint|title|label|summary|describe|explain)"
    r"s?($|_)"
)
LOGGERS = {"log", "logger", "logging", "warnings"}
TRANSLATE_CALLS = {"_", "ngettext", "pgettext", "npgettext", "N_"}
#: Where each translation call's msgids are (positions).
MSGID_ARGS = {"_": (0,), "N_": (0,), "ngettext": (0, 1), "pgettext": (1,), "npgettext": (1, 2)}
