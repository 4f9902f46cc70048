"""The journal's SQLite schema, as an ordered list of migrations.

``PRAGMA user_version`` holds the number of migrations applied. :data:`MIGRATIONS` is append-only:
a released migration is never edited; a change to the schema is a new entry at the end (the
journal applies every missing one, in order, inside one transaction each).

Conventions:

* Money is ``TEXT`` holding a plain decimal (``"10.17"``), never a REAL. Where SQL must compare
  amounts (search by amount), an ``INTEGER`` column of cents sits beside it.
* Times are ISO-8601 UTC text (``2026-11-21T16:05:09.123456+00:00``), which sorts correctly;
  ``business_day`` is the register's local date (``2026-11-21``), the day a sale belongs to.
* No API key and no URL carrying ``key=`` is ever written (the :class:`~app.journal.Journal`
  strips them before storing).

Tables:

``sales``
    One row per sale (one ``external_ref``). ``draft`` is the JSON of the sale as the cashier made
    it (lines, customer, payment), enough to rebuild the exact request for a retry; the customer,
    payment and totals are also kept in columns for search and reports. ``state`` is one of
    :class:`~app.journal.records.SaleState`. ``doc_type`` is 01, 03 or 05; a credit note (05)
    points at the CCF it adjusts with ``related_sale_id``.
``documents``
    The Ocote document of a sale (at most one: same ref, same document, even after a rejection);
    for 03 and 05 also the signed DTE (``dte_json``) and the amounts read from it.
``tickets``
    The cached ticket PDF of a sale: a file under ``<data_dir>/tickets`` and its SHA-256.
``print_jobs``
    Every print attempt: original, copy (reprint) or report, the printer and the outcome.
``audit``
    Every state change of a sale, and other supervisor actions (void attempts, ...).
``register_sequences``
    The last sequence number used per register and business day, for ``external_ref``.
``products``
    The product catalog (code, optional barcode, description, VAT-included price).
``users``
    Cashiers and supervisors: name, role, the PIN's salted scrypt hash (never the PIN), and the
    wrong tries that lock a user out for a minute.
``cash_sessions``
    Shifts (turnos): who opened the register with which counted float, and, once closed, the
    counted cash and the Z report (frozen as JSON: a closed session never changes).
``cash_movements``
    Cash put in or taken out of the drawer, and drawer openings without a sale, each with its
    reason, user and (for cash out and drawer openings) the supervisor who allowed it.

``customers``
    The customer directory (F5): receptors of past sales and customers typed in, with the fields
    of a Crédito Fiscal; ``search_key`` is folded text plus identity digits.
``store_sync``, ``store_changes``
    The store database's replication: the till's identity there and the rows left to push.
``till_state``
    Key/value facts of the till shared between processes: the link to Ocote
    (:mod:`app.services.connectivity`) and the outbox's automatic print attempts.

Sales, audit entries and print jobs carry the ``session_id`` and ``user_id`` of who did them
(NULL before version 3 and when nobody was logged in).
"""

from __future__ import annotations

