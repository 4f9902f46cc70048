"""``caja store``: the store database shared by the shop's tills (docs/store.md).

* ``caja store status [--json]`` — the store as this till sees it (nothing claimed or sent);
* ``caja store sync [--json]`` — send what this till has not sent yet, and sync the shared catalog,
  users and customers (``caja sync`` does both too);
* ``caja store retry`` — send the records the store refused (set aside) again, once it was fixed;
* ``caja store migrate`` — bring the store's schema up to date (run it with the owner role once per
  upgrade when the tills' role may not create tables);
* ``caja store set URL [--password-stdin]`` — use a store: the URL without its password goes to the
  settings file, the password to the keyring;
* ``caja store forget`` — stop using the store (the till is standalone again).

Exit status: 0 done; 1 the store cannot be reached or refused (the sales stay in the journal and are
sent later).
"""

from __future__ import annotations

import argparse
import json
import sys

from app.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "store",
        help=_("the store database shared by the shop's tills"),
        description=_("The store database (PostgreSQL) shared by the shop's tills: status, sync, set-up."),
    )
    sub = parser.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    status = sub.add_parser("status", help=_("show the store as this till sees it"))
    status.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    status.set_defaults(func=run_status)
    sync = sub.add_parser("sync", help=_("send what this till has not sent to the store yet"))
    sync.add_argument("--json", action="store_true", help=_("print the results as JSON"))
    sync.set_defaults(func=run_sync)
    retry = sub.add_parser("retry", help=_("send the records the store refused again"))
    retry.set_defaults(func=run_retry)
    migrate = sub.add_parser("migrate", help=_("bring the store's schema up to date"))
    migrate.set_defaults(func=run_migrate)
    set_url = sub.add_parser("set", help=_("use a store database (the password goes to the keyring)"))
    set_url.add_argument("url", metavar="URL", help=_("postgresql://user@host:5432/database?sslmode=require"))
    set_url.add_argument(
        "--password-stdin", action="store_true", help=_("read the password from standard input (first line)")
    )
    set_url.set_defaults(func=run_set)
    forget = sub.add_parser("forget", help=_("stop using the store database"))
    forget.set_defaults(func=run_forget)


def run_status(args: argparse.Namespace) -> int:
    from app.commands import settings_of
    from app.diagnostics import journal_path
    from app.store.health import store_health

    health = store_health(settings_of(args), journal_path())
    if args.json:
        print(json.dumps(health.as_dict(), ensure_ascii=False, indent=2))
        return 0 if not health.configured or health.reachable else 1
    if not health.configured:
        print(_("No store database is configured: this till works on its own."))
        return 0
    print(_("Store: {address}").format(address=health.address))
    if health.reachable:
        print(_("Reachable: yes (PostgreSQL {version})").format(version=health.server_version))
        print(_("Schema: {have} (this Caja needs {need})").format(have=health.schema, need=health.expected_schema))
        holder = health.holder
        if holder is None:
            print(_("Register {code}: not claimed").format(code=health.register))
        else:
            print(
                _("Register {code}: held by {host} (last seen {when:%Y-%m-%d %H:%M})").format(
                    code=health.register, host=holder.hostname or holder.till_id, when=holder.last_seen.astimezone()
                )
            )
    else:
        print(_("Reachable: no ({error})").format(error=health.error))
    print(_("Waiting to be sent: {n}").format(n=health.backlog if health.backlog is not None else "?"))
    if health.last_push:
        print(_("Last sent: {when:%Y-%m-%d %H:%M}").format(when=health.last_push.astimezone()))
    if health.quarantined_count:
        print(
            _("Refused by the store and set aside: {n} (fix the cause, then “caja store retry”)").format(
                n=health.quarantined_count
            )
        )
        for row in health.quarantined:
            print(f"  {row.table} #{row.row_id} {row.ref}: {row.error.splitlines()[0] if row.error else ''}")
    return 0 if health.reachable else 1


