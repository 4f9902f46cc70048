"""The store: one PostgreSQL database shared by every till of a shop (issue 12).

Optional: with no ``store_url`` a till is standalone on its SQLite journal. With one, the journal
stays the till's write-ahead log and this package connects to the store (:mod:`app.store.db`),
keeps its schema (:mod:`app.store.migrate`, SQL files in ``app/store/migrations``), claims the
till's register code, and replicates the journal in the background.

A core package: no Qt. It may use the journal and the domain; services use it.
"""
