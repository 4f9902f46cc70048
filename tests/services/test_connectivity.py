"""The till's link to Ocote: kept in the journal, shared by processes, fed by checkout and probes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.api.errors import AddressNotFound, DeadlineExceeded, NotSent, ServerError, Unauthorized
from app.journal import Journal
from app.services.connectivity import Connectivity, Link
from tests.api.misbehaving import MisbehavingServer, Mode
from tests.helpers.clock import FakeWallClock


@pytest.fixture
def clock():
    return FakeWallClock()


@pytest.fixture
def clocked(tmp_path, clock):
    with Journal.open(tmp_path / "journal.sqlite3", clock=clock) as opened:
        yield opened


def test_a_new_till_knows_nothing(journal):
    status = Connectivity(journal).status()
    assert status.link is Link.UNKNOWN and status.since is None and status.checked_at is None
    assert not Connectivity(journal).known_down()


@pytest.mark.parametrize("error", [NotSent("refused"), DeadlineExceeded(12.0)])
def test_refused_or_silent_means_unreachable_and_known_down_with_its_times(clocked, clock, error):
    link = Connectivity(clocked)
    status = link.record_failure(error)
    assert status.link is Link.UNREACHABLE and status.detail == error.message
    assert status.since == status.checked_at == clock()
    assert link.known_down()
    clock.advance(seconds=30)
    again = link.record_failure(error)
    assert again.since == status.since and again.checked_at == clock()  # still the same outage


def test_another_process_reads_the_same_state(journal):
    Connectivity(journal).record_failure(NotSent("refused"))
    with Journal.open(journal.path) as other:
        assert Connectivity(other).status().link is Link.UNREACHABLE
        assert Connectivity(other).known_down()
        Connectivity(other).record_success()
    assert Connectivity(journal).status().link is Link.ONLINE
    assert not Connectivity(journal).known_down()


def test_an_old_verdict_is_not_trusted_for_ever(clocked, clock):
    link = Connectivity(clocked, stale_after=timedelta(minutes=5))
    link.record_failure(NotSent("refused"))
    clock.advance(minutes=6)
    assert link.status().link is Link.UNREACHABLE and not link.known_down()


@pytest.mark.parametrize("error", [AddressNotFound(), Unauthorized()])
def test_a_wrong_address_or_key_is_misconfigured_not_an_outage(journal, error):
    link = Connectivity(journal)
    status = link.record_failure(error)
    assert status.link is Link.MISCONFIGURED and "check the API" in status.detail
    assert not link.known_down() and link.misconfigured()


def test_a_server_error_still_means_ocote_is_there(journal):
    link = Connectivity(journal)
    link.record_failure(NotSent("refused"))
    assert link.record_failure(ServerError(503)).link is Link.ONLINE


def test_the_key_never_reaches_the_journal(journal, api_key, closed_port, fast_client):
    with fast_client(f"http://127.0.0.1:{closed_port}/api/connect", api_key) as client:
        Connectivity(journal, client).probe()
    assert api_key not in repr(journal.state.with_prefix(""))


def test_probe_records_what_ocote_is(journal, sandbox, api_key, closed_port, fast_client):
    with fast_client(sandbox.base_url, api_key) as client:
        assert Connectivity(journal, client).probe().link is Link.ONLINE
    with fast_client(f"http://127.0.0.1:{closed_port}/api/connect", api_key) as client:
        status = Connectivity(journal, client).probe()
        assert status.link is Link.UNREACHABLE and Connectivity(journal).known_down()
    with MisbehavingServer(Mode.NOT_FOUND) as server, fast_client(server.base_url, api_key) as client:
        assert Connectivity(journal, client).probe().link is Link.MISCONFIGURED
    with MisbehavingServer(Mode.SILENT) as server, fast_client(server.base_url, api_key) as client:
        assert Connectivity(journal, client, probe_seconds=0.5).probe().link is Link.UNREACHABLE


def test_probe_through_a_factory_that_cannot_open_the_client_is_misconfigured(journal):
    from app.domain.errors import ConfigurationError

    def no_key():
        raise ConfigurationError("no key")

    assert Connectivity(journal, no_key).probe().link is Link.MISCONFIGURED


def test_services_share_one_connectivity(tmp_path, sandbox, api_key, fast_client):
    from app.config import Settings
    from app.services.container import build_services

    with (
        fast_client(sandbox.base_url, api_key) as client,
        build_services(Settings(), journal_path=tmp_path / "j.sqlite3", api=client) as services,
    ):
        assert services.checkout.connectivity is services.connectivity
        assert services.outbox.connectivity is services.connectivity
        assert services.connectivity.probe().link is Link.ONLINE
        assert services.drafts.unfinished() == []
