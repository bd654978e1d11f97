"""Redis configured, then stopped: the site and the API go on without it.

Redis only shares rendered pages between instances; the throttle on wrong API
tokens counts in the database. So with Redis gone, public pages are still
answered, a valid token still writes, and the throttle still holds — shared
by every worker process, and only for the address that earned it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from tests.faults.conftest import API, ORG, Server, Site, fetch, free_port, redis_server, serving

STATUS = f"{API}/services/sporthal/functions/reserveren/channels/website/status"
WRONG = "ww_aaaaaaaaaaaa_" + "b" * 43


@pytest.fixture
def redis() -> Iterator[subprocess.Popen[bytes]]:
    port = free_port()
    command = [redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)
    process.port = port  # type: ignore[attr-defined]
    yield process
    process.kill()
    process.wait()


def put(server: Server, token: str, address: str, level: str = "limited") -> int:
    answer = fetch(
        server.url + STATUS,
        "PUT",
        {"level": level},
        Authorization=f"Bearer {token}",
        X_Forwarded_For=address,
    )
    return answer.status


def test_with_redis_stopped_pages_and_writes_go_on_and_the_throttle_holds(
    site: Site, redis: subprocess.Popen[bytes]
) -> None:
    token = site.token()
    env = {"REDIS_URL": f"redis://127.0.0.1:{redis.port}/0", "WATWERKT_BEHIND_PROXY": "true"}  # type: ignore[attr-defined]
    with serving(site, **env) as server:
        assert server.get(f"/{ORG}/").status == 200  # rendered while Redis is there
        assert put(server, token, "10.0.0.1") == 200
        redis.kill()
        redis.wait()
        for _ in range(6):  # both worker processes
            assert server.get(f"/{ORG}/").status == 200
            assert server.get(f"/{ORG}/sporthal/").status == 200
        levels = ["unavailable", "limited"] * 3
        assert [put(server, token, "10.0.0.1", level) for level in levels] == [200] * 6
        # Twenty wrong tokens from one address, spread over the workers ...
        assert {put(server, WRONG, "10.0.0.66") for _ in range(20)} == {401}
        # ... and every worker now holds that address back, even with a valid token,
        assert [put(server, token, "10.0.0.66") for _ in range(6)] == [429] * 6
        # while a valid token from anywhere else still writes.
        assert put(server, token, "10.0.0.2", "available") == 200
