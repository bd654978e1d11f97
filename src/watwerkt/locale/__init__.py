"""The gettext catalogues of everything the public reads (docs/languages.md).

``<language>/LC_MESSAGES/django.po`` holds the translations, ``django.mo``
their compiled form (committed, so an install needs no gettext tools).
:mod:`watwerkt.locale.catalogues` extracts, merges, compiles and checks them:
``python -m watwerkt.locale --update`` after changing a string,
``python -m watwerkt.locale --check`` to see what is missing.
"""
