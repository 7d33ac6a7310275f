"""What the demo's customers, agents and automations say, in French and English.

Texts are `str.format` patterns with named fields: first (customer first name), order (number),
item (how the customer names a product), carrier, eta, url, total, agent (agent first name).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_date

# Why a customer writes; each intent has openers, an agent answer and a likely follow-up.
INTENTS = (
    "where_is",
    "late",
    "return",
    "damaged",
    "wrong_size",
    "not_received",
    "address",
    "cancel",
    "refund",
    "product",
)

OPENERS: dict[str, dict[str, tuple[str, ...]]] = {
    "where_is": {
        "en": (
            "Hi, where is my order {order}?",
            "Hello! Any news on order {order}? I'd like to know when it arrives.",
            "Hi there, could you tell me when order {order} will be delivered?",
            "Where is my order {order}? The tracking page isn't very clear.",
        ),
        "fr": (
            "Bonjour, où en est ma commande {order} ?",
            "Bonjour, quand est-ce que ma commande {order} sera livrée ?",
            "Bonsoir, je voulais savoir où en était la commande {order}, merci",
            "Bonjour ! Des nouvelles de ma commande {order} ?",
        ),
    },
    "late": {
        "en": (
            "Hi, my order {order} still hasn't arrived. It was supposed to come on {eta}.",
            "Order {order} is late, the tracking hasn't moved in days. What's going on?",
            "Hello, I'm still waiting for order {order}. Can you check with {carrier}?",
        ),
        "fr": (
            "Bonjour, ma commande {order} n'est toujours pas arrivée.",
            "Bonjour, la commande {order} devait arriver le {eta} et toujours rien...",
            "Le suivi {carrier} de ma commande {order} ne bouge plus depuis plusieurs jours, c'est normal ?",
        ),
    },
    "return": {
        "en": (
            "Hi, I want to return {item}, it's not quite what I expected. Order {order}.",
            "Hello, how do I return {item} from order {order}?",
            "I'd like to send back {item}, it doesn't suit me. Is it free?",
        ),
        "fr": (
            "Bonjour, je voudrais retourner {item}, l'article ne me convient pas (commande {order}).",
            "Comment faire pour renvoyer {item} ? Commande {order}",
            "Bonjour, je souhaite faire un retour pour {item}, c'est possible ?",
        ),
    },
    "damaged": {
        "en": (
            "Hi, the parcel arrived damaged and {item} is broken. Order {order}.",
            "{item} arrived with a stain on it. Order {order}, not happy.",
        ),
        "fr": (
            "Bonjour, le colis est arrivé abîmé et {item} est cassé(e). Commande {order}.",
            "Le colis est arrivé abîmé, commande {order}. Qu'est-ce que je peux faire ?",
        ),
    },
    "wrong_size": {
        "en": (
            "Hi, I ordered a M but received a L for {item}. Order {order}.",
            "Wrong item in my parcel! I got something else instead of {item} (order {order}).",
        ),
        "fr": (
            "Bonjour, j'ai reçu {item} dans la mauvaise taille, commande {order}.",
            "Il y a une erreur dans ma commande {order}, ce n'est pas {item} que j'ai reçu.",
        ),
    },
    "not_received": {
        "en": (
            "Tracking says order {order} was delivered but I never got it.",
            "Hi, {carrier} marked my parcel as delivered yesterday but there's nothing here. Order {order}.",
        ),
        "fr": (
            "Bonjour, le suivi indique que la commande {order} est livrée mais je n'ai rien reçu.",
            "{carrier} dit que le colis est livré, mais il n'est ni dans ma boîte aux lettres ni chez les voisins. Commande {order}",
        ),
    },
    "address": {
        "en": (
            "Hi! Can I still change the delivery address for order {order}? I'll be at work.",
            "I made a mistake in my address for order {order}, it's flat 2 not flat 3.",
        ),
        "fr": (
            "Bonjour, est-ce que je peux encore changer l'adresse de livraison de la commande {order} ?",
            "Je me suis trompé(e) d'adresse pour la commande {order}, c'est le bâtiment B.",
        ),
    },
    "cancel": {
        "en": (
            "Hi, can I cancel order {order}? I ordered the wrong colour.",
            "Please cancel my order {order}, I found it elsewhere. Thanks",
        ),
        "fr": (
            "Bonjour, est-il encore possible d'annuler la commande {order} ?",
            "Je voudrais annuler ma commande {order} s'il vous plaît, erreur de couleur.",
        ),
    },
    "refund": {
        "en": (
            "Hi, has the refund for order {order} been processed? I haven't seen it yet.",
            "Hello, I sent {item} back last week, when will I get my refund?",
        ),
        "fr": (
            "Bonjour, le remboursement de la commande {order} a-t-il été effectué ?",
            "J'ai renvoyé {item} la semaine dernière, quand serai-je remboursé(e) ?",
        ),
    },
    "product": {
        "en": (
            "Hi, is {item} true to size?",
            "Do you have {item} in a larger size? I loved my last order {order}.",
            "Is {item} machine washable?",
        ),
        "fr": (
            "Bonjour, {item} taille grand ou petit ?",
            "Avez-vous {item} en taille L ? J'ai adoré ma dernière commande.",
            "Bonjour, est-ce que {item} passe en machine ?",
        ),
    },
}

ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "where_is": {
        "en": (
            "Hi {first}, your order {order} is with {carrier} and should arrive by {eta}. You can follow it here: {url}",
            "Hello {first}! Order {order} shipped with {carrier}, expected {eta}. Tracking: {url}",
        ),
        "fr": (
            "Bonjour {first}, votre commande {order} est chez {carrier} et devrait arriver d'ici le {eta}. Vous pouvez la suivre ici : {url}",
            "Bonjour {first} ! La commande {order} a été confiée à {carrier}, livraison prévue le {eta}. Suivi : {url}",
        ),
    },
    "late": {
        "en": (
            "I'm sorry for the wait, {first}. I've opened an enquiry with {carrier} for order {order}; I'll get back to you within 24 hours.",
            "Sorry {first}, {carrier} has a delay at their hub. If order {order} isn't with you in two days we'll send a new one at no cost.",
        ),
        "fr": (
            "Désolé(e) pour l'attente, {first}. J'ai ouvert une enquête auprès de {carrier} pour la commande {order}, je reviens vers vous sous 24 h.",
            "Toutes nos excuses {first}, {carrier} a du retard sur son centre de tri. Si la commande {order} n'est pas arrivée dans deux jours, nous en renvoyons une gratuitement.",
        ),
    },
    "return": {
        "en": (
            "Of course, {first}! I've emailed you a prepaid return label. Once we receive {item}, the refund takes 3 to 5 days.",
        ),
        "fr": (
            "Bien sûr {first} ! Je vous ai envoyé une étiquette de retour prépayée par e-mail. Dès réception de {item}, le remboursement prend 3 à 5 jours.",
        ),
    },
    "damaged": {
        "en": (
            "I'm so sorry, {first}. Could you send me a photo of the damage? We'll ship a replacement right away, no need to return it.",
        ),
        "fr": (
            "Je suis vraiment désolé(e), {first}. Pouvez-vous m'envoyer une photo ? Nous vous renvoyons un article neuf tout de suite, inutile de nous le retourner.",
        ),
    },
    "wrong_size": {
        "en": (
            "Sorry about the mix-up, {first}! The right size is on its way today, and here's a free return label for the other one.",
        ),
        "fr": (
            "Désolé(e) pour l'erreur, {first} ! La bonne taille part aujourd'hui, et voici une étiquette de retour gratuite pour l'autre.",
        ),
    },
    "not_received": {
        "en": (
            "Sometimes {carrier} scans a parcel a little early, {first}. Could you check with your neighbours? If it isn't there tomorrow, I'll open a claim.",
        ),
        "fr": (
            "Il arrive que {carrier} flashe le colis un peu en avance, {first}. Pouvez-vous vérifier auprès de vos voisins ? Sans nouvelles demain, j'ouvre une réclamation.",
        ),
    },
    "address": {
        "en": (
            "Done, {first}: the address for order {order} is updated. It hasn't left our warehouse yet, so it will go to the new one.",
        ),
        "fr": (
            "C'est fait, {first} : l'adresse de la commande {order} est modifiée. Le colis n'est pas encore parti, il ira à la nouvelle adresse.",
        ),
    },
    "cancel": {
        "en": (
            "No problem, {first}: order {order} is cancelled and {total} will be refunded to your card.",
        ),
        "fr": (
            "Pas de souci {first}, la commande {order} est annulée et {total} seront remboursés sur votre carte.",
        ),
    },
    "refund": {
        "en": (
            "Hi {first}, the refund of {total} for order {order} was issued today. It can take 3 to 5 business days to show on your statement.",
        ),
        "fr": (
            "Bonjour {first}, le remboursement de {total} pour la commande {order} a été effectué aujourd'hui. Comptez 3 à 5 jours ouvrés pour le voir sur votre compte.",
        ),
    },
    "product": {
        "en": (
            "Hi {first}! It fits true to size, it's back in stock from XS to XL, and it's machine washable at 30°C.",
        ),
        "fr": (
            "Bonjour {first} ! Cet article taille normalement, il est de nouveau disponible du XS au XL et passe en machine à 30 °C.",
        ),
    },
}

FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "en": (
        "Thanks!",
        "Great, thank you so much",
        "Ok, I'll wait then.",
        "Perfect, thanks for the quick answer",
        "Any update?",
        "Still nothing today...",
        "Thank you, have a nice day",
        "Brilliant, cheers",
    ),
    "fr": (
        "Merci beaucoup !",
        "Super, merci",
        "D'accord, j'attends alors.",
        "Parfait, merci pour la réponse rapide",
        "Des nouvelles ?",
        "Toujours rien aujourd'hui...",
        "Merci, bonne journée",
        "Top, merci !",
    ),
}
CLOSINGS: dict[str, tuple[str, ...]] = {
    "en": (
        "You're welcome, {first}! Have a great day.",
        "My pleasure! Don't hesitate if you need anything else.",
        "Happy to help, {first} 🙂",
    ),
    "fr": (
        "Avec plaisir {first}, bonne journée !",
        "Je vous en prie ! N'hésitez pas si besoin.",
        "Ravi(e) d'avoir pu vous aider, {first} 🙂",
    ),
}
# Short answers to a follow-up such as "Any update?".
UPDATES: dict[str, tuple[str, ...]] = {
    "en": (
        "I've just checked with {carrier}: it's at their local depot and should be delivered by {eta}.",
        "Thanks for your patience, {first}. I'm chasing {carrier} now and will update you today.",
    ),
    "fr": (
        "Je viens de vérifier auprès de {carrier} : le colis est à l'agence locale, livraison prévue le {eta}.",
        "Merci pour votre patience {first}. Je relance {carrier} et je vous tiens au courant aujourd'hui.",
    ),
}
PENDING_QUESTIONS: dict[str, tuple[str, ...]] = {
    "en": (
        "Could you send me a photo of the label on the parcel, {first}?",
        "Could you confirm your postcode so I can check with {carrier}?",
    ),
    "fr": (
        "Pouvez-vous m'envoyer une photo de l'étiquette du colis, {first} ?",
        "Pouvez-vous me confirmer votre code postal pour que je vérifie avec {carrier} ?",
    ),
}
NOTES: tuple[str, ...] = (
    "Opened a claim with {carrier} for order {order}.",
    "Replacement shipped, no return needed.",
    "Refund done in the payment console.",
    "Customer already wrote twice about this order, keep an eye on it.",
    "Réclamation ouverte chez {carrier}, réponse sous 48 h.",
    "Vérifié en entrepôt : le colis est bien parti.",
    "Client fidèle, geste commercial OK (code -10 %).",
    "Échange de taille validé avec la logistique.",
)
SPAM: tuple[str, ...] = (
    "Congratulations!!! Your page has been selected for a free verification badge, click bit.ly/fb-verify-now",
    "Buy 10,000 real followers for your shop, only 9.99$!!! DM me",
    "Hello dear, I am interested in your products, please send me your WhatsApp for a business deal",
    "Votre page sera désactivée dans 24 h. Confirmez vos informations ici : meta-support-center.help",
    "SEO services: first page of Google guaranteed. Reply YES for a quote",
)
INSTANT_REPLY: dict[str, str] = {
    "en": "Thanks for your message! We usually reply within a few minutes (Monday to Saturday, 8 am to 8 pm).",
    "fr": "Merci pour votre message ! Nous répondons généralement en quelques minutes (du lundi au samedi, de 8 h à 20 h).",
}
AWAY_MESSAGE: dict[str, str] = {
    "en": "Our team is away right now. We'll answer first thing in the morning!",
    "fr": "Notre équipe est absente pour le moment. Nous vous répondrons dès demain matin !",
}
ORDER_EVENTS: dict[str, dict[str, str]] = {
    "placed": {
        "en": "Order {order} confirmed: {count} item(s), total {total}. Thank you for shopping with us!",
        "fr": "Commande {order} confirmée : {count} article(s), total {total}. Merci pour votre achat !",
    },
    "shipped": {
        "en": "Your order {order} has shipped with {carrier}. Track it here: {url}",
        "fr": "Votre commande {order} a été expédiée avec {carrier}. Suivez-la ici : {url}",
    },
    "out_for_delivery": {
        "en": "Your order {order} is out for delivery today with {carrier}.",
        "fr": "Votre commande {order} est en cours de livraison aujourd'hui avec {carrier}.",
    },
    "delivered": {
        "en": "Your order {order} has been delivered. Enjoy!",
        "fr": "Votre commande {order} a été livrée. Bonne journée !",
    },
    "delayed": {
        "en": "Your order {order} is running late at {carrier}. We're keeping an eye on it and will update you.",
        "fr": "Votre commande {order} a du retard chez {carrier}. Nous suivons cela de près et vous tenons informé(e).",
    },
    "returned": {
        "en": "We have received the return for order {order}. Your refund is on its way.",
        "fr": "Nous avons bien reçu le retour de la commande {order}. Votre remboursement est en cours.",
    },
}


def money(amount: int, locale: str, currency: str = "EUR") -> str:
    """An amount in minor units as a customer reads it: `49,90 €` or `€49.90`."""
    units, cents = divmod(amount, 100)
    if locale == "fr":
        grouped = f"{units:,}".replace(",", "\u202f")
        return f"{grouped},{cents:02d}\u00a0€"
    return f"€{units:,}.{cents:02d}"


def day(at: datetime, locale: str) -> str:
    """A date as a customer reads it: `mardi 24 novembre` or `Tuesday 24 November`."""
    return _day(at.date(), "fr" if locale == "fr" else "en_GB")


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    return format_date(value, "EEEE d MMMM", locale=locale)
