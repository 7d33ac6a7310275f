<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>AgentsModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="324" />
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="325" />
        <source>Presence</source>
        <translation>Présence</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="326" />
        <source>Open</source>
        <translation>Ouvertes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="327" />
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="328" />
        <source>Oldest wait</source>
        <translation>Plus longue attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="329" />
        <source>Replies today</source>
        <translation>Réponses aujourd'hui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="330" />
        <source>Median</source>
        <translation>Médiane</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="331" />
        <source>In target</source>
        <translation>Dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="337" />
        <source>Online, away or offline, and for how long</source>
        <translation>En ligne, absent ou hors ligne, et depuis combien de temps</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="338" />
        <source>Open threads assigned</source>
        <translation>Conversations ouvertes attribuées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="339" />
        <source>Threads waiting for this agent's reply</source>
        <translation>Conversations qui attendent la réponse de cet agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="340" />
        <source>The longest wait among them</source>
        <translation>La plus longue attente parmi elles</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="341" />
        <source>Public replies since midnight</source>
        <translation>Réponses publiques depuis minuit</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="342" />
        <source>Median response time over the window</source>
        <translation>Temps de réponse médian sur la période</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="343" />
        <source>Share of openings answered within the target</source>
        <translation>Part des ouvertures traitées dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="428" />
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="429" />
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="430" />
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="436" />
        <source>%1 for %2</source>
        <translation>%1 depuis %2</translation>
    </message>
</context>
<context>
    <name>AlertMonitor</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="107" />
        <source>nobody is assigned</source>
        <translation>personne n'en est chargé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="109" />
        <source>the assigned agent is not online</source>
        <translation>l'agent attribué n'est pas en ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="113" />
        <source>%1 is waiting</source>
        <translation>%1 attend</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="116" />
        <source>The target is missed in %1 and %2.</source>
        <translation>La cible sera dépassée dans %1 et %2.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="125" />
        <source>Response target missed</source>
        <translation>Cible de réponse dépassée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="126" />
        <source>%1 has waited %2 past the target.</source>
        <translation>%1 attend depuis %2 au-delà de la cible.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="135" />
        <source>The response rate is %1.</source>
        <translation>Le taux de réponse est de %1.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="140" />
        <source>If the %1 openings still waiting miss their 24 hours, the rate falls to %2.</source>
        <translation>Si les %1 ouvertures encore en attente dépassent leurs 24 heures, le taux tombe à %2.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="149" />
        <source>%1 more openings answered in time bring it back to 90 %.</source>
        <translation>%1 ouvertures de plus traitées à temps le ramènent à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/alerts.py" line="153" />
        <source>Response rate below 90 %</source>
        <translation>Taux de réponse sous 90 %</translation>
    </message>
