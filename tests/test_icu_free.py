"""The Linux bundle ships an empty ICU data library: the app must not start needing ICU data."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "flowsery_gui"
# Qt features that read ICU's data: collation, legacy codecs, locale-specific case mapping
# and time-zone display names. None of them is used; if one is needed, ship the full ICU
# (FLOWSERY_FULL_ICU=1, see packaging/README.md) and drop this guard.
NEEDS_ICU_DATA = re.compile(
    r"QCollator|localeAwareCompare|QStringDecoder|QStringEncoder|QStringConverter|"
    r"QLocale\([^)]*\)\.to(Upper|Lower)|displayName\(|setSortLocaleAware"
)


def test_the_app_uses_no_qt_feature_that_needs_icu_data() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NEEDS_ICU_DATA.search(line)
    ]
    assert offenders == []


def test_the_stub_exports_the_entry_point_the_spec_names() -> None:
    source = (PACKAGE.parent / "packaging" / "linux" / "icu_stubdata.c").read_text()
    spec = (PACKAGE.parent / "packaging" / "flowsery-goal-tester.spec").read_text()
    assert "ICU_ENTRY" in source
    assert "-DICU_ENTRY=icudt" in spec