_V1 = """
CREATE TABLE sales (
    id                INTEGER PRIMARY KEY,
    external_ref      TEXT NOT NULL UNIQUE,
    register          TEXT NOT NULL,              -- branch code + register code, e.g. M001P001
    cashier           TEXT NOT NULL DEFAULT '',
    business_day      TEXT NOT NULL,              -- local date YYYY-MM-DD
    created_at        TEXT NOT NULL,              -- UTC ISO-8601
    updated_at        TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('draft', 'pending', 'issued', 'contingency',
                                                     'rejected', 'invalid', 'queued', 'voided')),
    last_error        TEXT NOT NULL DEFAULT '',
    draft             TEXT NOT NULL,              -- JSON: lines, customer, payment
    line_count        INTEGER NOT NULL,
    customer_name     TEXT NOT NULL DEFAULT '',
    customer_key      TEXT NOT NULL DEFAULT '',   -- customer_name folded (lower case, no accents)
    customer_nit      TEXT NOT NULL DEFAULT '',   -- digits only
    customer_dui      TEXT NOT NULL DEFAULT '',   -- digits only
    customer_nrc      TEXT NOT NULL DEFAULT '',
    customer_email    TEXT NOT NULL DEFAULT '',
    payment_method    TEXT NOT NULL,              -- CAT-017 code
    payment_condition INTEGER NOT NULL,           -- CAT-016
    term_unit         INTEGER,                    -- CAT-018, credit only
    term_amount       INTEGER,
    tendered          TEXT,                       -- cash handed over (local only)
    total_gross       TEXT NOT NULL,
    total_discount    TEXT NOT NULL,
    total_taxable     TEXT NOT NULL,
    total_vat         TEXT NOT NULL,
    total_cents       INTEGER NOT NULL            -- total_gross in cents, for search by amount
);
CREATE INDEX sales_created ON sales (created_at);
CREATE INDEX sales_day ON sales (business_day, register);
CREATE INDEX sales_customer_key ON sales (customer_key) WHERE customer_key <> '';
CREATE INDEX sales_customer_nit ON sales (customer_nit) WHERE customer_nit <> '';
CREATE INDEX sales_customer_dui ON sales (customer_dui) WHERE customer_dui <> '';
CREATE INDEX sales_total_cents ON sales (total_cents);
-- The outbox and start-up recovery look only at unfinished sales: keep that index tiny.
CREATE INDEX sales_unresolved ON sales (state, id) WHERE state IN ('pending', 'queued');

CREATE TABLE documents (
    sale_id          INTEGER PRIMARY KEY REFERENCES sales (id) ON DELETE CASCADE,
    document_id      TEXT NOT NULL DEFAULT '',
    control_number   TEXT NOT NULL DEFAULT '',
    generation_code  TEXT NOT NULL DEFAULT '',
    reception_stamp  TEXT NOT NULL DEFAULT '',
    success          INTEGER NOT NULL DEFAULT 0,
    dte_success      INTEGER NOT NULL DEFAULT 0,
    contingency      INTEGER NOT NULL DEFAULT 0,
    rejected         INTEGER NOT NULL DEFAULT 0,
    is_duplicate     INTEGER NOT NULL DEFAULT 0,
    dte_state        TEXT NOT NULL DEFAULT '',
    dte_message      TEXT NOT NULL DEFAULT '',
    codigo_msg       TEXT NOT NULL DEFAULT '',
    observaciones    TEXT NOT NULL DEFAULT '[]',  -- JSON list of strings
    amount_gross     TEXT,
    amount_taxable   TEXT,
    amount_vat       TEXT,
    ticket_url       TEXT NOT NULL DEFAULT '',    -- never with key=
    json_url         TEXT NOT NULL DEFAULT '',
    invoice_url      TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    checked_at       TEXT                          -- last /status refresh
);
CREATE INDEX documents_control ON documents (control_number) WHERE control_number <> '';
CREATE INDEX documents_document_id ON documents (document_id) WHERE document_id <> '';

CREATE TABLE tickets (
    sale_id     INTEGER PRIMARY KEY REFERENCES sales (id) ON DELETE CASCADE,
    path        TEXT NOT NULL,                    -- relative to the tickets folder
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE print_jobs (
    id          INTEGER PRIMARY KEY,
    sale_id     INTEGER REFERENCES sales (id) ON DELETE CASCADE,  -- NULL for reports
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'copy', 'report')),
    printer     TEXT NOT NULL DEFAULT '',         -- the connection's safe description
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
    error       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX print_jobs_sale ON print_jobs (sale_id, kind, outcome);
CREATE INDEX print_jobs_created ON print_jobs (created_at);

CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    sale_id     INTEGER REFERENCES sales (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    action      TEXT NOT NULL,                    -- e.g. checkout, resubmit, outcome, void
    from_state  TEXT NOT NULL DEFAULT '',
    to_state    TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_sale ON audit (sale_id, id);
CREATE INDEX audit_at ON audit (at, action);

CREATE TABLE register_sequences (
    register     TEXT NOT NULL,
    business_day TEXT NOT NULL,
    last_seq     INTEGER NOT NULL,
    PRIMARY KEY (register, business_day)
) WITHOUT ROWID;

CREATE TABLE products (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    barcode      TEXT UNIQUE,                     -- NULL when the product has none
    description  TEXT NOT NULL,
    search_key   TEXT NOT NULL,                   -- code + description folded, for text search
    price        TEXT NOT NULL,                   -- VAT included
    active       INTEGER NOT NULL DEFAULT 1,
    updated_at   TEXT NOT NULL
);
"""

