"""Connecting to the store: the password never shows, an unreachable store fails fast."""

from __future__ import annotations

import logging

import pytest

from app.domain.redaction import RedactingFilter
from app.store.db import StoreConfigError, StoreDatabase, StoreUnavailable, redact_url, url_without_password
from tests.helpers.pgserver import free_port


def test_connects_and_answers(store_db):
    assert store_db.ping()
    with store_db.connection() as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_password_never_in_repr_or_display(store_url, pg_server):
    db = StoreDatabase(store_url)
    assert pg_server.password not in repr(db)
    assert pg_server.password not in db.display
    assert pg_server.password not in redact_url(store_url)
    assert pg_server.password not in url_without_password(store_url)
    assert db.target.port == str(pg_server.port)


def test_password_kept_apart_from_the_url(store_url, pg_server):
    bare = url_without_password(store_url)
    with pytest.raises(StoreUnavailable) as denied:
        StoreDatabase(bare).ping()
    assert pg_server.password not in str(denied.value)
    assert StoreDatabase(bare, password=pg_server.password).ping()


def test_wrong_password_error_hides_both_passwords(store_url, pg_server):
    bare = url_without_password(store_url)
    db = StoreDatabase(bare, password="not-the-" + pg_server.password)
    with pytest.raises(StoreUnavailable) as denied:
        db.ping()
    text = str(denied.value)
    assert pg_server.password not in text and "not-the-" not in text
    with pytest.raises(StoreUnavailable) as pooled:
        with db.connection():
            pass
    assert pg_server.password not in str(pooled.value)
    db.close()


def test_unreachable_store_fails_fast():
    db = StoreDatabase(f"postgresql://caja:secret-pw@127.0.0.1:{free_port()}/store", connect_timeout=2)
    with pytest.raises(StoreUnavailable) as down:
        db.ping()
    assert "secret-pw" not in str(down.value)
    db.close()


def test_not_a_postgres_url_is_refused_without_echoing_it():
    with pytest.raises(StoreConfigError) as bad:
        StoreDatabase("mysql://u:hunter2@h/db")
    assert "hunter2" not in str(bad.value)


def test_log_filter_masks_store_passwords(caplog, store_url, pg_server):
    logger = logging.getLogger("caja.test.store")
    logger.addFilter(RedactingFilter())
    try:
        with caplog.at_level(logging.INFO, logger="caja.test.store"):
            logger.info("connecting to %s", store_url)
            logger.info("conninfo host=x password=%s dbname=y", pg_server.password)
    finally:
        logger.filters.clear()
    assert pg_server.password not in caplog.text


def test_statements_are_cut_after_the_statement_timeout(store_url):
    import psycopg

    db = StoreDatabase(store_url, statement_timeout_s=0.2)
    try:
        for opened in (db.connection(), db.connect()):
            with opened as conn, pytest.raises(psycopg.errors.QueryCanceled):
                conn.execute("SELECT pg_sleep(5)")
    finally:
        db.close()
