<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="fr_FR">
<context>
    <name>AccountsUi</name>
    <message>
        <location filename="../../agent_desktop/ui/accounts.py" line="103" />
        <source>Your password was changed. Other computers were signed out.</source>
        <translation>Votre mot de passe a été changé. Les autres ordinateurs ont été déconnectés.</translation>
    </message>
</context>
<context>
    <name>AddMemberDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="95" />
        <source>Add a team member</source>
        <translation>Ajouter un membre de l’équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="95" />
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="99" />
        <source>You will get a one-time code to give them. With it they choose their own password when they first sign in.</source>
        <translation>Vous obtiendrez un code à usage unique à lui transmettre. Avec ce code, il choisit lui-même son mot de passe à sa première connexion.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="110" />
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="111" />
        <source>Team lead</source>
        <translation>Responsable d’équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="112" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="113" />
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="114" />
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="121" />
        <source>Enter their name and their email.</source>
        <translation>Saisissez son nom et son adresse e-mail.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="124" />
        <source>That is not an email address (name@example.com).</source>
        <translation>Ce n’est pas une adresse e-mail (nom@exemple.com).</translation>
    </message>
</context>
<context>
    <name>AgentFlow</name>
    <message>
        <location filename="../../agent_desktop/ui/flow.py" line="60" />
        <source>No other conversation is waiting for you.</source>
        <translation>Aucune autre conversation ne vous attend.</translation>
    </message>
</context>
<context>
    <name>AgentsModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="102" />
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="103" />
        <source>Presence</source>
        <translation>Présence</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="104" />
        <source>Open</source>
        <translation>Ouvertes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="105" />
        <source>Waiting</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="106" />
        <source>Oldest wait</source>
        <translation>Plus longue attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="107" />
        <source>Replies today</source>
        <translation>Réponses aujourd'hui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="114" />
        <source>Online, away or offline, and for how long</source>
        <translation>En ligne, absent ou hors ligne, et depuis combien de temps</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="115" />
        <source>Open threads assigned</source>
        <translation>Conversations ouvertes attribuées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="116" />
        <source>Threads waiting for this agent's reply</source>
        <translation>Conversations qui attendent la réponse de cet agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="117" />
        <source>The longest wait among them</source>
        <translation>La plus longue attente parmi elles</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="118" />
        <source>Public replies since midnight</source>
        <translation>Réponses publiques depuis minuit</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="119" />
        <source>Median response time over the window</source>
        <translation>Temps de réponse médian sur la période</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="120" />
        <source>Share of openings answered within the target</source>
        <translation>Part des ouvertures traitées dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="129" />
        <source>Median</source>
        <translation>Médiane</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="129" />
        <source>In target</source>
        <translation>Dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="131" />
        <source>Median, 24 h</source>
        <translation>Médiane, 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="131" />
        <source>In target, 24 h</source>
        <translation>Dans la cible, 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="133" />
        <source>Median, %1 days</source>
        <translation>Médiane, %1 jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="134" />
        <source>In target, %1 days</source>
        <translation>Dans la cible, %1 jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="222" />
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="223" />
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="224" />
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="230" />
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
    <name>ApprovalRow</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="41" />
        <source>Refund %1 on order %2 (%3)</source>
        <translation>Remboursement de %1 sur la commande %2 (%3)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="52" />
        <source>Asked by %1, %2</source>
        <translation>Demandé par %1, %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="57" />
        <source>: %1</source>
        <translation> : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="64" />
        <source>Note for the agent (optional)</source>
        <translation>Note pour l'agent (facultatif)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="66" />
        <source>Approve</source>
        <translation>Approuver</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="68" />
        <source>Decline</source>
        <translation>Refuser</translation>
    </message>
</context>
<context>
    <name>ApprovalsBox</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="100" />
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="166" />
        <source>Refunds to approve</source>
        <translation>Remboursements à approuver</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="115" />
        <source>No refund is waiting for approval.</source>
        <translation>Aucun remboursement n'attend d'approbation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/approvals.py" line="164" />
        <source>Refunds to approve (%1)</source>
        <translation>Remboursements à approuver (%1)</translation>
    </message>
</context>
<context>
    <name>BlockedScreen</name>
    <message>
        <location filename="../../agent_desktop/ui/blocked_screen.py" line="50" />
        <source>The support backend cannot be reached</source>
        <translation>Le serveur du support est injoignable</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/blocked_screen.py" line="51" />
        <source>Your drafts and unsent messages are kept on this computer.</source>
        <translation>Vos brouillons et messages non envoyés sont conservés sur cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/blocked_screen.py" line="52" />
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/blocked_screen.py" line="59" />
        <source>You are signed out</source>
        <translation>Vous êtes déconnecté</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/blocked_screen.py" line="60" />
        <source>Your session has ended; please sign in again.</source>
        <translation>Votre session a pris fin ; veuillez vous reconnecter.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/blocked_screen.py" line="61" />
        <source>Sign in again</source>
        <translation>Se reconnecter</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="308" />
        <source>Change your password</source>
        <translation>Changer votre mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="313" />
        <source>Other computers signed in with your account are signed out; this one stays signed in.</source>
        <translation>Les autres ordinateurs connectés avec votre compte sont déconnectés ; celui-ci reste connecté.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="326" />
        <source>At least %1 characters</source>
        <translation>Au moins %1 caractères</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="332" />
        <source>Current password</source>
        <translation>Mot de passe actuel</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="333" />
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="334" />
        <source>Repeat the new password</source>
        <translation>Répétez le nouveau mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="343" />
        <location filename="../../agent_desktop/ui/dialogs.py" line="353" />
        <source>Change password</source>
        <translation>Changer le mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="344" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="353" />
        <source>Please wait…</source>
        <translation>Patientez…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="363" />
        <source>Enter your current password and the new one.</source>
        <translation>Saisissez votre mot de passe actuel et le nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="367" />
        <source>A password needs at least %1 characters.</source>
        <translation>Un mot de passe doit compter au moins %1 caractères.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="371" />
        <source>The two new passwords differ: type them again.</source>
        <translation>Les deux nouveaux mots de passe diffèrent : saisissez-les à nouveau.</translation>
    </message>
</context>
<context>
    <name>ClientStore</name>
    <message>
        <location filename="../../agent_desktop/store/client_store.py" line="285" />
        <source>An internal error occurred; some data may be out of date.</source>
        <translation>Une erreur interne s’est produite ; certaines données peuvent ne plus être à jour.</translation>
    </message>
</context>
<context>
    <name>CodeDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="139" />
        <source>Code for %1</source>
        <translation>Code pour %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="144" />
        <source>Give this code to %1 (%2), by phone or in person rather than by email. In Agent Desktop's sign-in window they tick “I have an invitation code”, enter it and choose their password.</source>
        <translation>Donnez ce code à %1 (%2), par téléphone ou en personne plutôt que par e-mail. Dans la fenêtre de connexion d’Agent Desktop, il coche « J’ai un code d’invitation », le saisit et choisit son mot de passe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="164" />
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="171" />
        <source>It works once, until %1. You will not see it again; if it is lost, reset the member for a new one.</source>
        <translation>Il fonctionne une seule fois, jusqu’au %1. Vous ne le reverrez pas ; s’il est perdu, réinitialisez le membre pour en obtenir un nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="179" />
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="186" />
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
</context>
<context>
    <name>ComposerPane</name>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="86" />
        <source>Reply</source>
        <translation>Réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="91" />
        <source>Internal note</source>
        <translation>Note interne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="93" />
        <source>Only your team sees internal notes (Ctrl+Shift+N)</source>
        <translation>Seule votre équipe voit les notes internes (Ctrl+Maj+N)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="121" />
        <location filename="../../agent_desktop/ui/composer.py" line="415" />
        <source>Write a reply… ("/" for quick replies)</source>
        <translation>Écrire une réponse… (« / » pour les réponses rapides)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="134" />
        <location filename="../../agent_desktop/ui/composer.py" line="417" />
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="189" />
        <source>Internal note on the conversation with %1</source>
        <translation>Note interne sur la conversation avec %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="191" />
        <source>Reply to %1</source>
        <translation>Réponse à %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="230" />
        <source>Another app is handling this conversation; read-only until it returns</source>
        <translation>Une autre application gère cette conversation ; lecture seule jusqu’à son retour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="234" />
        <source>Ad window until %1</source>
        <translation>Fenêtre pub. jusqu’à %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="238" />
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="240" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="241" />
        <source>Standard window, closes in %1</source>
        <translation>Fenêtre standard, se ferme dans %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="243" />
        <source>Human agent tag until %1</source>
        <translation>Balise agent humain jusqu’à %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="247" />
        <source>Closed: the customer must write first</source>
        <translation>Fermée : le client doit écrire d’abord</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="373" />
        <source>Not filled in: %1. Edit them, or send again to send as it is.</source>
        <translation>Non rempli : %1. Modifiez-les, ou envoyez à nouveau pour envoyer tel quel.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="413" />
        <source>Write an internal note (only your team sees it)…</source>
        <translation>Écrire une note interne (visible seulement par votre équipe)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="417" />
        <source>Add note</source>
        <translation>Ajouter la note</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="441" />
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="450" />
        <source>Select a conversation to reply.</source>
        <translation>Sélectionnez une conversation pour répondre.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="453" />
        <source>Messenger does not accept a reply now; you can still add an internal note.</source>
        <translation>Messenger n’accepte pas de réponse pour le moment ; vous pouvez encore ajouter une note interne.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="456" />
        <source>Too long: Messenger accepts at most %1 characters.</source>
        <translation>Trop long : Messenger accepte au plus %1 caractères.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="460" />
        <source>Highlighted variables are not filled in.</source>
        <translation>Les variables surlignées ne sont pas remplies.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="463" />
        <source>Enter to send, Shift+Enter for a new line</source>
        <translation>Entrée pour envoyer, Maj+Entrée pour un saut de ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/composer.py" line="465" />
        <source>Ctrl+Enter to send, Enter for a new line</source>
        <translation>Ctrl+Entrée pour envoyer, Entrée pour un saut de ligne</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="91" />
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="93" />
        <source>Failed: %1</source>
        <translation>Échec : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="93" />
        <source>not delivered</source>
        <translation>non distribué</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="95" />
        <source>Delivered</source>
        <translation>Livré</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="97" />
        <source>Read</source>
        <translation>Lu</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="98" />
        <source>Sent</source>
        <translation>Envoyé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="102" />
        <source>Order %1 confirmed</source>
        <translation>Commande %1 confirmée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="103" />
        <source>Order %1 shipped</source>
        <translation>Commande %1 expédiée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="104" />
        <source>Order %1 out for delivery</source>
        <translation>Commande %1 en cours de livraison</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="105" />
        <source>Order %1 delivered</source>
        <translation>Commande %1 livrée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="106" />
        <source>Order %1 delayed</source>
        <translation>Commande %1 retardée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="107" />
        <source>Order %1 returned</source>
        <translation>Commande %1 retournée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="108" />
        <source>Order %1 cancelled</source>
        <translation>Commande %1 annulée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="109" />
        <source>Order %1 refunded</source>
        <translation>Commande %1 remboursée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="110" />
        <source>Return opened for order %1</source>
        <translation>Retour ouvert pour la commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="111" />
        <source>New address for order %1</source>
        <translation>Nouvelle adresse pour la commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="113" />
        <source>Order %1</source>
        <translation>Commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="124" />
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="132" />
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="136" />
        <source>Carrier</source>
        <translation>Transporteur</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="137" />
        <source>Tracking number</source>
        <translation>Numéro de suivi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="139" />
        <source>Expected delivery</source>
        <translation>Livraison prévue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="142" />
        <source>Delivered on %1</source>
        <translation>Livrée le %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="151" />
        <source>Internal note · %1</source>
        <translation>Note interne · %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="151" />
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="153" />
        <source>Automated message</source>
        <translation>Message automatique</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="195" />
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="243" />
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="467" />
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_delegate.py" line="421" />
        <source>Image</source>
        <translation>Image</translation>
    </message>