def run_sync(args: argparse.Namespace) -> int:
    from app.commands import open_services, settings_of
    from app.store.db import StoreError

    if not settings_of(args).store_url:
        print(_("No store database is configured: this till works on its own."), file=sys.stderr)
        return 1
    with open_services(args) as services:
        link = services.store
        if link is None:  # training mode
            print(_("Practice sales are never sent to the store."), file=sys.stderr)
            return 1
        try:
            written = link.sync_now()
            error = ""
        except StoreError as exc:
            written, error = 0, str(exc)
        backlog = link.backlog()
        quarantined = link.quarantined()
        # The catalog, users and customers too, as ``caja sync`` does.
        shared = services.shared.sync() if services.shared is not None else None
    if args.json:
        print(
            json.dumps(
                {
                    "written": written,
                    "backlog": backlog,
                    "quarantined": quarantined,
                    "error": error,
                    "shared": shared.to_dict() if shared is not None else None,
                },
                ensure_ascii=False,
            )
        )
    else:
        if error:
            print(_("The store cannot be reached: {error}").format(error=error), file=sys.stderr)
        print(_("Store: {n} records sent, {left} waiting.").format(n=written, left=backlog))
        if quarantined:
            print(
                _("Refused by the store and set aside: {n} (fix the cause, then “caja store retry”)").format(
                    n=quarantined
                )
            )
        if shared is not None:
            print(shared.summary())
    return 1 if error or (shared is not None and not shared.ok) else 0


def run_retry(args: argparse.Namespace) -> int:
    from app.commands import open_services, settings_of
    from app.store.db import StoreError

    if not settings_of(args).store_url:
        print(_("No store database is configured: this till works on its own."), file=sys.stderr)
        return 1
    with open_services(args) as services:
        link = services.store
        if link is None:
            print(_("Practice sales are never sent to the store."), file=sys.stderr)
            return 1
        again = link.journal.replication.retry_quarantined()
        try:
            link.sync_now()
        except StoreError as exc:
            print(_("The store cannot be reached: {error}").format(error=exc), file=sys.stderr)
            return 1
        left = link.quarantined()
    print(_("{n} set-aside records sent again; {left} still refused.").format(n=again, left=left))
    return 1 if left else 0


def run_migrate(args: argparse.Namespace) -> int:
    from app.commands import settings_of
    from app.store.db import StoreDatabase, StoreError
    from app.store.migrate import current_version, migrate
    from app.store.secret import store_credentials

    settings = settings_of(args)
    if not settings.store_url:
        print(_("No store database is configured: this till works on its own."), file=sys.stderr)
        return 1
    url, password, _source = store_credentials(settings.store_url)
    db = StoreDatabase(url, password=password)
    try:
        applied = migrate(db)
        version = current_version(db)
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        db.close()
    print(_("Store schema version {v} ({n} migrations applied now).").format(v=version, n=len(applied)))
    return 0


def run_set(args: argparse.Namespace) -> int:
    from app.commands import settings_of
    from app.config import save_settings
    from app.domain.errors import ConfigurationError
    from app.domain.redaction import strip_password
    from app.store.db import StoreError, parse_store_url, url_password
    from app.store.secret import set_store_password

    try:
        parse_store_url(args.url)
    except StoreError as exc:
        raise ConfigurationError(str(exc)) from None
    password = url_password(args.url)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n") or password
    settings = settings_of(args)
    save_settings(settings.model_copy(update={"store_url": strip_password(args.url)}))
    where = set_store_password(password) if password else ""
    print(_("Store database set: {url}").format(url=strip_password(args.url)))
    if where == "file":
        print(_("No system keyring: the password is kept in a file readable by this user only."))
    return 0


def run_forget(args: argparse.Namespace) -> int:
    from app.commands import settings_of
    from app.config import save_settings
    from app.diagnostics import journal_path
    from app.journal import Journal
    from app.store.secret import set_store_password

    settings = settings_of(args)
    save_settings(settings.model_copy(update={"store_url": ""}))
    set_store_password(None)
    if journal_path().exists():
        with Journal.open(journal_path()) as journal:
            journal.replication.disable()
    print(_("This till no longer uses a store database."))
    return 0
