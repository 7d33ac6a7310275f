"""Search keys for customers: names without case or accents, phones as their digits."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def name_key(text: str | None) -> str:
    """ "Élodie  Dupré" → "elodie dupre": lower case, accents removed, single spaces."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain.casefold()).strip()


def phone_digits(phone: str | None) -> str:
    """The digits of a phone number ("+33 6 12 34 56 78" → "33612345678")."""
    return "".join(ch for ch in phone or "" if ch.isdigit())


def phone_tail(phone: str | None) -> str:
    """The last nine digits: what a national and an international spelling of one number share
    ("06 12 34 56 78" and "+33 6 12 34 56 78"); "" for fewer than six digits."""
    digits = phone_digits(phone)
    return digits[-9:] if len(digits) >= 6 else ""
