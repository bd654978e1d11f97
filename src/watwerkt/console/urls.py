"""Every console URL, each with the access it needs (see :mod:`watwerkt.console.routing`).

The console lives outside ``i18n_patterns``: it is one Dutch interface for
the people who keep the overview true, and its URLs are shared between
colleagues as they are, without a language prefix.

Adding a page: ``console_path("<slug:org>/systemen/", systems.index, "view",
name="systems", menu=gettext_lazy("Systemen"), position=20)``. The permission
walk (tests/console/test_permission_walk.py) then checks it for every persona.
"""

from django.utils.translation import gettext_lazy as _

from . import views
from .access import audit, login, tokens
from .board import contact
from .board import service as board_service
from .board import views as board
from .incidents import maintenance
from .incidents import notices as incident_notices
from .incidents import updates as incident_updates
from .incidents import views as incidents
from .routing import console_path
from .systems import change as systems_change
from .systems import views as systems

app_name = "console"
urlpatterns = [
    console_path("", views.home, "signed_in", name="home"),
    console_path("inloggen/", login.login, "public", name="login"),
    console_path("inloggen/code/", login.code, "public", name="code"),
    console_path("inloggen/app-instellen/", login.enrol, "public", name="enrol"),
    console_path("uitloggen/", login.logout, "public", name="logout"),
    console_path("wachtwoord/", login.password, "signed_in", name="password"),
    console_path("<slug:org>/", views.organisation, "view", name="organisation",
                 menu=_("Overzicht"), position=0),
    console_path("<slug:org>/audit/", audit.trail, "admin", name="audit",
                 menu=_("Audit"), position=90),
    console_path("<slug:org>/audit.csv", audit.export_csv, "admin", name="audit-csv"),
    console_path("<slug:org>/audit.json", audit.export_json, "admin", name="audit-json"),
    console_path("<slug:org>/api-sleutels/", tokens.index, "admin", name="tokens",
                 menu=_("API-sleutels"), position=85),
    console_path("<slug:org>/diensten/", board.board, "view", name="board",
                 menu=_("Diensten"), position=10),
    console_path("<slug:org>/diensten/<slug:service>/", board_service.service_page, "view",
                 name="service"),
    console_path("<slug:org>/diensten/<slug:service>/status/", board_service.quick_edit, "edit",
                 name="service-status"),
    console_path("<slug:org>/diensten/<slug:service>/hulp/", board_service.help_page, "edit",
                 name="service-help"),
    console_path("<slug:org>/bulkwijziging/", board.bulk, "edit", name="bulk"),
    console_path("<slug:org>/systemen/", systems.index, "view", name="systems",
                 menu=_("Systemen"), position=20),
    console_path("<slug:org>/systemen/<slug:owner>/<slug:system>/", systems.detail, "view",
                 name="system"),
    console_path("<slug:org>/systemen/<slug:owner>/<slug:system>/toestand/",
                 systems_change.change, "edit", name="system-state"),
    console_path("<slug:org>/systemen/<slug:owner>/<slug:system>/herstelplan/",
                 systems.recovery, "edit", name="system-recovery"),
    console_path("<slug:org>/herstelvolgorde/", systems.order, "view", name="restoration",
                 menu=_("Herstelvolgorde"), position=25),
    console_path("<slug:org>/contactcenter/", contact.contact, "view", name="contact",
                 menu=_("Contactcenter"), position=30),
    # Incidents, maintenance and notices for everyone (console/incidents.py and neighbours).
    console_path("<slug:org>/incidenten/", incidents.index, "view", name="incidents",
                 menu=_("Incidenten"), position=40),
    console_path("<slug:org>/nieuw-incident/", incidents.create, "edit", name="incident-create"),
    console_path("<slug:org>/incidenten/<slug:incident>/", incidents.detail, "view",
                 name="incident"),
    console_path("<slug:org>/incidenten/<slug:incident>/bewerken/", incidents.edit, "edit",
                 name="incident-edit"),
    console_path("<slug:org>/incidenten/<slug:incident>/teksten/", incidents.sections, "edit",
                 name="incident-sections"),
    console_path("<slug:org>/incidenten/<slug:incident>/fase/", incidents.phase, "edit",
                 name="incident-phase"),
    console_path("<slug:org>/incidenten/<slug:incident>/voorbeeld/", incidents.preview, "view",
                 name="incident-preview"),
    console_path("<slug:org>/incidenten/<slug:incident>/update/", incident_updates.new, "edit",
                 name="incident-update-new"),
    console_path("<slug:org>/incidenten/<slug:incident>/updates/<int:update>/",
                 incident_updates.update, "edit", name="incident-update"),
    console_path("<slug:org>/incidenten/<slug:incident>/updates/<int:update>/publiceren/",
                 incident_updates.publish, "edit", name="incident-update-publish"),
    console_path("<slug:org>/incidenten/<slug:incident>/updates/<int:update>/verwijderen/",
                 incident_updates.discard, "edit", name="incident-update-discard"),
    console_path("<slug:org>/incidenten/<slug:incident>/doelen/", incident_updates.add_target,
                 "edit", name="incident-targets"),
    console_path("<slug:org>/incidenten/<slug:incident>/doelen/<int:target>/",
                 incident_updates.target, "edit", name="incident-target"),
    console_path("<slug:org>/incidenten/<slug:incident>/doelen/<int:target>/bereikt/",
                 incident_updates.reach, "edit", name="incident-target-reach"),
    console_path("<slug:org>/voor-iedereen/", incident_notices.index, "view", name="notices",
                 menu=_("Voor iedereen"), position=45),
    console_path("<slug:org>/voor-iedereen/instructies/", incident_notices.add_instruction,
                 "edit", name="notice-instruction-add"),
    console_path("<slug:org>/voor-iedereen/instructies/<int:instruction>/",
                 incident_notices.edit_instruction, "edit", name="notice-instruction"),
    console_path("<slug:org>/voor-iedereen/instructies/<int:instruction>/verwijderen/",
                 incident_notices.remove_instruction, "edit", name="notice-instruction-remove"),
    console_path("<slug:org>/voor-iedereen/maatregelen/", incident_notices.add_measure,
                 "edit", name="notice-measure-add"),
    console_path("<slug:org>/voor-iedereen/maatregelen/<int:measure>/",
                 incident_notices.edit_measure, "edit", name="notice-measure"),
    console_path("<slug:org>/voor-iedereen/maatregelen/<int:measure>/verwijderen/",
                 incident_notices.remove_measure, "edit", name="notice-measure-remove"),
    console_path("<slug:org>/onderhoud/", maintenance.index, "view", name="maintenance",
                 menu=_("Onderhoud"), position=42),
    console_path("<slug:org>/nieuw-onderhoud/", maintenance.create, "edit",
                 name="maintenance-create"),
    console_path("<slug:org>/onderhoud/<slug:window>/", maintenance.detail, "view",
                 name="maintenance-window"),
    console_path("<slug:org>/onderhoud/<slug:window>/bewerken/", maintenance.edit, "edit",
                 name="maintenance-edit"),
    console_path("<slug:org>/onderhoud/<slug:window>/aankondigen/", maintenance.publish, "edit",
                 name="maintenance-publish"),
    console_path("<slug:org>/onderhoud/<slug:window>/annuleren/", maintenance.cancel, "edit",
                 name="maintenance-cancel"),
    console_path("<slug:org>/onderhoud/<slug:window>/toestand/", maintenance.state, "edit",
                 name="maintenance-state"),
]  # fmt: skip
