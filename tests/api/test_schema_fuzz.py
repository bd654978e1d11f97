"""schemathesis over the whole OpenAPI document, in-process through the WSGI app.

Every documented operation, with generated parameters (and the documented
examples, which name real things in the Antwerp demo and its news): no
server error, every status code, content type and body as documented.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.api.news import News
from watwerkt.api.openapi import document

# The document as the code builds it (a test checks it is the one served and
# the one in docs/), called through Django's WSGI application. The writes have
# their own run, with a token (test_writes_fuzz.py).
schema = schemathesis.openapi.from_dict(document()).exclude(tag="writes")
schema.app = get_wsgi_application()


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Django closes "old" connections around each request; inside a test's
    transaction that would close the test's own connection, so (as Django's
    test client does) leave it open while the WSGI app is called directly."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Few random examples: the reads take only ids and a handful of query parameters,
# which the examples and coverage phases already try at their edges; random
# ones beyond five found nothing more and cost seconds on every run.
FUZZ = settings(
    max_examples=5,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    deadline=None,
)


@schema.parametrize()
@FUZZ
def test_the_api_answers_as_its_document_says(
    case: Any, demo_news: News, keep_connection: None
) -> None:
    case.call_and_validate()
