"""The local Ocote Connect-compatible server: training mode, demos and tests, no account needed.

Modules: :mod:`~app.sandbox.server` (HTTP lifecycle, :class:`~app.sandbox.server.SandboxServer`),
:mod:`~app.sandbox.routes` (the routes, controls and rate-limit headers),
:mod:`~app.sandbox.store` (documents, idempotency, outcomes; :mod:`~app.sandbox.documents` the
document model and its codec, :mod:`~app.sandbox.ratelimit` the rate-limit windows),
:mod:`~app.sandbox.rules` (request validation and amounts, independent of :mod:`app.domain`),
:mod:`~app.sandbox.dte` (issuer and DTE JSON), :mod:`~app.sandbox.ticket` (ticket and letter PDFs),
:mod:`~app.sandbox.words` (amounts in Spanish words), :mod:`~app.sandbox.catalogs`,
:mod:`~app.sandbox.cli` (``caja sandbox``).
"""
