"""A hand-written window of the goal tester's shape, with no app code: the floor for its start.

Plain PySide6, all in one file, nothing loaded but Qt. It shows what the app's window shows
at its first paint on the sandbox profile, built the plain way:
- the menu bar: the same six menus and 29 actions with the same keyboard shortcuts (some
  have two, some have none, two are standard keys), and the empty Sandbox Fault submenu;
- the toolbar: the profile label and list, the key state button, Send and Cancel;
- the form: four labelled fields (three line edits with a clear button, an editable zone
  combo), the cookie and test-ID buttons, the hidden "use this profile's test IDs" box,
  the metadata title, counter and paste buttons, a two-column table, its four row tools
  and the empty-table hint, the send bar;
- the right-hand tabs (Response, Request, History) with the response hint, centred;
- a status bar with two labels.
No icons, colours or checks: those are the app's own work. `bench_gui.py` starts it beside
the app and the bare QMainWindow, so the cost of a window of this shape, as opposed to the
app's own code, shows in the same run.

    python benchmarks/same_shape_window.py [IDLE_MS] [--no-shortcuts]

`--no-shortcuts` leaves the actions without keyboard shortcuts. Either way PySide6 builds the
Python enums of the whole `Qt` namespace (about 95 of them, ~20 ms) on the first use of
`Qt` (here the hint's alignment); any window of this shape pays it.
"""

import sys
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

NEW, QUIT = QKeySequence.StandardKey.New, QKeySequence.StandardKey.Quit
MENUS = {  # the app's menus, actions and shortcuts (flowsery_gui/ui/actions.py), copied
    "&File": [
        ("&New Goal", (NEW,)),
        ("&Open Suite…", ("Ctrl+Shift+O",)),
        ("Open Tracking &Plan…", ("Ctrl+Shift+P",)),
        ("C&lose Plan", ()),
        ("&Quit", (QUIT, "Ctrl+Q")),
    ],
    "&Edit": [
        ("Paste &JSON Body…", ("Ctrl+Shift+V",)),
        ("Paste &Cookies…", ("Ctrl+Shift+K",)),
        ("New &Test IDs", ("Ctrl+Shift+I",)),
        ("&Add Metadata Row", ("Ctrl+Shift+N",)),
        ("&Remove Metadata Row", ("Ctrl+Shift+D",)),
        ("Move Row &Up", ("Ctrl+Shift+Up",)),
        ("Move Row &Down", ("Ctrl+Shift+Down",)),
        ("Paste Metadata Ro&ws…", ()),
        ("Cop&y as cURL", ("Ctrl+Shift+C",)),
        ("Pre&ferences…", ("Ctrl+,",)),
    ],
    "&Goal": [
        ("&Send", ("Ctrl+Return", "Ctrl+Enter")),
        ("&Cancel", ("Esc",)),
        ("Add to S&uite…", ()),
        ("Delete from &Analytics…", ()),
    ],
    "&View": [
        ("Go to Goal &Name", ("Ctrl+L",)),
        ("&Response", ("Ctrl+1",)),
        ("Re&quest Preview", ("Ctrl+2",)),
        ("&History", ("Ctrl+3", "Ctrl+H")),
        ("S&uites", ("Ctrl+4",)),
        ("&Plan", ("Ctrl+5",)),
        ("Recei&ved", ("Ctrl+6",)),
    ],
    "&Profile": [("API &Key…", ("Ctrl+K",)), ("&Profiles…", ())],
    "&Help": [("&About", ())],
}

app = QApplication(sys.argv[:1])
args = [a for a in sys.argv[1:] if not a.startswith("--")]
idle_ms = int(args[0]) if args else 0
shortcuts = "--no-shortcuts" not in sys.argv

window = QMainWindow()
window.setWindowTitle("Flowsery Goal Tester — Sandbox")
window.resize(1180, 760)
actions: dict[str, QAction] = {}
for title, entries in MENUS.items():
    menu = window.menuBar().addMenu(title)
    for text, keys in entries:
        action = QAction(text, window)
        if shortcuts and keys:
            action.setShortcuts([QKeySequence(key) for key in keys])
        menu.addAction(action)
        actions[text] = action
    if title == "&Goal":
        menu.addMenu("Sandbox &Fault")

