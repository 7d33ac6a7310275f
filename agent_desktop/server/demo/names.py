"""Names, streets and cities for the demo shop's French- and English-speaking customers.

Plain data used by the seed and the simulator; nothing here touches the database.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FR_FIRST = _words(
    """
    Camille Léa Manon Chloé Inès Jade Louise Emma Alice Lina Juliette Zoé Clara Sarah Élise
    Margaux Mathilde Anaïs Océane Pauline Hélène Céline Nathalie Sophie Isabelle Aurélie Émilie
    Lucas Hugo Louis Gabriel Arthur Jules Raphaël Adam Léo Nathan Théo Tom Maxime Antoine
    Baptiste Quentin Julien Nicolas Thomas Mathis Clément François Benoît Jérôme Olivier Étienne
    Yann Rémi
    """
)
FR_LAST = _words(
    """
    Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefèvre
    Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefebvre Mercier
    Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller
    Henry Roussel Nicolas Perrin Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier
    Robin Masson Sanchez Boyer Denis Lemaire Duval Joly Gautier Roger Roche Roy Noël
    """
)
EN_FIRST = _words(
    """
    Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Evie Poppy Emily
    Charlotte Hannah Jessica Lucy Megan Rachel Sarah Laura Chloe Priya Aisha Zara Niamh Oliver
    George Noah Arthur Harry Leo Muhammad Jack Charlie Oscar Jacob Henry Thomas Freddie Alfie
    Theo William James Daniel Samuel Joseph Ethan Ryan Owen Callum Liam Rohan Sean
    """
)
EN_LAST = _words(
    """
    Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
    Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson
    Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
    James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
    Carter Richardson Bailey Collins Bell Shaw Murphy Miller O'Brien Khan
    """
)

# French cities as (city, postal code); British and Irish ones as (city, postcode, country).
FR_CITIES = (
    ("Paris", "75011"),
    ("Paris", "75015"),
    ("Lyon", "69003"),
    ("Marseille", "13006"),
    ("Toulouse", "31000"),
    ("Nice", "06000"),
    ("Nantes", "44000"),
    ("Strasbourg", "67000"),
    ("Montpellier", "34000"),
    ("Bordeaux", "33000"),
    ("Lille", "59000"),
    ("Rennes", "35000"),
    ("Reims", "51100"),
    ("Grenoble", "38000"),
    ("Dijon", "21000"),
    ("Angers", "49000"),
    ("Tours", "37000"),
    ("Annecy", "74000"),
    ("Brest", "29200"),
    ("Rouen", "76000"),
)
EN_CITIES = (
    ("London", "E1 6AN", "GB"),
    ("London", "SW1A 2AA", "GB"),
    ("Manchester", "M1 1AE", "GB"),
    ("Bristol", "BS1 4DJ", "GB"),
    ("Leeds", "LS1 4AP", "GB"),
    ("Edinburgh", "EH1 1YZ", "GB"),
    ("Dublin", "D02 X285", "IE"),
    ("Cork", "T12 RX2T", "IE"),
    ("Brighton", "BN1 1AE", "GB"),
    ("Glasgow", "G1 1XQ", "GB"),
    ("Liverpool", "L1 8JQ", "GB"),
    ("Cambridge", "CB2 1TN", "GB"),
)
FR_STREETS = (
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "boulevard Voltaire",
    "rue du Faubourg Saint-Antoine",
    "place Bellecour",
    "rue des Lilas",
    "rue Nationale",
    "avenue de la Gare",
    "rue Pasteur",
    "rue du Moulin",
    "impasse des Tilleuls",
    "rue Sainte-Catherine",
    "quai des Chartrons",
    "rue de Paris",
    "allée des Peupliers",
)
EN_STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Park Avenue",
    "King Street",
    "Queen's Road",
    "Mill Lane",
    "Baker Street",
    "Grove Road",
)

# Sorting and delivery hubs that tracking events name.
FR_HUBS = (
    "Plateforme Colis Wissous",
    "Centre de tri Chilly-Mazarin",
    "Hub Lyon Saint-Priest",
    "Agence Marseille Vitrolles",
    "Plateforme Bordeaux Mérignac",
    "Centre de tri Lille Lesquin",
    "Hub Roissy-Charles-de-Gaulle",
    "Plateforme Toulouse Fenouillet",
)
INTL_HUBS = (
    "Roissy-Charles-de-Gaulle hub",
    "Leipzig hub",
    "East Midlands gateway",
    "Cologne hub",
    "Heathrow sorting centre",
    "Dublin depot",
)
WAREHOUSE = "Entrepôt Atelier Lumière, Orléans"

SHOP_NAME = "Atelier Lumière"
