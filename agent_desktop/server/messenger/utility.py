"""Utility message templates for order updates: the order values a placeholder can hold, a Page-owned
template written with named fields ({order_number}) turned into Meta's numbered form ({{1}}), a
guess of what each placeholder of a Meta library template holds, and the Send API message that
fills an approved template with an order's values.

Shapes follow Meta's "Send a utility message" (Messenger Platform, updated 13 March 2026), whose
template model is the WhatsApp Business message-template model (BODY component, {{n}}
placeholders with example values, `library_template_name` to clone from the library).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_currency

from agent_desktop.core.formatting import format_date
from agent_desktop.core.order_types import Customer, Order
from agent_desktop.server.messenger.orders import major_units

# Order values a placeholder can hold, with an example value for Meta's review.
FIELDS: dict[str, str] = {
    "order_number": "#1041",
    "customer_name": "Camille",
    "carrier": "Colissimo",
    "tracking_url": "https://track.example/6A11111111111",
    "tracking_number": "6A11111111111",
    "eta": "26 November 2026",
    "order_total": "€51.70",
    "order_date": "20 November 2026",
}
PURPOSES = ("receipt", "shipping_update")
# What an order update of each purpose must name (a utility message must be specific).
REQUIRED_FIELDS = {"receipt": ("order_number",), "shipping_update": ("order_number",)}
MAX_BODY = 1024
NAME_PATTERN = re.compile(r"^[a-z0-9_]{1,512}$")
LANGUAGES = {"fr": "fr", "en": "en_US"}  # Meta's codes for the two languages the client writes
_NAMED = re.compile(r"\{([a-z_]+)\}")
_NUMBERED = re.compile(r"\{\{\s*(\d+)\s*\}\}")


class TemplateProblem(ValueError):
    """A template the lead wrote cannot be submitted; the message says why (one sentence)."""


@dataclass(frozen=True, slots=True)
class Numbered:
    """A body in Meta's form: `text` with {{1}}..{{n}}, `fields[i]` fills {{i+1}}."""

    text: str
    fields: tuple[str, ...]

    @property
    def examples(self) -> list[str]:
        return [FIELDS[f] for f in self.fields]


def numbered(body: str) -> Numbered:
    """A body written with named fields ({order_number}) in Meta's numbered form.

    Raises TemplateProblem for an empty or too long body, an unknown field, or a placeholder at
    the very start or end (Meta refuses both).
    """
    text = body.strip()
    if not text:
        raise TemplateProblem("The template's text is empty.")
    if len(text) > MAX_BODY:
        raise TemplateProblem(f"The template's text is longer than {MAX_BODY} characters.")
    fields: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in FIELDS:
            raise TemplateProblem(
                f"{{{name}}} is not an order value; use one of "
                + ", ".join("{" + f + "}" for f in FIELDS)
                + "."
            )
        fields.append(name)
        return "{{" + str(len(fields)) + "}}"

    out = _NAMED.sub(replace, text)
    if _NUMBERED.match(out) or re.search(r"\{\{\d+\}\}[.!?]?$", out):
        raise TemplateProblem(
            "Meta refuses a template that starts or ends with an order value: add words before "
            "the first one and after the last one."
        )
    return Numbered(out, tuple(fields))


def create_payload(name: str, language: str, body: Numbered) -> dict[str, Any]:
    """POST /{page-id}/message_templates for a Page-owned utility template."""
    component: dict[str, Any] = {"type": "BODY", "text": body.text}
    if body.fields:
        component["example"] = {"body_text": [body.examples]}
    return {
        "name": name,
        "language": language,
        "category": "UTILITY",
        "components": [component],
    }


def clone_payload(name: str, language: str, library_name: str) -> dict[str, Any]:
    """POST /{page-id}/message_templates cloning a template of Meta's library."""
    return {
        "name": name,
        "language": language,
        "category": "UTILITY",
        "library_template_name": library_name,
    }


def placeholders(body: str) -> int:
    """How many distinct placeholders {{1}}..{{n}} a numbered body has."""
    numbers = {int(n) for n in _NUMBERED.findall(body)}
    return max(numbers) if numbers else 0


_CARRIERS = ("ups", "fedex", "dhl", "usps", "colissimo", "chronopost", "dpd", "gls", "la poste")


_DATE = re.compile(
    r"\b(20\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|janv|févr|avr|mai|juin|juil"
    r"|août|sept|déc)",
)
_MONEY = re.compile(r"^[$€£]\s?\d|\d+[.,]\d\d\s*(€|eur|usd|\$|£)?$")


