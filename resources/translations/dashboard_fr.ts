<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>AgentsModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="332" />
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="333" />
        <source>Presence</source>
        <translation>Présence</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="334" />
        <source>Open</source>
        <translation>Ouvertes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="335" />
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="336" />
        <source>Oldest wait</source>
        <translation>Plus longue attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="337" />
        <source>Replies today</source>
        <translation>Réponses aujourd'hui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="338" />
        <source>Median</source>
        <translation>Médiane</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="339" />
        <source>In target</source>
        <translation>Dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="345" />
        <source>Online, away or offline, and for how long</source>
        <translation>En ligne, absent ou hors ligne, et depuis combien de temps</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="346" />
        <source>Open threads assigned</source>
        <translation>Conversations ouvertes attribuées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="347" />
        <source>Threads waiting for this agent's reply</source>
        <translation>Conversations qui attendent la réponse de cet agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="348" />
        <source>The longest wait among them</source>
        <translation>La plus longue attente parmi elles</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="349" />
        <source>Public replies since midnight</source>
        <translation>Réponses publiques depuis minuit</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="350" />
        <source>Median response time over the window</source>
        <translation>Temps de réponse médian sur la période</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="351" />
        <source>Share of openings answered within the target</source>
        <translation>Part des ouvertures traitées dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="436" />
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="437" />
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="438" />
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="444" />
        <source>%1 for %2</source>
        <translation>%1 depuis %2</translation>
    </message>
</context>
<context>
    <name>AlertMonitor</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="109" />
        <source>nobody is assigned</source>
        <translation>personne n'en est chargé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="111" />
        <source>the assigned agent is not online</source>
        <translation>l'agent attribué n'est pas en ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="115" />
        <source>%1 is waiting</source>
        <translation>%1 attend</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="118" />
        <source>The target is missed in %1 and %2.</source>
        <translation>La cible sera dépassée dans %1 et %2.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="127" />
        <source>Response target missed</source>
        <translation>Cible de réponse dépassée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="128" />
        <source>%1 has waited %2 past the target.</source>
        <translation>%1 attend depuis %2 au-delà de la cible.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="137" />
        <source>The response rate is %1.</source>
        <translation>Le taux de réponse est de %1.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="142" />
        <source>If the %1 openings still waiting miss their 24 hours, the rate falls to %2.</source>
        <translation>Si les %1 ouvertures encore en attente dépassent leurs 24 heures, le taux tombe à %2.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="151" />
        <source>%1 more openings answered in time bring it back to 90 %.</source>
        <translation>%1 ouvertures de plus traitées à temps le ramènent à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="155" />
        <source>Response rate below 90 %</source>
        <translation>Taux de réponse sous 90 %</translation>
    </message>
