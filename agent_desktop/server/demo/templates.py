"""The demo shop's quick replies, in French and English: team templates everyone uses and a few
personal ones, with variables such as {{customer.first_name|there}} and {{order.tracking_url}}.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from agent_desktop.server.demo.conversations import DemoAgent
from agent_desktop.server.demo.shop import rid

# (shortcut, language, title, body)
TEAM: tuple[tuple[str, str, str, str], ...] = (
    ("hello", "en", "Greeting", "Hi {{customer.first_name|there}}, thanks for your message! I'm {{agent.first_name}}, I'm looking into it right now."),
    ("where", "en", "Where is my order", "Hi {{customer.first_name|there}}, your order {{order.number}} is on its way and should arrive by {{order.eta}}. You can follow it here: {{order.tracking_url}}"),
    ("late", "en", "Delayed parcel", "I'm sorry for the wait, {{customer.first_name|there}}. I've opened an enquiry with the carrier for order {{order.number}} and will get back to you within 24 hours."),
    ("return", "en", "Return label", "No problem! I've emailed you a prepaid return label for order {{order.number}}. Once it reaches us, the refund takes 3 to 5 days."),
    ("refund", "en", "Refund issued", "The refund of {{order.total}} for order {{order.number}} has been issued. It can take 3 to 5 business days to show on your statement."),
    ("damaged", "en", "Damaged item", "I'm so sorry about that, {{customer.first_name|there}}! Could you send me a photo of the item? We'll ship a replacement for order {{order.number}} straight away."),
    ("thanks", "en", "Closing", "You're welcome, {{customer.first_name|there}}! Have a lovely day. {{agent.first_name}}"),
    ("bonjour", "fr", "Accueil", "Bonjour {{customer.first_name|à vous}}, merci pour votre message ! Je suis {{agent.first_name}}, je regarde cela tout de suite."),
    ("ou", "fr", "Où est ma commande", "Bonjour {{customer.first_name|à vous}}, votre commande n°{{order.number}} est en route et devrait arriver d'ici le {{order.eta}}. Vous pouvez la suivre ici : {{order.tracking_url}}"),
    ("retard", "fr", "Colis en retard", "Bonjour {{customer.first_name|à vous}}, toutes nos excuses pour l'attente. J'ai ouvert une enquête auprès du transporteur pour la commande n°{{order.number}}, je reviens vers vous sous 24 h."),
    ("retour", "fr", "Étiquette de retour", "Pas de souci ! Je vous ai envoyé par e-mail une étiquette de retour prépayée pour la commande n°{{order.number}}. Dès réception, le remboursement prend 3 à 5 jours."),
    ("rembourse", "fr", "Remboursement effectué", "Le remboursement de {{order.total}} pour la commande n°{{order.number}} a été effectué. Comptez 3 à 5 jours ouvrés pour le voir sur votre compte."),
    ("abime", "fr", "Article abîmé", "Je suis vraiment désolé(e) ! Pouvez-vous m'envoyer une photo de l'article ? Nous renvoyons un article neuf pour la commande n°{{order.number}} dès aujourd'hui."),
    ("merci", "fr", "Clôture", "Avec plaisir ! Très bonne journée {{customer.first_name|à vous}}. {{agent.first_name}}"),
)  # fmt: skip

# (owner email, shortcut, language, title, body)
PERSONAL: tuple[tuple[str, str, str, str, str], ...] = (
    ("agent@demo.test", "sig", "en", "My signature", "Best wishes,\n{{agent.first_name}} from Atelier Lumière customer care"),
    ("agent@demo.test", "photo", "fr", "Demande de photo", "Pourriez-vous m'envoyer une photo du colis et de l'étiquette, s'il vous plaît ? Merci d'avance, {{customer.first_name|à bientôt}} !"),
    ("lead@demo.test", "geste", "fr", "Geste commercial", "Pour nous excuser, voici un code de 10 % sur votre prochaine commande : MERCI10. {{agent.first_name}}"),
    ("lead@demo.test", "sorry", "en", "Goodwill gesture", "To make up for it, here's 10% off your next order with the code THANKYOU10. {{agent.first_name}}"),
    ("camille@demo.test", "suivi", "fr", "Lien de suivi", "Voici le lien de suivi de votre colis : {{order.tracking_url}} (livraison prévue le {{order.eta}})."),
    ("hugo@demo.test", "track", "en", "Tracking link", "Here's your tracking link: {{order.tracking_url}} (expected {{order.eta}})."),
)  # fmt: skip


def template_rows(
    rng: random.Random, agents: Sequence[DemoAgent], agent_ids: dict[str, str], now: datetime
) -> list[dict[str, Any]]:
    """Rows for the templates table: team templates (no owner) and personal ones."""
    by_email = {a.email: agent_ids[a.id] for a in agents}
    rows: list[dict[str, Any]] = []
    for shortcut, language, title, body in TEAM:
        rows.append(_row(rng, shortcut, language, title, body, "team", None, now))
    for email, shortcut, language, title, body in PERSONAL:
        rows.append(_row(rng, shortcut, language, title, body, "personal", by_email[email], now))
    return rows


def _row(
    rng: random.Random,
    shortcut: str,
    language: str,
    title: str,
    body: str,
    scope: str,
    owner_id: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": rid(rng, "tpl"),
        "shortcut": shortcut,
        "title": title,
        "body": body,
        "language": language,
        "scope": scope,
        "owner_id": owner_id,
        "created_at": now,
        "updated_at": now,
    }
