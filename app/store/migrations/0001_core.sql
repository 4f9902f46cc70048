-- The store's core: which till holds which register, and the tills' replicated journals.
--
-- Rows replicated from a till are keyed by the till's identity (till_id, a uuid kept in its journal)
-- and the row's id in that journal (local_id); a sale is also unique by its external_ref (Ocote's
-- idempotency key, which carries the register code): two tills can never both own one ref.
-- Money is numeric, times timestamptz, the sale's business day a date.

CREATE TABLE registers (
    code        text PRIMARY KEY,                 -- branch code + register code, e.g. M001P001
    till_id     uuid NOT NULL,                    -- the till holding it
    hostname    text NOT NULL DEFAULT '',
    claimed_at  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now() -- heartbeat; a claim older than a few minutes is stale
);

CREATE TABLE tills (
    till_id     uuid PRIMARY KEY,
    register    text NOT NULL,                    -- last register code it ran as
    hostname    text NOT NULL DEFAULT '',
    version     text NOT NULL DEFAULT '',
    last_seen   timestamptz NOT NULL DEFAULT now(),
    last_sync   timestamptz                        -- last successful replication batch
);

CREATE TABLE sales (
    external_ref      text PRIMARY KEY,
    till_id           uuid NOT NULL,
    local_id          bigint NOT NULL,
    register          text NOT NULL,
    cashier           text NOT NULL DEFAULT '',
    business_day      date NOT NULL,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    state             text NOT NULL,
    last_error        text NOT NULL DEFAULT '',
    draft             jsonb NOT NULL,
    line_count        integer NOT NULL,
    customer_name     text NOT NULL DEFAULT '',
    customer_key      text NOT NULL DEFAULT '',
    customer_nit      text NOT NULL DEFAULT '',
    customer_dui      text NOT NULL DEFAULT '',
    customer_nrc      text NOT NULL DEFAULT '',
    customer_email    text NOT NULL DEFAULT '',
    payment_method    text NOT NULL,
    payment_condition integer NOT NULL,
    term_unit         integer,
    term_amount       integer,
    tendered          numeric(14, 2),
    total_gross       numeric(14, 2) NOT NULL,
    total_discount    numeric(14, 2) NOT NULL,
    total_taxable     numeric(14, 2) NOT NULL,
    total_vat         numeric(14, 2) NOT NULL,
    total_cents       bigint NOT NULL,
    session_id        bigint,                     -- local id of the till's cash session
    user_id           bigint,                     -- local id of the till's user
    doc_type          text NOT NULL DEFAULT '01', -- 01 factura, 03 crédito fiscal, 05 nota de crédito
    related_ref       text,                       -- the CCF a credit note adjusts (its external_ref)
    replicated_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (till_id, local_id)
);
CREATE INDEX sales_day ON sales (business_day, register);
CREATE INDEX sales_related ON sales (related_ref) WHERE related_ref IS NOT NULL;
CREATE INDEX sales_created ON sales (created_at);

CREATE TABLE documents (
    external_ref     text PRIMARY KEY REFERENCES sales (external_ref) ON DELETE CASCADE,
    till_id          uuid NOT NULL,
    document_id      text NOT NULL DEFAULT '',
    control_number   text NOT NULL DEFAULT '',
    generation_code  text NOT NULL DEFAULT '',
    reception_stamp  text NOT NULL DEFAULT '',
    success          boolean NOT NULL DEFAULT false,
    dte_success      boolean NOT NULL DEFAULT false,
    contingency      boolean NOT NULL DEFAULT false,
    rejected         boolean NOT NULL DEFAULT false,
    is_duplicate     boolean NOT NULL DEFAULT false,
    dte_state        text NOT NULL DEFAULT '',
    dte_message      text NOT NULL DEFAULT '',
    codigo_msg       text NOT NULL DEFAULT '',
    observaciones    jsonb NOT NULL DEFAULT '[]',
    amount_gross     numeric(14, 2),
    amount_taxable   numeric(14, 2),
    amount_vat       numeric(14, 2),
    ticket_url       text NOT NULL DEFAULT '',     -- never with key=
    json_url         text NOT NULL DEFAULT '',
    invoice_url      text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    checked_at       timestamptz,
    dte_json         text NOT NULL DEFAULT '',     -- the signed DTE as Ocote returned it (03/05)
    amount_withheld  numeric(14, 2),
    amount_total     numeric(14, 2),
    created_credit_memo text NOT NULL DEFAULT ''   -- JSON of the note Ocote made voiding a CCF late
);
CREATE INDEX documents_control ON documents (control_number) WHERE control_number <> '';
CREATE INDEX documents_document_id ON documents (document_id) WHERE document_id <> '';

-- The ticket PDF's fingerprint; the bytes themselves (for a copy from another till) are added by
-- the shared-data migrations (0010+) or fetched again from Ocote by document id.
CREATE TABLE tickets (
    external_ref  text PRIMARY KEY REFERENCES sales (external_ref) ON DELETE CASCADE,
    till_id       uuid NOT NULL,
    sha256        text NOT NULL,
    size          integer NOT NULL,
    created_at    timestamptz NOT NULL
);

CREATE TABLE print_jobs (
    till_id       uuid NOT NULL,
    local_id      bigint NOT NULL,
    register      text NOT NULL,
    external_ref  text,                           -- NULL for reports
    kind          text NOT NULL,
    printer       text NOT NULL DEFAULT '',
    outcome       text NOT NULL,
    error         text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    session_id    bigint,
    user_id       bigint,
    PRIMARY KEY (till_id, local_id)
);
CREATE INDEX print_jobs_ref ON print_jobs (external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE audit (
    till_id       uuid NOT NULL,
    local_id      bigint NOT NULL,
    register      text NOT NULL,
    external_ref  text,
    at            timestamptz NOT NULL,
    action        text NOT NULL,
    from_state    text NOT NULL DEFAULT '',
    to_state      text NOT NULL DEFAULT '',
    detail        text NOT NULL DEFAULT '',
    session_id    bigint,
    user_id       bigint,
    supervisor_id bigint,
    PRIMARY KEY (till_id, local_id)
);
CREATE INDEX audit_ref ON audit (external_ref) WHERE external_ref IS NOT NULL;

CREATE TABLE cash_sessions (
    till_id        uuid NOT NULL,
    local_id       bigint NOT NULL,
    register       text NOT NULL,
    cashier_id     bigint NOT NULL,
    cashier        text NOT NULL DEFAULT '',      -- the user's name at replication time
    opened_at      timestamptz NOT NULL,
    opening_float  numeric(14, 2) NOT NULL,
    closed_at      timestamptz,
    closed_by      bigint,
    supervisor_id  bigint,
    counted_cash   numeric(14, 2),
    counted_detail text NOT NULL DEFAULT '',
    expected_cash  numeric(14, 2),
    difference     numeric(14, 2),
    report         text NOT NULL DEFAULT '',
    PRIMARY KEY (till_id, local_id)
);
CREATE INDEX cash_sessions_opened ON cash_sessions (opened_at);

CREATE TABLE cash_movements (
    till_id       uuid NOT NULL,
    local_id      bigint NOT NULL,
    register      text NOT NULL,
    session_id    bigint NOT NULL,
    kind          text NOT NULL,
    amount        numeric(14, 2) NOT NULL,
    reason        text NOT NULL,
    user_id       bigint NOT NULL,
    supervisor_id bigint,
    at            timestamptz NOT NULL,
    PRIMARY KEY (till_id, local_id)
);
CREATE INDEX cash_movements_session ON cash_movements (till_id, session_id);
