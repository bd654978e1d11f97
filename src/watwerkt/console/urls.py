"""Every console URL, each with the access it needs (see :mod:`watwerkt.console.routing`).

The console lives outside ``i18n_patterns``: it is one Dutch interface for
the people who keep the overview true, and its URLs are shared between
colleagues as they are, without a language prefix.

Adding a page: ``console_path("<slug:org>/systemen/", systems.index, "view",
name="systems", menu=gettext_lazy("Systemen"), position=20)``. The permission
walk (tests/console/test_permission_walk.py) then checks it for every persona.
"""

from django.utils.translation import gettext_lazy as _

from . import audit, login, views
from .routing import console_path

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
]  # fmt: skip
