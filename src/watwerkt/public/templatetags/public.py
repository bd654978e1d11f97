"""Template tags of the public site."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from watwerkt.public.fragments import lines_html
from watwerkt.public.present import Line

register = template.Library()


@register.simple_tag
def service_lines(lines: Iterable[Line]) -> SafeString:
    """The ``<li>`` of every line in a group (see :mod:`watwerkt.public.fragments`)."""
    return lines_html(lines)
