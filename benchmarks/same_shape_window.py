"""A hand-written window of the goal tester's shape, with no app code: the floor for its start.

Plain PySide6, all in one file, nothing loaded but Qt: a menu bar of five menus and 22
actions, a toolbar, the production banner, the form (four labelled fields, an editable
combo, the cookie and JSON buttons, a two-column table and its row buttons), the send bar,
the right-hand tabs and a status bar with two labels. `bench_gui.py` starts it beside the
app and the bare QMainWindow, so the cost of a window of this shape, as opposed to the
app's own code, shows in the same run.

    python benchmarks/same_shape_window.py [IDLE_MS] [--no-shortcuts]

`--no-shortcuts` leaves the actions without keyboard shortcuts: PySide6 builds the Python
enums of the whole `Qt` namespace (about 95 of them) the first time a shortcut is set, which
is most of the difference between the two variants.
"""

import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

MENUS = {
    "&File": ["New goal", "Paste JSON…", "Export history…", "Quit"],
    "&Edit": ["Paste cookies…", "New test IDs", "Add row", "Remove row", "Move up", "Move down"],
    "&Request": ["Send", "Cancel", "Copy as cURL", "Copy as Node fetch", "Copy as Python"],
    "&View": ["Compose", "History", "Response", "Request"],
    "&Help": ["Contract notes", "Keyboard shortcuts", "About"],
}

app = QApplication(sys.argv[:1])
args = [a for a in sys.argv[1:] if not a.startswith("--")]
idle_ms = int(args[0]) if args else 0
shortcuts = "--no-shortcuts" not in sys.argv

window = QMainWindow()
window.setWindowTitle("Flowsery Goal Tester")
window.resize(1180, 760)
toolbar = window.addToolBar("Main")
number = 0
for title, names in MENUS.items():
    menu = window.menuBar().addMenu(title)
    for name in names:
        action = QAction(name, window)
        if shortcuts:
            action.setShortcut(QKeySequence(f"Ctrl+Shift+{chr(ord('A') + number)}"))
        number += 1
        menu.addAction(action)
        if title == "&Request" or name in ("New goal", "Paste JSON…"):
            toolbar.addAction(action)

central = QWidget()
outer = QVBoxLayout(central)
outer.addWidget(QLabel("PRODUCTION: goals you send here count in your real analytics."))
splitter = QSplitter()
outer.addWidget(splitter, 1)

form = QWidget()
fields = QFormLayout(form)
for label in ("Goal name", "Visitor ID (_fs_vid)", "Session ID (_fs_sid)"):
    fields.addRow(QLabel(label), QLineEdit())
zone = QComboBox()
zone.setEditable(True)
fields.addRow(QLabel("Timezone"), zone)
buttons = QHBoxLayout()
for text in ("Paste cookies…", "New test IDs", "Paste JSON…"):
    buttons.addWidget(QPushButton(text))
fields.addRow(buttons)
table = QTableView()
table.setModel(QStandardItemModel(0, 2, table))
fields.addRow(QLabel("Metadata 0/10"), table)
rows = QHBoxLayout()
for text in ("Add row", "Remove", "Up", "Down", "Paste rows…"):
    rows.addWidget(QPushButton(text))
fields.addRow(rows)
scroll = QScrollArea()
scroll.setWidgetResizable(True)
scroll.setWidget(form)
left = QWidget()
left_layout = QVBoxLayout(left)
left_layout.addWidget(scroll, 1)
send_bar = QHBoxLayout()
send_bar.addWidget(QLabel("Ready to send."), 1)
send_bar.addWidget(QPushButton("Send"))
left_layout.addLayout(send_bar)
splitter.addWidget(left)

tabs = QTabWidget()
tabs.addTab(QLabel("Fire a goal with Send (Ctrl+Enter). The answer appears here."), "Response")
tabs.addTab(QWidget(), "Request")
tabs.addTab(QWidget(), "History")
splitter.addWidget(tabs)
window.setCentralWidget(central)
window.statusBar().addPermanentWidget(QLabel("Sandbox"))
window.statusBar().addPermanentWidget(QLabel("History: 0 requests"))
window.show()


def shown() -> None:
    print(f"first show (at {time.time():.3f})", flush=True)
    QTimer.singleShot(idle_ms, lambda: app.exit(0))


QTimer.singleShot(0, shown)
app.exec()