</context>
<context>
    <name>DailyChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="235" />
        <source>Response rate and median per day</source>
        <translation>Taux de réponse et médiane par jour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="243" />
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="247" />
        <source>Median (min)</source>
        <translation>Médiane (min)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="251" />
        <source>90 %</source>
        <translation>90 %</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="305" />
        <source>Response rate: %1 (%2 of %3)</source>
        <translation>Taux de réponse : %1 (%2 sur %3)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="309" />
        <source>Median response time: %1</source>
        <translation>Temps de réponse médian : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="310" />
        <source>Openings: %1</source>
        <translation>Ouvertures : %1</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="504" />
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="514" />
        <source>less than a minute</source>
        <translation>moins d'une minute</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="516" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="520" />
        <source>%1 h %2</source>
        <translation>%1 h %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="524" />
        <source>%1 d</source>
        <translation>%1 j</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/__init__.py" line="35" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="321" />
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/__init__.py" line="37" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="315" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="321" />
        <source>My numbers</source>
        <translation>Mes chiffres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="159" />
        <source>Team settings…</source>
        <translation>Réglages de l'équipe…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="162" />
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="193" />
        <source>Page responsiveness</source>
        <translation>Réactivité de la page</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="196" />
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="199" />
        <source>Median response time</source>
        <translation>Temps de réponse médian</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="212" />
        <source>The rate if none of the openings still waiting is answered within 24 h</source>
        <translation>Le taux si aucune des ouvertures encore en attente n'est traitée sous 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="214" />
        <source>Fastest 90 % (mean)</source>
        <translation>90 % plus rapides (moyenne)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="215" />
        <source>Within target</source>
        <translation>Dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="216" />
        <source>Awaiting 24 h</source>
        <translation>En attente des 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="217" />
        <source>If they are missed</source>
        <translation>Si elles sont manquées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="218" />
        <source>Badge</source>
        <translation>Badge</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="315" />
        <source>Team dashboard</source>
        <translation>Tableau de bord de l'équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="316" />
        <source>Live queue</source>
        <translation>File d'attente en direct</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="316" />
        <source>My queue</source>
        <translation>Ma file d'attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="317" />
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="317" />
        <source>My figures</source>
        <translation>Mes résultats</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="479" />
        <source>Loading the figures…</source>
        <translation>Chargement des chiffres…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="518" />
        <source>No openings counted yet</source>
        <translation>Aucune ouverture comptée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="523" />
        <source>%1 of %2 openings</source>
        <translation>%1 ouvertures sur %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="527" />
        <source>target %1</source>
        <translation>cible %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="547" />
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="547" />
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="553" />
        <source>No openings counted in the window yet.</source>
        <translation>Aucune ouverture comptée sur la période pour le moment.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="555" />
        <source>The response rate meets 90 %.</source>
        <translation>Le taux de réponse atteint 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="557" />
        <source>One more opening answered within 24 h brings the rate back to 90 %.</source>
        <translation>Une ouverture de plus traitée sous 24 h ramène le taux à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="559" />
        <source>%1 more openings answered within 24 h bring the rate back to 90 %.</source>
        <translation>%1 ouvertures de plus traitées sous 24 h ramènent le taux à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="604" />
        <source>Waiting %1 · Unassigned %2 · Warning %3 · Breached %4</source>
        <translation>En attente %1 · Non attribuées %2 · Alerte %3 · Dépassées %4</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="611" />
        <source>Oldest %1</source>
        <translation>Plus ancienne %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="645" />
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="646" />
        <source>away</source>
        <translation>absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="647" />
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="652" />
        <source>Assign to %1 (%2)</source>
        <translation>Attribuer à %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="664" />
        <source>Unassign</source>
        <translation>Retirer l'attribution</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="668" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="681" />
        <source>Open in the workspace</source>
        <translation>Ouvrir dans l'espace de travail</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="704" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="726" />
        <source>Only a team lead can change the team settings.</source>
        <translation>Seul un responsable d'équipe peut modifier les réglages de l'équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="769" />
        <source>The file could not be written: %1</source>
        <translation>Le fichier n'a pas pu être écrit : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="772" />
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
</context>
<context>
    <name>DistributionChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="167" />
        <source>Response times</source>
        <translation>Temps de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="177" />
        <source>Answered openings</source>
        <translation>Ouvertures traitées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="203" />
        <source>Target %1</source>
        <translation>Cible %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="217" />
        <source>%1 or more</source>
        <translation>%1 ou plus</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="220" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="224" />
        <source>Answered openings: %1</source>
        <translation>Ouvertures traitées : %1</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="786" />
        <source>Export the figures</source>
        <translation>Exporter les chiffres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="793" />
        <source>From (start of day)</source>
        <translation>Du (début de journée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="794" />
        <source>To (end of day)</source>
        <translation>Au (fin de journée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="797" />
        <source>Figures per agent (CSV)…</source>
        <translation>Chiffres par agent (CSV)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="798" />
        <source>Openings (CSV)…</source>
        <translation>Ouvertures (CSV)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="799" />
        <source>Data for agent-desktop metrics (JSON)…</source>
        <translation>Données pour agent-desktop metrics (JSON)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="817" />
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="86" />
        <source>Openings and responses per hour</source>
        <translation>Ouvertures et réponses par heure</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="93" />
        <source>Openings</source>
        <translation>Ouvertures</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="95" />
        <source>Responses</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="128" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="133" />
        <source>Openings: %1</source>
        <translation>Ouvertures : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="135" />
        <source>Responses: %1</source>
        <translation>Réponses : %1</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="101" />
        <source>Waiting</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="102" />
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="103" />
        <source>Assignee</source>
        <translation>Attribuée à</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="104" />
        <source>Reply window</source>
        <translation>Fenêtre de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="158" />
        <source>Waiting since %1</source>
        <translation>En attente depuis %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="186" />
        <source>Unassigned</source>
        <translation>Non attribuée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="193" />
        <source> until %1</source>
        <translation> jusqu'à %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="198" />
        <source>Open (24 h)</source>
        <translation>Ouverte (24 h)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="200" />
        <source>Human agent only</source>
        <translation>Agent humain seulement</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="202" />
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="203" />
        <source>No limit</source>
        <translation>Sans limite</translation>
    </message>
</context>
<context>
    <name>TeamSettingsDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="47" />
        <source>Team settings</source>
        <translation>Réglages de l'équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="60" />
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="64" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="70" />
        <source>Response target</source>
        <translation>Cible de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="74" />
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="76" />
        <source>Rolling window</source>
        <translation>Période glissante</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="80" />
        <source>Away periods (the response clock is paused)</source>
        <translation>Périodes d'absence (le chronomètre de réponse est en pause)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="92" />
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="95" />
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="98" />
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="100" />
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="123" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="133" />
        <source>An away period must end after it starts.</source>
        <translation>Une période d'absence doit finir après son début.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="155" />
        <source>The response target must be at least one second.</source>
        <translation>La cible de réponse doit être d'au moins une seconde.</translation>
    </message>
</context>
</TS>
