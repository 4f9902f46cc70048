-- Reads across the store (issue 12): history and reprint search every register, a copy can be
-- printed from any till, the end of day runs for the whole store.
--
-- Search: every criterion of the till's search (app.journal.reports.SaleQuery) reaches an index
-- here too, newest first by (business_day, created_at); figures in docs/benchmarks.md
-- (tests/benchmarks/bench_store.py, 1,000,000 sales).

-- Newest first, within a date range or not, and per register.
CREATE INDEX sales_newest ON sales (business_day DESC, created_at DESC, external_ref DESC);
CREATE INDEX sales_register_newest ON sales (register, business_day DESC, created_at DESC);
-- By state (a rare one, "invalid" or "queued", must not walk the whole table).
CREATE INDEX sales_state_newest ON sales (state, business_day DESC, created_at DESC);
-- A ref's beginning (LIKE 'M001P002-2026%': byte order whatever the database's collation) and
-- its last 7 characters ("-000042", what a cashier types as "42").
CREATE INDEX sales_ref_prefix ON sales (external_ref text_pattern_ops);
CREATE INDEX sales_ref_tail ON sales (right(external_ref, 7));
CREATE INDEX sales_customer_nit ON sales (customer_nit) WHERE customer_nit <> '';
CREATE INDEX sales_customer_dui ON sales (customer_dui) WHERE customer_dui <> '';
CREATE INDEX sales_total_cents ON sales (total_cents);
-- A control number's final digits (its 15-digit sequence), typed without the prefix.
CREATE INDEX documents_control_tail ON documents (right(control_number, 15)) WHERE control_number <> '';

-- Part of a customer's name (never the anonymous "Consumidor Final"): a trigram index (pg_trgm, in PostgreSQL's contrib, a "trusted"
-- extension that the database's owner may create). Without it the name search still works, by a
-- scan of the named sales.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXECUTE 'CREATE INDEX sales_customer_trgm ON sales USING gin (customer_key gin_trgm_ops) '
            'WHERE customer_key <> '''' AND customer_key <> ''consumidor final''';
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'pg_trgm unavailable (%): customer name searches scan the named sales', SQLERRM;
END
$$;

-- The ticket PDF of every issued sale, so that a copy can be printed from any till. Sent by the
-- till that issued the sale, in the background (app.services.store_sync); a till that finds no
-- PDF here downloads it again from Ocote by document id.
CREATE TABLE ticket_pdfs (
    external_ref  text PRIMARY KEY,
    register      text NOT NULL,
    pdf           bytea NOT NULL,
    sha256        text NOT NULL,
    stored_at     timestamptz NOT NULL DEFAULT now()
);

-- The end-of-day refresh of document states, store-wide, made by one till at a time (advisory
-- lock app.store.reads.REFRESH_LOCK): what Ocote said about each document, so that the other
-- tills use the answer instead of asking again.
CREATE TABLE document_checks (
    external_ref  text PRIMARY KEY,
    register      text NOT NULL,
    business_day  date NOT NULL,
    state         text NOT NULL,                  -- the journal state the answer means
    answer        jsonb NOT NULL,                 -- the /status fields the journal keeps
    checked_at    timestamptz NOT NULL,
    checked_by    text NOT NULL                   -- the register that asked
);
CREATE INDEX document_checks_day ON document_checks (business_day, register);
