"""The form's metadata: a key/value table with its row tools, counter, hint and findings.

Edits go into the form's `MetadataModel`; the findings about rows (and about the body as a
whole) come back from the form's report. Raises "paste rows" and "paste JSON" as signals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from flowsery_gui import contract
from flowsery_gui.contract import Finding
from flowsery_gui.i18n import N_, _, format_number, ngettext
from flowsery_gui.ui import icons
from flowsery_gui.ui.finding_view import FindingView
from flowsery_gui.ui.flow_layout import FlowLayout
from flowsery_gui.ui.form_model import SCALAR_FIELDS, GoalFormModel
from flowsery_gui.ui.metadata_model import KEY_COLUMN, VALUE_COLUMN, parse_rows_text, row_of

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, QPersistentModelIndex
    from PySide6.QtGui import QBrush, QFocusEvent, QIcon

ERROR_TINT = (220, 38, 38, 70)  # RGBA of a cell with an error, then with a warning
WARNING_TINT = (217, 119, 6, 60)
#: The row tools: key, icon, the button's text, its name for screen readers, its shortcut
#: (the texts are msgids: `_()` where shown; the shortcut is never translated).
ROW_TOOLS = (
    # Translators: a button under the metadata table (short).
    ("add", "add-row", N_("Add row"), N_("Add a row"), "Ctrl+Shift+N"),
    # Translators: a button under the metadata table that removes the selected row (short).
    ("remove", "remove-row", N_("Remove"), N_("Remove the selected row"), "Ctrl+Shift+D"),
    # Translators: a button under the metadata table that moves the selected row up (short).
    ("up", "move-up", N_("Up"), N_("Move the selected row up"), "Ctrl+Shift+Up"),
    # Translators: a button under the metadata table that moves the selected row down (short).
    ("down", "move-down", N_("Down"), N_("Move the selected row down"), "Ctrl+Shift+Down"),
)


def empty_hint() -> str:
    """What the metadata editor says while it has no rows."""
    limit = contract.MAX_METADATA_KEYS
    # Translators: "Add row" and "Paste rows" are the buttons' names; key=value stays as is.
    return ngettext(
        "No metadata yet. Use Add row, or Paste rows for key=value lines; up to {limit} key.",
        "No metadata yet. Use Add row, or Paste rows for key=value lines; up to {limit} keys.",
        limit,
        limit=format_number(limit),
    )


def _cell_style() -> tuple[QBrush, QBrush, QIcon, QIcon]:
    """The tints and icons of marked cells (made when a cell is first marked)."""
    # Deferred: brushes (and their gradient enums) cost start-up time; no cell is marked yet.
    from PySide6.QtGui import QBrush, QColor

    return (
        QBrush(QColor(*ERROR_TINT)),
        QBrush(QColor(*WARNING_TINT)),
        icons.icon("error"),
        icons.icon("warning"),
    )


_Hint = QAbstractItemDelegate.EndEditHint


class _MetadataTable(QTableView):
    """The table, saying when its current cell moves (for the row tools) and when the person
    leaves a row. Tab never traps: out of a cell it goes from the key to the value, and from
    the value (Shift+Tab: from the key) on out of the table, as from the table itself."""

    current_moved = Signal()
    row_left = Signal(int)  # the person moved to another row, or out of the table

    def currentChanged(
        self,
        current: QModelIndex | QPersistentModelIndex,
        previous: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().currentChanged(current, previous)
        if previous.isValid() and previous.row() != current.row():
            self.row_left.emit(previous.row())
        self.current_moved.emit()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        column = self.currentIndex().column()
        leave = (hint == _Hint.EditNextItem and column == VALUE_COLUMN) or (
            hint == _Hint.EditPreviousItem and column == KEY_COLUMN
        )
        super().closeEditor(editor, _Hint.NoHint if leave else hint)
        if leave:
            self.focusNextPrevChild(hint == _Hint.EditNextItem)
        self._left_if_gone()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._left_if_gone()

    def _left_if_gone(self) -> None:
        focus = QApplication.focusWidget()
        current = self.currentIndex()
        outside = focus is None or (focus is not self and not self.isAncestorOf(focus))
        if current.isValid() and outside:
            self.row_left.emit(current.row())


class MetadataEditor(QWidget):
    """Header with counter and paste buttons, the table, row tools, and the row findings."""

    paste_rows_requested = Signal()
    paste_json_requested = Signal()
    fix_requested = Signal(object)  # a Finding whose fix the person clicked
    focus_requested = Signal(str)  # a finding's path the person clicked
    views_added = Signal()  # new finding lines (with Fix buttons) joined the form

    def __init__(self, model: GoalFormModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.meta = model.metadata
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addLayout(self._build_header())
        self._build_table()
        outer.addWidget(self.table, 1)
        outer.addLayout(self._build_row_tools())
        self.empty_rows_hint = QLabel(empty_hint())
        self.empty_rows_hint.setObjectName("metadata_hint")
        self.empty_rows_hint.setEnabled(False)
        self.empty_rows_hint.setWordWrap(True)
        outer.addWidget(self.empty_rows_hint)
        # Findings for the metadata table (and the body as a whole).
        self.findings_frame = QFrame()
        self.findings_frame.setObjectName("metadata_findings")
        self.findings_layout = QVBoxLayout(self.findings_frame)
        self.findings_layout.setContentsMargins(0, 4, 0, 0)
        self.findings_layout.setSpacing(2)
        self.finding_views: list[FindingView] = []
        outer.addWidget(self.findings_frame)

    # Building -----------------------------------------------------------------------------
    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        self.metadata_label = QLabel(_("&Metadata"))
        header.addWidget(self.metadata_label)
        self.counter_label = QLabel()
        self.counter_label.setObjectName("metadata_counter")
        header.addWidget(self.counter_label)
        header.addStretch(1)
        self.paste_rows_button = QPushButton(_("Paste rows…"))
        icons.set_icon(self.paste_rows_button, "paste")
        self.paste_rows_button.setToolTip(_("Add several key=value or tab-separated lines at once"))
        self.paste_rows_button.clicked.connect(self.paste_rows_requested)
        header.addWidget(self.paste_rows_button)
        self.paste_json_button = QPushButton(_("Paste JSON…"))
        icons.set_icon(self.paste_json_button, "paste")
        self.paste_json_button.setToolTip(
            # Translators: {shortcut} is the keyboard shortcut of the same action.
            _("Fill the whole form from a JSON body ({shortcut})", shortcut="Ctrl+Shift+V")
        )
        self.paste_json_button.clicked.connect(self.paste_json_requested)
        header.addWidget(self.paste_json_button)
        return header

    def _build_table(self) -> None:
        self.table = _MetadataTable()
        self.table.setObjectName("metadata_table")
        self.table.setAccessibleName(_("Metadata rows"))
        self.table.setModel(self.meta)
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
        self.meta.set_style(_cell_style)
        self.table.current_moved.connect(self._update_row_buttons)
        # A row's empty value is pointed out once the person leaves the row, not while its
        # key is being typed; a Send shows it in any case (the count never hides one).
        self.table.row_left.connect(self.model.touch_row)

    def _build_row_tools(self) -> FlowLayout:
        # Row tools sit under the table, each with a visible label; they wrap in a narrow form.
        row_tools = FlowLayout()
        self.row_buttons: dict[str, QToolButton] = {}
        for key, icon_name, text, name, shortcut in ROW_TOOLS:
            button = QToolButton()
            icons.set_icon(button, icon_name)
            button.setText(_(text))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            # Translators: a tooltip: what a button does, then its keyboard shortcut.
            button.setToolTip(_("{action} ({shortcut})", action=_(name), shortcut=shortcut))
            button.setAccessibleName(_(name))
            button.setAutoRaise(True)
            row_tools.addWidget(button)
            self.row_buttons[key] = button
        self.row_buttons["add"].clicked.connect(self.add_row)
        self.row_buttons["remove"].clicked.connect(self.remove_row)
        self.row_buttons["up"].clicked.connect(lambda: self.move_row(-1))
        self.row_buttons["down"].clicked.connect(lambda: self.move_row(1))
        return row_tools

    # Intents ------------------------------------------------------------------------------
    def _insert_position(self) -> int:
        current = self.table.currentIndex()
        return current.row() + 1 if current.isValid() else len(self.meta.rows)

    def add_row(self) -> None:
        """Add an empty row after the current one and start editing its key."""
        position = self._insert_position()
        self.meta.insert_rows_at(position, [("", "")], touched=False)
        index = self.meta.index(position, 0)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove_row(self) -> None:
        """Remove the current row."""
        current = self.table.currentIndex()
        if current.isValid() and self.meta.remove_row_at(current.row()):
            rows = len(self.meta.rows)
            if rows:
                self.table.setCurrentIndex(
                    self.meta.index(min(current.row(), rows - 1), current.column())
                )

    def move_row(self, delta: int) -> None:
        """Move the current row up or down."""
        current = self.table.currentIndex()
        if not current.isValid():
            return
        new_row = self.meta.move_row(current.row(), delta)
        self.table.setCurrentIndex(self.meta.index(new_row, current.column()))

    def paste_rows(self, text: str) -> int:
        """Add rows parsed from `key=value` / tab-separated lines at the end of the table
        (whatever row is selected: a paste reads as "add these"); returns how many."""
        rows = parse_rows_text(text)
        meta = self.meta
        # Replace a trailing blank row rather than leaving it in the middle.
        last = meta.rows[-1] if meta.rows else None
        if rows and last is not None and not last.key and not last.value:
            meta.remove_row_at(len(meta.rows) - 1)
        position = len(meta.rows)
        meta.insert_rows_at(position, rows, touched=True)
        if rows:
            self.table.setCurrentIndex(meta.index(position, 0))
        return len(rows)

    def focus_cell(self, path: str) -> bool:
        """Move the keyboard focus to a row's cell (or the table); False for other paths."""
        cell = row_of(path)
        if cell is not None and cell[0] < len(self.meta.rows):
            self.table.setCurrentIndex(self.meta.index(*cell))
        elif path != "metadata":
            return False
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # Rendering ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Counter, hint, row tools and the findings about rows, from the model."""
        used = self.meta.used_count()
        over = used > contract.MAX_METADATA_KEYS
        limit = contract.MAX_METADATA_KEYS
        # Translators: the metadata counter beside its title: keys used / the limit ("3/10").
        counter = _("{used}/{limit}", used=format_number(used), limit=format_number(limit))
        if self.counter_label.text() != counter:
            self.counter_label.setText(counter)
            self.counter_label.setStyleSheet("color: #dc2626; font-weight: bold;" if over else "")
            self.counter_label.setAccessibleName(
                ngettext(
                    "{used} of {limit} metadata key used",
                    "{used} of {limit} metadata keys used",
                    limit,
                    used=format_number(used),
                    limit=format_number(limit),
                )
            )
        self.empty_rows_hint.setVisible(not self.meta.rows)
        self._update_row_buttons()
        shown = [f for f in self.model.visible_findings() if f.path not in SCALAR_FIELDS]
        added = len(self.finding_views) < len(shown)
        while len(self.finding_views) < len(shown):
            view = FindingView(show_path=True)
            view.fix_requested.connect(self.fix_requested)
            view.focus_requested.connect(self._focus_finding)
            self.findings_layout.addWidget(view)
            self.finding_views.append(view)
        if added:
            self.views_added.emit()  # their Fix buttons take their place in the Tab order
        for i, view in enumerate(self.finding_views):
            view.set_finding(shown[i] if i < len(shown) else None)
        self.findings_frame.setVisible(bool(shown))

    def tab_chain(self) -> list[QWidget]:
        """The editor's controls in visual order: paste buttons, the table, the row tools,
        then each finding's Fix button."""
        return [
            self.paste_rows_button,
            self.paste_json_button,
            self.table,
            *self.row_buttons.values(),
            *(view.fix_button() for view in self.finding_views),
        ]

    def _focus_finding(self, finding: Finding) -> None:
        self.focus_requested.emit(finding.path)

    def _update_row_buttons(self) -> None:
        rows = len(self.meta.rows)
        current = self.table.currentIndex()
        has = current.isValid() and rows > 0
        self.row_buttons["add"].setEnabled(self.meta.used_count() < contract.MAX_METADATA_KEYS)
        self.row_buttons["remove"].setEnabled(has)
        self.row_buttons["up"].setEnabled(has and current.row() > 0)
        self.row_buttons["down"].setEnabled(has and current.row() < rows - 1)
