"""Feeds for people's readers and calendars: Atom and RSS, and iCalendar for maintenance.

- ``/<org>/feeds/status.atom`` (and ``.rss``): service status changes and
  incident updates of an organisation; ``/<org>/feeds/domain/<domain>.atom``
  and ``/<org>/feeds/service/<service>.atom``: the status changes of one
  domain's services, or of one service;
- ``/<org>/history.atom`` and ``.rss``: incident and maintenance history,
  one entry per incident as Statuspage's feeds have it;
- ``/<org>/onderhoud.ics``: the maintenance windows as a calendar.

Feeds are built with Django's syndication framework from the public read
model, in the language of the URL (``/fr/<org>/feeds/status.atom``), and
answered through :class:`~watwerkt.public.pages.PublicPage` like every page.
"""
