"""Concurrent submissions and approvals on PostgreSQL: threads, each with its own app
context (so its own session and connection), released together by a barrier, each
pausing between what it read and what it writes. The last unit goes to one match only;
a double approval gives one approval and one number; two approvals at once get n and n + 1.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from portal.core.refusals import Refusal
from portal.extensions import db as _db
from portal.matching import numbering, transitions
from portal.models import ContributionItem, LetterCounter, Match, User
from tests.conftest import TEST_PASSWORD
from tests.support.matching import cast_for, offered, planned

pytestmark = pytest.mark.postgres
PAUSE = 0.3


@pytest.fixture()
def pg(app, db):
    if not str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not set: these tests need PostgreSQL")
    return db


def run_together(app, calls) -> list:
    """Run each ``call(session)`` in its own thread and app context, all started at once;
    each commits on success. Returns ("ok", value) or ("refused", Refusal) per call."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                value = call()
                _db.session.commit()
                results[index] = ("ok", value)
            except Refusal as refusal:
                _db.session.rollback()
                results[index] = ("refused", refusal)
            except Exception as error:  # reported by the assertion below
                _db.session.rollback()
                results[index] = ("error", error)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(r is not None and r[0] != "error" for r in results), results
    return results


def _pause_after(monkeypatch, module, name):
    """Make ``module.name`` sleep after it ran: between the reads and the writes."""
    original = getattr(module, name)

    def slow(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(PAUSE)
        return value

    monkeypatch.setattr(module, name, slow)


def _kinds(results) -> list[str]:
    return sorted(kind for kind, _ in results)


def test_two_submissions_for_the_last_unit(app, pg, monkeypatch):
    contribution = offered(quantity=1)
    cast = cast_for(contribution)
    first, second = planned(contribution, people=1), planned(contribution, people=1)
    pg.session.commit()
    ids = (first.id, second.id)
    officer_id, item_id = cast.officer.id, contribution.items[0].id
    _pause_after(monkeypatch, transitions, "_check_allocations")

    def submit(match_id):
        def call():
            match = _db.session.get(Match, match_id)
            transitions.submit(match, _db.session.get(User, officer_id))

        return call

    results = run_together(app, [submit(ids[0]), submit(ids[1])])
    assert _kinds(results) == ["ok", "refused"]
    refusal = next(value for kind, value in results if kind == "refused")
    assert "Oven gas" in str(refusal) and " 0 " in str(refusal)
    pg.session.expire_all()
    assert pg.session.get(ContributionItem, item_id).reserved == 1
    states = sorted(pg.session.scalars(select(Match.status).where(Match.id.in_(ids))))
    assert states == ["draft", "submitted"]


def _approval(match_id, camat_id):
    def call():
        match = _db.session.get(Match, match_id)
        return transitions.approve(match, _db.session.get(User, camat_id), TEST_PASSWORD).text

    return call


def _submitted_match(contribution, cast):
    match = planned(contribution, people=1)
    transitions.submit(match, cast.officer)
    return match


def test_a_double_approval_gives_one_approval_and_one_number(app, pg, monkeypatch):
    contribution = offered(quantity=5)
    cast = cast_for(contribution)
    match = _submitted_match(contribution, cast)
    pg.session.commit()
    _pause_after(monkeypatch, numbering, "issue_letter")

    results = run_together(app, [_approval(match.id, cast.camat.id)] * 2)
    assert _kinds(results) == ["ok", "refused"]
    refusal = next(value for kind, value in results if kind == "refused")
    assert isinstance(refusal, transitions.AlreadyDone)
    pg.session.expire_all()
    assert pg.session.get(Match, match.id).letter_seq == 1
    assert pg.session.scalar(select(LetterCounter.last_seq)) == 1


def test_two_approvals_at_once_take_n_and_n_plus_one(app, pg, monkeypatch):
    contribution = offered(quantity=5)
    cast = cast_for(contribution)
    first, second = _submitted_match(contribution, cast), _submitted_match(contribution, cast)
    pg.session.commit()
    _pause_after(monkeypatch, numbering, "issue_letter")

    results = run_together(
        app, [_approval(first.id, cast.camat.id), _approval(second.id, cast.camat.id)]
    )
    assert _kinds(results) == ["ok", "ok"]
    pg.session.expire_all()
    seqs = sorted(
        pg.session.scalars(select(Match.letter_seq).where(Match.id.in_([first.id, second.id])))
    )
    assert seqs == [1, 2]
    assert pg.session.scalar(select(LetterCounter.last_seq)) == 2
    numbers = {value for _, value in results}
    assert len(numbers) == 2 and all("/CSR-64.02.06/" in n for n in numbers)
