"""The goal form (left side of the window): the fields, the metadata editor, their findings.

Renders `GoalFormModel`; raises intents (paste cookies, paste JSON, paste rows, new IDs) as
signals the window connects. Never validates by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui.contract import Finding
from flowsery_gui.i18n import N_, _
from flowsery_gui.ui import icons
from flowsery_gui.ui.finding_view import FindingView, border_for
from flowsery_gui.ui.form_model import FIELD_LABELS, SCALAR_FIELDS, GoalFormModel
from flowsery_gui.ui.metadata_editor import MetadataEditor
from flowsery_gui.ui.plain import tooltip
from flowsery_gui.ui.wrap_check import WrappingCheckBox

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCompleter

#: What the ID fields show while empty, unless the profile's test IDs will be sent instead.
#: Msgids: `_(ID_PLACEHOLDERS[path], cookie=...)` where shown (the cookie's name is not
#: translated).
ID_PLACEHOLDERS = {
    # Translators: a placeholder in the visitor ID field; {cookie} is a cookie's name.
    "visitorUid": N_("value of the {cookie} cookie (optional)"),
    # Translators: a placeholder in the session ID field; {cookie} is a cookie's name.
    "sessionUid": N_("value of the {cookie} cookie (optional)"),
}
#: The cookie each ID field is read from (a name, never translated).
ID_COOKIES = {"visitorUid": "_fs_vid", "sessionUid": "_fs_sid"}


def id_placeholder(path: str) -> str:
    """What an empty ID field says it wants, in the window's language."""
    return _(ID_PLACEHOLDERS[path], cookie=ID_COOKIES[path])


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
    tab_chain_changed = Signal()  # controls joined the form: the window puts them in Tab order

    def __init__(self, model: GoalFormModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.edits: dict[str, QLineEdit] = {}
        self.messages: dict[str, FindingView] = {}
        # Fields the person typed in since the form was last filled as a whole: only those
        # are marked when left (a cleared form is untouched until the person edits it).
        self._edited: set[str] = set()
        model.loaded.connect(self._edited.clear)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addLayout(self._build_fields())
        outer.addSpacing(6)
        self.metadata = MetadataEditor(model)
        self.metadata.paste_rows_requested.connect(self.paste_rows_requested)
        self.metadata.paste_json_requested.connect(self.paste_json_requested)
        self.metadata.fix_requested.connect(self._apply_fix)
        self.metadata.focus_requested.connect(self.focus_path)
        self.metadata.views_added.connect(self.tab_chain_changed)
        outer.addWidget(self.metadata, 1)
        self.table = self.metadata.table
        self.row_buttons = self.metadata.row_buttons
        model.changed.connect(self.refresh)
        self.refresh()

    def tab_chain(self) -> list[QWidget]:
        """The form's controls in visual order, top to bottom and left to right: each field,
        the button beside it, its finding's Fix button; then the metadata editor's."""
        beside = {"visitorUid": self.paste_cookies_button, "sessionUid": self.new_ids_button}
        chain: list[QWidget] = []
        for path in SCALAR_FIELDS:
            chain.append(self.timezone_combo if path == "timezone" else self.edits[path])
            if path in beside:
                chain.append(beside[path])
            chain.append(self.messages[path].fix_button())
            if path == "sessionUid":
                chain.append(self.use_test_ids_check)  # under the IDs, when shown
        return chain + self.metadata.tab_chain()

    # Building -----------------------------------------------------------------------------
    def _build_fields(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        # No spacing between rows: a grid leaves it out around an empty row and puts it back
        # when a message appears there, which would move the form by that much.
        grid.setVerticalSpacing(0)
        grid.setColumnStretch(1, 1)
        # Words, not a name: a grey `newsletter_signup` read as a value already filled in.
        # Translators: the goal name field's placeholder; {example} is a goal name.
        name_hint = _("required, e.g. {example}", example="newsletter_signup")
        self.name_edit = self._line_edit("name", name_hint)
        self.visitor_edit = self._line_edit("visitorUid", id_placeholder("visitorUid"))
        self.session_edit = self._line_edit("sessionUid", id_placeholder("sessionUid"))
        self.use_test_ids_row = WrappingCheckBox(
            _("&Use this profile's test IDs when the IDs are empty")
        )
        self.use_test_ids_check = self.use_test_ids_row.box
        self.use_test_ids_check.setObjectName("use_test_ids")
        self.use_test_ids_check.setAccessibleName(_("Use this profile's test IDs"))
        self.use_test_ids_check.setToolTip(
            _(
                "Goals sent with the profile's test visitor ID can later be deleted from your "
                "analytics without touching real visitors' goals (History > Delete from "
                "analytics…)"
            )
        )
        self.use_test_ids_row.hide()  # shown while the active profile has test IDs
        self.paste_cookies_button = QPushButton(_("Paste cookies…"))
        icons.set_icon(self.paste_cookies_button, "paste")
        self.paste_cookies_button.setToolTip(
            _(
                "Paste a Cookie header, document.cookie or a cURL command from your browser's "
                "devtools"
            )
        )
        self.paste_cookies_button.clicked.connect(self.paste_cookies_requested)
        self.new_ids_button = QPushButton(_("New test IDs"))
        icons.set_icon(self.new_ids_button, "new-ids")
        self.new_ids_button.setToolTip(_("Fill both IDs with fresh random IDs"))
        self.new_ids_button.clicked.connect(self.new_ids_requested)

        self.timezone_combo = TimezoneCombo()
        self.timezone_combo.setObjectName("field_timezone")
        self.timezone_combo.setAccessibleName(_(FIELD_LABELS["timezone"]))
        self.timezone_combo.setAccessibleDescription(_("IANA time zone name; empty means not sent"))
        self.timezone_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        tz_edit = self.timezone_combo.lineEdit()
        assert tz_edit is not None  # an editable combo always has one
        # Translators: the timezone field's placeholder; {example} is a zone's name.
        tz_edit.setPlaceholderText(_("not sent (e.g. {example})", example="Europe/Paris"))
        tz_edit.textEdited.connect(lambda t: self.model.set_value("timezone", t))
        self.timezone_combo.textActivated.connect(self._timezone_chosen)
        tz_edit.textEdited.connect(lambda _t: self._edited.add("timezone"))
        tz_edit.editingFinished.connect(lambda: self._left("timezone"))
        self.edits["timezone"] = tz_edit

        # Translators: the fields' labels; {cookie} is the name of the cookie the ID is in.
        visitor = _("Vi&sitor ID  {cookie}", cookie=ID_COOKIES["visitorUid"])
        session = _("Sess&ion ID  {cookie}", cookie=ID_COOKIES["sessionUid"])
        rows = [
            ("name", _("Goal &name"), self.name_edit, None),
            ("visitorUid", visitor, self.visitor_edit, self.paste_cookies_button),
            ("sessionUid", session, self.session_edit, self.new_ids_button),
            ("timezone", _("&Timezone"), self.timezone_combo, None),
        ]
        r = 0  # the grid row: each field, then its message, then (under the IDs) the box
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
            # Room for a one-line message (with its Fix button) is kept under every field,
            # so the form does not jump down when one appears.
            grid.setRowMinimumHeight(r + 1, message.one_line_height())
            r += 2
            if path == "sessionUid":
                grid.addWidget(self.use_test_ids_row, r, 1, 1, 2)
                r += 1
        return grid

    def _line_edit(self, path: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(f"field_{path}")
        edit.setPlaceholderText(placeholder)
        edit.setAccessibleName(_(FIELD_LABELS[path]))
        edit.setClearButtonEnabled(True)
        edit.textChanged.connect(lambda text, p=path: self.model.set_value(p, text))
        edit.textEdited.connect(lambda _t, p=path: self._edited.add(p))
        edit.editingFinished.connect(lambda p=path: self._left(p))
        self.edits[path] = edit
        return edit

    def _left(self, path: str) -> None:
        """The person left a field: mark it from now on, once they have typed in it."""
        if path in self._edited:
            self.model.touch(path)

    # Intents ------------------------------------------------------------------------------
    def set_timezones(self, zones: list[str]) -> None:
        """Give the timezone field its zone list (after the window is shown: it reads the
        zone database). Typing completes from it; the drop-down list is filled when opened."""
        # Deferred: called after the first paint; the completer class costs start-up time.
        from PySide6.QtWidgets import QCompleter

        completer = QCompleter(zones, self.timezone_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.timezone_combo.set_zones(zones, completer)
        completer.activated.connect(self._timezone_chosen)

    def _timezone_chosen(self, text: str) -> None:
        self.model.set_value("timezone", text)
        self.model.touch("timezone")

    def add_row(self) -> None:
        """Add an empty metadata row after the current one and start editing its key."""
        self.metadata.add_row()

    def remove_row(self) -> None:
        """Remove the current metadata row."""
        self.metadata.remove_row()

    def move_row(self, delta: int) -> None:
        """Move the current metadata row up (-1) or down (+1)."""
        self.metadata.move_row(delta)

    def paste_rows(self, text: str) -> int:
        """Insert metadata rows from `key=value` / tab-separated lines; returns how many."""
        return self.metadata.paste_rows(text)

    def focus_path(self, path: str) -> None:
        """Move the keyboard focus to the field a finding is about."""
        if path in self.edits:
            widget: QWidget = self.timezone_combo if path == "timezone" else self.edits[path]
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.metadata.focus_cell(path)

    def show_test_ids(
        self, available: bool, use: bool, visitor_hint: str, session_hint: str
    ) -> None:
        """Show the "use this profile's test IDs" box (while the profile has test IDs) and
        what an empty ID field will send: the profile's test ID (a hint) or nothing."""
        self.use_test_ids_row.setVisible(available)
        if self.use_test_ids_check.isChecked() != use:
            self.use_test_ids_check.setChecked(use)
        for path, hint in (("visitorUid", visitor_hint), ("sessionUid", session_hint)):
            edit = self.edits[path]
            placeholder = hint or id_placeholder(path)
            if edit.placeholderText() != placeholder:
                edit.setPlaceholderText(placeholder)
                edit.setAccessibleDescription(hint)

    def _apply_fix(self, finding: Finding) -> None:
        if self.model.apply_fix(finding):
            QTimer.singleShot(0, lambda: self.focus_path(finding.path))

    # Rendering ----------------------------------------------------------------------------
    def refresh(self) -> None:
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
                target.setStyleSheet(border_for(state))
            tip = first.message if first else ""
            if target.toolTip() != tip:
                target.setToolTip(tooltip(tip))
        self.metadata.refresh()