toolbar = window.addToolBar("Main")
profile_label = QLabel(" Pr&ofile: ")
toolbar.addWidget(profile_label)
profiles = QComboBox()
profile_label.setBuddy(profiles)
profiles.addItems(["Production (real data)", "Sandbox"])
profiles.setCurrentIndex(1)
toolbar.addWidget(profiles)
toolbar.addSeparator()
key_state = QToolButton()
key_state.setText("Key: sandbox (starting…)")
toolbar.addWidget(key_state)
toolbar.addAction(actions["&Send"])
toolbar.addAction(actions["&Cancel"])

form = QWidget()
outer = QVBoxLayout(form)
grid = QGridLayout()
outer.addLayout(grid)
for row, (label, extra) in enumerate(
    (
        ("Goal &name", None),
        ("Vi&sitor ID  _fs_vid", "Paste cookies…"),
        ("Sess&ion ID  _fs_sid", "New test IDs"),
    )
):
    edit = QLineEdit()
    edit.setClearButtonEnabled(True)
    buddy = QLabel(label)
    buddy.setBuddy(edit)
    grid.addWidget(buddy, row, 0)
    grid.addWidget(edit, row, 1)
    if extra:
        grid.addWidget(QPushButton(extra), row, 2)
use_test_ids = QCheckBox("&Use this profile's test IDs when the IDs are empty")
use_test_ids.hide()  # shown while the profile has test IDs, as in the app
grid.addWidget(use_test_ids, 3, 1, 1, 2)
zone = QComboBox()
zone.setEditable(True)
zone_label = QLabel("&Timezone")
zone_label.setBuddy(zone)
grid.addWidget(zone_label, 4, 0)
grid.addWidget(zone, 4, 1, 1, 2)
header = QHBoxLayout()
metadata_label = QLabel("&Metadata")
header.addWidget(metadata_label)
header.addWidget(QLabel("0/10"))
header.addStretch(1)
header.addWidget(QPushButton("Paste rows…"))
header.addWidget(QPushButton("Paste JSON…"))
outer.addLayout(header)
table = QTableView()
rows = QStandardItemModel(0, 2, table)
rows.setHorizontalHeaderLabels(["Key", "Value"])
table.setModel(rows)
metadata_label.setBuddy(table)
outer.addWidget(table, 1)
row_tools = QHBoxLayout()
for text in ("Add row", "Remove", "Up", "Down"):
    tool = QToolButton()
    tool.setText(text)
    row_tools.addWidget(tool)
row_tools.addStretch(1)
outer.addLayout(row_tools)
outer.addWidget(QLabel("No metadata yet. Use Add row, or Paste rows for key=value lines."))
scroll = QScrollArea()
scroll.setWidgetResizable(True)
scroll.setWidget(form)
left = QWidget()
left_layout = QVBoxLayout(left)
left_layout.addWidget(scroll, 1)
send_bar = QHBoxLayout()
send_bar.addWidget(QLabel("Fix 1 problem to send: a goal needs a name."), 1)
send_bar.addWidget(QPushButton("Send"))
left_layout.addLayout(send_bar)

splitter = QSplitter()
splitter.addWidget(left)
tabs = QTabWidget()
hint = QLabel("Fire a goal with Send (Ctrl+Enter). The answer appears here.")
hint.setAlignment(Qt.AlignmentFlag.AlignCenter)  # as the app shows it (the first use of `Qt`)
hint.setWordWrap(True)
tabs.addTab(hint, "Response")
tabs.addTab(QWidget(), "Request")
tabs.addTab(QWidget(), "History")
splitter.addWidget(tabs)
window.setCentralWidget(splitter)
window.statusBar().addPermanentWidget(QLabel("Sandbox: starting…"))
window.statusBar().addPermanentWidget(QLabel(""))
window.show()


def shown() -> None:
    print(f"first show (at {time.time():.3f})", flush=True)
    QTimer.singleShot(idle_ms, lambda: app.exit(0))


QTimer.singleShot(0, shown)
app.exec()
