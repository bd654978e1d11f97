"""schemathesis over the write operations, with an editor's API token, against the demo.

The same run as ``test_schema_fuzz.py`` (in-process, every check), but for
the operations tagged ``writes`` and authenticated. Two answers are expected
of data the schema allows besides 2xx/401/403/404/409/429: 412 (a generated
If-Match names another revision) and 422 (values the schema cannot judge:
an expected return before ``since``, a qualifier that needs a text).
Everything else is schemathesis' default: no server error, answers as
documented, schema-invalid bodies refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application

from tests.api.news import News
from tests.api.test_schema_fuzz import FUZZ, keep_connection  # noqa: F401  (a fixture)
from watwerkt.accounts import tokens
from watwerkt.accounts.roles import Role
from watwerkt.api.openapi import document
from watwerkt.catalogue.models import Organisation
from watwerkt.status.writing import Actor

POSITIVE = ["2xx", "401", "403", "404", "409", "412", "422", "429"]
NEGATIVE = ["400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "429"]
config = schemathesis.Config.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": POSITIVE},
            "negative_data_rejection": {"expected-statuses": NEGATIVE},
        }
    }
)
schema = schemathesis.openapi.from_dict(document(), config=config).include(tag="writes")
schema.app = get_wsgi_application()


@pytest.fixture
def bearer(demo: Organisation) -> Iterator[dict[str, str]]:
    _, raw = tokens.create(demo, "fuzz", Role.EDITOR, Actor("test", "cli"))
    cache.clear()  # the failed-token counter: generated wrong tokens must not lock us out
    yield {"Authorization": f"Bearer {raw}"}
    cache.clear()


@schema.parametrize()
@FUZZ
def test_the_writes_answer_as_the_document_says(
    case: Any,
    demo_news: News,
    bearer: dict[str, str],
    keep_connection: None,  # noqa: F811
) -> None:
    case.call_and_validate(headers=bearer)
