"""The goal form's view model: the fields, the metadata rows, and the live report.

Widgets write into it and render from it; every change re-runs the contract's rule set.
A finding is shown at its field only after the person first leaves that field (or fills it
by paste), and from then on it follows each keystroke. The metadata table itself (its rows,
columns and cell marks) is `metadata_model`'s; this module owns one and keeps it checked.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from flowsery_gui import contract
from flowsery_gui.contract import Draft, Finding, Report
from flowsery_gui.i18n import N_, _, format_number, pgettext
from flowsery_gui.ui.metadata_model import (
    KEY_COLUMN,
    MetadataModel,
    row_of,
)

SCALAR_FIELDS = ("name", "visitorUid", "sessionUid", "timezone")
#: The fields' names in words (msgids: `_(FIELD_LABELS[path])` where shown).
FIELD_LABELS = {
    "name": N_("Goal name"),
    "visitorUid": N_("Visitor ID"),
    "sessionUid": N_("Session ID"),
    "timezone": N_("Timezone"),
}


def describe_path(path: str) -> str:
    """A field path in words for people who never saw the JSON (`metadata[2].key` -> row 3 key)."""
    if path in FIELD_LABELS:
        return _(FIELD_LABELS[path])
    if path.startswith("metadata["):
        cell = row_of(path)
        if cell is not None:
            row = format_number(cell[0] + 1)
            if cell[1] == KEY_COLUMN:
                # Translators: where a finding is: the key cell of a metadata row.
                return _("Metadata row {row}, key", row=row)
            # Translators: where a finding is: the value cell of a metadata row.
            return _("Metadata row {row}, value", row=row)
    if path == "metadata":
        return _("Metadata")
    # Translators: where a finding is: the whole request body, not one field of it.
    return path or pgettext("HTTP body", "Body")


class _Scalars:
    """The four text fields, and which of them the person has left once."""

    __slots__ = ("touched", "values")

    def __init__(self) -> None:
        self.values: dict[str, str] = dict.fromkeys(SCALAR_FIELDS, "")
        self.touched: set[str] = set()


class GoalFormModel(QObject):
    """The whole form: fields, rows, which fields were left once, and the current report."""

    changed = Signal()  # the report (and possibly values) changed
    loaded = Signal()  # the whole form was replaced (restore, paste JSON, history, new goal)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scalars = _Scalars()
        self.metadata = MetadataModel(self)
        self._report = Report()
        self._suspended = False
        self._marking = False
        self._extra_check: Callable[[Draft], tuple[Finding, ...]] | None = None
        for sig in (
            self.metadata.dataChanged,
            self.metadata.rowsInserted,
            self.metadata.rowsRemoved,
            self.metadata.rowsMoved,
            self.metadata.modelReset,
        ):
            sig.connect(self._on_rows_changed)

    # Values -------------------------------------------------------------------------------
    def value(self, path: str) -> str:
        """The current text of a scalar field."""
        return self._scalars.values[path]

    def set_value(self, path: str, text: str) -> None:
        """A scalar field was edited."""
        if self._scalars.values[path] == text:
            return
        self._scalars.values[path] = text
        self.revalidate()

    def touch(self, path: str) -> None:
        """The person left this field: from now on its findings are shown."""
        if path not in self._scalars.touched:
            self._scalars.touched.add(path)
            self.changed.emit()

    def touch_row(self, position: int) -> None:
        """The person left a metadata row: from now on its value's findings are shown too."""
        if 0 <= position < len(self.metadata.rows):
            row = self.metadata.rows[position]
            if (row.key or row.value) and not (row.touched and row.value_touched):
                row.touched = row.value_touched = True
                self.revalidate()

    def visible_warnings(self) -> tuple[Finding, ...]:
        """The warnings shown at their fields (the only ones a count may speak of)."""
        return tuple(f for f in self.visible_findings() if not f.is_error)

    def touch_all(self) -> None:
        """Show every finding (after a send attempt, a paste, or a restore)."""
        self._scalars.touched.update(SCALAR_FIELDS)
        for row in self.metadata.rows:
            row.touched = row.value_touched = True
        self.revalidate()

    def is_touched(self, path: str) -> bool:
        """Whether findings for this path are shown yet."""
        if path in SCALAR_FIELDS:
            return path in self._scalars.touched
        cell = row_of(path)
        if cell is not None:
            if cell[0] >= len(self.metadata.rows):
                return False
            row = self.metadata.rows[cell[0]]
            return row.touched and (cell[1] == KEY_COLUMN or row.value_touched)
        return True  # whole-body findings (too many keys) are always shown

    def draft(self) -> Draft:
        """The form as a contract draft."""
        v = self._scalars.values
        return Draft(
            name=v["name"],
            visitor_uid=v["visitorUid"],
            session_uid=v["sessionUid"],
            timezone=v["timezone"],
            metadata=self.metadata.pairs(),
        )

    def load(self, draft: Draft, *, touched: bool) -> None:
        """Replace the whole form (restore, paste JSON, new goal)."""
        self._suspended = True
        try:
            self._scalars.values.update(
                name=draft.name,
                visitorUid=draft.visitor_uid,
                sessionUid=draft.session_uid,
                timezone=draft.timezone,
            )
            self._scalars.touched = (
                {p for p in SCALAR_FIELDS if self._scalars.values[p]} if touched else set()
            )
            self.metadata.replace_rows(list(draft.metadata), touched)
        finally:
            self._suspended = False
        self.revalidate()
        self.loaded.emit()

    # Report -------------------------------------------------------------------------------
    @property
    def report(self) -> Report:
        """The latest report for the whole form."""
        return self._report

    def visible_findings(self) -> tuple[Finding, ...]:
        """Findings at fields the person has already left."""
        return tuple(f for f in self._report.findings if self.is_touched(f.path))

    def findings_at(self, path: str) -> tuple[Finding, ...]:
        """Visible findings for one field."""
        if not self.is_touched(path):
            return ()
        return self._report.at(path)

    def apply_fix(self, finding: Finding) -> bool:
        """Put a finding's suggested fix into its field; False when it has none or no field."""
        if finding.fix is None:
            return False
        if finding.path in SCALAR_FIELDS:
            self.set_value(finding.path, finding.fix)
            return True
        cell = row_of(finding.path)
        if cell is None or cell[0] >= len(self.metadata.rows):
            return False
        return self.metadata.setData(self.metadata.index(*cell), finding.fix)

    def set_extra_check(self, check: Callable[[Draft], tuple[Finding, ...]] | None) -> None:
        """Another rule set whose findings join the API's (a tracking plan's warnings), or
        None; the form is checked again at once."""
        self._extra_check = check
        self.revalidate()

    def revalidate(self) -> None:
        """Re-run the rule set and tell the views."""
        if self._suspended:
            return
        draft = self.draft()
        self._report = contract.check_draft(draft)
        if self._extra_check is not None:
            extra = self._extra_check(draft)
            if extra:
                self._report = Report(self._report.findings + extra, self._report.body)
        marks: dict[tuple[int, int], Finding] = {}
        for finding in self._report.findings:
            cell = row_of(finding.path)
            if cell is None or not self.is_touched(finding.path):
                continue
            if cell not in marks or (finding.is_error and not marks[cell].is_error):
                marks[cell] = finding
        self._marking = True
        try:
            self.metadata.set_marks(marks)
        finally:
            self._marking = False
        self.changed.emit()

    def _on_rows_changed(self, *args: object) -> None:
        if not self._marking:
            self.revalidate()