</context>
<context>
    <name>ConversationPane</name>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="107" />
        <source>Assign</source>
        <translation>Attribuer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="112" />
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="236" />
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="114" />
        <source>Mark as waiting for the customer</source>
        <translation>Marquer comme en attente du client</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="117" />
        <source>Resolve</source>
        <translation>Résoudre</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="121" />
        <source>Resolve and next</source>
        <translation>Résoudre et suivant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="124" />
        <source>Resolve this conversation and open the next one (Ctrl+Shift+R)</source>
        <translation>Résoudre cette conversation et ouvrir la suivante (Ctrl+Maj+R)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="131" />
        <source>More actions</source>
        <translation>Plus d’actions</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="146" />
        <source>Mark as spam</source>
        <translation>Marquer comme spam</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="149" />
        <source>Reopen</source>
        <translation>Rouvrir</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="198" />
        <source>Select a conversation in the list.</source>
        <translation>Sélectionnez une conversation dans la liste.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="235" />
        <source>Open</source>
        <translation>Ouverte</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="237" />
        <source>Resolved</source>
        <translation>Résolue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="238" />
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="240" />
        <source>Unassigned</source>
        <translation>Non attribuée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="243" />
        <source>Assigned to %1; click to change</source>
        <translation>Attribuée à %1 ; cliquez pour changer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="297" />
        <source>The ad opened a standard window until %1.</source>
        <translation>La publicité a ouvert une fenêtre standard jusqu’à %1.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="302" />
        <source>Handled by %1</source>
        <translation>Pris en charge par %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="314" />
        <source>Assign to me</source>
        <translation>M’attribuer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="322" />
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="323" />
        <source>away</source>
        <translation>absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="324" />
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="328" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="335" />
        <source>Unassign</source>
        <translation>Retirer l’attribution</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="341" />
        <source>%1 is typing…</source>
        <translation>%1 écrit…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/conversation_pane.py" line="344" />
        <source>%1 also viewing</source>
        <translation>%1 consulte aussi</translation>
    </message>
</context>
<context>
    <name>CustomerSearchDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="117" />
        <source>Find the customer in the shop</source>
        <translation>Trouver le client dans la boutique</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="124" />
        <source>Who is %1 in the shop? Search by name, e-mail, phone or order number; their orders then show beside this conversation.</source>
        <translation>Qui est %1 dans la boutique ? Cherchez par nom, e-mail, téléphone ou numéro de commande ; ses commandes s'afficheront ensuite à côté de cette conversation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="131" />
        <source>&amp;Search</source>
        <translation>&amp;Rechercher</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="134" />
        <source>Name, e-mail, phone or order number</source>
        <translation>Nom, e-mail, téléphone ou numéro de commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="151" />
        <source>&amp;Link</source>
        <translation>&amp;Associer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="179" />
        <source>Searching…</source>
        <translation>Recherche…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="191" />
        <source>Orders: %1</source>
        <translation>Commandes : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="203" />
        <source>Nobody found.</source>
        <translation>Personne n'a été trouvé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="219" />
        <source>Linking…</source>
        <translation>Association…</translation>
    </message>
</context>
<context>
    <name>DailyChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="239" />
        <source>Response rate and median per day</source>
        <translation>Taux de réponse et médiane par jour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="267" />
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="271" />
        <source>Median (min)</source>
        <translation>Médiane (min)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="275" />
        <source>90 %</source>
        <translation>90 %</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="329" />
        <source>Response rate: %1 (%2 of %3)</source>
        <translation>Taux de réponse : %1 (%2 sur %3)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="333" />
        <source>Median response time: %1</source>
        <translation>Temps de réponse médian : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="334" />
        <source>Openings: %1</source>
        <translation>Ouvertures : %1</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="289" />
        <source>&lt; 1 min</source>
        <translation>&lt; 1 min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="291" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="295" />
        <source>%1 h %2</source>
        <translation>%1 h %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/agents_model.py" line="299" />
        <source>%1 d</source>
        <translation>%1 j</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="274" />
        <source>%1 d %2 h</source>
        <translation>%1 j %2 h</translation>
    </message>
</context>
<context>
    <name>DashboardData</name>
    <message>
        <location filename="../../agent_desktop/store/dashboard.py" line="154" />
        <source>The dashboard's figures could not be loaded.</source>
        <translation>Les chiffres du tableau de bord n’ont pas pu être chargés.</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/__init__.py" line="32" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="350" />
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/__init__.py" line="34" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="344" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="350" />
        <source>My numbers</source>
        <translation>Mes chiffres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="31" />
        <source>No openings counted yet</source>
        <translation>Aucune ouverture comptée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="37" />
        <source>%1 of %2 openings</source>
        <translation>%1 ouvertures sur %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="41" />
        <source>target %1</source>
        <translation>cible %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="64" />
        <source>Yes</source>
        <translation>Oui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="66" />
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="76" />
        <source>Page responsiveness, 24 h</source>
        <translation>Réactivité de la page, 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="77" />
        <source>Response times, 24 h</source>
        <translation>Temps de réponse, 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="78" />
        <source>Response rate and median per day, 24 h</source>
        <translation>Taux de réponse et médiane par jour, 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="82" />
        <source>Page responsiveness, %1 days</source>
        <translation>Réactivité de la page, %1 jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="85" />
        <source>Response times, %1 days</source>
        <translation>Temps de réponse, %1 jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="88" />
        <source>Response rate and median per day, %1 days</source>
        <translation>Taux de réponse et médiane par jour, %1 jours</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="99" />
        <source>No openings counted in the window yet.</source>
        <translation>Aucune ouverture comptée sur la période pour le moment.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="101" />
        <source>The response rate meets 90 %.</source>
        <translation>Le taux de réponse atteint 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="103" />
        <source>One more opening answered within 24 h brings the rate back to 90 %.</source>
        <translation>Une ouverture de plus traitée sous 24 h ramène le taux à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="106" />
        <source>%1 more openings answered within 24 h bring the rate back to 90 %.</source>
        <translation>%1 ouvertures de plus traitées sous 24 h ramènent le taux à 90 %.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="131" />
        <source>Waiting %1 · Unassigned %2 · Warning %3 · Breached %4</source>
        <translation>En attente %1 · Non attribuées %2 · Alerte %3 · Dépassées %4</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/figures.py" line="140" />
        <source>Oldest %1</source>
        <translation>Plus ancienne %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="154" />
        <source>Team settings…</source>
        <translation>Réglages de l'équipe…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="157" />
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="160" />
        <source>Messenger…</source>
        <translation>Messenger…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="163" />
        <source>What Meta granted the Page, and its utility templates for order updates</source>
        <translation>Ce que Meta a accordé à la Page, et ses modèles utilitaires pour le suivi des commandes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="196" />
        <source>Page responsiveness</source>
        <translation>Réactivité de la page</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="199" />
        <source>Response rate</source>
        <translation>Taux de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="202" />
        <source>Median response time</source>
        <translation>Temps de réponse médian</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="215" />
        <source>The rate if none of the openings still waiting is answered within 24 h</source>
        <translation>Le taux si aucune des ouvertures encore en attente n'est traitée sous 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="217" />
        <source>Fastest 90 % (mean)</source>
        <translation>90 % plus rapides (moyenne)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="218" />
        <source>Within target</source>
        <translation>Dans la cible</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="219" />
        <source>Awaiting 24 h</source>
        <translation>En attente depuis moins de 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="220" />
        <source>If they are missed</source>
        <translation>Si elles restent sans réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="221" />
        <source>Badge</source>
        <translation>Badge</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="344" />
        <source>Team dashboard</source>
        <translation>Tableau de bord de l'équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="345" />
        <source>Live queue</source>
        <translation>File d'attente en direct</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="345" />
        <source>My queue</source>
        <translation>Ma file d'attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="346" />
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="346" />
        <source>My figures</source>
        <translation>Mes résultats</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="519" />
        <source>Loading the figures…</source>
        <translation>Chargement des chiffres…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="622" />
        <source>online</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="623" />
        <source>away</source>
        <translation>absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="624" />
        <source>offline</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="629" />
        <source>Assign to %1 (%2)</source>
        <translation>Attribuer à %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="641" />
        <source>Unassign</source>
        <translation>Retirer l'attribution</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="645" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="658" />
        <source>Open in the workspace</source>
        <translation>Ouvrir dans l'espace de travail</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="703" />
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="725" />
        <source>Only a team lead can change the team settings.</source>
        <translation>Seul un responsable d'équipe peut modifier les réglages de l'équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="768" />
        <source>The file could not be written: %1</source>
        <translation>Le fichier n'a pas pu être écrit : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/page.py" line="771" />
        <source>Saved %1</source>
        <translation>%1 enregistré</translation>
    </message>
</context>
<context>
    <name>DeactivateDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="221" />
        <source>Deactivate %1</source>
        <translation>Désactiver %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="222" />
        <source>Deactivate</source>
        <translation>Désactiver</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="227" />
        <source>%1 is signed out at once on every computer and cannot sign in again until a lead activates the account. Their messages and figures stay.</source>
        <translation>%1 est déconnecté immédiatement sur tous ses ordinateurs et ne peut plus se connecter tant qu’un responsable n’a pas réactivé le compte. Ses messages et ses chiffres sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="233" />
        <source>Put their open conversations back in the queue (%1)</source>
        <translation>Remettre ses conversations ouvertes dans la file d’attente (%1)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="240" />
        <source>Leave their conversations assigned to %1</source>
        <translation>Laisser ses conversations attribuées à %1</translation>
    </message>
</context>
<context>
    <name>DistributionChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="179" />
        <source>Response times</source>
        <translation>Temps de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="189" />
        <source>Answered openings</source>
        <translation>Ouvertures traitées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="207" />
        <source>Target %1</source>
        <translation>Cible %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="221" />
        <source>%1 or more</source>
        <translation>%1 ou plus</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="224" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="228" />
        <source>Answered openings: %1</source>
        <translation>Ouvertures traitées : %1</translation>
    </message>
