"""Metadata that looks like a person's data, for a warning before a send to Production.

A test goal that carries a real person's email or phone number is what a cleanup most
needs to catch, and the one thing that should never reach the real analytics at all. The
window and the CLI ask `personal_keys` before a send to Production and warn in plain words.

A key is split into words at `_` and `-` (`customer_email` → customer, email); it looks
personal when one of its words is in `PERSONAL_WORDS`, when two neighbouring words make
one of `PERSONAL_PAIRS` (`e_mail`, `ip_address`, `zip_code`), or when a word is `name`
and the key is that word alone or the word before it says whose name it is
(`NAME_OWNERS`: `first_name`, `customer_name`, but not `plan_name` or `campaign_name`).
A tracking plan's `personal: true` keys come in as `extra` and count whatever they are.

The words (document changes here and in the README):
- contact: email, mail, phone, telephone, tel, fax, whatsapp
- names: firstname, lastname, fullname, surname, forename, username, nickname, name (as above)
- where: address, street, zip, zipcode, postcode, postal, latitude, longitude
- network: ip, ipv4, ipv6, ipaddress
- identity: birthday, birthdate, dob, ssn, passport, iban, gender, age
- secrets: password, creditcard
- pairs: e_mail, ip_address, zip_code, post_code, birth_date, mobile_number, credit_card
Left out on purpose, as too often something else: mobile (a device), cell (a test cell),
city and country (coarse, and in every analytics anyway), card, login, license.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import NamedTuple

from flowsery_gui.i18n import ngettext

PERSONAL_WORDS = frozenset(
    {
        "email", "mail", "phone", "telephone", "tel", "fax", "whatsapp",
        "firstname", "lastname", "fullname", "surname", "forename", "username", "nickname",
        "address", "street", "zip", "zipcode", "postcode", "postal", "latitude", "longitude",
        "ip", "ipv4", "ipv6", "ipaddress",
        "birthday", "birthdate", "dob", "ssn", "passport", "iban", "gender", "age",
        "password", "creditcard",
    }
)  # fmt: skip
PERSONAL_PAIRS = frozenset(
    {
        ("e", "mail"), ("ip", "address"), ("zip", "code"), ("post", "code"), ("birth", "date"),
        ("mobile", "number"), ("credit", "card"),
    }
)  # fmt: skip
#: The words before `name` that make it a person's name.
NAME_OWNERS = frozenset(
    {
        "first", "last", "full", "given", "family", "middle", "sur", "fore", "user", "nick",
        "real", "display", "customer", "client", "contact", "person", "member", "buyer",
        "owner", "account", "billing", "shipping", "lead", "patient", "student", "employee",
    }
)  # fmt: skip
_SPLIT = re.compile(r"[_-]+")


class PersonalKey(NamedTuple):
    """A metadata key that looks personal, and the word that made it so."""

    key: str
    word: str


def looks_personal(key: str, extra: Collection[str] = ()) -> str | None:
    """The word (or pair) that makes `key` look like a person's data, or None. `extra`: keys
    a tracking plan marks `personal: true`, matched whole."""
    if key in extra:
        return key
    words = [w for w in _SPLIT.split(key.lower()) if w]
    for index, word in enumerate(words):
        after = words[index + 1] if index + 1 < len(words) else ""
        if (word, after) in PERSONAL_PAIRS:
            return f"{word}_{after}"
        if word in PERSONAL_WORDS:
            return word
        before = words[index - 1] if index else ""
        if word == "name" and (len(words) == 1 or before in NAME_OWNERS):
            return "_".join(words[max(0, index - 1) : index + 1])
    return None


def personal_keys(keys: Iterable[str], extra: Collection[str] = ()) -> tuple[PersonalKey, ...]:
    """The keys that look like a person's data, in the order given."""
    found = []
    for key in keys:
        word = looks_personal(key, extra)
        if word is not None:
            found.append(PersonalKey(key, word))
    return tuple(found)


def production_warning(keys: Iterable[str], extra: Collection[str] = ()) -> str | None:
    """The warning before a send to Production, or None when no key looks personal."""
    found = personal_keys(keys, extra)
    if not found:
        return None
    listed = ", ".join(hit.key for hit in found)
    return ngettext(
        "This metadata key looks like a person's data: {keys}. A test goal sent to Production "
        "with a real person's data ends up in your real analytics: use made-up values.",
        "These metadata keys look like a person's data: {keys}. A test goal sent to Production "
        "with a real person's data ends up in your real analytics: use made-up values.",
        len(found),
        keys=listed,
    )