# Cashiers find a sale by the last digits of its ref ("42" for M001P001-20261121-000042). Refs end
# in a hyphen and a 6-digit sequence (app.domain.refs), so their last 7 characters ("-000042")
# are indexed: the search is one index lookup instead of a scan of every ref.
_V2 = """
CREATE INDEX sales_ref_tail ON sales (substr(external_ref, -7));
"""

# Users, cash sessions and movements; who did what on sales, audit entries and print jobs.
_V3 = """
CREATE TABLE users (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL UNIQUE,            -- name folded: "José" and "jose" are one user
    role         TEXT NOT NULL CHECK (role IN ('cashier', 'supervisor')),
    pin_hash     TEXT NOT NULL,                   -- scrypt$n$r$p$salt$hash, never the PIN
    active       INTEGER NOT NULL DEFAULT 1,
    failed_tries INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,                            -- UTC ISO-8601, after 5 wrong tries
    created_at   TEXT NOT NULL
);

CREATE TABLE cash_sessions (
    id             INTEGER PRIMARY KEY,
    register       TEXT NOT NULL,
    cashier_id     INTEGER NOT NULL REFERENCES users (id),
    opened_at      TEXT NOT NULL,
    opening_float  TEXT NOT NULL,
    closed_at      TEXT,
    closed_by      INTEGER REFERENCES users (id),
    supervisor_id  INTEGER REFERENCES users (id),
    counted_cash   TEXT,
    counted_detail TEXT NOT NULL DEFAULT '',      -- JSON {"20.00": 2, ...} when counted by denomination
    expected_cash  TEXT,
    difference     TEXT,
    report         TEXT NOT NULL DEFAULT ''       -- JSON of the Z report, frozen at the close
);
-- One open session per register.
CREATE UNIQUE INDEX cash_sessions_open ON cash_sessions (register) WHERE closed_at IS NULL;
CREATE INDEX cash_sessions_opened ON cash_sessions (opened_at);

CREATE TABLE cash_movements (
    id            INTEGER PRIMARY KEY,
    session_id    INTEGER NOT NULL REFERENCES cash_sessions (id),
    kind          TEXT NOT NULL CHECK (kind IN ('in', 'out', 'drawer')),
    amount        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    supervisor_id INTEGER REFERENCES users (id),
    at            TEXT NOT NULL
);
CREATE INDEX cash_movements_session ON cash_movements (session_id, id);

ALTER TABLE sales ADD COLUMN session_id INTEGER REFERENCES cash_sessions (id);
ALTER TABLE sales ADD COLUMN user_id INTEGER REFERENCES users (id);
CREATE INDEX sales_session ON sales (session_id) WHERE session_id IS NOT NULL;
ALTER TABLE audit ADD COLUMN session_id INTEGER;
ALTER TABLE audit ADD COLUMN user_id INTEGER;
ALTER TABLE audit ADD COLUMN supervisor_id INTEGER;
CREATE INDEX audit_session ON audit (session_id, action) WHERE session_id IS NOT NULL;
ALTER TABLE print_jobs ADD COLUMN session_id INTEGER;
ALTER TABLE print_jobs ADD COLUMN user_id INTEGER;
CREATE INDEX print_jobs_session ON print_jobs (session_id, kind) WHERE session_id IS NOT NULL;
"""

