"""watwerkt: what works and what doesn't, when a public body loses its IT."""

__version__ = "0.1.0"
