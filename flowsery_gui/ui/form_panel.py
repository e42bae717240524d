"""The goal form (left side of the window): fields, metadata table and their findings.

Renders `GoalFormModel`; raises intents (paste cookies, paste JSON, new IDs) as signals the
window handles. Never validates by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import contract, icons
from flowsery_gui.contract import Finding
from flowsery_gui.ui.form_model import SCALAR_FIELDS, GoalFormModel, parse_rows_text, row_of
from flowsery_gui.ui.plain import tooltip

FIELD_LABELS = {
    "name": "Goal name",
    "visitorUid": "Visitor ID",
    "sessionUid": "Session ID",
    "timezone": "Timezone",
}
ERROR_TINT = QColor(220, 38, 38, 70)
WARNING_TINT = QColor(217, 119, 6, 60)


def describe_path(path: str) -> str:
    """A field path in words for people who never saw the JSON (`metadata[2].key` -> row 3 key)."""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    if path.startswith("metadata["):
        cell = row_of(path)
        if cell is not None:
            return f"Metadata row {cell[0] + 1}, {'key' if cell[1] == 0 else 'value'}"
    if path == "metadata":
        return "Metadata"
    return path or "Body"


class FindingView(QWidget):
    """One finding in words: severity icon, message, and a one-click fix when there is one."""

    fix_requested = Signal(object)
    focus_requested = Signal(object)

    def __init__(self, show_path: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._finding: Finding | None = None
        self._rendered = False
        self._show_path = show_path
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._icon = QLabel()
        self._icon.setFixedSize(16, 16)
        self._text = QLabel()
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.installEventFilter(self)
        self._fix = QPushButton()
        self._fix.setAutoDefault(False)
        self._fix.clicked.connect(lambda: self.fix_requested.emit(self._finding))
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._fix, 0, Qt.AlignmentFlag.AlignTop)
        self.set_finding(None)

    def finding(self) -> Finding | None:
        """The finding shown, if any."""
        return self._finding

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_text()

    def _fit_text(self) -> None:
        # Word-wrapped labels in nested layouts are not given the height their text needs at
        # the width they end up with: ask for it, so a second line is never cut off.
        width = self._text.width()
        needed = self._text.heightForWidth(width) if width > 0 else -1
        if needed > 0 and self._text.minimumHeight() != needed:
            self._text.setMinimumHeight(needed)

    def set_finding(self, finding: Finding | None) -> None:
        """Show one finding, or hide when None."""
        if finding == self._finding and self._rendered:
            return  # every keystroke re-renders: skip what did not change
        self._rendered = True
        self._finding = finding
        if finding is None:
            self.hide()
            return
        name = "error" if finding.is_error else "warning"
        self._icon.setPixmap(icons.icon(name).pixmap(16, 16))
        prefix = f"{describe_path(finding.path)}: " if self._show_path else ""
        self._text.setText(prefix + finding.message)
        self._fit_text()
        self._text.setAccessibleName(f"{name}: {prefix}{finding.message}")
        if finding.fix is not None:
            label = finding.fix_text or ""  # "cut to 255 characters", not the cut value
            shown = label if len(label) <= 28 else label[:27] + "…"
            self._fix.setText(f"Fix: {shown}" if shown else "Fix: clear it")
            self._fix.setAccessibleName(f"Apply fix {shown}")
            self._fix.show()
        else:
            self._fix.hide()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._text
            and event.type() == QEvent.Type.MouseButtonRelease
            and self._finding is not None
            and not self._text.hasSelectedText()
        ):
            self.focus_requested.emit(self._finding)
        return super().eventFilter(watched, event)


class TimezoneCombo(QComboBox):
    """An editable combo of zone names whose 600-item list is built only when first opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._zones: list[str] = []
        self._filled = False

    def set_zones(self, zones: list[str], completer: QCompleter) -> None:
        """The zone names, and the completer typing uses."""
        self._zones = zones
        self._filled = False
        text = self.currentText()
        self.setCompleter(completer)
        self.setEditText(text)

    def showPopup(self) -> None:
        if not self._filled and self._zones:
            text = self.currentText()
            self.blockSignals(True)
            self.addItems(["", *self._zones])
            index = self.findText(text)
            self.setCurrentIndex(index if index >= 0 else 0)
            self.setEditText(text)
            self.blockSignals(False)
            self._filled = True
        super().showPopup()


