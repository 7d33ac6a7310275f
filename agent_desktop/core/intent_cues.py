"""The cues of core/intents.py: per intent, the phrases (regular expressions on the folded
message) with their weight, in French and English; the masks that hide cues where the words mean
something else; and which intents outrank which. Data only: the matcher is core/intents.py, and
tests/unit/core/test_intents.py with tests/bench/intents.py measure any change to it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True, slots=True)
class Cue:
    pattern: re.Pattern[str]
    weight: float
    late: bool = False


def cues(*items: tuple[str, float] | tuple[str, float, bool]) -> tuple[Cue, ...]:
    out = []
    for item in items:
        late = bool(item[2]) if len(item) > 2 else False
        out.append(Cue(re.compile(item[0]), float(item[1]), late))
    return tuple(out)


ORDER = r"(?:order|oder|ordr|parcel|package|pack|delivery|stuff|items?|purchase)"
COMMANDE = r"(?:commande|comande|commade|colis|livraison|paquet|achat)"

CUES: dict[str, tuple[Cue, ...]] = {
    "where_is_order": cues(
        (
            rf"\b(?:where|were|wheres|where's|whers)\b\s*(?:is\s+|are\s+)?(?:my|the|our)\s+{ORDER}",
            3,
        ),
        (rf"\bou\s+(?:est|en\s+est|sont|en\s+sont)\s+(?:ma|mon|la|le|les|mes)\s+{COMMANDE}", 3),
        (
            r"\b(?:has\s*n'?t|hasnt|have\s*n'?t|havent|not|never|yet\s+to\s+be|didn'?t|didnt)\s+"
            r"(?:yet\s+|been\s+|even\s+)?(?:arrived|arrive|received|recieved|come|delivered|"
            r"turned\s+up|shown\s+up|get\s+it|got\s+it)\b",
            2,
        ),
        (r"\bnot\s+(?:been\s+)?delivered\b", 2),
        (r"\b(?:pas|jamais|rien)\s+(?:encore\s+)?(?:recu|arrive|arrivee|livre|livree|eu)\b", 2),
        (
            r"\bn'(?:est|ai|a)\s+(?:toujours\s+)?(?:pas|jamais|rien)\s+(?:encore\s+)?"
            r"(?:recu|arrive|arrivee|livre|livree)\b",
            1,
        ),
        (r"\b(?:tracking|trackin|track)\b", 2),
        (r"\b(?:numero|lien|n°|code|info\w*)\s+de\s+suivi\b", 3),
        (r"\ble\s+suivi\b", 2),
        (
            r"\bwhen\s+(?:will|is|does|do|can|should|are)\b.{0,40}?\b(?:arrive|arriving|delivered|"
            r"deliver|get\s+here|be\s+here|come|coming|ship|shipped|dispatched|receive|get\s+it)\b",
            2,
        ),
        (
            r"\bwhen\b(?:\s+[\w']+){0,5}?\s+(?:arrive|arrives|arriving|will\s+arrive|be\s+delivered|"
            r"get\s+here|come|comes|coming|ship|ships|shipped|dispatched)\b",
            2,
        ),
        (
            r"\b(?:has|have|was|did)\s+(?:it|they|my\s+\w+)\s+(?:been\s+)?(?:shipped|dispatched|sent|"
            r"posted)\b",
            2,
        ),
        (
            r"\bquand\b.{0,40}?\b(?:recevoir|recois|recevrai|reçois|livree?|arrive|arrivera|"
            r"expediee?|partira)\b",
            2,
        ),
        (r"\b(?:arrive|arrivera|livree?|expediee?)\s+quand\b", 2),
        (
            r"\b(?:status|state)\s+of\s+(?:my|the)\s+order\b|\border\s+status\b|"
            r"\bwhat'?s\s+the\s+status\b",
            2,
        ),
        (r"\betat\s+de\s+(?:ma|la)\s+commande\b", 3),
        (r"\b(?:shipped|dispatched|sent|send|posted)\b.{0,20}\byet\b", 2),
        (
            r"\b(?:has|have|did|was)\s+(?:my|the)\s+order\s+(?:been\s+)?(?:shipped|dispatched|"
            r"left|sent|posted)\b",
            3,
        ),
        (r"\b(?:commande|colis)\b.{0,25}\b(?:expediee?|partie?|envoyee?)\b", 2),
        (r"\bon\s+(?:its|it's|the|their)\s+way\b|\ben\s+route\b|\bacheminement\b", 2),
        (r"\b(?:late|delayed|overdue|delay)\b", 2, True),
        (r"\b(?:en\s+retard|retard|retardee?)\b", 2, True),
        (
            r"\b(?:supposed\s+to\s+(?:arrive|come|be\s+here)|was\s+due|were\s+due|"
            r"should\s+have\s+(?:arrived|come)|estimated\s+(?:date|delivery)|expected\s+(?:on|by))\b",
            2,
            True,
        ),
        (
            r"\b(?:devait\s+arriver|devait\s+etre\s+livre\w*|etait\s+prevue?|"
            r"date\s+de\s+livraison\s+(?:estimee|prevue)|depassee?)\b",
            2,
            True,
        ),
        (
            r"\b(?:still\s+(?:nothing|no\s+sign|waiting|hasnt|hasn't|not)|nothing\s+(?:yet|came)|"
            r"no\s+sign\s+of)\b",
            2,
        ),
        (r"\btoujours\s+(?:rien|pas\s+de\s+nouvelles|pas)\b", 1),
        (rf"\bwaiting\s+(?:for|on)\s+(?:my|the)\s+{ORDER}", 2),
        (rf"\bwaiting\b.{{0,20}}\bfor\s+my\s+{ORDER}", 2),
        (rf"\bj'?attends\s+(?:ma|mon|la|le)\s+{COMMANDE}", 2),
        (
            rf"\b(?:news|update|updates|infos?|nouvelles|idea)\b.{{0,25}}\b(?:{ORDER}|{COMMANDE})\b",
            2,
        ),
        (r"\bin\s+transit\b|\bis\s+it\s+lost\b|\bperdu\b", 1),
        (r"\b(?:courier|carrier|transporteur|livreur)\b", 1),
        (r"\bout\s+for\s+delivery\b", 1),
        (r"\bdelai\s+de\s+livraison\b.{0,30}\bma\s+commande\b", 2),
        (r"\bwhen\s+is\s+my\s+(?:parcel|order|package)\b", 2),
        (r"\bwhere\s+(?:it|they|my\s+[\w']+)\s+(?:is|are)\b|\bou\s+sont\s+mes\b", 3),
        (
            r"\b(?:when\s+does\s+it|when\s+will\s+it)\s+(?:go\s+out|leave|ship)\b|"
            r"\b(?:part|partira|sort)\s+quand\b",
            2,
        ),
        (
            r"\b(?:left|leave|leaving)\s+(?:your|the)\s+(?:warehouse|depot)\b|"
            r"\bquitte\s+l'?entrepot\b",
            3,
        ),
        (r"\b(?:arrive|be\s+here|get\s+here)\s+in\s+time\b|\barriver\w*\s+a\s+temps\b", 2),
        (r"\b(?:no|pas\s+de)\s+(?:parcel|package|colis)\b", 2),
        (
            rf"\bwhat'?s\s+(?:happening|going\s+on)\s+with\s+my\s+{ORDER}|"
            rf"\bil\s+se\s+passe\s+quoi\s+avec\s+(?:ma|mon)\s+{COMMANDE}",
            3,
        ),
        (
            r"\btaking\s+(?:ages|forever|so\s+long|a\s+long\s+time)\b|\bprend\s+un\s+temps\s+fou\b|"
            r"\bprend\s+(?:beaucoup\s+de\s+|du\s+)temps\b",
            2,
        ),
        (rf"\b(?:{ORDER}|{COMMANDE})\b.{{0,12}}\b(?:lost|perdue?)\b", 2),
        (r"\bexpect\s+(?:my|it|them|the)\b|\besperer\s+(?:le\s+|la\s+|les\s+)?recevoir\b", 2),
        (r"\b(?:checking|check)\s+(?:on|up\s+on|in\s+on)\b|\bje\s+me\s+renseigne\b", 2),
        (
            r"\bexpected\s+delivery\b|\blivraison\s+etait\s+prevue\b|\bdelivery\s+attempted\b",
            2,
            True,
        ),
        (
            r"\b(?:still|toujours)\s+(?:showing|shows|en)\s+(?:as\s+)?(?:processing|preparation)\b",
            2,
        ),
        (
            r"\b(?:turned\s+up|shown\s+up)\s+yet\b|\bnothing\s+has\s+(?:come|arrived|turned\s+up)\b",
            2,
        ),
        (r"\bany\s+sign\s+of\b|\baucun\s+signe\b", 2),
        (
            r"\b(?:still|toujours)\b.{0,15}\b(?:preparing|processing|preparation|en\s+cours\s+de\s+"
            r"preparation)\b",
            2,
        ),
        (r"\bchasing\b|\bje\s+relance\b|\brelancer\b", 2),
        (r"\bmeant\s+to\s+(?:be|arrive|come)\b", 2, True),
        (
            r"\b(?:driver|courier|delivery\s+man)\s+never\s+(?:showed|came|turned\s+up)\b|"
            r"\blivreur\s+n'est\s+(?:jamais\s+)?(?:venu|passe)\b",
            2,
            True,
        ),
        (
            rf"\b(?:still\s+)?(?:don'?t|do\s+not)\s+have\s+my\b|\bje\s+n'?ai\s+(?:toujours\s+)?pas\s+"
            rf"(?:ma|mon|mes)\s+{COMMANDE}",
            2,
        ),
        (r"\bstuck\s+(?:at|in)\b|\bbloquee?\s+(?:au|a\s+la|en|dans)\b", 2),
        (r"\beta\b|\bdate\s+de\s+livraison\b", 2),
        (r"\bnothing\s+so\s+far\b|\brien\s+pour\s+(?:l'instant|le\s+moment)\b", 2),
        (r"\bwhat'?s\s+going\s+on\b|\bque\s+se\s+passe-t-il\b|\bqu'est-ce\s+qui\s+se\s+passe\b", 1),
        (r"\bwhen\b(?:\s+[\w']+){0,4}?\s+turn\s+up\b|\barrivent\s+quand\b", 2),
        (r"\bsent\s+out\b|\bpostee?\b|\bposted\b", 2),
        (r"\bhow\s+much\s+longer\b|\bencore\s+combien\s+de\s+temps\b", 2),
        (
            r"\b(?:no|not\s+had\s+any|never\s+got\s+a|aucun)\b.{0,15}\b(?:dispatch|shipping|"
            r"expedition|shipment)\b|\bmail\s+d'expedition\b",
            2,
        ),
        (r"\bse\s+trouve\s+(?:ma|mon|mes)\b", 3),
    ),
    "return_exchange": cues(
        (r"\b(?:return|retrun|returning|returns)\b", 2),
        (r"\breturn\s+(?:label|policy|instructions|shipping|address|form|process)\b", 3),
        (r"\bstart\s+a\s+return\b", 3),
        (r"\bsend\b(?:\s+[\w']+){0,3}\s+back\b", 2),
        (r"\b(?:exchange|exchanged|swap)\b", 3),
        (r"\btoo\s+(?:small|big|large|tight|short|long|narrow|wide)\b", 2),
        (r"\b(?:doesn'?t|does\s+not|didn'?t)\s+fit\b", 2),
        (r"\b(?:different|other|smaller|bigger|larger)\s+(?:size|one|colou?r)\b", 1),
        (r"\bchanged\s+my\s+mind\b", 2),
        (r"\b(?:don'?t|do\s+not)\s+like\b|\bnot\s+happy\s+with\b", 1),
        (r"\b(?:retourner|renvoyer|retournez|renvoyez|renvoie|retourne|rembaler)\b", 2),
        (r"\bretours?\b", 2),
        (r"\b(?:etiquette|politique|procedure|bon|formulaire)\s+de\s+retour\b", 3),
        (r"\bfaire\s+un\s+retour\b", 3),
        (r"\b(?:echanger|echange|echanges)\b", 3),
        (r"\btrop\s+(?:petite?s?|grande?s?|large|serree?|court|courte|long|longue)\b", 2),
        (r"\bne\s+me\s+va\s+pas\b", 2),
        (r"\bchange\s+d'?avis\b", 2),
        (
            r"\b(?:taille|pointure)\s+(?:au[- ]dessus|en\s+dessous|au[- ]dessous)\b|"
            r"\bautre\s+taille\b",
            1,
        ),
        (r"\bne\s+(?:me\s+)?plai?t\s+pas\b|\bne\s+correspond\s+pas\s+a\s+mes\s+attentes\b", 1),
        (r"\bgive\s+(?:it|them)\s+back\b|\b(?:le|la|les)\s+rendre\b", 2),
        (r"\bbring\s+(?:it|them|the\s+\w+)\s+back\b|\brapporter\b", 2),
        (
            r"\b(?:get|have)\s+(?:it|them)\s+in\s+a\s+(?:shorter|longer|smaller|bigger|larger|"
            r"different)\b|\bl'?avoir\s+en\s+plus\s+(?:court|long|petit|grand)\b",
            2,
        ),
        (
            r"\b(?:get|have)\s+the\s+\w+\s+one\s+instead\b|\bavoir\s+(?:la|le|les)\s+\w+\s+a\s+la\s+"
            r"place\b",
            2,
        ),
        (
            r"\b(?:doesn'?t|don'?t)\s+like\s+the\s+(?:colou?r|size|style)\b|"
            r"\bn'?aime\s+pas\s+la\s+(?:couleur|taille)\b",
            1,
        ),
        (
            r"\b(?:change|swap)\s+(?:the\s+)?(?:colou?r|size)\b|\bchanger\s+(?:la\s+)?(?:couleur|taille)\b",
            2,
        ),
        (
            r"\b(?:i'?d\s+like|i\s+want|i\s+would\s+like|can\s+i\s+get|could\s+i\s+get|je\s+voudrais|"
            r"je\s+veux|je\s+souhaite|j'aimerais)\s+(?:my\s+money\s+back|a\s+refund|me\s+faire\s+"
            r"rembourser|un\s+remboursement|etre\s+rembourse\w*)",
            2,
        ),
    ),
    "damaged_wrong_item": cues(
        (
            r"\b(?:broken|brokn|broke|cracked|chipped|smashed|shattered|damaged|defective|faulty|"
            r"leaks|leaking|leak|scratched|torn|dented|ripped|stained)\b",
            3,
        ),
        (r"\bin\s+pieces\b|\bhole\s+in\b|\bhas\s+a\s+hole\b", 3),
        (
            r"\b(?:doesn'?t|does\s+not|won'?t|will\s+not|didn'?t)\s+(?:work|turn\s+on|switch\s+on|"
            r"light\s+up|charge)\b|\bstopped\s+working\b",
            3,
        ),
        (r"\bwrong\s+(?:item|size|colou?r|product|order|one|thing|model|mug|parcel)\b", 3),
        (r"\b(?:isn'?t|is\s+not|not|wasn'?t)\s+what\s+i\s+ordered\b", 3),
        (r"\bsomeone\s+else'?s\b", 3),
        (
            r"\b(?:is|are|was|were)\s+missing\b|\bmissing\s+(?:piece|part|item)s?\b|"
            r"\bpart\s+of\s+my\s+order\s+is\s+missing\b",
            3,
        ),
        (r"\bmissing\b", 1),
        (r"\bonly\s+(?:received|got|came\s+with)\s+(?:\d+|one|two)\s+of\b", 3),
        (r"\b(?:got|received|sent\s+me|came)\b.{0,30}\binstead\s+of\b", 3),
        (r"\bdifferent\s+from\s+the\s+(?:picture|photo|website)\b", 2),
        (
            r"\b(?:casse|cassee|cassees|casses|casser|felee?|ebrechee?|abimee?s?|defectueux|"
            r"defectueuse|brisee?|fendue?|fuit|rayee?|trouee?|dechiree?|tachee?)\b",
            3,
        ),
        (r"\bun\s+trou\b|\ben\s+(?:mille\s+)?morceaux\b|\ben\s+miettes\b", 3),
        (r"\bne\s+(?:fonctionne|marche|s'allume)\s+(?:pas|plus)\b", 3),
        (r"\bmauvaise?\s+(?:article|taille|couleur|produit|modele|commande|colis)\b", 3),
        (r"\berreur\s+d'?article\b|\bpas\s+ce\s+que\s+j'?ai\s+commande\b", 3),
        (r"\bquelqu'?un\s+d'?autre\b", 3),
        (r"\bil\s+manque\b|\bmanquante?s?\b", 3),
        (r"\bau\s+lieu\s+d[ue']", 2),
        (r"\bqu'?un\b.{0,20}\bsur\s+(?:les\s+)?(?:deux|trois|\d+)\b", 3),
        (r"\bne\s+correspond\s+pas\s+a\s+la\s+photo\b", 2),
        (
            r"\b(?:came|come|fell|snapped|broke)\s+off\b|\bsnapped\b|\bruined\b|\bsoaked\b|"
            r"\bstains?\b|\bflickers?\b|\bflickering\b",
            3,
        ),
        (r"\b(?:bust|tear|melted|crushed|dented)\b|\bin\s+bits\b", 3),
        (r"\b(?:cabossee?|fondue?|ecrasee?)\b", 3),
        (
            r"\b(?:came|arrived|sent|got|received)\b.{0,20}\bwrong\b|"
            r"\b(?:arrivee?|recue?|envoyee?)\b.{0,20}\bmauvaise?\b",
            3,
        ),
        (r"\bnothing\s+like\b|\bn'a\s+rien\s+a\s+voir\s+avec\b|\bsmells?\s+of\b|\bsent\s+l'", 2),
        (
            r"\b(?:isn'?t|is\s+not|not)\s+the\s+\w+\s+i\s+(?:chose|ordered|picked)\b|"
            r"\bpas\s+(?:le|la)\s+\w+\s+que\s+j'?ai\s+(?:choisie?|commandee?)\b",
            3,
        ),
        (
            r"\bfichue?\b|\btrempee?\b|\btaches?\b|\bfissuree?\b|\bclignote\b|"
            r"\bs'(?:est|sont)\s+(?:detachee?s?|decollee?s?|cassee?s?|dechiree?s?)\b",
            3,
        ),
        (
            r"\b(?:completely\s+)?different\s+(?:product|item|model)\b|"
            r"\b(?:produit|article|modele)\s+(?:completement\s+)?different\b",
            3,
        ),
        (
            r"\b(?:forgot|forgotten|left\s+out)\b.{0,30}?\b(?:in|from)\s+my\s+order\b|"
            r"\boublie\b.{0,40}?\bdans\s+ma\s+commande\b",
            3,
        ),
        (
            r"\b(?:there\s+(?:are|is)|i\s+got|i\s+received)\s+only\s+\d+\b|\bonly\s+\d+\s+\w+\b.{0,25}"
            r"\bshould\s+(?:have|contain|be)\b|\bil\s+n'?y\s+a\s+que\s+\d+\b|\bque\s+\d+\b.{0,30}"
            r"\b(?:devait|devaient)\b",
            3,
        ),
        (
            r"\bone\s+(?:shoe|sock|earring|glove|boot)\b.{0,30}\bthe\s+other\b|"
            r"\bune?\s+(?:chaussure|chaussette|boucle|gant|botte)\b.{0,30}\bl'?autre\b",
            3,
        ),
        (
            r"\b(?:you\s+sent|vous\s+avez\s+envoye)\b.{0,60}\b(?:i\s+ordered|i\s+had\s+ordered|"
            r"j'?avais\s+commande|j'?ai\s+commande)\b",
            3,
        ),
    ),
    "cancel": cues(
        (r"\b(?:cancel|cancle|cancell?ing|cancelation|cancellation)\b", 3),
        (r"\bcancell?ed\b", 1),
        (r"\b(?:be|get\s+it|have\s+it)\s+cancell?ed\b", 3),
        (
            r"\bcancell?ed\s+(?:please|pls|plz|asap|now|today)\b|"
            r"\b(?:need|want|like)\s+(?:[\w#]+\s+){0,3}cancell?ed\b",
            3,
        ),
        (r"\bstop\s+my\s+order\b|\b(?:don'?t|do\s+not)\s+(?:ship|send|post)\b", 3),
        (r"\bordered\s+(?:twice|by\s+mistake|by\s+accident|(?:the\s+)?wrong)\b", 2),
        (
            r"\bno\s+longer\s+(?:need|want)\b|\b(?:don'?t|do\s+not)\s+(?:want|need)\s+it\s+anymore\b",
            2,
        ),
        (r"\b(?:annuler|annulez|annulation|anuler|annule|annul)\b", 3),
        (r"\b(?:l'annuler|je\s+l'annule)\b", 3),
        (r"\bannulee?s?\b", 1),
        (r"\b(?:etre|soit)\s+annulee?\b", 3),
        (r"\bbloquer\s+(?:ma|la)\s+commande\b|\bne\s+m'?envoyez\s+pas\b|\bn'envoyez\s+pas\b", 3),
        (r"\bcommande\s+(?:deux\s+fois|par\s+erreur)\b|\bpar\s+erreur\b", 1),
        (r"\bn'?en\s+veux\s+plus\b|\bplus\s+besoin\b", 2),
        (
            r"\b(?:scrap|withdraw|void|delete)\s+(?:my|the|this)\s+(?:last\s+)?order\b|"
            r"\b(?:don'?t|do\s+not)\s+process\b",
            3,
        ),
        (
            r"\bcall\s+off\b|\bremove\s+(?:it|them|the\s+\w+)\s+from\s+my\s+order\b|"
            r"\bretire[rz]?(?:-le|-la|-les)?\b.{0,20}\bde\s+ma\s+commande\b",
            3,
        ),
        (
            r"\bsupprimer\s+(?:ma|la)\s+(?:derniere\s+)?commande\b|\bretract\w*\b|"
            r"\bne\s+traitez\s+pas\b",
            3,
        ),
    ),
    "change_address": cues(
        (
            r"\b(?:change|changed|update|modify|edit|correct|fix|amend)\b.{0,25}?"
            r"\b(?:address|adress|addres|postcode|post\s+code|zip)\b",
            3,
        ),
        (r"\b(?:address|adress)\b.{0,12}\bchanged\b|\bchange\s+of\s+address\b", 3),
        (
            r"\b(?:wrong|old|incorrect|new|different|another|other)\b.{0,12}?"
            r"\b(?:address|adress|postcode|post\s+code|zip|flat)\b",
            3,
        ),
        (
            r"\b(?:address|adress|postcode|house\s+number|apartment\s+number|flat\s+number|"
            r"street\s+number)\b.{0,20}?\b(?:wrong|incorrect|missing)\b",
            3,
        ),
        (r"\btypo\s+in\s+my\b|\bmistake\s+in\s+my\s+(?:address|postcode)\b", 3),
        (r"\b(?:i|we)\s+(?:have\s+)?moved\b|\bmoved\s+house\b", 2),
        (r"\bredirect\b", 2),
        (r"\b(?:pick\s*-?\s*up|pickup|relay|collection)\s+point\b", 2),
        (
            r"\b(?:deliver|ship|send)\b.{0,25}?\bto\s+my\s+(?:work|office|mum|mom|mother|parents|"
            r"neighbou?r|sister|brother)\b",
            2,
        ),
        (r"\bwhere\s+my\s+(?:parcel|order|package)\s+is\s+delivered\b", 3),
        (
            r"\b(?:changer|modifier|corriger|changez|modifiez|corrigez|mettre\s+a\s+jour)\b.{0,25}?"
            r"\badresse\b",
            3,
        ),
        (r"\bchangement\s+d'?adresse\b", 3),
        (r"\badresse\b.{0,15}?\b(?:fausse|faux|erronee|incorrecte|a\s+change)\b", 3),
        (r"\b(?:mauvaise|ancienne|nouvelle|autre)\s+adresse\b", 3),
        (r"\badresse\s+(?:professionnelle|pro|du\s+travail|de\s+travail)\b", 2),
        (r"\blivrer\s+a\s+(?:mon|une|ma)\s+(?:autre\s+)?adresse\b", 3),
        (r"\bcode\s+postal\b", 2),
        (r"\bnumero\s+(?:de\s+rue|de\s+voie|d'?appartement)\b", 2),
        (r"\b(?:j'ai\s+)?demenage\b", 2),
        (r"\bpoint\s+relais\b|\brediriger\b", 2),
        (
            r"\bchez\s+(?:ma\s+mere|mon\s+pere|mes\s+parents|un\s+voisin|ma\s+soeur|mon\s+frere)\b",
            2,
        ),
        (r"\blieu\s+de\s+livraison\b", 3),
        (
            r"\b(?:address|adress|adresse)\b.{0,30}?\b(?:correcting|corrected|needs?\s+correct\w*|"
            r"corrigee?|updat\w*|misspel\w*|mal\s+orthographiee?)\b",
            3,
        ),
        (
            r"\b\d+[a-z]?,?\s+(?:[\w'-]+\s+){0,3}(?:street|st|road|rd|lane|ln|avenue|ave|drive|close|"
            r"way|crescent|square|gardens)\b",
            2,
        ),
        (
            r"\b\d+(?:\s*bis|\s*ter)?,?\s+(?:rue|avenue|av|boulevard|bd|allee|chemin|impasse|quai|route|"
            r"cours|place\s+(?:de|du|des|d'))\b",
            2,
        ),
        (
            r"\b(?:send|ship|deliver|livrer|envoyer|livrez|envoyez|l'envoyer)\b.{0,30}?"
            r"\b(?:instead|rather|plutot)\b",
            2,
        ),
        (
            r"\b(?:deliver\w*|ship|send|go|livr\w*|envoy\w*|aller)\b.{0,30}?\b(?:office|bureau|work|"
            r"locker|consigne|boyfriend'?s|girlfriend'?s|copain|copine|voisin|neighbou?r'?s?|la-bas|"
            r"there)\b",
            2,
        ),
        (
            r"\b(?:we'?re|i'?m|we\s+are|i\s+am)\s+moving\b|\bon\s+demenage\b|"
            r"\b(?:new|nouvelle)\s+(?:house|home|maison|flat)\b",
            2,
        ),
        (
            r"\b(?:street|road)\s+name\b|\bnom\s+de\s+(?:la\s+)?(?:rue|residence)\b|"
            r"\bbuilding\s+name\b|\bmisspel\w*\b|\bmal\s+orthographie\w*\b",
            2,
        ),
        (r"\b(?:to|dans)\s+(?:my|mon)\s+(?:address|adresse)\b", 1),
        (
            r"\badd\b.{0,30}?\bto\s+(?:the|my)\s+(?:delivery\s+|shipping\s+)?address\b|"
            r"\bajouter\b.{0,30}?\ba\s+l'adresse\b",
            3,
        ),
        (r"\bwrong\s+(?:town|city)\b|\bmauvaise\s+ville\b", 3),
        (r"\bleave\s+it\s+(?:at|with)\b|\bdeposer\s+(?:au|chez|a)\b", 2),
        (r"\b(?:postcode|post\s+code|zip)\b.{0,12}\bout\s+of\s+date\b", 3),
        (r"\b(?:swap|switch|move|change)\s+my\s+delivery\s+to\b", 3),
        (
            r"\b(?:holiday|work|office|company|parents'?|summer)\s+address\b|\baddress\s+on\s+my\s+"
            r"account\b|\badresse\s+(?:de\s+(?:vacances|mon\s+compte|mes\s+parents)|du\s+bureau)\b",
            3,
        ),
        (
            r"\b(?:send|sent|ship\w*|deliver\w*|livr\w*|envoy\w*|l'envoyer)\b.{0,30}?"
            r"\b(?:instead|rather|plutot|a\s+la\s+place)\b",
            2,
        ),
        (
            r"\b(?:deliver\w*|ship\w*|send|livr\w*|envoy\w*)\b.{0,20}?\b(?:post\s+office|la\s+poste)\b",
            2,
        ),
    ),
    "refund_status": cues(
        (r"\b(?:refund|refnd|refunded|refunds|refunding|reimburs\w*)\b", 3),
        (r"\bmoney\b.{0,25}?\bback\b|\bmy\s+money\b", 3),
        (r"\bthe\s+money\b", 2),
        (r"\bowe\s+me\b|\bowed\b", 3),
        (r"\bcredit\b.{0,25}\b(?:card|account|carte|compte|bank|banque)\b", 3),
        (r"\b(?:no|pas\s+d')\s*(?:money|argent)\b", 2),
        (r"\brecupere\w*\s+(?:mon|l')\s*argent\b|\bin\s+my\s+bank\b|\bsur\s+mon\s+compte\b", 2),
        (r"\b(?:update|news|nouvelles)\b.{0,30}?\b(?:refund\w*|money|rembours\w*)\b", 2),
        (
            r"\b(?:bank|banque)\b.{0,25}\b(?:nothing|rien)\b|\b(?:nothing|rien)\b.{0,15}"
            r"\b(?:bank|banque)\b",
            2,
        ),
        (r"\bcharged\b", 1),
        (r"\b(?:credited|back\s+(?:on|to)\s+my\s+(?:card|account|paypal|bank))\b", 2),
        (r"\brembours\w*\b|\brembourse\w*\b", 3),
        (r"\brecredite\w*\b|\bmon\s+argent\b|\bvous\s+me\s+devez\b", 3),
        (r"\bl'?argent\b", 2),
        (r"\bdebite\w*\b", 1),
        (r"\b(?:revient|reviendra|rendu|rendre)\b.{0,20}\b(?:carte|compte|paypal)\b", 2),
    ),
    "thanks": cues(
        (r"\b(?:thanks|thank\s+you|thanx|thnx|thx|ty|cheers|many\s+thanks|tks)\b", 3),
        (r"\bthat'?s\s+(?:all|everything|it)\b|\bthats\s+all\b", 2),
        (
            r"\b(?:perfect|great|awesome|brilliant|lovely|super|excellent|cool|amazing|wonderful)\b",
            1,
        ),
        (r"\b(?:all\s+sorted|problem\s+solved|that\s+answers|got\s+it|all\s+good)\b", 2),
        (r"\bhave\s+a\s+(?:nice|good|great|lovely)\s+(?:day|weekend|evening)\b", 1),
        (r"[👍😊🙏🙂❤]", 1),
        (r"\b(?:merci|mrc|mci|remerci\w*)\b", 3),
        (r"\b(?:appreciate\w*|thank\s+u|thank\s+ya|ta\s+very\s+much)\b|\bmuch\s+appreciated\b", 3),
        (r"\b(?:tres\s+)?aimable\b", 2),
        (r"\bc'?est\s+tout\b", 2),
        (r"\b(?:parfait|super|genial|top|nickel|tres\s+bien|d'?accord|impec\w*)\b", 1),
        (r"\b(?:regle|resolu|ca\s+repond)\b", 2),
        (r"\b(?:bonne\s+(?:journee|soiree)|bon\s+week-?end)\b", 1),
        (r"^(?:ok|okay|oki|ok\s+ok)\b", 1),
    ),
    OUT_OF_SCOPE: cues(
        (
            r"\bdo\s+you\s+(?:ship|deliver|have|sell|do|offer|make|stock)\b|\bare\s+you\s+"
            r"(?:open|hiring)\b",
            2,
        ),
        (r"\b(?:can\s+i|could\s+i)\s+(?:pay|add|collect|place|gift|use)\b", 2),
        (
            r"\b(?:discount|promo|coupon|voucher|gift\s+cards?|invoice|vat|password|newsletter|"
            r"unsubscribe|dishwasher|microwave|dimensions|warranty|handmade|hiring|restock\w*|"
            r"student|bulk|vegan|website|checkout)\b",
            2,
        ),
        (r"\b(?:log\s+in|login|sign\s+in)\b|\bback\s+in\s+stock\b|\bin\s+stock\b", 2),
        (r"\bhow\s+much\s+is\s+(?:shipping|delivery|postage)\b", 2),
        (r"\bhow\s+long\s+does\s+(?:delivery|shipping)\s+take\b", 1),
        (r"\bbefore\s+i\s+(?:order|buy)\b|\bavant\s+de\s+(?:commander|acheter)\b", 3),
        (r"\b(?:available|in\s+blue|in\s+red|bigger\s+size|physical\s+store|speak\s+to)\b", 2),
        (r"\bdifference\s+between\b|\bdifference\s+entre\b", 2),
        (
            r"\bvous\s+(?:livrez|vendez|faites|recrutez|fermez|etes\s+ouverts?)\b|"
            r"\bvous\s+avez\s+(?:des|du|un|une|le|la|les|ce|cet|cette)\b",
            2,
        ),
        (
            r"\b(?:code\s+promo|cartes?\s+cadeaux?|paquets?\s+cadeaux?|facture|tva|mot\s+de\s+passe|"
            r"newsletter|desabonner|lave-vaisselle|micro-ondes|dimensions|garantie|faits?\s+main|"
            r"prix\s+de\s+gros|reductions?|vegan|paiement|page\s+de)\b|"
            r"\b(?:votre|le)\s+site\s+(?:ne|bug\w*|est\s+en\s+panne|plante)\b",
            2,
        ),
        (
            r"\b(?:me\s+connecter|connexion|compte\s+client)\b|\ben\s+stock\b|\breapprovisionne\w*\b",
            2,
        ),
        (r"\bcombien\s+coute\s+la\s+livraison\b|\ben\s+plus\s+grand\b|\ben\s+bleu\b", 2),
        (
            r"\bajouter\s+un\s+article\b|\bretirer\b.{0,20}\ben\s+boutique\b|\bpar\s+telephone\b|"
            r"\bboutique\s+physique\b|\bparler\s+a\b",
            2,
        ),
    ),
}

# Spans where cues of some intents mean something else: those cues are ignored there.
MASKS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), intents)
    for pattern, intents in (
        (
            r"\b(?:don'?t|do\s+not|didn'?t)\s+(?:want|need|wish)\s+to\s+(?:cancel|return|send\s+it\s+back)",
            ("cancel", "return_exchange"),
        ),
        (
            r"\bno\s+need\s+to\s+(?:return|send\s+it\s+back|cancel)\w*",
            ("cancel", "return_exchange"),
        ),
        (
            r"\bne\s+(?:veux|souhaite|voudrais)\s+pas\s+(?:l'|le\s+|la\s+|les\s+)?"
            r"(?:annuler|retourner|renvoyer|etre\s+rembours\w*)",
            ("cancel", "return_exchange", "refund_status"),
        ),
        (
            r"\bpas\s+besoin\s+(?:de|d')\s*(?:l'|le\s+|la\s+)?(?:remboursement|annuler|retourner|"
            r"renvoyer)",
            ("cancel", "return_exchange", "refund_status"),
        ),
        (
            r"\b(?:not|n'?t)\s+(?:asking|looking)\s+for\s+a\s+refund\b|\b(?:don'?t|do\s+not)\s+want\s+"
            r"a\s+refund\b|\bno\s+need\s+for\s+a\s+refund\b",
            ("refund_status",),
        ),
        (
            r"(?<!n't\s)(?<!not\s)(?<!havent\s)(?<!hasnt\s)(?<!never\s)"
            r"\b(?:got|received|had)\s+(?:my|the)\s+(?:refund|money)\b",
            ("refund_status",),
        ),
        (
            r"\b(?:i'?d\s+like|i\s+want|i\s+would\s+like|can\s+i\s+get|could\s+i\s+get|je\s+voudrais|"
            r"je\s+veux|je\s+souhaite|j'aimerais)\s+(?:my\s+money\s+back|a\s+refund|me\s+faire\s+"
            r"rembourser|un\s+remboursement|etre\s+rembourse\w*)",
            ("refund_status",),
        ),
        (r"\b(?:j'ai|ai|a|avez|a\s+ete|ont\s+ete|est|etait)\s+annulee?s?\b", ("cancel",)),
        (r"\bswap\s+my\s+delivery\b", ("return_exchange",)),
        (
            r"\bwrong\s+size\s+for\s+me\b|\bpas\s+la\s+bonne\s+taille\s+pour\s+moi\b",
            ("damaged_wrong_item",),
        ),
        (r"\b(?:bien\s+)?recu\s+(?:mon|le)\s+remboursement\b", ("refund_status",)),
        (
            r"\b(?:received|got)\s+(?:my|the)\s+(?:order|parcel|package)\b|\bbien\s+recu\s+(?:ma|mon)\b",
            ("where_is_order",),
        ),
        (
            r"\b(?:before\s+i\s+(?:order|buy)|avant\s+de\s+(?:commander|acheter))\b.*",
            ("cancel", "return_exchange", "refund_status", "where_is_order"),
        ),
        (r"\b(?:de\s+)?retour\s+en\s+stock\b|\bback\s+in\s+stock\b", ("return_exchange",)),
        (
            r"\b(?:code|site|website|lien|link|compte|account|checkout|paiement|payment|carte|card|app|"
            r"page)\b(?:\s+[\w']+){0,2}\s+(?:is\s+|are\s+)?(?:doesn'?t\s+work|does\s+not\s+work|"
            r"won'?t\s+work|ne\s+marche\s+pas|ne\s+fonctionne\s+pas|broken|is\s+down)",
            ("damaged_wrong_item",),
        ),
        (
            r"\b(?:il\s+manque|missing)\b.{0,40}?\b(?:adresse|address|appartement|apartment|"
            r"house\s+number|flat)\b|\b(?:apartment|house|flat)\s+number\s+is\s+missing\b",
            ("damaged_wrong_item",),
        ),
        (
            r"\bquand\b.{0,30}?\brembours\w*|\bwhen\b.{0,30}?\b(?:refund\w*|money)\b|"
            r"\bquand\s+arrivera\s+le\s+remboursement\b|\bquand\s+arrive\s+le\s+remboursement\b",
            ("where_is_order",),
        ),
        (r"\bmoney\b.{0,25}?\bsent\s+back\b", ("return_exchange",)),
        (
            r"\bmerci\s+(?:de|d')\s*(?!votre\b|vos\b|ta\b|tes\b|toute\b|tout\b|m'avoir\b|avoir\b|nous\s+avoir\b)[\w']+",
            ("thanks",),
        ),
        (r"\binstead\s+of\s+(?:home|my\s+home|the\s+house)\b", ("damaged_wrong_item",)),
        (
            r"\b(?:mon|le|du)\s+retour\b.{0,30}?\b(?:livre|recu)\b|\breceive\s+my\s+return\b|"
            r"\breturn\s+was\s+delivered\b|\breturned\s+my\s+order\b|\bi\s+returned\b",
            ("return_exchange", "where_is_order"),
        ),
        (r"\bwaiting\s+to\s+be\s+reimbursed\b", ("where_is_order",)),
        (
            r"\b(?:vous\s+avez|do\s+you\s+have)\s+(?:des|any)\s+(?:infos?|nouvelles|news|updates?)\b",
            (OUT_OF_SCOPE,),
        ),
        (r"\btoo\s+late\s+to\b|\btrop\s+tard\s+pour\b|\bchange\s+where\b", ("where_is_order",)),
        (
            r"\b(?:delivery|shipping|delai|attente|wait\w*)\b.{0,25}?\b(?:too\s+long|trop\s+long)\b",
            ("return_exchange",),
        ),
        (
            r"\bordered\s+(?:the\s+)?wrong\b|\bcommande\s+(?:la|le)\s+mauvaise?\b",
            ("damaged_wrong_item",),
        ),
    )
)

# When both are found and the first weighs at least as much as the second (and at least 2), the
# second's score counts for a third.
OUTRANKS: tuple[tuple[str, str], ...] = (
    ("damaged_wrong_item", "return_exchange"),
    ("damaged_wrong_item", "where_is_order"),
    ("damaged_wrong_item", "refund_status"),
    ("cancel", "refund_status"),
    ("cancel", "where_is_order"),
    ("cancel", "return_exchange"),
    ("refund_status", "return_exchange"),
    ("refund_status", "damaged_wrong_item"),
    ("refund_status", "cancel"),
    ("refund_status", "where_is_order"),
    ("change_address", "where_is_order"),
    ("change_address", "cancel"),
    ("change_address", "damaged_wrong_item"),
    ("return_exchange", "where_is_order"),
    ("return_exchange", "refund_status"),
)
OUTRANKED = 1 / 3