def guess_field(sample: str, kind: str, body: str, index: int) -> str:
    """What a library placeholder most likely holds, from its example value, its type and the
    words before it (the lead confirms or changes each guess before cloning)."""
    low = sample.strip().lower()
    kind = kind.upper()
    before = body.split("{{" + str(index) + "}}")[0][-40:].lower()
    if low.startswith(("http://", "https://", "www.")):
        return "tracking_url"
    if kind == "DATE" or _DATE.search(low):
        placed = any(w in before for w in ("placed", "ordered", "passée", "du "))
        return "order_date" if placed else "eta"
    if kind == "AMOUNT" or _MONEY.search(low):
        return "order_total"
    if low in _CARRIERS or before.rstrip().endswith(("with", "via", "avec", "par")):
        return "carrier"
    if low.startswith("#") or "order" in before[-16:] or "commande" in before[-16:]:
        return "order_number"
    if re.fullmatch(r"[a-z0-9]{8,}", low) and any(c.isdigit() for c in low):
        return "tracking_number"
    if index == 1 and re.fullmatch(r"[a-zà-ÿ][a-zà-ÿ' -]{1,30}", low):
        return "customer_name"
    return "order_number"


def guess_fields(body: str, samples: Sequence[str], kinds: Sequence[str]) -> list[str]:
    count = max(placeholders(body), len(samples))
    out = []
    for i in range(count):
        sample = str(samples[i]) if i < len(samples) else ""
        kind = str(kinds[i]) if i < len(kinds) else "TEXT"
        out.append(guess_field(sample, kind, body, i + 1))
    return out


def _lang(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


def pick(templates: Sequence[Mapping[str, Any]], locale: str) -> Mapping[str, Any] | None:
    """The approved template to use for a customer: their language first, then English, then any
    (templates are dicts with "language", in the order they should be preferred)."""
    want = _lang(locale or "en")
    for lang in (want, "en"):
        for template in templates:
            if _lang(str(template["language"])) == lang:
                return template
    return templates[0] if templates else None


class MissingValue(ValueError):
    """The order lacks a value the template needs; the message says which (one sentence)."""


def order_values(order: Order, customer: Customer, language: str) -> dict[str, str | None]:
    """Every field's value for this order, written for a template in `language`."""
    lang = _lang(language)
    babel_locale = "fr_FR" if lang == "fr" else "en_GB"
    # Dates as the customer writes them ("8 décembre 2026", "December 8, 2026", en_GB "8 December
    # 2026"): their own locale when the template is in their language, else the template's.
    dates = customer.locale if customer.locale and _lang(customer.locale) == lang else language
    shipment = order.shipment
    first = customer.name.split()[0] if customer.name.strip() else customer.name
    return {
        "order_number": order.number,
        "customer_name": first or None,
        "carrier": shipment.carrier if shipment else None,
        "tracking_url": (shipment.tracking_url or shipment.tracking_number) if shipment else None,
        "tracking_number": shipment.tracking_number if shipment else None,
        "eta": format_date(shipment.eta, dates, length="long")
        if shipment and shipment.eta
        else None,
        "order_total": format_currency(
            major_units(order.total, order.currency), order.currency.upper(), locale=babel_locale
        ),
        "order_date": format_date(order.placed_at, dates, length="long"),
    }


_WHAT = {
    "order_number": "an order number",
    "customer_name": "the customer's name",
    "carrier": "a carrier (the order has not shipped)",
    "tracking_url": "a tracking link (the order has not shipped)",
    "tracking_number": "a tracking number (the order has not shipped)",
    "eta": "an expected delivery date",
    "order_total": "a total",
    "order_date": "an order date",
}


def utility_message(
    template: Mapping[str, Any], order: Order, customer: Customer
) -> tuple[dict[str, Any], list[str]]:
    """The Send API `message` of a utility message from `template` (a dict with name, language,
    fields) filled with the order's values, and those values in order.

    Raises MissingValue when the order lacks one the template needs.
    """
    values = order_values(order, customer, str(template["language"]))
    texts: list[str] = []
    for name in template["fields"]:
        value = values.get(str(name))
        if not value:
            raise MissingValue(
                f"The template {template['name']} needs {_WHAT.get(str(name), str(name))}, "
                "which this order does not have."
            )
        texts.append(value)
    message: dict[str, Any] = {
        "template": {
            "name": str(template["name"]),
            "language": {"code": str(template["language"])},
        }
    }
    if texts:
        message["template"]["components"] = [
            {"type": "body", "parameters": [{"type": "text", "text": t} for t in texts]}
        ]
    return message, texts


def filled_text(body: str, texts: Sequence[str]) -> str:
    """The template's body with its placeholders filled (the copy stored in the conversation)."""

    def fill(match: re.Match[str]) -> str:
        i = int(match.group(1)) - 1
        return texts[i] if 0 <= i < len(texts) else match.group(0)

    return _NUMBERED.sub(fill, body)
