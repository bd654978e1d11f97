"""The revision check: cheap (at most one read per interval) and never stuck."""

from __future__ import annotations

from django.db import connection

from tests.caching.wsgi import Revisions, Ticking
from tests.factories import TEST_ACTOR, Catalogue
from watwerkt.engine import SystemState
from watwerkt.status.revision import revision_state
from watwerkt.status.services import SystemChange, set_system
from watwerkt.webcache.clock import RevisionClock, read_revision


def test_it_reads_the_revision_at_most_once_per_interval(revisions: Revisions) -> None:
    ticking = Ticking()
    clock = RevisionClock(0.5, read=revisions.read, now=ticking)
    seen = {clock.current() for _ in range(100)}
    assert seen == {revisions.state()}
    assert clock.reads == 1
    before = revisions.state()
    revisions.bump()
    ticking.advance(0.49)
    assert clock.current() == before
    ticking.advance(0.01)
    assert clock.current() == revisions.state()
    assert clock.reads == 2


def test_an_interval_of_zero_reads_every_time(revisions: Revisions) -> None:
    clock = RevisionClock(0, read=revisions.read, now=Ticking())
    for _ in range(3):
        clock.current()
    assert clock.reads == 3


def test_when_the_database_fails_the_last_revision_stays_current(revisions: Revisions) -> None:
    ticking = Ticking()
    clock = RevisionClock(0.5, read=revisions.read, now=ticking)
    seen = clock.current()
    revisions.fail = True
    ticking.advance(1)
    assert clock.current() == seen
    revisions.fail = False
    revisions.bump()
    ticking.advance(1)
    assert clock.current() == revisions.state()


def test_before_any_successful_read_there_is_no_current_revision(revisions: Revisions) -> None:
    revisions.fail = True
    assert RevisionClock(0.5, read=revisions.read, now=Ticking()).current() is None


def test_a_newer_revision_seen_by_a_render_is_adopted_at_once(revisions: Revisions) -> None:
    clock = RevisionClock(0.5, read=revisions.read, now=Ticking())
    first = clock.current()
    revisions.bump()
    newer = revisions.state()
    clock.observe(newer)
    assert clock.current() == newer
    assert first is not None
    clock.observe(first)  # an older one (a slow render) does not take us back
    assert clock.current() == newer


def test_it_reads_the_real_revision_row(small: Catalogue) -> None:
    before = read_revision()
    assert before == revision_state()
    set_system(small.systems["register"], SystemChange(SystemState.DOWN), TEST_ACTOR)
    after = read_revision()
    assert after.number == before.number + 1
    assert after.changed_at is not None


def test_the_read_keeps_a_healthy_connection_for_the_next_check(transactional_db: None) -> None:
    """Outside a test transaction, as in a server thread: reopening a connection for
    every check would cost more than the check (SQLite) or churn the server's."""
    connection.close()  # a fresh connection, well within CONN_MAX_AGE on PostgreSQL
    read_revision()
    first = connection.connection
    read_revision()
    assert first is not None
    assert connection.connection is first