# The till's shared facts that are not sales: the connectivity to Ocote and when it was last
# checked (read by the window, the outbox and ``caja`` commands of other processes), and the
# bookkeeping of automatic prints (attempts, next try). One row per key; values are JSON text.
_V4 = """
CREATE TABLE till_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,                    -- JSON
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
"""

# The customer directory (F5): customers of past sales, saved automatically and editable, with the
# fields a Crédito Fiscal needs (taxpayer type, CAT-019 activity, department, municipality).
# search_key is app.domain.customers.search_key: name and e-mail folded, identity numbers as digits.
_V_CUSTOMERS = """
CREATE TABLE customers (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    dui              TEXT NOT NULL DEFAULT '',    -- ########-#
    nit              TEXT NOT NULL DEFAULT '',    -- digits only (14, or the 9 of a DUI)
    nrc              TEXT NOT NULL DEFAULT '',    -- digits only
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    contributor_type INTEGER CHECK (contributor_type BETWEEN 1 AND 4),
    activity_code    TEXT NOT NULL DEFAULT '',    -- CAT-019
    activity_name    TEXT NOT NULL DEFAULT '',
    department       TEXT NOT NULL DEFAULT '',    -- CAT-012
    municipality     TEXT NOT NULL DEFAULT '',    -- CAT-013
    search_key       TEXT NOT NULL,
    name_key         TEXT NOT NULL,               -- folded name + e-mail: recognises customers without numbers
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    last_used_at     TEXT,
    use_count        INTEGER NOT NULL DEFAULT 0,
    hidden           INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX customers_nit ON customers (nit) WHERE nit <> '';
CREATE INDEX customers_dui ON customers (dui) WHERE dui <> '';
CREATE INDEX customers_nrc ON customers (nrc) WHERE nrc <> '';
CREATE INDEX customers_name_key ON customers (name_key);
CREATE INDEX customers_recent ON customers (hidden, last_used_at);
"""

# Crédito Fiscal (03) and credit notes (05): the document type of each sale, the CCF a credit
# note adjusts, the signed DTE as Ocote returned it (the 80 mm printout of 03/05 is composed from
# it, and reprints too), the amounts read from its ``resumen`` that Ocote's answers do not name
# (withheld VAT ``ivaRete1``, total to pay), and the note Ocote created when a CCF was voided past
# its window (JSON ``{"document_id", "control_number", "external_ref"}``, "" otherwise).
_V_CCF = """
ALTER TABLE sales ADD COLUMN doc_type TEXT NOT NULL DEFAULT '01';
ALTER TABLE sales ADD COLUMN related_sale_id INTEGER REFERENCES sales (id);
CREATE INDEX sales_doc_type ON sales (doc_type, business_day) WHERE doc_type <> '01';
CREATE INDEX sales_related ON sales (related_sale_id) WHERE related_sale_id IS NOT NULL;
ALTER TABLE documents ADD COLUMN dte_json TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN amount_withheld TEXT;
ALTER TABLE documents ADD COLUMN amount_total TEXT;
ALTER TABLE documents ADD COLUMN created_credit_memo TEXT NOT NULL DEFAULT '';
"""

# Most used customers first, from an index; and the customers of sales journaled before the
# directory existed, imported once, on first use
# (app.services.customers.CustomerDirectory.import_past_sales): the sales up to this id; later ones
# are remembered at checkout. (A separate migration: _V_CUSTOMERS was already integrated.)
_V_CUSTOMERS_IMPORT = """
-- Searches list the most used first and stop at their limit: walking this index in order, a
-- common word finds its first matches without sorting the whole directory.
CREATE INDEX customers_popular ON customers (hidden, use_count DESC, last_used_at DESC, name, id);
INSERT INTO till_state (key, value, updated_at)
    SELECT 'customers.import_until', CAST(coalesce(max(id), 0) AS TEXT), strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
    FROM sales;
"""