class FormPanel(QWidget):
    """The goal form: edits flow into the model; the model's report flows back as marks."""

    paste_cookies_requested = Signal()
    paste_json_requested = Signal()
    new_ids_requested = Signal()
    paste_rows_requested = Signal()

    def __init__(self, model: GoalFormModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, FindingView] = {}
        self._build()
        model.changed.connect(self.render)
        self.render()

    # Building -----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)

        self.name_edit = self._line_edit("name", "newsletter_signup")
        self.visitor_edit = self._line_edit("visitorUid", "value of the _fs_vid cookie (optional)")
        self.session_edit = self._line_edit("sessionUid", "value of the _fs_sid cookie (optional)")
        self.paste_cookies_button = QPushButton("Paste cookies…")
        icons.set_icon(self.paste_cookies_button, "paste")
        self.paste_cookies_button.setToolTip(
            "Paste a Cookie header, document.cookie or a cURL command from your browser's devtools"
        )
        self.paste_cookies_button.clicked.connect(self.paste_cookies_requested)
        self.new_ids_button = QPushButton("New test IDs")
        icons.set_icon(self.new_ids_button, "new-ids")
        self.new_ids_button.setToolTip("Fill both IDs with fresh random IDs")
        self.new_ids_button.clicked.connect(self.new_ids_requested)

        self.timezone_combo = TimezoneCombo()
        self.timezone_combo.setObjectName("field_timezone")
        self.timezone_combo.setAccessibleName("Timezone")
        self.timezone_combo.setAccessibleDescription("IANA time zone name; empty means not sent")
        self.timezone_combo.lineEdit().setPlaceholderText("not sent (e.g. Europe/Paris)")
        self.timezone_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        tz_edit = self.timezone_combo.lineEdit()
        tz_edit.textEdited.connect(lambda t: self.model.set_value("timezone", t))
        self.timezone_combo.textActivated.connect(self._timezone_chosen)
        tz_edit.editingFinished.connect(lambda: self.model.touch("timezone"))
        self.edits["timezone"] = tz_edit

        rows = [
            ("name", "Goal &name", self.name_edit, None),
            ("visitorUid", "Vi&sitor ID  _fs_vid", self.visitor_edit, self.paste_cookies_button),
            ("sessionUid", "Sess&ion ID  _fs_sid", self.session_edit, self.new_ids_button),
            ("timezone", "&Timezone", self.timezone_combo, None),
        ]
        r = 0
        for path, label_text, editor, extra in rows:
            label = QLabel(label_text)
            label.setBuddy(editor)
            grid.addWidget(label, r, 0)
            if extra is None:
                grid.addWidget(editor, r, 1, 1, 2)
            else:
                grid.addWidget(editor, r, 1)
                grid.addWidget(extra, r, 2)
            message = FindingView(show_path=False)
            message.fix_requested.connect(self._apply_fix)
            message.setObjectName(f"message_{path}")
            self.messages[path] = message
            grid.addWidget(message, r + 1, 1, 1, 2)
            grid.setRowMinimumHeight(r + 1, 4)
            r += 2

        # Metadata header: title with counter, row tools.
        header = QHBoxLayout()
        self.metadata_label = QLabel("&Metadata")
        header.addWidget(self.metadata_label)
        self.counter_label = QLabel()
        self.counter_label.setObjectName("metadata_counter")
        header.addWidget(self.counter_label)
        header.addStretch(1)
        # Row tools sit under the table, each with a visible label.
        row_tools = QHBoxLayout()
        self.row_buttons: dict[str, QToolButton] = {}
        for key, icon_name, text, tip in (
            ("add", "add-row", "Add row", "Add a row (Ctrl+Shift+N)"),
            ("remove", "remove-row", "Remove", "Remove the selected row (Ctrl+Shift+D)"),
            ("up", "move-up", "Up", "Move the selected row up (Ctrl+Shift+Up)"),
            ("down", "move-down", "Down", "Move the selected row down (Ctrl+Shift+Down)"),
        ):
            button = QToolButton()
            icons.set_icon(button, icon_name)
            button.setText(text)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(tip)
            button.setAccessibleName(tip.split(" (")[0])
            button.setAutoRaise(True)
            row_tools.addWidget(button)
            self.row_buttons[key] = button
        row_tools.addStretch(1)
        self.paste_rows_button = QPushButton("Paste rows…")
        icons.set_icon(self.paste_rows_button, "paste")
        self.paste_rows_button.setToolTip("Add several key=value or tab-separated lines at once")
        self.paste_rows_button.clicked.connect(self.paste_rows_requested)
        header.addWidget(self.paste_rows_button)
        self.paste_json_button = QPushButton("Paste JSON…")
        icons.set_icon(self.paste_json_button, "paste")
        self.paste_json_button.setToolTip("Fill the whole form from a JSON body (Ctrl+Shift+V)")
        self.paste_json_button.clicked.connect(self.paste_json_requested)
        header.addWidget(self.paste_json_button)
        outer.addSpacing(6)
        outer.addLayout(header)

        self.table = QTableView()
        self.table.setObjectName("metadata_table")
        self.table.setAccessibleName("Metadata rows")
        self.table.setModel(self.model.metadata)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().resizeSection(0, 170)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setTabKeyNavigation(False)
        self.table.setMinimumHeight(150)
        self.metadata_label.setBuddy(self.table)
        self.model.metadata.set_style(
            (
                QBrush(ERROR_TINT),
                QBrush(WARNING_TINT),
                icons.icon("error"),
                icons.icon("warning"),
            )
        )
        outer.addWidget(self.table, 1)
        outer.addLayout(row_tools)
        self.empty_rows_hint = QLabel(
            "No metadata yet. Use Add row, or Paste rows for key=value lines; up to 10 keys."
        )
        self.empty_rows_hint.setObjectName("metadata_hint")
        self.empty_rows_hint.setEnabled(False)
        outer.addWidget(self.empty_rows_hint)

        self.row_buttons["add"].clicked.connect(self.add_row)
        self.row_buttons["remove"].clicked.connect(self.remove_row)
        self.row_buttons["up"].clicked.connect(lambda: self.move_row(-1))
        self.row_buttons["down"].clicked.connect(lambda: self.move_row(1))
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_row_buttons())

        # Findings for the metadata table (and the body as a whole).
        self.findings_frame = QFrame()
        self.findings_frame.setObjectName("metadata_findings")
        self.findings_layout = QVBoxLayout(self.findings_frame)
        self.findings_layout.setContentsMargins(0, 4, 0, 0)
        self.findings_layout.setSpacing(2)
        self.finding_views: list[FindingView] = []
        outer.addWidget(self.findings_frame)

        self.setTabOrder(self.name_edit, self.visitor_edit)
        self.setTabOrder(self.visitor_edit, self.paste_cookies_button)
        self.setTabOrder(self.paste_cookies_button, self.session_edit)
        self.setTabOrder(self.session_edit, self.new_ids_button)
        self.setTabOrder(self.new_ids_button, self.timezone_combo)
        self.setTabOrder(self.timezone_combo, self.table)

    def _line_edit(self, path: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"field_{path}")
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(FIELD_LABELS[path])
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda text, p=path: self.model.set_value(p, text))
        edit.editingFinished.connect(lambda p=path: self.model.touch(p))
        self.edits[path] = edit
        return edit

    # Intents ------------------------------------------------------------------------------
    def set_timezones(self, zones: list[str]) -> None:
        """Give the timezone field its zone list (after the window is shown: it reads the
        zone database). Typing completes from it; the drop-down list is filled when opened."""
        completer = QCompleter(zones, self.timezone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.timezone_combo.set_zones(zones, completer)
        completer.activated.connect(self._timezone_chosen)

    def _timezone_chosen(self, text: str) -> None:
        self.model.set_value("timezone", text)
        self.model.touch("timezone")

    def add_row(self) -> None:
        """Add an empty row after the current one and start editing its key."""
        current = self.table.currentIndex()
        position = current.row() + 1 if current.isValid() else len(self.model.metadata.rows)
        self.model.metadata.insert_rows_at(position, [("", "")], touched=False)
        index = self.model.metadata.index(position, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_row(self) -> None:
        """Remove the current row."""
        current = self.table.currentIndex()
        if current.isValid() and self.model.metadata.remove_row_at(current.row()):
            rows = len(self.model.metadata.rows)
            if rows:
                self.table.setCurrentIndex(
                    self.model.metadata.index(min(current.row(), rows - 1), current.column())
                )

    def move_row(self, delta: int) -> None:
        """Move the current row up or down."""
        current = self.table.currentIndex()
        if not current.isValid():
            return
        new_row = self.model.metadata.move_row(current.row(), delta)
        self.table.setCurrentIndex(self.model.metadata.index(new_row, current.column()))

    def paste_rows(self, text: str) -> int:
        """Insert rows parsed from `key=value` / tab-separated lines; returns how many."""
        rows = parse_rows_text(text)
        current = self.table.currentIndex()
        position = current.row() + 1 if current.isValid() else len(self.model.metadata.rows)
        # Replace a trailing blank row rather than leaving it in the middle.
        meta = self.model.metadata
        if (
            meta.rows
            and not meta.rows[-1].key
            and not meta.rows[-1].value
            and position >= len(meta.rows)
        ):
            meta.remove_row_at(len(meta.rows) - 1)
            position = len(meta.rows)
        meta.insert_rows_at(position, rows, touched=True)
        return len(rows)

    def focus_path(self, path: str) -> None:
        """Move the keyboard focus to the field a finding is about."""
        if path in self.edits:
            widget: QWidget = self.timezone_combo if path == "timezone" else self.edits[path]
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        cell = row_of(path)
        if cell is not None and cell[0] < len(self.model.metadata.rows):
            index = self.model.metadata.index(*cell)
            self.table.setCurrentIndex(index)
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        elif path == "metadata":
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _apply_fix(self, finding: Finding) -> None:
        if self.model.apply_fix(finding):
            QTimer.singleShot(0, lambda: self.focus_path(finding.path))

    # Rendering ----------------------------------------------------------------------------
    def render(self) -> None:
        """Bring every widget in line with the model (values, marks, messages, counter)."""
        for path in SCALAR_FIELDS:
            edit = self.edits[path]
            value = self.model.value(path)
            if edit.text() != value:
                edit.setText(value)
            findings = self.model.findings_at(path)
            first = next((f for f in findings if f.is_error), findings[0] if findings else None)
            self.messages[path].set_finding(first)
            state = "" if first is None else ("error" if first.is_error else "warning")
            target: QWidget = edit  # for the timezone, its line edit: the arrow keeps its look
            if target.property("finding") != state:
                target.setProperty("finding", state)
                target.setStyleSheet(_border_for(state))
            tip = first.message if first else ""
            if target.toolTip() != tip:
                target.setToolTip(tooltip(tip))

        used = self.model.metadata.used_count()
        over = used > contract.MAX_METADATA_KEYS
        counter = f"{used}/{contract.MAX_METADATA_KEYS}"
        if self.counter_label.text() != counter:
            self.counter_label.setText(counter)
            self.counter_label.setStyleSheet("color: #dc2626; font-weight: bold;" if over else "")
            self.counter_label.setAccessibleName(
                f"{used} of {contract.MAX_METADATA_KEYS} metadata keys used"
            )
        self.empty_rows_hint.setVisible(not self.model.metadata.rows)
        self._update_row_buttons()

        shown = [f for f in self.model.visible_findings() if f.path not in SCALAR_FIELDS]
        while len(self.finding_views) < len(shown):
            view = FindingView(show_path=True)
            view.fix_requested.connect(self._apply_fix)
            view.focus_requested.connect(lambda f: self.focus_path(f.path))
            self.findings_layout.addWidget(view)
            self.finding_views.append(view)
        for i, view in enumerate(self.finding_views):
            view.set_finding(shown[i] if i < len(shown) else None)
        self.findings_frame.setVisible(bool(shown))

    def _update_row_buttons(self) -> None:
        rows = len(self.model.metadata.rows)
        current = self.table.currentIndex()
        has = current.isValid() and rows > 0
        self.row_buttons["add"].setEnabled(
            self.model.metadata.used_count() < contract.MAX_METADATA_KEYS
        )
        self.row_buttons["remove"].setEnabled(has)
        self.row_buttons["up"].setEnabled(has and current.row() > 0)
        self.row_buttons["down"].setEnabled(has and current.row() < rows - 1)


def _border_for(state: str) -> str:
    if state == "error":
        return "border: 2px solid #dc2626; border-radius: 3px; padding: 1px;"
    if state == "warning":
        return "border: 2px solid #d97706; border-radius: 3px; padding: 1px;"
    return ""