</context>
<context>
    <name>DailyChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="234" />
        <source>Response rate and median per day</source>
        <translation>Taux de réponse et médiane par jour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="242" />
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="246" />
        <source>Median (min)</source>
        <translation>Médiane (min)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="250" />
        <source>90 %</source>
        <translation>90 %</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="304" />
        <source>Response rate: %1 (%2 of %3)</source>
        <translation>Taux de réponse : %1 (%2 sur %3)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="308" />
        <source>Median response time: %1</source>
        <translation>Temps de réponse médian : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="309" />
        <source>Openings: %1</source>
        <translation>Ouvertures : %1</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="494" />
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="504" />
        <source>less than a minute</source>
        <translation>moins d'une minute</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="506" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="510" />
        <source>%1 h %2</source>
        <translation>%1 h %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="514" />
        <source>%1 d</source>
        <translation>%1 j</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/__init__.py" line="29" />
        <source>That conversation is hidden by the list's filter.</source>
        <translation>Cette conversation est masquée par le filtre de la liste.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/__init__.py" line="35" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="296" />
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="155" />
        <source>Team settings…</source>
        <translation>Réglages de l'équipe…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="158" />
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="186" />
        <source>Page responsiveness</source>
        <translation>Réactivité de la page</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="189" />
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="192" />
        <source>Median response time</source>
        <translation>Temps de réponse médian</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="205" />
        <source>The rate if none of the openings still waiting is answered within 24 h</source>
        <translation>Le taux si aucune des ouvertures encore en attente n'est traitée sous 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="207" />
        <source>Fastest 90 % (mean)</source>
        <translation>90 % plus rapides (moyenne)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="208" />
        <source>Within target</source>
        <translation>Dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="209" />
        <source>Awaiting 24 h</source>
        <translation>En attente des 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="210" />
        <source>If they are missed</source>
        <translation>Si elles sont manquées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="211" />
        <source>Badge</source>
        <translation>Badge</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="290" />
        <source>Team dashboard</source>
        <translation>Tableau de bord de l'équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="290" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="296" />
        <source>My numbers</source>
        <translation>Mes chiffres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="291" />
        <source>Live queue</source>
        <translation>File d'attente en direct</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="291" />
        <source>My queue</source>
        <translation>Ma file d'attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="292" />
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="292" />
        <source>My figures</source>
        <translation>Mes résultats</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="443" />
        <source>Loading the figures…</source>
        <translation>Chargement des chiffres…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="482" />
        <source>No openings counted yet</source>
        <translation>Aucune ouverture comptée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="487" />
        <source>%1 of %2 openings</source>
        <translation>%1 ouvertures sur %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="491" />
        <source>target %1</source>
        <translation>cible %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="511" />
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="511" />
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="517" />
        <source>No openings counted in the window yet.</source>
        <translation>Aucune ouverture comptée sur la période pour le moment.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="519" />
        <source>The response rate meets 90 %.</source>
        <translation>Le taux de réponse atteint 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="521" />
        <source>One more opening answered within 24 h brings the rate back to 90 %.</source>
        <translation>Une ouverture de plus traitée sous 24 h ramène le taux à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="523" />
        <source>%1 more openings answered within 24 h bring the rate back to 90 %.</source>
        <translation>%1 ouvertures de plus traitées sous 24 h ramènent le taux à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="558" />
        <source>Waiting %1 · Unassigned %2 · Warning %3 · Breached %4</source>
        <translation>En attente %1 · Non attribuées %2 · Alerte %3 · Dépassées %4</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="565" />
        <source>Oldest %1</source>
        <translation>Plus ancienne %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="599" />
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="600" />
        <source>away</source>
        <translation>absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="601" />
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="605" />
        <source>Assign to %1 (%2)</source>
        <translation>Attribuer à %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="616" />
        <source>Unassign</source>
        <translation>Retirer l'attribution</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="620" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="633" />
        <source>Open in the workspace</source>
        <translation>Ouvrir dans l'espace de travail</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="656" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="678" />
        <source>Only a team lead can change the team settings.</source>
        <translation>Seul un responsable d'équipe peut modifier les réglages de l'équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="721" />
        <source>The file could not be written: %1</source>
        <translation>Le fichier n'a pas pu être écrit : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="724" />
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
</context>
<context>
    <name>DistributionChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="166" />
        <source>Response times</source>
        <translation>Temps de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="176" />
        <source>Answered openings</source>
        <translation>Ouvertures traitées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="202" />
        <source>Target %1</source>
        <translation>Cible %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="216" />
        <source>%1 or more</source>
        <translation>%1 ou plus</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="219" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="223" />
        <source>Answered openings: %1</source>
        <translation>Ouvertures traitées : %1</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="738" />
        <source>Export the figures</source>
        <translation>Exporter les chiffres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="745" />
        <source>From (start of day)</source>
        <translation>Du (début de journée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="746" />
        <source>To (end of day)</source>
        <translation>Au (fin de journée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="749" />
        <source>Figures per agent (CSV)…</source>
        <translation>Chiffres par agent (CSV)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="750" />
        <source>Openings (CSV)…</source>
        <translation>Ouvertures (CSV)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="751" />
        <source>Data for agent-desktop metrics (JSON)…</source>
        <translation>Données pour agent-desktop metrics (JSON)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="769" />
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="85" />
        <source>Openings and responses per hour</source>
        <translation>Ouvertures et réponses par heure</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="92" />
        <source>Openings</source>
        <translation>Ouvertures</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="94" />
        <source>Responses</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="127" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="132" />
        <source>Openings: %1</source>
        <translation>Ouvertures : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="134" />
        <source>Responses: %1</source>
        <translation>Réponses : %1</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="99" />
        <source>Waiting</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="100" />
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="101" />
        <source>Assignee</source>
        <translation>Attribuée à</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="102" />
        <source>Reply window</source>
        <translation>Fenêtre de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="155" />
        <source>Waiting since %1</source>
        <translation>En attente depuis %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="178" />
        <source>Unassigned</source>
        <translation>Non attribuée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="185" />
        <source> until %1</source>
        <translation> jusqu'à %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="190" />
        <source>Open (24 h)</source>
        <translation>Ouverte (24 h)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="192" />
        <source>Human agent only</source>
        <translation>Agent humain seulement</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="194" />
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="195" />
        <source>No limit</source>
        <translation>Sans limite</translation>
    </message>
</context>
<context>
    <name>TeamSettingsDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="48" />
        <source>Team settings</source>
        <translation>Réglages de l'équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="61" />
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="65" />
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="71" />
        <source>Response target</source>
        <translation>Cible de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="75" />
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="77" />
        <source>Rolling window</source>
        <translation>Période glissante</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="80" />
        <source>Away periods (the response clock is paused)</source>
        <translation>Périodes d'absence (le chronomètre de réponse est en pause)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="91" />
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="94" />
        <source>Remove</source>
        <translation>Retirer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="97" />
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/team_settings.py" line="99" />
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