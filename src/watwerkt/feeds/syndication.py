"""Entries as Atom or RSS, through Django's syndication framework.

One :class:`EntriesFeed` serves every feed: it is handed a prepared
:class:`Channel` (title, links, entries) and only lays it out, so what a feed
says is decided in :mod:`.entries` and the framework does the XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from .entries import Entry

KINDS: dict[str, type[SyndicationFeed]] = {"atom": Atom1Feed, "rss": Rss201rev2Feed}


@dataclass(frozen=True)
class Channel:
    title: str
    subtitle: str
    root: str  # the site's absolute root, without a slash: "https://status.example"
    link: str  # absolute: the page the feed is about
    feed_url: str  # absolute: the feed itself
    feed_id: str  # a tag URI naming this feed
    id_base: str  # tag URI prefix for entries, e.g. "tag:status.example,2022:antwerpen/"
    language: str
    author: str
    entries: list[Entry]


class EntriesFeed(Feed):  # type: ignore[type-arg]
    """Lays out one :class:`Channel` in the feed format of ``kind``."""

    def __init__(self, channel: Channel, kind: str) -> None:
        super().__init__()
        self.channel = channel
        self.feed_type = KINDS[kind]
        self.language = channel.language

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Channel:
        return self.channel

    def title(self, obj: Channel) -> str:
        return obj.title

    def subtitle(self, obj: Channel) -> str:
        return obj.subtitle

    def description(self, obj: Channel) -> str:
        return obj.subtitle

    def link(self, obj: Channel) -> str:
        return obj.link

    def feed_url(self, obj: Channel) -> str:
        return obj.feed_url

    def feed_guid(self, obj: Channel) -> str:
        return obj.feed_id

    def author_name(self, obj: Channel) -> str:
        return obj.author

    def items(self, obj: Channel) -> list[Entry]:
        return obj.entries

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        return item.html

    def item_link(self, item: Entry) -> str:
        return self.channel.root + item.link

    def item_guid(self, item: Entry) -> str:
        return self.channel.id_base + item.key

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry) -> datetime:
        return item.published

    def item_updateddate(self, item: Entry) -> datetime:
        return item.updated
