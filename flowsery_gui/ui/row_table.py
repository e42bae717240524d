"""A read-only table of whole rows, as the Plan and Received views show them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView


def row_table(
    name: str, accessible: str, model: QAbstractItemModel, widths: Sequence[int]
) -> QTableView:
    """A table picking one whole row at a time, never edited, that Tab leaves; the columns
    get `widths` and the last one stretches."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setMinimumSectionSize(40)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return table
