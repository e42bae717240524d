"""Fresh visitor and session IDs for the "New test IDs" button.

Assumption: the Flowsery tracker's `_fs_vid` and `_fs_sid` cookies hold random UUIDs
(version 4, lowercase, hyphenated). The vendor does not document the format and the API
accepts any string, so this is a choice, kept in this one place.
"""

from __future__ import annotations


def new_visitor_id() -> str:
    """A new random visitor ID, shaped like the `_fs_vid` cookie (a UUID4)."""
    import uuid  # on first use: a CLI send that needs no new ID does not pay for it

    return str(uuid.uuid4())


def new_session_id() -> str:
    """A new random session ID, shaped like the `_fs_sid` cookie (a UUID4)."""
    import uuid

    return str(uuid.uuid4())
