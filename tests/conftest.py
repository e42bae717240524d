"""Test session set-up: offscreen Qt, and every file the app writes kept in a temp dir."""

from __future__ import annotations

import os
import tempfile

# Set before anything imports Qt or the app: no display here, and never the user's real data.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_TMP = tempfile.mkdtemp(prefix="flowsery-tests-")
os.environ.setdefault("FLOWSERY_GUI_DATA_DIR", os.path.join(_TMP, "data"))
os.environ.setdefault("FLOWSERY_GUI_CONFIG_DIR", os.path.join(_TMP, "config"))
os.environ["XDG_CONFIG_HOME"] = os.path.join(_TMP, "xdg-config")
os.environ.pop("FLOWSERY_API_KEY", None)
# Messages in English whatever the machine's locale (the first variable gettext reads wins);
# a test that wants another language sets it for itself (tests/test_i18n*.py).
os.environ["LANGUAGE"] = "en"