</context>
<context>
    <name>ErrorSentence</name>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="38" />
        <location filename="../../agent_desktop/store/sentences.py" line="41" />
        <source>The server refused the request as malformed.</source>
        <translation>Le serveur a refusé la requête : elle est mal formée.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="44" />
        <source>The request contains a character the server cannot store.</source>
        <translation>La requête contient un caractère que le serveur ne peut pas enregistrer.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="47" />
        <source>The server refused this request as invalid.</source>
        <translation>Le serveur a refusé cette requête : elle n’est pas valide.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="50" />
        <source>The server does not offer this action; it may be another version.</source>
        <translation>Le serveur ne propose pas cette action ; il s’agit peut-être d’une autre version.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="53" />
        <source>The server refused the request: its data is nested too deeply.</source>
        <translation>Le serveur a refusé la requête : ses données sont trop imbriquées.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="56" />
        <source>This is too large to send or to show.</source>
        <translation>C’est trop volumineux pour être envoyé ou affiché.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="57" />
        <source>The server does not accept this kind of file.</source>
        <translation>Le serveur n’accepte pas ce type de fichier.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="60" />
        <source>The list changed while it was being read; it is loaded again.</source>
        <translation>La liste a changé pendant sa lecture ; elle est rechargée.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="63" />
        <source>The server refused the page size asked for.</source>
        <translation>Le serveur a refusé la taille de page demandée.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="66" />
        <source>The start of the period must come before its end.</source>
        <translation>Le début de la période doit précéder sa fin.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="69" />
        <source>The older messages could not be found.</source>
        <translation>Les messages plus anciens sont introuvables.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="71" />
        <source>Your session has expired or was revoked; please sign in again.</source>
        <translation>Votre session a expiré ou a été révoquée ; reconnectez-vous.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="74" />
        <source>The email or the password is not right.</source>
        <translation>L’adresse e-mail ou le mot de passe est incorrect.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="77" />
        <source>Too many failed sign-in attempts: wait a minute and try again.</source>
        <translation>Trop de tentatives de connexion échouées : attendez une minute et réessayez.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="80" />
        <source>Too many attempts; please wait a moment and try again.</source>
        <translation>Trop de tentatives ; patientez un instant et réessayez.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="83" />
        <source>Only a team lead can do this.</source>
        <translation>Seul un responsable d’équipe peut faire cela.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="84" />
        <source>This item no longer exists on the server.</source>
        <translation>Cet élément n’existe plus sur le serveur.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="85" />
        <source>The server refused this because of a conflict.</source>
        <translation>Le serveur a refusé à cause d’un conflit.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="89" />
        <source>The message is empty.</source>
        <translation>Le message est vide.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="90" />
        <source>The message is too long: Messenger accepts at most 2,000 characters.</source>
        <translation>Le message est trop long : Messenger accepte au plus 2 000 caractères.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="93" />
        <location filename="../../agent_desktop/store/sentences.py" line="98" />
        <source>Messenger does not accept a reply in this conversation now; you can still add an internal note.</source>
        <translation>Messenger n’accepte pas de réponse dans cette conversation pour le moment ; vous pouvez toujours ajouter une note interne.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="103" />
        <source>The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not allowed for this Page, so Messenger does not accept a reply.</source>
        <translation>Le dernier message du client date de plus de 24 heures et l’étiquette HUMAN_AGENT n’est pas autorisée pour cette Page : Messenger n’accepte donc pas de réponse.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="108" />
        <source>This message tag is not valid.</source>
        <translation>Cette étiquette de message n’est pas valide.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="109" />
        <source>Your team does not allow this message tag.</source>
        <translation>Votre équipe n’autorise pas cette étiquette de message.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="112" />
        <source>The customer has not agreed to receive order updates on Messenger; it can be sent once they write again.</source>
        <translation>Le client n’a pas accepté de recevoir le suivi de ses commandes sur Messenger ; le message pourra être envoyé dès qu’il écrira de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="117" />
        <source>Another app is handling this Messenger conversation; the Page can reply once it passes the conversation back.</source>
        <translation>Une autre application gère cette conversation Messenger ; la Page pourra répondre quand elle la lui rendra.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="122" />
        <source>This conversation did not come from Messenger: order messages cannot be sent in it.</source>
        <translation>Cette conversation ne vient pas de Messenger : on ne peut pas y envoyer de messages de commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="126" />
        <source>A part of the server is starting; try again in a moment.</source>
        <translation>Une partie du serveur est en train de démarrer ; réessayez dans un instant.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="129" />
        <source>That message is not in this conversation.</source>
        <translation>Ce message ne fait pas partie de cette conversation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="132" />
        <source>That conversation is not with this order's customer.</source>
        <translation>Cette conversation n’est pas celle du client de cette commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="135" />
        <source>The server does not know this status.</source>
        <translation>Le serveur ne connaît pas ce statut.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="136" />
        <source>There is no such agent on the team.</source>
        <translation>Cet agent ne fait pas partie de l’équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="137" />
        <source>There is no such customer.</source>
        <translation>Ce client n’existe pas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="138" />
        <source>The order receipt does not match the order.</source>
        <translation>Le reçu ne correspond pas à la commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="141" />
        <source>This order has not shipped yet: there is no tracking.</source>
        <translation>Cette commande n’est pas encore expédiée : il n’y a pas de suivi.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="145" />
        <source>The customer has never written to the Page, and Messenger does not let a Page start a conversation.</source>
        <translation>Le client n’a jamais écrit à la Page, et Messenger ne permet pas à une Page d’engager la conversation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="150" />
        <source>The customer's last message is more than 24 hours old and Meta has not granted the Page the Human Agent permission, so Messenger does not accept a reply until they write again.</source>
        <translation>Le dernier message du client date de plus de 24 heures et Meta n’a pas accordé l’autorisation Human Agent à la Page : Messenger n’accepte pas de réponse avant qu’il écrive à nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="156" />
        <source>The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not enabled for this team, so Messenger does not accept a reply.</source>
        <translation>Le dernier message du client date de plus de 24 heures et l’étiquette HUMAN_AGENT n’est pas activée pour cette équipe : Messenger n’accepte pas de réponse.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="161" />
        <source>The customer's last message is more than 24 hours old: only a person may answer now, so this automated message was not sent.</source>
        <translation>Le dernier message du client date de plus de 24 heures : seule une personne peut répondre maintenant, ce message automatique n’a donc pas été envoyé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="166" />
        <source>This Messenger conversation is being handled in the Page inbox (Meta Business Suite); you can reply from here once it is passed back to this app.</source>
        <translation>Cette conversation Messenger est traitée dans la boîte de réception de la Page (Meta Business Suite) ; vous pourrez répondre d’ici quand elle sera rendue à cette application.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="171" />
        <source>Meta has not granted the Page the page_utility_messaging permission, so order updates cannot be sent outside the 24-hour window.</source>
        <translation>Meta n’a pas accordé l’autorisation page_utility_messaging à la Page : le suivi de commande ne peut pas être envoyé hors de la fenêtre de 24 heures.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="176" />
        <source>The Page has no approved utility template for this order update; a team lead can add one in the Messenger dialog.</source>
        <translation>La Page n’a pas de modèle utilitaire approuvé pour ce suivi de commande ; un responsable peut en ajouter un dans la fenêtre Messenger.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="181" />
        <source>The 24-hour window closed before this order update could go out; send it again to have it go as a utility message.</source>
        <translation>La fenêtre de 24 heures s’est fermée avant l’envoi de ce suivi de commande ; renvoyez-le pour qu’il parte en message utilitaire.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="186" />
        <source>The utility template chosen for this update is no longer approved, so it was not sent; send it again to use another approved template.</source>
        <translation>Le modèle utilitaire choisi pour ce suivi n’est plus approuvé, il n’a donc pas été envoyé ; renvoyez-le pour utiliser un autre modèle approuvé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="191" />
        <source>The order lacks a value the utility template needs (a carrier or tracking link before it ships, for example).</source>
        <translation>Il manque à la commande une valeur dont le modèle utilitaire a besoin (un transporteur ou un lien de suivi avant l’expédition, par exemple).</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="196" />
        <source>Meta has retired this message tag: Messenger refuses every message sent with it. Order updates outside the 24-hour window go as utility messages.</source>
        <translation>Meta a retiré cette étiquette de message : Messenger refuse tout message qui la porte. Le suivi de commande hors de la fenêtre de 24 heures part en message utilitaire.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="201" />
        <source>Meta would refuse this template: check its text and its order values.</source>
        <translation>Meta refuserait ce modèle : vérifiez son texte et ses valeurs de commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="204" />
        <source>A template name has lowercase letters, digits and underscores only.</source>
        <translation>Un nom de modèle ne contient que des minuscules, des chiffres et des tirets bas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="207" />
        <source>This is not an order value a template can hold.</source>
        <translation>Ce n’est pas une valeur de commande qu’un modèle peut contenir.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="210" />
        <source>Give one order value for each placeholder of the template.</source>
        <translation>Indiquez une valeur de commande pour chaque emplacement du modèle.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="213" />
        <source>The Page already has a template with this name in this language.</source>
        <translation>La Page a déjà un modèle de ce nom dans cette langue.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="216" />
        <source>Meta's library has no such template in this language.</source>
        <translation>La bibliothèque de Meta n’a pas ce modèle dans cette langue.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="219" />
        <source>Meta refused the request; the details are in the server's log.</source>
        <translation>Meta a refusé la demande ; le détail est dans le journal du serveur.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="223" />
        <source>A shortcut is one word without spaces.</source>
        <translation>Un raccourci est un seul mot, sans espace.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="226" />
        <source>An away period must end after it starts.</source>
        <translation>Une période d'absence doit finir après son début.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="227" />
        <source>The template uses a variable that does not exist.</source>
        <translation>Le modèle utilise une variable qui n'existe pas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="230" />
        <source>The server does not know this customer question.</source>
        <translation>Le serveur ne connaît pas cette question de client.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="233" />
        <source>Only a team template can be suggested for a customer question.</source>
        <translation>Seul un modèle d'équipe peut être proposé en réponse à une question de client.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="236" />
        <source>Return instructions are written per language, such as en or fr.</source>
        <translation>Les instructions de retour s'écrivent par langue, par exemple en ou fr.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="239" />
        <source>The return instructions are too long.</source>
        <translation>Les instructions de retour sont trop longues.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="242" />
        <source>The response target must be between 1 second and 24 hours.</source>
        <translation>L’objectif de réponse doit être compris entre 1 seconde et 24 heures.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="245" />
        <source>The rolling window must be between 1 and 90 days.</source>
        <translation>La période glissante doit être comprise entre 1 et 90 jours.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="248" />
        <source>This refund limit is not valid.</source>
        <translation>Ce plafond de remboursement n’est pas valide.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="250" />
        <source>This order action is not valid.</source>
        <translation>Cette action sur la commande n’est pas valide.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="251" />
        <source>This currency does not match the order's.</source>
        <translation>Cette devise ne correspond pas à celle de la commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="254" />
        <source>The order's current state does not allow this action.</source>
        <translation>L’état actuel de la commande ne permet pas cette action.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="257" />
        <source>The same action on this order is already under way; wait for its result.</source>
        <translation>La même action est déjà en cours sur cette commande ; attendez son résultat.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="260" />
        <source>This action has already ended.</source>
        <translation>Cette action est déjà terminée.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="261" />
        <source>This action is not waiting for approval.</source>
        <translation>Cette action n’attend pas d’approbation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="262" />
        <source>This order has nowhere further to go.</source>
        <translation>Cette commande ne peut pas aller plus loin.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="263" />
        <source>A colleague's message in this conversation already has this identifier; write it again.</source>
        <translation>Un message d’un collègue dans cette conversation porte déjà cet identifiant ; écrivez-le à nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="267" />
        <source>This action was already sent for another order.</source>
        <translation>Cette action a déjà été envoyée pour une autre commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="271" />
        <source>Your session has expired. Sign in again: your drafts and unsent replies are kept.</source>
        <translation>Votre session a expiré. Reconnectez-vous : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="275" />
        <source>A team lead has reset your password, so you were signed out. Sign in with the new invitation code they give you: your drafts and unsent replies are kept.</source>
        <translation>Un responsable d’équipe a réinitialisé votre mot de passe : vous avez été déconnecté. Connectez-vous avec le nouveau code d’invitation qu’il vous donne : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="280" />
        <source>Your password was changed on another computer. Sign in again with the new password: your drafts and unsent replies are kept.</source>
        <translation>Votre mot de passe a été changé sur un autre ordinateur. Reconnectez-vous avec le nouveau mot de passe : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="285" />
        <source>The server was restored from a backup. Sign in again: your drafts and unsent replies are kept.</source>
        <translation>Le serveur a été restauré à partir d’une sauvegarde. Reconnectez-vous : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="290" />
        <source>The server is starting; try again in a moment.</source>
        <translation>Le serveur démarre ; réessayez dans un instant.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="294" />
        <source>This account has been deactivated: ask a team lead.</source>
        <translation>Ce compte a été désactivé : adressez-vous à un responsable d’équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="297" />
        <source>You cannot deactivate your own account: ask another lead.</source>
        <translation>Vous ne pouvez pas désactiver votre propre compte : demandez à un autre responsable.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="300" />
        <source>Change your own password under Account → Change password instead.</source>
        <translation>Pour votre propre mot de passe, passez plutôt par Compte → Changer le mot de passe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="303" />
        <source>There is already an account with this email address.</source>
        <translation>Il existe déjà un compte avec cette adresse e-mail.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="306" />
        <source>That is not an email address (name@example.com).</source>
        <translation>Ce n’est pas une adresse e-mail (nom@exemple.com).</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="309" />
        <source>The name must not be empty, nor longer than 200 characters.</source>
        <translation>Le nom ne doit être ni vide ni plus long que 200 caractères.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="312" />
        <source>A role is either agent or lead.</source>
        <translation>Un rôle est soit agent, soit responsable.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="313" />
        <source>The email or the invitation code is not right.</source>
        <translation>L’e-mail ou le code d’invitation n’est pas bon.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="316" />
        <source>This code has expired: ask a team lead for a new one.</source>
        <translation>Ce code a expiré : demandez-en un nouveau à un responsable d’équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="319" />
        <source>This code was replaced by a newer one: use the latest code a team lead gave you.</source>
        <translation>Ce code a été remplacé par un plus récent : utilisez le dernier code qu’un responsable d’équipe vous a donné.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="323" />
        <source>This code was already used: sign in with your password, or ask a team lead for a new code.</source>
        <translation>Ce code a déjà servi : connectez-vous avec votre mot de passe, ou demandez un nouveau code à un responsable d’équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="328" />
        <source>This is the team's only active lead: make someone else a lead first.</source>
        <translation>C’est le seul responsable actif de l’équipe : nommez d’abord quelqu’un d’autre responsable.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="332" />
        <source>The new password is the same as the current one.</source>
        <translation>Le nouveau mot de passe est identique à l’actuel.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="335" />
        <source>This password is too easy to guess: use at least 10 characters, not your name or email.</source>
        <translation>Ce mot de passe est trop facile à deviner : utilisez au moins 10 caractères, ni votre nom ni votre e-mail.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="339" />
        <source>The current password is not right.</source>
        <translation>Le mot de passe actuel n’est pas bon.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="341" />
        <source>The server failed to handle this request; try again later.</source>
        <translation>Le serveur n’a pas pu traiter cette requête ; réessayez plus tard.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="345" />
        <source>The server cannot be reached; check the address and your connection.</source>
        <translation>Le serveur est injoignable ; vérifiez l’adresse et votre connexion.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="348" />
        <source>The server did not answer in time.</source>
        <translation>Le serveur n’a pas répondu à temps.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="349" />
        <source>An image from another site than your server was not loaded.</source>
        <translation>Une image provenant d’un autre site que votre serveur n’a pas été chargée.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="352" />
        <source>This is not a server address; it should look like https://support.example.com.</source>
        <translation>Ce n’est pas une adresse de serveur ; elle devrait ressembler à https://support.example.com.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="356" />
        <source>Plain http:// is refused for a server that is not this computer: your password and messages would travel unencrypted. Use https://.</source>
        <translation>Le http:// simple est refusé pour un serveur qui n’est pas cet ordinateur : votre mot de passe et vos messages circuleraient en clair. Utilisez https://.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="361" />
        <source>Choose which Chatwoot account to work in.</source>
        <translation>Choisissez le compte Chatwoot dans lequel travailler.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="364" />
        <source>Enter the code from your authenticator app to finish signing in.</source>
        <translation>Saisissez le code de votre application d’authentification pour terminer la connexion.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="372" />
        <source>You are not allowed to do this.</source>
        <translation>Vous n’êtes pas autorisé à faire cela.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="377" />
        <source>The server failed; please try again later.</source>
        <translation>Le serveur a échoué ; réessayez plus tard.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="381" />
        <source>The server sent an answer this client cannot read.</source>
        <translation>Le serveur a envoyé une réponse que cette application ne sait pas lire.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sentences.py" line="404" />
        <source>Something went wrong; the details are in the log.</source>
        <translation>Une erreur s’est produite ; les détails sont dans le journal.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="212" />
        <source>Export the figures</source>
        <translation>Exporter les chiffres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="219" />
        <source>From (start of day)</source>
        <translation>Du (début de journée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="220" />
        <source>To (end of day)</source>
        <translation>Au (fin de journée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="223" />
        <source>Figures per agent (CSV)…</source>
        <translation>Chiffres par agent (CSV)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="224" />
        <source>Openings (CSV)…</source>
        <translation>Ouvertures (CSV)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="225" />
        <source>Data for agent-desktop metrics (JSON)…</source>
        <translation>Données pour agent-desktop metrics (JSON)…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/export.py" line="243" />
        <source>Export</source>
        <translation>Exporter</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="58" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="77" />
        <source>Please wait…</source>
        <translation>Patientez…</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="106" />
        <source>Openings and responses per hour, 24 h</source>
        <translation>Ouvertures et réponses par heure, 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="113" />
        <source>Openings</source>
        <translation>Ouvertures</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="115" />
        <source>Responses</source>
        <translation>Réponses</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="140" />
        <source>%1 to %2</source>
        <translation>%1 à %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="145" />
        <source>Openings: %1</source>
        <translation>Ouvertures : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/charts.py" line="147" />
        <source>Responses: %1</source>
        <translation>Réponses : %1</translation>
    </message>
</context>
<context>
    <name>Intents</name>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="13" />
        <source>Where is my order</source>
        <translation>Où est ma commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="14" />
        <source>Late delivery</source>
        <translation>Livraison en retard</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="15" />
        <source>Return or exchange</source>
        <translation>Retour ou échange</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="16" />
        <source>Damaged or wrong item</source>
        <translation>Article abîmé ou erroné</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="17" />
        <source>Cancel the order</source>
        <translation>Annulation de commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="18" />
        <source>Change the address</source>
        <translation>Changement d'adresse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="19" />
        <source>Refund status</source>
        <translation>Où en est le remboursement</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/intent_names.py" line="20" />
        <source>Thanks, that's all</source>
        <translation>Merci, c'est tout</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="470" />
        <source>Meta's library of order templates</source>
        <translation>Bibliothèque de modèles de commande de Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="477" />
        <source>Search (e.g. shipment, delivery, order)</source>
        <translation>Rechercher (en anglais : shipment, delivery, order…)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="482" />
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="483" />
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="485" />
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="504" />
        <source>Name on the Page</source>
        <translation>Nom sur la Page</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="507" />
        <source>Used for</source>
        <translation>Utilisé pour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="509" />
        <source>What each placeholder holds</source>
        <translation>Ce que contient chaque emplacement</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="518" />
        <source>Add to the Page</source>
        <translation>Ajouter à la Page</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="538" />
        <source>Searching Meta's library…</source>
        <translation>Recherche dans la bibliothèque de Meta…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="548" />
        <source>No template matches.</source>
        <translation>Aucun modèle ne correspond.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="550" />
        <source>Templates found: %1. Pick one to add it to the Page.</source>
        <translation>Modèles trouvés : %1. Choisissez-en un pour l’ajouter à la Page.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="585" />
        <source>{{%1}} (example: %2)</source>
        <translation>{{%1}} (exemple : %2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="598" />
        <source>A template name has lowercase letters, digits and underscores only.</source>
        <translation>Un nom de modèle ne contient que des minuscules, des chiffres et des tirets bas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="624" />
        <source>%1 added to the Page: %2.</source>
        <translation>%1 ajouté à la Page : %2.</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="436" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="436" />
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="436" />
        <source>Text</source>
        <translation>Texte</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../agent_desktop/startup/main.py" line="131" />
        <source>Starting the demo backend…</source>
        <translation>Démarrage du serveur de démonstration…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="110" />
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="269" />
        <source>That conversation is hidden by the list's filter.</source>
        <translation>Cette conversation est masquée par le filtre de la liste.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="430" />
        <source>Select a conversation to see the customer's orders.</source>
        <translation>Sélectionnez une conversation pour voir les commandes du client.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="520" />
        <source>A message could not be sent: %1</source>
        <translation>Un message n’a pas pu être envoyé : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="524" />
        <source>Quick replies now use this order.</source>
        <translation>Les réponses rapides utilisent maintenant cette commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="536" />
        <source>Agent Desktop</source>
        <translation>Agent Desktop</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/main_window.py" line="538" />
        <source>(%1) Agent Desktop</source>
        <translation>(%1) Agent Desktop</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/notifications.py" line="44" />
        <source>New message from %1</source>
        <translation>Nouveau message de %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/notifications.py" line="54" />
        <source>%1 is waiting</source>
        <translation>%1 attend</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/notifications.py" line="55" />
        <source>The response target is reached in %1 s.</source>
        <translation>L’objectif de réponse est atteint dans %1 s.</translation>
    </message>
</context>
<context>
    <name>MessengerBanner</name>
    <message>
        <location filename="../../agent_desktop/ui/messenger_banner.py" line="41" />
        <source>Try sending again now</source>
        <translation>Réessayer l’envoi maintenant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_banner.py" line="44" />
        <source>Sends one waiting message now; if Meta accepts it, the others follow.</source>
        <translation>Envoie maintenant un message en attente ; si Meta l’accepte, les autres suivent.</translation>
    </message>
</context>
<context>
    <name>MessengerTemplatesDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="130" />
        <source>Messenger: permissions and utility templates</source>
        <translation>Messenger : autorisations et modèles utilitaires</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="138" />
        <source>What Meta granted this Page</source>
        <translation>Ce que Meta a accordé à cette Page</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="152" />
        <source>Try sending again now</source>
        <translation>Réessayer l’envoi maintenant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="163" />
        <source>Order updates sent more than 24 hours after the customer's last message go as utility messages from these templates, filled with the order's values, to customers who agreed to order updates.</source>
        <translation>Le suivi de commande envoyé plus de 24 heures après le dernier message du client part en message utilitaire d’après ces modèles, rempli avec les valeurs de la commande, aux clients qui ont accepté ce suivi.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="180" />
        <source>The Page has no utility template yet: browse Meta's library (approved at once) or write one in French and English.</source>
        <translation>La Page n’a encore aucun modèle utilitaire : parcourez la bibliothèque de Meta (approbation immédiate) ou écrivez-en un en français et en anglais.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="190" />
        <source>Browse Meta's library…</source>
        <translation>Parcourir la bibliothèque de Meta…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="193" />
        <source>Write a template…</source>
        <translation>Écrire un modèle…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="196" />
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="200" />
        <source>Check status at Meta</source>
        <translation>Vérifier l’état chez Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="232" />
        <source>This server's Messenger bridge is off: there is nothing to manage here.</source>
        <translation>La passerelle Messenger de ce serveur est désactivée : il n’y a rien à gérer ici.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="247" />
        <source>Reading the Page's permissions…</source>
        <translation>Lecture des autorisations de la Page…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="252" />
        <source>Human Agent permission: granted. Agents may reply up to 7 days after the customer's last message (with the HUMAN_AGENT tag).</source>
        <translation>Autorisation Human Agent : accordée. Les agents peuvent répondre jusqu’à 7 jours après le dernier message du client (avec le tag HUMAN_AGENT).</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="257" />
        <source>Human Agent permission: not granted. Replies are possible only within 24 hours of the customer's last message; request it from Meta (App Review).</source>
        <translation>Autorisation Human Agent : non accordée. Les réponses ne sont possibles que dans les 24 heures qui suivent le dernier message du client ; demandez-la à Meta (App Review).</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="263" />
        <source>page_utility_messaging: granted. Order updates outside 24 hours go as utility messages from the approved templates below.</source>
        <translation>page_utility_messaging : accordée. Le suivi de commande au-delà de 24 heures part en message utilitaire d’après les modèles approuvés ci-dessous.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="268" />
        <source>page_utility_messaging: not granted. Order updates can be sent only within 24 hours of the customer's last message; request it from Meta.</source>
        <translation>page_utility_messaging : non accordée. Le suivi de commande ne peut partir que dans les 24 heures qui suivent le dernier message du client ; demandez-la à Meta.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="277" />
        <source>Meta retired the %1 message tags on 27 April 2026; they are never sent.</source>
        <translation>Meta a retiré les tags de message %1 le 27 avril 2026 ; ils ne sont jamais envoyés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="285" />
        <source>The Page may send messages.</source>
        <translation>La Page peut envoyer des messages.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="326" />
        <source>The Page has not been granted page_utility_messaging; templates cannot be added until Meta grants it.</source>
        <translation>La Page n’a pas obtenu page_utility_messaging : aucun modèle ne peut être ajouté avant que Meta l’accorde.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="330" />
        <source>The Page already has a template with this name in this language.</source>
        <translation>La Page a déjà un modèle de ce nom dans cette langue.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="332" />
        <source>A template name has lowercase letters, digits and underscores only.</source>
        <translation>Un nom de modèle ne contient que des minuscules, des chiffres et des tirets bas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="334" />
        <source>Only a team lead can manage the Page's templates.</source>
        <translation>Seul un responsable d’équipe peut gérer les modèles de la Page.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="341" />
        <source>Asking Meta…</source>
        <translation>Interrogation de Meta…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="347" />
        <source>Statuses read from Meta.</source>
        <translation>États lus chez Meta.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="353" />
        <source>Delete the template</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="355" />
        <source>Delete %1 (%2) at Meta? Order updates will no longer use it.</source>
        <translation>Supprimer %1 (%2) chez Meta ? Le suivi de commande ne l’utilisera plus.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="383" />
        <source>Template deleted.</source>
        <translation>Modèle supprimé.</translation>
    </message>
</context>
<context>
    <name>MessengerText</name>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="29" />
        <source>This conversation did not come from Messenger, so nothing is sent through Messenger.</source>
        <translation>Cette conversation ne vient pas de Messenger : rien n’est envoyé par Messenger.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="34" />
        <source>Another app is handling this Messenger conversation right now; the Page can reply again once it passes the conversation back.</source>
        <translation>Une autre application gère cette conversation Messenger en ce moment ; la Page pourra répondre de nouveau quand elle lui rendra la conversation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="39" />
        <source>This Messenger conversation is being handled in the Page inbox (Meta Business Suite); you can reply from here again once it is passed back to this app.</source>
        <translation>Cette conversation Messenger est traitée dans la boîte de réception de la Page (Meta Business Suite) ; vous pourrez répondre d’ici quand elle sera rendue à cette application.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="44" />
        <source>The customer has never written to the Page, and Messenger does not let a Page start a conversation.</source>
        <translation>Le client n’a jamais écrit à la Page, et Messenger ne permet pas à une Page d’engager la conversation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="49" />
        <source>The customer's last message is more than 7 days old, so Messenger no longer allows a reply; the conversation can continue when the customer writes again.</source>
        <translation>Le dernier message du client date de plus de 7 jours : Messenger n’autorise plus de réponse ; la conversation reprendra quand le client écrira de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="54" />
        <source>The customer's last message is more than 24 hours old, and the Page has not been granted Meta's Human Agent permission, so Messenger does not allow a reply until they write again.</source>
        <translation>Le dernier message du client date de plus de 24 heures et la Page n’a pas obtenu l’autorisation Human Agent de Meta : Messenger n’autorise pas de réponse avant qu’il écrive de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="60" />
        <source>The customer's last message is more than 24 hours old and the HUMAN_AGENT tag is not enabled for this team, so Messenger does not allow a reply.</source>
        <translation>Le dernier message du client date de plus de 24 heures et le tag HUMAN_AGENT n’est pas activé pour cette équipe : Messenger n’autorise pas de réponse.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="65" />
        <source>The customer's last message is more than 24 hours old and they have not agreed to receive order updates on Messenger, so the update cannot be sent until they write again.</source>
        <translation>Le dernier message du client date de plus de 24 heures et il n’a pas accepté de recevoir le suivi de ses commandes sur Messenger : la mise à jour ne pourra partir que lorsqu’il écrira de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="71" />
        <source>The customer's last message is more than 24 hours old, and the Page has not been granted the page_utility_messaging permission, so order updates cannot be sent until they write again.</source>
        <translation>Le dernier message du client date de plus de 24 heures et la Page n’a pas obtenu l’autorisation page_utility_messaging : le suivi de commande ne pourra partir que lorsqu’il écrira de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="78" />
        <source>The customer's last message is more than 24 hours old, and the Page has no approved utility template for shipping updates, so the update cannot be sent until a team lead adds one or the customer writes again.</source>
        <translation>Le dernier message du client date de plus de 24 heures et la Page n’a aucun modèle utilitaire approuvé pour les avis d’expédition : la mise à jour ne pourra partir que lorsqu’un responsable en ajoutera un ou que le client écrira de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="83" />
        <source>The customer's last message is more than 24 hours old, and the Page has no approved utility template for order confirmations, so the update cannot be sent until a team lead adds one or the customer writes again.</source>
        <translation>Le dernier message du client date de plus de 24 heures et la Page n’a aucun modèle utilitaire approuvé pour les confirmations de commande : la mise à jour ne pourra partir que lorsqu’un responsable en ajoutera un ou que le client écrira de nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="93" />
        <source>In the Page inbox: read-only</source>
        <translation>Dans la boîte de la Page : lecture seule</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="95" />
        <source>Another app is handling this conversation; read-only until it returns</source>
        <translation>Une autre application gère cette conversation ; lecture seule jusqu’à son retour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="97" />
        <source>Closed: no Human Agent permission</source>
        <translation>Fermée : pas d’autorisation Human Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="99" />
        <source>Closed: HUMAN_AGENT not enabled</source>
        <translation>Fermée : HUMAN_AGENT non activé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="104" />
        <source>the Page inbox (Meta Business Suite)</source>
        <translation>la boîte de réception de la Page (Meta Business Suite)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="107" />
        <source>another app (id %1)</source>
        <translation>une autre application (id %1)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="108" />
        <source>another app</source>
        <translation>une autre application</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="109" />
        <source>this app</source>
        <translation>cette application</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="116" />
        <source>Messenger has temporarily restricted the Page from sending messages. Replies are kept and go out, in order, as soon as Meta lifts the restriction.</source>
        <translation>Messenger a temporairement interdit à la Page d’envoyer des messages. Les réponses sont conservées et partiront, dans l’ordre, dès que Meta lèvera la restriction.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="120" />
        <source>Next try at %1.</source>
        <translation>Prochain essai à %1.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="127" />
        <source>Approved</source>
        <translation>Approuvé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="128" />
        <source>Waiting for Meta's approval</source>
        <translation>En attente de l’approbation de Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="129" />
        <source>Rejected by Meta</source>
        <translation>Refusé par Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="130" />
        <source>Paused by Meta</source>
        <translation>Suspendu par Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="131" />
        <source>Disabled by Meta</source>
        <translation>Désactivé par Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="132" />
        <source>Deleted at Meta</source>
        <translation>Supprimé chez Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="133" />
        <source>In appeal</source>
        <translation>En appel</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="138" />
        <source>Shipping update</source>
        <translation>Avis d’expédition</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="139" />
        <source>Order confirmation</source>
        <translation>Confirmation de commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="142" />
        <source>Meta's library</source>
        <translation>Bibliothèque de Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="142" />
        <source>Written by the team</source>
        <translation>Écrit par l’équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="147" />
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="149" />
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="154" />
        <source>Order number</source>
        <translation>Numéro de commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="155" />
        <source>Customer's first name</source>
        <translation>Prénom du client</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="156" />
        <source>Carrier</source>
        <translation>Transporteur</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="157" />
        <source>Tracking link</source>
        <translation>Lien de suivi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="158" />
        <source>Tracking number</source>
        <translation>Numéro de suivi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="159" />
        <source>Expected delivery date</source>
        <translation>Date de livraison prévue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="160" />
        <source>Order total</source>
        <translation>Total de la commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="161" />
        <source>Order date</source>
        <translation>Date de la commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="166" />
        <source>Came from a Messenger ad: %1</source>
        <translation>Venu d’une publicité Messenger : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/messenger_text.py" line="167" />
        <source>Came from a Messenger ad</source>
        <translation>Venu d’une publicité Messenger</translation>
    </message>
</context>
<context>
    <name>OrderActionDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="218" />
        <source>%1 (of %2)</source>
        <translation>%1 (sur %2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="228" />
        <source>&amp;Amount</source>
        <translation>&amp;Montant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="231" />
        <source>At most %1 can still be refunded.</source>
        <translation>%1 au plus peut encore être remboursé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="238" />
        <source>&amp;Name</source>
        <translation>&amp;Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="239" />
        <source>&amp;Street</source>
        <translation>&amp;Rue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="240" />
        <source>Street (&amp;2)</source>
        <translation>Complément d'adresse (&amp;2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="241" />
        <source>&amp;Postal code</source>
        <translation>Code &amp;postal</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="242" />
        <source>&amp;City</source>
        <translation>&amp;Ville</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="243" />
        <source>C&amp;ountry (two letters)</source>
        <translation>P&amp;ays (deux lettres)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="260" />
        <source>&amp;Reason</source>
        <translation>&amp;Motif</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="263" />
        <source>&amp;Tell the customer in the conversation</source>
        <translation>&amp;Prévenir le client dans la conversation</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="268" />
        <source>Sent on Messenger when its rules allow it; otherwise the note says why.</source>
        <translation>Envoyé sur Messenger quand ses règles le permettent ; sinon la note dit pourquoi.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="294" />
        <source>Cancel order %1</source>
        <translation>Annuler la commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="295" />
        <source>Refund order %1</source>
        <translation>Rembourser la commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="296" />
        <source>Return items of order %1</source>
        <translation>Retour d'articles de la commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="297" />
        <source>Change the address of order %1</source>
        <translation>Changer l'adresse de la commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="304" />
        <source>The order is cancelled in the shop; nothing will be shipped.</source>
        <translation>La commande est annulée dans la boutique ; rien ne sera expédié.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="306" />
        <source>%1 is refunded to the customer.</source>
        <translation>%1 est remboursé au client.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="311" />
        <source>Choose items to refund their price, or type an amount.</source>
        <translation>Choisissez des articles pour rembourser leur prix, ou tapez un montant.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="313" />
        <source>Choose what the customer sends back; the return gets its own label.</source>
        <translation>Choisissez ce que le client renvoie ; le retour a sa propre étiquette.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="314" />
        <source>The parcel has not left yet: it will go to this address.</source>
        <translation>Le colis n'est pas encore parti : il ira à cette adresse.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="318" />
        <source>Cancel the order</source>
        <translation>Annuler la commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="319" />
        <source>Refund</source>
        <translation>Rembourser</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="320" />
        <source>Open the return</source>
        <translation>Ouvrir le retour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="321" />
        <source>Change the address</source>
        <translation>Changer l'adresse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="327" />
        <source>The customer changed their mind</source>
        <translation>Le client a changé d'avis</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="328" />
        <source>Ordered by mistake</source>
        <translation>Commandé par erreur</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="329" />
        <source>Out of stock</source>
        <translation>Rupture de stock</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="333" />
        <source>Damaged in transit</source>
        <translation>Abîmé pendant le transport</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="334" />
        <source>Item missing from the parcel</source>
        <translation>Article manquant dans le colis</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="335" />
        <source>Delivered late</source>
        <translation>Livré en retard</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="336" />
        <source>Goodwill gesture</source>
        <translation>Geste commercial</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="340" />
        <source>Wrong size</source>
        <translation>Mauvaise taille</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="341" />
        <source>Damaged</source>
        <translation>Abîmé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="342" />
        <source>Not as described</source>
        <translation>Non conforme à la description</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="343" />
        <source>No longer wanted</source>
        <translation>Ne convient plus</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="345" />
        <source>The customer moved</source>
        <translation>Le client a déménagé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="345" />
        <source>Typo in the address</source>
        <translation>Faute de frappe dans l'adresse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="384" />
        <source>Type the amount to refund, or choose items.</source>
        <translation>Tapez le montant à rembourser, ou choisissez des articles.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="387" />
        <source>The amount must be more than zero.</source>
        <translation>Le montant doit être supérieur à zéro.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="390" />
        <source>At most %1 can be refunded.</source>
        <translation>%1 au plus peut être remboursé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="394" />
        <source>Choose at least one item to return.</source>
        <translation>Choisissez au moins un article à retourner.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="397" />
        <source>Type the street.</source>
        <translation>Tapez la rue.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="398" />
        <source>Type the city.</source>
        <translation>Tapez la ville.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="399" />
        <source>Type the country.</source>
        <translation>Tapez le pays.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="405" />
        <source>Give the country as its two-letter code (FR, GB, VN…).</source>
        <translation>Donnez le pays par son code à deux lettres (FR, GB, VN…).</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="409" />
        <source>Type the amount as a number, such as %1.</source>
        <translation>Tapez le montant en chiffres, par exemple %1.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="411" />
        <source>Say why, for the record.</source>
        <translation>Indiquez le motif, pour l'historique.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="457" />
        <source>Asking the shop…</source>
        <translation>Demande à la boutique…</translation>
    </message>
</context>
<context>
    <name>OrderActionsPanel</name>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="102" />
        <source>Cancel order…</source>
        <translation>Annuler…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="103" />
        <source>Refund…</source>
        <translation>Rembourser…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="104" />
        <source>Return…</source>
        <translation>Retour…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="105" />
        <source>Change address…</source>
        <translation>Changer l'adresse…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="110" />
        <source>Cancels the order in the shop and refunds what was paid.</source>
        <translation>Annule la commande dans la boutique et rembourse ce qui a été payé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="111" />
        <source>Refunds an amount, or the price of some items, to the customer.</source>
        <translation>Rembourse au client un montant, ou le prix de certains articles.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="112" />
        <source>Opens a return for items the customer sends back.</source>
        <translation>Ouvre un retour pour les articles que le client renvoie.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="113" />
        <source>Changes where the order will be delivered.</source>
        <translation>Change l'adresse où la commande sera livrée.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="137" />
        <source>Cancellation</source>
        <translation>Annulation</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="138" />
        <source>Refund</source>
        <translation>Remboursement</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="139" />
        <source>Return</source>
        <translation>Retour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="140" />
        <source>Address change</source>
        <translation>Changement d'adresse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="151" />
        <source>someone</source>
        <translation>quelqu'un</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="153" />
        <source>%1 by %2, %3</source>
        <translation>%1 par %2, %3</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="156" />
        <source>%1: done.</source>
        <translation>%1 : fait.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="158" />
        <source>%1: in progress in the shop.</source>
        <translation>%1 : en cours dans la boutique.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="160" />
        <source>%1: waiting for a team lead's approval.</source>
        <translation>%1 : en attente de l'approbation d'un responsable.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="162" />
        <source>a team lead</source>
        <translation>un responsable</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="163" />
        <source>%1: declined by %2.</source>
        <translation>%1 : refusé par %2.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="165" />
        <source>the shop refused it.</source>
        <translation>la boutique l'a refusé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_actions.py" line="166" />
        <source>%1: failed: %2</source>
        <translation>%1 : échec : %2</translation>
    </message>
</context>
<context>
    <name>OrderPieces</name>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="141" />
        <source>Placed</source>
        <translation>Passée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="142" />
        <source>Paid</source>
        <translation>Payée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="143" />
        <source>Processing</source>
        <translation>En préparation</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="144" />
        <source>Shipped</source>
        <translation>Expédiée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="145" />
        <source>In transit</source>
        <translation>En transit</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="146" />
        <source>Out for delivery</source>
        <translation>En cours de livraison</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="147" />
        <source>Delivered</source>
        <translation>Livrée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="148" />
        <source>Delayed</source>
        <translation>Retardée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="149" />
        <source>Cancelled</source>
        <translation>Annulée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="150" />
        <source>Returned</source>
        <translation>Retournée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="151" />
        <source>Refunded</source>
        <translation>Remboursée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="152" />
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="153" />
        <source>Authorised</source>
        <translation>Autorisé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="154" />
        <source>Failed</source>
        <translation>Échoué</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="155" />
        <source>Label created</source>
        <translation>Étiquette créée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="156" />
        <source>Picked up</source>
        <translation>Pris en charge</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="157" />
        <source>Problem</source>
        <translation>Incident</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="158" />
        <source>Partly shipped</source>
        <translation>Expédiée en partie</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="159" />
        <source>Partly refunded</source>
        <translation>Remboursée en partie</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="160" />
        <source>Delivery failed</source>
        <translation>Échec de livraison</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="161" />
        <source>Requested</source>
        <translation>Demandé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="162" />
        <source>Open</source>
        <translation>Ouvertes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="163" />
        <source>Received</source>
        <translation>Reçu</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="164" />
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="165" />
        <source>Declined</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="177" />
        <source>Parcel %1</source>
        <translation>Colis %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="180" />
        <source>Parcel %1: %2</source>
        <translation>Colis %1 : %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="183" />
        <location filename="../../agent_desktop/ui/order_pieces.py" line="228" />
        <source>Carrier not given</source>
        <translation>Transporteur non indiqué</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="184" />
        <source>no tracking number yet</source>
        <translation>pas encore de numéro de suivi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="185" />
        <location filename="../../agent_desktop/ui/order_pieces.py" line="227" />
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="190" />
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="191" />
        <source>Copy the tracking number</source>
        <translation>Copier le numéro de suivi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="201" />
        <source>%1 · expected %2</source>
        <translation>%1 · prévue le %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="222" />
        <source>Return (%1): %2</source>
        <translation>Retour (%1) : %2</translation>
    </message>
</context>
<context>
    <name>OrderStatusAction</name>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="96" />
        <source>The customer's last message is more than 24 hours old: sends the update as a utility message from the Page's approved template, with this order's values.</source>
        <translation>Le dernier message du client date de plus de 24 heures : la mise à jour part en message utilitaire, d’après le modèle approuvé de la Page, avec les valeurs de cette commande.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="101" />
        <source>Sends the carrier, the tracking link and the expected delivery date to the customer on Messenger.</source>
        <translation>Envoie au client sur Messenger le transporteur, le lien de suivi et la date de livraison prévue.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="104" />
        <source>Sends the receipt (items, totals) to the customer on Messenger.</source>
        <translation>Envoie au client sur Messenger le reçu de la commande (articles, totaux).</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="115" />
        <source>Sending…</source>
        <translation>Envoi…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/order_pieces.py" line="115" />
        <source>Send order status</source>
        <translation>Envoyer l’état de la commande</translation>
    </message>
</context>
<context>
    <name>PurchaseHistory</name>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="91" />
        <source>Select a conversation to see the customer's orders.</source>
        <translation>Sélectionnez une conversation pour voir les commandes du client.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="125" />
        <source>Orders (%1)</source>
        <translation>Commandes (%1)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="128" />
        <source>No orders yet.</source>
        <translation>Aucune commande pour l’instant.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="177" />
        <source>No contact details</source>
        <translation>Aucune coordonnée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="181" />
        <source>Customer since</source>
        <translation>Client depuis</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="182" />
        <source>Orders</source>
        <translation>Commandes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="183" />
        <source>Lifetime value</source>
        <translation>Valeur totale</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="185" />
        <source>Order updates</source>
        <translation>Suivi de commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="186" />
        <source>Consented</source>
        <translation>Accepté</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="186" />
        <source>No consent</source>
        <translation>Refusé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="195" />
        <source>&amp;Find in the shop…</source>
        <translation>&amp;Trouver dans la boutique…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="199" />
        <source>Link this conversation to the customer's record in the shop.</source>
        <translation>Associer cette conversation à la fiche du client dans la boutique.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="237" />
        <source>Order %1</source>
        <translation>Commande %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="258" />
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="274" />
        <source>Subtotal</source>
        <translation>Sous-total</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="277" />
        <source>Discount (%1)</source>
        <translation>Remise (%1)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="277" />
        <source>Discount</source>
        <translation>Remise</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="280" />
        <source>Shipping</source>
        <translation>Livraison</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="281" />
        <source>Tax</source>
        <translation>TVA</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="282" />
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="285" />
        <source>Refunded so far</source>
        <translation>Déjà remboursé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="295" />
        <source>Payment: %1 (%2)</source>
        <translation>Paiement : %1 (%2)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="308" />
        <source>Ship to: %1</source>
        <translation>Livrer à : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="384" />
        <source>Added to the conversation at %1.</source>
        <translation>Ajouté à la conversation à %1.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/purchase_history.py" line="394" />
        <source>Not sent: %1</source>
        <translation>Non envoyé : %1</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="100" />
        <source>Waiting</source>
        <translation>Attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="101" />
        <source>Customer</source>
        <translation>Client</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="102" />
        <source>Assignee</source>
        <translation>Attribuée à</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="103" />
        <source>Reply window</source>
        <translation>Fenêtre de réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="157" />
        <source>Waiting since %1</source>
        <translation>En attente depuis %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="185" />
        <source>Unassigned</source>
        <translation>Non attribuée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="192" />
        <source> until %1</source>
        <translation> jusqu'à %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="197" />
        <source>Open (24 h)</source>
        <translation>Ouverte (24 h)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="199" />
        <source>Human agent only</source>
        <translation>Agent humain seulement</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="201" />
        <source>Closed</source>
        <translation>Fermée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/models.py" line="202" />
        <source>No limit</source>
        <translation>Sans limite</translation>
    </message>
</context>
<context>
    <name>QuickReplyPopup</name>
    <message>
        <location filename="../../agent_desktop/ui/quick_replies.py" line="193" />
        <source>Search quick replies by shortcut or words</source>
        <translation>Chercher une réponse rapide par raccourci ou par mots</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/quick_replies.py" line="204" />
        <source>No quick reply matches.</source>
        <translation>Aucune réponse rapide ne correspond.</translation>
    </message>
</context>
<context>
    <name>RenameDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="195" />
        <source>Rename</source>
        <translation>Renommer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="199" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="207" />
        <source>Enter a name.</source>
        <translation>Saisissez un nom.</translation>
    </message>
</context>
<context>
    <name>ResetDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="263" />
        <source>Reset %1</source>
        <translation>Réinitialiser %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="264" />
        <source>Reset</source>
        <translation>Réinitialiser</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/dialogs.py" line="269" />
        <source>%1's password stops working and they are signed out everywhere. You get a new one-time code to give them; with it they choose a new password.</source>
        <translation>Le mot de passe de %1 cesse de fonctionner et il est déconnecté partout. Vous obtenez un nouveau code à usage unique à lui transmettre ; avec ce code, il choisit un nouveau mot de passe.</translation>
    </message>
</context>
<context>
    <name>SelectionController</name>
    <message>
        <location filename="../../agent_desktop/ui/selection.py" line="150" />
        <source>Loading the purchase history…</source>
        <translation>Chargement de l’historique d’achats…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/selection.py" line="171" />
        <source>Select a conversation to see the customer's orders.</source>
        <translation>Sélectionnez une conversation pour voir les commandes du client.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/selection.py" line="257" />
        <source>The purchase history could not be loaded: %1</source>
        <translation>L’historique d’achats n’a pas pu être chargé : %1</translation>
    </message>
</context>
<context>
    <name>SendController</name>
    <message>
        <location filename="../../agent_desktop/ui/send_controller.py" line="140" />
        <source>This message was already sent again; the new copy is further down.</source>
        <translation>Ce message a déjà été renvoyé ; la nouvelle copie se trouve plus bas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/send_controller.py" line="204" />
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../agent_desktop/ui/session.py" line="107" />
        <source>This backend does not take invitation codes.</source>
        <translation>Ce serveur n’accepte pas les codes d’invitation.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/session.py" line="175" />
        <source>Agent Desktop keeps trying in the background.</source>
        <translation>Agent Desktop continue d’essayer en arrière-plan.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/session.py" line="211" />
        <source>⚠ Not encrypted: messages to %1 travel readable on the network</source>
        <translation>⚠ Non chiffré : les messages vers %1 circulent lisibles sur le réseau</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/session.py" line="216" />
        <source>Plain http:// was allowed with --insecure. Use https:// instead.</source>
        <translation>Le http:// non chiffré a été autorisé par --insecure. Utilisez https:// à la place.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/session.py" line="256" />
        <source>You are not signed in.</source>
        <translation>Vous n’êtes pas connecté.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/session.py" line="305" />
        <source>You signed out.</source>
        <translation>Vous vous êtes déconnecté.</translation>
    </message>
</context>
<context>
    <name>SessionEnd</name>
    <message>
        <location filename="../../agent_desktop/store/session_end.py" line="25" />
        <source>Your session has expired. Sign in again: your drafts and unsent replies are kept.</source>
        <translation>Votre session a expiré. Reconnectez-vous : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/session_end.py" line="30" />
        <source>A team lead has deactivated your account, so you were signed out. Your drafts and unsent replies are kept on this computer.</source>
        <translation>Un responsable d’équipe a désactivé votre compte : vous avez été déconnecté. Vos brouillons et vos réponses non envoyées restent sur cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/session_end.py" line="36" />
        <source>A team lead has reset your password, so you were signed out. Sign in with the new invitation code they give you: your drafts and unsent replies are kept.</source>
        <translation>Un responsable d’équipe a réinitialisé votre mot de passe : vous avez été déconnecté. Connectez-vous avec le nouveau code d’invitation qu’il vous donne : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/session_end.py" line="42" />
        <source>Your password was changed on another computer. Sign in again with the new password: your drafts and unsent replies are kept.</source>
        <translation>Votre mot de passe a été changé sur un autre ordinateur. Reconnectez-vous avec le nouveau mot de passe : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/session_end.py" line="48" />
        <source>The server was restored from a backup. Sign in again: your drafts and unsent replies are kept.</source>
        <translation>Le serveur a été restauré à partir d’une sauvegarde. Reconnectez-vous : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/session_end.py" line="53" />
        <source>Your session has ended. Sign in again: your drafts and unsent replies are kept.</source>
        <translation>Votre session a pris fin. Reconnectez-vous : vos brouillons et vos réponses non envoyées sont conservés.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="266" />
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="269" />
        <source>System language</source>
        <translation>Langue du système</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="273" />
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="274" />
        <source>Enter sends (Shift+Enter for a new line)</source>
        <translation>Entrée envoie (Maj+Entrée pour un saut de ligne)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="277" />
        <source>Play a sound with notifications</source>
        <translation>Jouer un son avec les notifications</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="281" />
        <source>A new language applies the next time Agent Desktop starts.</source>
        <translation>La nouvelle langue s’applique au prochain démarrage d’Agent Desktop.</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="33" />
        <source>&amp;Account</source>
        <translation>&amp;Compte</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="34" />
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="37" />
        <source>Quick replies…</source>
        <translation>Réponses rapides…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="40" />
        <source>Change password…</source>
        <translation>Changer le mot de passe…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="46" />
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="50" />
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="54" />
        <source>&amp;Help</source>
        <translation>&amp;Aide</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/shortcuts.py" line="55" />
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="192" />
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="196" />
        <source>From the list to a sent answer: %1 opens the highlighted conversation, %2 inserts the suggested reply, %3 sends it.</source>
        <translation>De la liste à la réponse envoyée : %1 ouvre la conversation en surbrillance, %2 insère la réponse suggérée, %3 l'envoie.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="209" />
        <location filename="../../agent_desktop/ui/dialogs.py" line="218" />
        <source>Send (in the composer)</source>
        <translation>Envoyer (dans la zone de saisie)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="210" />
        <location filename="../../agent_desktop/ui/dialogs.py" line="219" />
        <source>New line</source>
        <translation>Aller à la ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="213" />
        <location filename="../../agent_desktop/ui/dialogs.py" line="222" />
        <source>Send and go to the next conversation waiting for you</source>
        <translation>Envoyer et passer à la prochaine conversation qui vous attend</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="226" />
        <source>In the list: open the highlighted conversation and reply</source>
        <translation>Dans la liste : ouvrir la conversation en surbrillance et y répondre</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="227" />
        <source>Insert the suggested reply</source>
        <translation>Insérer la réponse suggérée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="229" />
        <source>Back to the conversation list</source>
        <translation>Retour à la liste des conversations</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="232" />
        <source>Previous / next conversation</source>
        <translation>Conversation précédente / suivante</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="234" />
        <source>Mine / Unassigned / All</source>
        <translation>Les miennes / Non assignées / Toutes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="235" />
        <source>Quick replies</source>
        <translation>Réponses rapides</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="236" />
        <source>Switch between reply and internal note</source>
        <translation>Basculer entre réponse et note interne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="237" />
        <source>Resolve and go to the next conversation</source>
        <translation>Résoudre et passer à la conversation suivante</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="238" />
        <source>Search conversations</source>
        <translation>Chercher dans les conversations</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="239" />
        <source>This list</source>
        <translation>Cette liste</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="251" />
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="46" />
        <source>Sign in to Agent Desktop</source>
        <translation>Connexion à Agent Desktop</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="49" />
        <source>Sign in with your support account.</source>
        <translation>Connectez-vous avec votre compte du support.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="61" />
        <source>Remember me on this computer</source>
        <translation>Se souvenir de moi sur cet ordinateur</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="64" />
        <source>I have an invitation code</source>
        <translation>J’ai un code d’invitation</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="73" />
        <location filename="../../agent_desktop/ui/dialogs.py" line="109" />
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="74" />
        <source>Backend address</source>
        <translation>Adresse du serveur</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="75" />
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="77" />
        <source>Invitation code</source>
        <translation>Code d’invitation</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="79" />
        <source>Repeat the password</source>
        <translation>Répétez le mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="95" />
        <location filename="../../agent_desktop/ui/dialogs.py" line="137" />
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="97" />
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="109" />
        <source>New password</source>
        <translation>Nouveau mot de passe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="111" />
        <source>At least %1 characters</source>
        <translation>Au moins %1 caractères</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="125" />
        <source>No keyring: you will have to sign in again next time.</source>
        <translation>Pas de trousseau : vous devrez vous reconnecter la prochaine fois.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="133" />
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="135" />
        <source>Set password and sign in</source>
        <translation>Choisir le mot de passe et se connecter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="158" />
        <source>Enter the backend address, your email, the invitation code and the password you choose.</source>
        <translation>Saisissez l’adresse du serveur, votre e-mail, le code d’invitation et le mot de passe que vous choisissez.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="165" />
        <source>A password needs at least %1 characters.</source>
        <translation>Un mot de passe doit compter au moins %1 caractères.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="171" />
        <source>The two passwords differ: type them again.</source>
        <translation>Les deux mots de passe diffèrent : saisissez-les à nouveau.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dialogs.py" line="179" />
        <source>Enter the backend address, your email and your password.</source>
        <translation>Saisissez l’adresse du serveur, votre e-mail et votre mot de passe.</translation>
    </message>
</context>
<context>
    <name>StateDb</name>
    <message>
        <location filename="../../agent_desktop/store/state_db.py" line="79" />
        <source>The local database is locked by another program (is Agent Desktop open twice?); unsent messages could not be read.</source>
        <translation>La base de données locale est verrouillée par un autre programme (Agent Desktop est-il ouvert deux fois ?) ; les messages non envoyés n’ont pas pu être lus.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/state_db.py" line="84" />
        <source>The local database could not be read.</source>
        <translation>La base de données locale n’a pas pu être lue.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/state_db.py" line="86" />
        <source>The disk is full: your message could not be saved. Free some space and try again.</source>
        <translation>Le disque est plein : votre message n’a pas pu être enregistré. Libérez de l’espace et réessayez.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/state_db.py" line="91" />
        <source>The local database is locked by another program (is Agent Desktop open twice?); your message was not saved.</source>
        <translation>La base de données locale est verrouillée par un autre programme (Agent Desktop est-il ouvert deux fois ?) ; votre message n’a pas été enregistré.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/state_db.py" line="97" />
        <source>The local database is read-only; your message could not be saved.</source>
        <translation>La base de données locale est en lecture seule ; votre message n’a pas pu être enregistré.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/state_db.py" line="100" />
        <source>The local database failed; your message could not be saved.</source>
        <translation>La base de données locale a échoué ; votre message n’a pas pu être enregistré.</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="59" />
        <source>, 1 message waiting to be sent</source>
        <translation>, 1 message en attente d’envoi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="61" />
        <source>, %1 messages waiting to be sent</source>
        <translation>, %1 messages en attente d’envoi</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="66" />
        <source>● Live</source>
        <translation>● En direct</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="68" />
        <source>Signed out</source>
        <translation>Déconnecté</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="71" />
        <source>Offline: reconnecting in %1 s</source>
        <translation>Hors ligne : reconnexion dans %1 s</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="73" />
        <location filename="../../agent_desktop/ui/status_bar.py" line="104" />
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="74" />
        <source>Connecting…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="102" />
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="103" />
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="109" />
        <source>Click to switch between online and away</source>
        <translation>Cliquez pour passer de « en ligne » à « absent »</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="111" />
        <source>Not connected: your presence comes back when the connection does</source>
        <translation>Hors connexion : votre présence revient avec la connexion</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="175" />
        <source>Today: 1 reply</source>
        <translation>Aujourd’hui : 1 réponse</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="177" />
        <source>Today: %1 replies</source>
        <translation>Aujourd’hui : %1 réponses</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="180" />
        <source>median %1</source>
        <translation>médiane %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/status_bar.py" line="184" />
        <source>%1 within target</source>
        <translation>%1 dans la cible</translation>
    </message>
</context>
<context>
    <name>SuggestionBanner</name>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="50" />
        <source>This may be %1 from the shop.</source>
        <translation>Il s'agit peut-être de %1, client de la boutique.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="65" />
        <source>&amp;Link to this customer</source>
        <translation>&amp;Associer à ce client</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="68" />
        <source>&amp;Not them</source>
        <translation>&amp;Ce n'est pas lui</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="84" />
        <source>The customer mentioned order %1, placed by %2: the same name.</source>
        <translation>Le client a cité la commande %1, passée par %2 : le même nom.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="86" />
        <source>The customer wrote the e-mail address %1, which is %2's in the shop.</source>
        <translation>Le client a écrit l'adresse e-mail %1, celle de %2 dans la boutique.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/customer_link.py" line="88" />
        <source>The customer wrote the phone number %1, which is %2's in the shop.</source>
        <translation>Le client a écrit le numéro de téléphone %1, celui de %2 dans la boutique.</translation>
    </message>
</context>
<context>
    <name>SuggestionBar</name>
    <message>
        <location filename="../../agent_desktop/ui/suggestion_bar.py" line="56" />
        <source>Hide this suggestion</source>
        <translation>Masquer cette suggestion</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/suggestion_bar.py" line="69" />
        <source>Suggested reply · %1 · %2 to insert</source>
        <translation>Réponse suggérée · %1 · %2 pour l'insérer</translation>
    </message>
</context>
<context>
    <name>Sync</name>
    <message>
        <location filename="../../agent_desktop/store/sync.py" line="162" />
        <source>Not every conversation is loaded yet: %1 Agent Desktop keeps trying.</source>
        <translation>Toutes les conversations ne sont pas encore chargées : %1 Agent Desktop continue d’essayer.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/store/sync.py" line="178" />
        <source>Not every conversation could be loaded: %1</source>
        <translation>Toutes les conversations n’ont pas pu être chargées : %1</translation>
    </message>
</context>
<context>
    <name>TeamModel</name>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="106" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="107" />
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="108" />
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="109" />
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="110" />
        <source>Last seen</source>
        <translation>Dernière activité</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="123" />
        <source>The invitation code works until %1</source>
        <translation>Le code d’invitation fonctionne jusqu’au %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="142" />
        <source>%1 (you)</source>
        <translation>%1 (vous)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="146" />
        <source>Team lead</source>
        <translation>Responsable d’équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="146" />
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="149" />
        <source>Online</source>
        <translation>En ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="150" />
        <source>Away</source>
        <translation>Absent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="151" />
        <source>Offline</source>
        <translation>Hors ligne</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="152" />
        <source>Invited</source>
        <translation>Invité</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="153" />
        <source>Password reset</source>
        <translation>Mot de passe réinitialisé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="154" />
        <source>Code expired</source>
        <translation>Code expiré</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="155" />
        <source>Deactivated</source>
        <translation>Désactivé</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="161" />
        <source>Now</source>
        <translation>Maintenant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="163" />
        <source>Never</source>
        <translation>Jamais</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="167" />
        <source>Just now</source>
        <translation>À l’instant</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="169" />
        <source>%1 min ago</source>
        <translation>il y a %1 min</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/model.py" line="171" />
        <source>%1 h ago</source>
        <translation>il y a %1 h</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <location filename="../../agent_desktop/ui/accounts.py" line="67" />
        <location filename="../../agent_desktop/ui/team/page.py" line="66" />
        <source>Team</source>
        <translation>Équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="73" />
        <source>Add a member…</source>
        <translation>Ajouter un membre…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="80" />
        <source>Members sign in with their email and password. A new member first signs in with the one-time code you give them and chooses their password.</source>
        <translation>Les membres se connectent avec leur e-mail et leur mot de passe. Un nouveau membre se connecte d’abord avec le code à usage unique que vous lui donnez et choisit son mot de passe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="110" />
        <source>Rename…</source>
        <translation>Renommer…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="113" />
        <location filename="../../agent_desktop/ui/team/page.py" line="220" />
        <source>Make team lead</source>
        <translation>Nommer responsable</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="116" />
        <location filename="../../agent_desktop/ui/team/page.py" line="226" />
        <source>Deactivate…</source>
        <translation>Désactiver…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="119" />
        <source>Reset password…</source>
        <translation>Réinitialiser le mot de passe…</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="218" />
        <source>Make agent</source>
        <translation>Repasser agent</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="224" />
        <source>Activate</source>
        <translation>Réactiver</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="297" />
        <source>%1 was added; give them their code.</source>
        <translation>%1 a été ajouté ; donnez-lui son code.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="326" />
        <source>Renamed %1.</source>
        <translation>%1 a été renommé.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="341" />
        <source>%1 is now a team lead.</source>
        <translation>%1 est maintenant responsable d’équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="343" />
        <source>%1 is now an agent.</source>
        <translation>%1 est maintenant agent.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="380" />
        <source>%1 was deactivated and signed out.</source>
        <translation>%1 a été désactivé et déconnecté.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="390" />
        <source>%1 can sign in again.</source>
        <translation>%1 peut de nouveau se connecter.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/team/page.py" line="410" />
        <source>%1's password was reset; give them their new code.</source>
        <translation>Le mot de passe de %1 a été réinitialisé ; donnez-lui son nouveau code.</translation>
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
<context>
    <name>TemplateDelegate</name>
    <message>
        <location filename="../../agent_desktop/ui/quick_replies.py" line="157" />
        <source>team</source>
        <translation>équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/quick_replies.py" line="157" />
        <source>personal</source>
        <translation>personnel</translation>
    </message>
</context>
<context>
    <name>TemplateEditor</name>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="63" />
        <source>Quick replies</source>
        <translation>Réponses rapides</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="76" />
        <source>New template</source>
        <translation>Nouveau modèle</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="91" />
        <source>Personal</source>
        <translation>Personnel</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="92" />
        <source>Team</source>
        <translation>Équipe</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="97" />
        <source>No question (not suggested)</source>
        <translation>Aucune question (jamais suggérée)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="102" />
        <source>The composer suggests this team template, filled in, when a customer asks this.</source>
        <translation>Quand un client pose cette question, ce modèle d'équipe lui est proposé en réponse, déjà rempli.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="108" />
        <source>Shortcut</source>
        <translation>Raccourci</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="109" />
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="110" />
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="111" />
        <source>Shared with</source>
        <translation>Partagé avec</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="112" />
        <source>Suggested for</source>
        <translation>Réponse suggérée pour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="113" />
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="116" />
        <source>Variables: %1</source>
        <translation>Variables : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="124" />
        <source>Preview with the open conversation</source>
        <translation>Aperçu avec la conversation ouverte</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="138" />
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="142" />
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="146" />
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="186" />
        <source>Only a team lead can change team templates.</source>
        <translation>Seul un responsable d’équipe peut modifier les modèles d’équipe.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="217" />
        <source>Not filled in for this conversation: %1</source>
        <translation>Non rempli pour cette conversation : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="226" />
        <source>This order's expected delivery date has passed: {{order.eta}} is left empty, and a customer asking is offered the late-delivery answer instead.</source>
        <translation>La date de livraison prévue de cette commande est passée : {{order.eta}} reste vide, et c'est la réponse « Livraison en retard » qui est suggérée au client qui s'en inquiète.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="235" />
        <source>%1 is not a variable: use one of the list above.</source>
        <translation>%1 n'est pas une variable : choisissez-en une dans la liste ci-dessus.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="237" />
        <source>%1 and %2 other variables do not exist: use the list above.</source>
        <translation>%1 et %2 autres variables n'existent pas : choisissez dans la liste ci-dessus.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="253" />
        <source>A template needs a shortcut, a title and a text.</source>
        <translation>Un modèle a besoin d’un raccourci, d’un titre et d’un texte.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/template_editor.py" line="257" />
        <source>Not saved.</source>
        <translation>Rien n'a été enregistré.</translation>
    </message>
</context>
<context>
    <name>TemplatesModel</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="81" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="82" />
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="83" />
        <source>Used for</source>
        <translation>Utilisé pour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="84" />
        <source>Source</source>
        <translation>Origine</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="85" />
        <source>Status</source>
        <translation>État</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="105" />
        <source>Meta's reason: %1</source>
        <translation>Motif donné par Meta : %1</translation>
    </message>
</context>
<context>
    <name>ThreadDelegate</name>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="43" />
        <source>Ad window</source>
        <translation>Fenêtre publicitaire</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="44" />
        <source>24 h window</source>
        <translation>Fenêtre 24 h</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="47" />
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="50" />
        <source>Window closed</source>
        <translation>Fenêtre fermée</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="48" />
        <source>Human agent tag</source>
        <translation>Balise agent humain</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="56" />
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="57" />
        <source>Resolved</source>
        <translation>Résolue</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="58" />
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="142" />
        <source>Note: %1</source>
        <translation>Note : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="144" />
        <source>You: %1</source>
        <translation>Vous : %1</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_delegate.py" line="173" />
        <source>Unassigned</source>
        <translation>Non attribuée</translation>
    </message>
</context>
<context>
    <name>ThreadListPane</name>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="146" />
        <source>Search (Ctrl+F)</source>
        <translation>Rechercher (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="147" />
        <source>Search by customer name, order number or message text</source>
        <translation>Chercher par nom du client, numéro de commande ou texte du message</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="159" />
        <source>Mine</source>
        <translation>Les miennes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="160" />
        <source>Unassigned</source>
        <translation>Non attribuées</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="161" />
        <source>All</source>
        <translation>Toutes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="176" />
        <source>Open</source>
        <translation>Ouvertes</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="177" />
        <source>Pending</source>
        <translation>En attente</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="178" />
        <source>Resolved</source>
        <translation>Résolues</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="179" />
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/thread_list.py" line="199" />
        <source>No conversation matches these filters.</source>
        <translation>Aucune conversation ne correspond à ces filtres.</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../agent_desktop/ui/desktop.py" line="139" />
        <source>Show Agent Desktop</source>
        <translation>Afficher Agent Desktop</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/desktop.py" line="140" />
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/desktop.py" line="145" />
        <location filename="../../agent_desktop/ui/desktop.py" line="174" />
        <source>Agent Desktop</source>
        <translation>Agent Desktop</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/desktop.py" line="151" />
        <source>Open</source>
        <translation>Ouvrir</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/desktop.py" line="172" />
        <source>Agent Desktop: %1 unread</source>
        <translation>Agent Desktop : %1 non lus</translation>
    </message>
</context>
<context>
    <name>WriteTemplateDialog</name>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="639" />
        <source>Write a utility template</source>
        <translation>Écrire un modèle utilitaire</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="646" />
        <source>Write the update itself, in words; the order's values are filled in when it is sent. Meta approves a utility template within seconds; it refuses one that starts or ends with a value, or that advertises.</source>
        <translation>Rédigez le message lui-même ; les valeurs de la commande sont remplies à l’envoi. Meta approuve un modèle utilitaire en quelques secondes ; il refuse un modèle qui commence ou finit par une valeur, ou qui fait de la publicité.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="658" />
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="661" />
        <source>Used for</source>
        <translation>Utilisé pour</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="664" />
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="730" />
        <source>French</source>
        <translation>Français</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="664" />
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="730" />
        <source>English</source>
        <translation>Anglais</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="670" />
        <source>Insert an order value</source>
        <translation>Insérer une valeur de la commande</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="704" />
        <source>Submit to Meta</source>
        <translation>Soumettre à Meta</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="723" />
        <source>A template name has lowercase letters, digits and underscores only.</source>
        <translation>Un nom de modèle ne contient que des minuscules, des chiffres et des tirets bas.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="726" />
        <source>Write the template in French, in English, or both.</source>
        <translation>Écrivez le modèle en français, en anglais, ou dans les deux langues.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="734" />
        <source>%1: {%2} is not an order value; use the menu to insert one.</source>
        <translation>%1 : {%2} n’est pas une valeur de la commande ; insérez-en une avec le menu.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="740" />
        <source>%1: a utility message must name the order: include {order_number}.</source>
        <translation>%1 : un message utilitaire doit nommer la commande : ajoutez {order_number}.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="744" />
        <source>%1: Meta refuses a template that starts or ends with an order value; add words before the first and after the last.</source>
        <translation>%1 : Meta refuse un modèle qui commence ou finit par une valeur ; ajoutez des mots avant la première et après la dernière.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="748" />
        <source>%1: the text is longer than 1,024 characters.</source>
        <translation>%1 : le texte dépasse 1 024 caractères.</translation>
    </message>
    <message>
        <location filename="../../agent_desktop/ui/dashboard/messenger_templates.py" line="781" />
        <source>%1 submitted to Meta in %2 language(s); its status updates here.</source>
        <translation>%1 soumis à Meta dans %2 langue(s) ; son état s’affiche ici.</translation>
    </message>
</context>
</TS>
