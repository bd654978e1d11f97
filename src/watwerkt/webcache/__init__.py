"""Public pages kept per catalogue revision, served before Django's middleware runs.

The public read path has to hold when everyone looks at once, so a page is
rendered once per catalogue revision, language and variant, compressed once,
and then answered by :class:`~watwerkt.webcache.fastpath.FastPath`, a WSGI
wrapper around Django, in a few microseconds:

- :mod:`.ticket` — what a public view (through
  :class:`~watwerkt.public.pages.PublicPage`) tells the cache about a response;
- :mod:`.keys` — which requests share a stored page;
- :mod:`.page` — a stored response: its bytes, gzip once, 304 and encoding;
- :mod:`.answers` — the answer each exact request got, for its repeats;
- :mod:`.lru` — the in-process store, bounded in bytes;
- :mod:`.clock` — the current revision, read from the database at most every
  ``WATWERKT_REVISION_CHECK_MS``;
- :mod:`.shared` — pages shared by every instance through Django's cache
  (Redis), with one render per page across instances;
- :mod:`.flight` — one render per page in a process, the others wait for it.

``docs/performance.md`` tells the design and the measurements.
"""
