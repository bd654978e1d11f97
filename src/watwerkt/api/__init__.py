"""The machine outputs: a Statuspage-compatible API per organisation and the native API.

``/<organisation>/api/v2/*.json`` speaks Atlassian Statuspage's public v2
dialect so that existing aggregators read watwerkt unchanged;
``/api/v1/`` is watwerkt's own read API, described by an OpenAPI 3
document. Both read the public read model (:mod:`watwerkt.readmodel.snapshot`)
and nothing else of the catalogue, so they cannot show what the public
pages do not. See docs/api.md.
"""