# The store database (issue 12): what is left to replicate. Once a store is configured
# (``store_sync.enabled``), triggers log every insert and update of the replicated tables in
# ``store_changes`` (table, row id), in the same transaction as the change itself; the replicator
# pushes the rows named there, in ``seq`` order, and deletes the entries it pushed. An update to a
# row already replicated (a sale voided later, a print done later) is one more entry, so it is sent
# again. ``store_sync`` is one row: the till's stable identity in the store (``till_id``, a uuid
# made once) and the replication bookkeeping. (IF NOT EXISTS: applying it again over a journal
# that has it, as tests that wind the version back do, changes nothing.)
_V_STORE = """
CREATE TABLE IF NOT EXISTS store_sync (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    till_id      TEXT NOT NULL,                   -- uuid, made once per journal
    enabled      INTEGER NOT NULL DEFAULT 0,      -- 1 once a store is configured
    pushed_seq   INTEGER NOT NULL DEFAULT 0,      -- highest store_changes.seq pushed
    last_push    TEXT,                            -- UTC ISO-8601 of the last successful push
    last_error   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS store_changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl     TEXT NOT NULL,
    row_id  INTEGER NOT NULL
);

CREATE TRIGGER IF NOT EXISTS store_changes_sales_ins AFTER INSERT ON sales
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('sales', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_sales_upd AFTER UPDATE ON sales
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('sales', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_documents_ins AFTER INSERT ON documents
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('documents', NEW.sale_id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_documents_upd AFTER UPDATE ON documents
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('documents', NEW.sale_id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_tickets_ins AFTER INSERT ON tickets
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('tickets', NEW.sale_id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_tickets_upd AFTER UPDATE ON tickets
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('tickets', NEW.sale_id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_print_jobs_ins AFTER INSERT ON print_jobs
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('print_jobs', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_print_jobs_upd AFTER UPDATE ON print_jobs
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('print_jobs', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_audit_ins AFTER INSERT ON audit
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('audit', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_audit_upd AFTER UPDATE ON audit
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('audit', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_cash_sessions_ins AFTER INSERT ON cash_sessions
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('cash_sessions', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_cash_sessions_upd AFTER UPDATE ON cash_sessions
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('cash_sessions', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_cash_movements_ins AFTER INSERT ON cash_movements
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('cash_movements', NEW.id);
END;

CREATE TRIGGER IF NOT EXISTS store_changes_cash_movements_upd AFTER UPDATE ON cash_movements
WHEN (SELECT enabled FROM store_sync WHERE id = 1)
BEGIN
    INSERT INTO store_changes (tbl, row_id) VALUES ('cash_movements', NEW.id);
END;
"""

# The store (issue 12): the catalog and the users are shared through the store's PostgreSQL and
# cached here. ``store_version`` is the store's version of the row this till last exchanged with
# it; NULL means "changed on this till, not in the store yet" (pushed by the next sync). Users get
# an ``updated_at`` (the last writer wins, by this time, when two tills change one user).
_V_STORE_SHARED = """
ALTER TABLE products ADD COLUMN store_version INTEGER;
ALTER TABLE users ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN store_version INTEGER;
UPDATE users SET updated_at = created_at;
CREATE INDEX products_store_unsynced ON products (code) WHERE store_version IS NULL;
CREATE INDEX users_store_unsynced ON users (name_key) WHERE store_version IS NULL;
"""

_V_STORE_QUARANTINE = """
CREATE TABLE IF NOT EXISTS store_quarantine (
    tbl     TEXT NOT NULL,                        -- a replicated table
    row_id  INTEGER NOT NULL,                     -- the row id its store_changes entries named
    error   TEXT NOT NULL,                        -- why the store refused it (never a password)
    at      TEXT NOT NULL,                        -- UTC ISO-8601 when it was set aside
    PRIMARY KEY (tbl, row_id)
);
"""

#: Ordered migrations; ``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``.
MIGRATIONS: list[str] = [
    _V1, _V2, _V3, _V4, _V_CUSTOMERS, _V_CCF, _V_CUSTOMERS_IMPORT, _V_STORE, _V_STORE_SHARED, _V_STORE_QUARANTINE,
]  # fmt: skip

SCHEMA_VERSION = len(MIGRATIONS)
