"""Search: find a service from what a person types or says (see docs/search.md)."""
