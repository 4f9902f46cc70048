-- Shared data (issue 12): the catalog, the users and the saved customers of the store. Each till
-- caches them in its journal and works offline; a sync pushes what changed on the till and pulls
-- what changed in the store since its last pull.
--
-- ``version`` is taken from ``shared_version`` by every write, inside a transaction that holds
-- the shared-data advisory lock (app.store.shared.SHARED_WRITE_LOCK), so versions commit in
-- increasing order: a till that pulled everything up to version N never misses a row <= N.
-- ``updated_at`` is when a person made the change (on whichever till): the last writer wins.
CREATE SEQUENCE shared_version;

CREATE TABLE products (
    code         text PRIMARY KEY,
    barcode      text,                           -- NULL when the product has none
    description  text NOT NULL,
    price        numeric(14, 2) NOT NULL,        -- VAT included
    active       boolean NOT NULL DEFAULT true,
    updated_at   timestamptz NOT NULL,
    updated_by   text NOT NULL DEFAULT '',       -- the register that made the change
    version      bigint NOT NULL
);
CREATE INDEX products_version ON products (version);

CREATE TABLE users (
    name_key     text PRIMARY KEY,               -- the name folded: "José" and "jose" are one user
    name         text NOT NULL,
    role         text NOT NULL CHECK (role IN ('cashier', 'supervisor')),
    pin_hash     text NOT NULL,                  -- scrypt$n$r$p$salt$hash, never the PIN
    active       boolean NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    updated_by   text NOT NULL DEFAULT '',
    version      bigint NOT NULL
);
CREATE INDEX users_version ON users (version);

CREATE TABLE customers (
    key          text PRIMARY KEY,               -- identity number or folded name (the directory's key)
    data         jsonb NOT NULL,                 -- the directory's fields
    updated_at   timestamptz NOT NULL,
    updated_by   text NOT NULL DEFAULT '',
    version      bigint NOT NULL
);
CREATE INDEX customers_version ON customers (version);
