"""What a cash session reports: the X/Z report (:class:`SessionReport`), its JSON and CSV, the
drawer's arithmetic (:func:`expected_cash`) and the 80 mm layouts of the report and of the
drawer-opened slip. Pure values and layouts: the session itself is :mod:`app.services.cash`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.catalogs import PaymentMethod
from app.domain.users import User
from app.i18n import _
from app.journal import CashSessionRecord, SessionFigures

CASH = str(PaymentMethod.CASH.value)  # "01"
ZERO = Decimal("0.00")
CENT = Decimal("0.01")

#: The JSON keys of a report, in order (the command-line contract).
REPORT_KEYS = (
    "session_id",
    "cashier",
    "opened_at",
    "closed_at",
    "opening_float",
    "cash_sales",
    "cash_in",
    "cash_out",
    "expected_cash",
    "counted_cash",
    "difference",
    "by_payment",
    "sales",
    "voids",
    "copies",
)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def expected_cash(
    opening_float: Decimal, cash_sales: Decimal, cash_voided: Decimal, cash_in: Decimal, cash_out: Decimal
) -> Decimal:
    """What the drawer should hold: float + cash sales - cash sales voided + cash in - cash out."""
    return opening_float + cash_sales - cash_voided + cash_in - cash_out


@dataclass(frozen=True)
class PaymentTotal:
    count: int
    gross: Decimal


@dataclass(frozen=True)
class SessionReport:
    """An X report (session open: ``closed_at``, ``counted_cash`` and ``difference`` are None) or
    a Z report (closed).

    Attributes:
        by_payment: CAT-017 code -> count and gross of the sales charged in the session.
        sales, voids, copies: how many were charged, voided and reprinted during the session.
        movements: the cash movements and drawer openings (not in :meth:`to_dict`).
        denominations: the count by denomination when the close was counted so.
        register, closed_by: for the printed report.
    """

    session_id: int
    cashier: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float: Decimal
    cash_sales: Decimal
    cash_voided: Decimal
    cash_in: Decimal
    cash_out: Decimal
    expected_cash: Decimal
    counted_cash: Decimal | None
    difference: Decimal | None
    by_payment: dict[str, PaymentTotal]
    sales: int
    voids: int
    copies: int
    register: str = ""
    closed_by: str = ""
    drawer_openings: int = 0
    denominations: dict[str, int] = field(default_factory=dict)

    @property
    def is_final(self) -> bool:
        """True for a Z report (the session is closed)."""
        return self.closed_at is not None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``caja session report/close --json``: exactly :data:`REPORT_KEYS`, money as
        decimal strings (``"-0.50"``), times as ISO-8601."""
        return {
            "session_id": self.session_id,
            "cashier": self.cashier,
            "opened_at": self.opened_at.isoformat(),
            "closed_at": None if self.closed_at is None else self.closed_at.isoformat(),
            "opening_float": _money(self.opening_float),
            "cash_sales": _money(self.cash_sales),
            "cash_in": _money(self.cash_in),
            "cash_out": _money(self.cash_out),
            "expected_cash": _money(self.expected_cash),
            "counted_cash": _money(self.counted_cash),
            "difference": _money(self.difference),
            "by_payment": {
                code: {"count": t.count, "gross": _money(t.gross)} for code, t in sorted(self.by_payment.items())
            },
            "sales": self.sales,
            "voids": self.voids,
            "copies": self.copies,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def to_csv(self, path: str | Path) -> Path:
        """Write the report as ``field,value`` rows (``by_payment.01.gross`` for the methods)."""
        target = Path(path)
        rows: list[tuple[str, object]] = []
        for key, value in self.to_dict().items():
            if key == "by_payment":
                for code, total in value.items():
                    rows.append((f"by_payment.{code}.count", total["count"]))
                    rows.append((f"by_payment.{code}.gross", total["gross"]))
            else:
                rows.append((key, "" if value is None else value))
        with target.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(("field", "value"))
            writer.writerows(rows)
        return target

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], **extra: Any) -> SessionReport:
        """Rebuild a frozen Z report (as stored at the close)."""

        def money(key: str) -> Decimal | None:
            value = data.get(key)
            return None if value is None else Decimal(value)

        return cls(
            session_id=int(data["session_id"]),
            cashier=str(data["cashier"]),
            opened_at=datetime.fromisoformat(data["opened_at"]),
            closed_at=datetime.fromisoformat(data["closed_at"]) if data.get("closed_at") else None,
            opening_float=Decimal(data["opening_float"]),
            cash_sales=Decimal(data["cash_sales"]),
            cash_voided=Decimal(data.get("cash_voided", "0.00")),
            cash_in=Decimal(data["cash_in"]),
            cash_out=Decimal(data["cash_out"]),
            expected_cash=Decimal(data["expected_cash"]),
            counted_cash=money("counted_cash"),
            difference=money("difference"),
            by_payment={
                code: PaymentTotal(int(t["count"]), Decimal(t["gross"]))
                for code, t in data.get("by_payment", {}).items()
            },
            sales=int(data["sales"]),
            voids=int(data["voids"]),
            copies=int(data["copies"]),
            register=str(data.get("register", "")),
            closed_by=str(data.get("closed_by", "")),
            drawer_openings=int(data.get("drawer_openings", 0)),
            denominations={str(k): int(v) for k, v in data.get("denominations", {}).items()},
            **extra,
        )

    def to_stored(self) -> dict[str, Any]:
        """What the journal keeps at the close: the JSON plus what the printed report shows."""
        return {
            **self.to_dict(),
            "cash_voided": _money(self.cash_voided),
            "register": self.register,
            "closed_by": self.closed_by,
            "drawer_openings": self.drawer_openings,
            "denominations": self.denominations,
        }


def build_report(session: CashSessionRecord, cashier: str, figures: SessionFigures) -> SessionReport:
    """The X report of ``session`` from its journal figures (pure arithmetic, no I/O)."""
    by_payment: dict[str, PaymentTotal] = {}
    for method, gross in figures.sales:
        known = by_payment.get(method, PaymentTotal(0, ZERO))
        by_payment[method] = PaymentTotal(known.count + 1, known.gross + gross)
    cash_sales = by_payment.get(CASH, PaymentTotal(0, ZERO)).gross
    cash_voided = sum((gross for method, gross in figures.voids if method == CASH), ZERO)
    cash_in = sum((m.amount for m in figures.movements if m.kind == "in"), ZERO)
    cash_out = sum((m.amount for m in figures.movements if m.kind == "out"), ZERO)
    return SessionReport(
        session_id=session.id,
        cashier=cashier,
        opened_at=session.opened_at,
        closed_at=None,
        opening_float=session.opening_float,
        cash_sales=cash_sales,
        cash_voided=cash_voided,
        cash_in=cash_in,
        cash_out=cash_out,
        expected_cash=expected_cash(session.opening_float, cash_sales, cash_voided, cash_in, cash_out),
        counted_cash=None,
        difference=None,
        by_payment=by_payment,
        sales=len(figures.sales),
        voids=len(figures.voids),
        copies=figures.copies,
        register=session.register,
        drawer_openings=sum(1 for m in figures.movements if m.kind == "drawer"),
    )


# -------------------------------------------------------------------------------- printing
def report_layout(report: SessionReport, *, tz: Any = None) -> Any:
    """The 80 mm layout of an X or Z report (:class:`~app.printing.compose.ReceiptLayout`)."""
    from app.printing.compose import ReceiptLayout, format_money
    from app.printing.provisional import payment_method_label

    def when(moment: datetime | None) -> str:
        return "-" if moment is None else moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    final = report.is_final
    layout = ReceiptLayout(pdf_title=_("Z report") if final else _("X report"))
    layout.title(_("Z REPORT — SESSION CLOSE") if final else _("X REPORT — SESSION SO FAR"))
    if report.register:
        layout.text(_("Register {register}").format(register=report.register), align="center")
    layout.text(_("Session {id}").format(id=report.session_id), align="center")
    layout.rule()
    layout.row(_("Cashier"), report.cashier, bold=True)
    layout.row(_("Opened"), when(report.opened_at))
    layout.row(_("Closed"), when(report.closed_at) if final else _("still open"))
    if report.closed_by and report.closed_by != report.cashier:
        layout.row(_("Closed by"), report.closed_by)
    layout.rule()
    layout.text(_("Cash drawer"), bold=True)
    layout.row(_("Opening float"), format_money(report.opening_float))
    layout.row(_("+ Cash sales"), format_money(report.cash_sales))
    layout.row(_("− Cash sales voided"), format_money(report.cash_voided))
    layout.row(_("+ Cash in"), format_money(report.cash_in))
    layout.row(_("− Cash out"), format_money(report.cash_out))
    layout.row(_("Expected cash"), format_money(report.expected_cash), bold=True)
    if report.counted_cash is not None:
        layout.row(_("Counted cash"), format_money(report.counted_cash), bold=True)
        difference = report.difference if report.difference is not None else ZERO
        label = (
            _("Difference (short)") if difference < 0 else _("Difference (over)") if difference > 0 else _("Difference")
        )
        layout.row(label, format_money(difference), bold=True)
    if report.denominations:
        layout.gap(1)
        layout.text(_("Counted by denomination"), size=7.5)
        for denomination, count in sorted(report.denominations.items(), key=lambda kv: -Decimal(kv[0])):
            value = Decimal(denomination)
            layout.row(f"{count} × {format_money(value)}", format_money(value * count), size=7.5, indent_mm=2)
    layout.rule()
    layout.text(_("By payment method"), bold=True)
    if not report.by_payment:
        layout.text(_("No sales."), size=7.5)
    for code, total in sorted(report.by_payment.items()):
        layout.row(f"{total.count} × {payment_method_label(code)}", format_money(total.gross))
    layout.rule()
    layout.row(_("Sales"), str(report.sales))
    layout.row(_("Voids"), str(report.voids))
    layout.row(_("Copies"), str(report.copies))
    layout.row(_("Drawer openings without a sale"), str(report.drawer_openings))
    if final:
        layout.gap(8)
        layout.text("_______________________________", align="center")
        layout.text(_("Signature: {name}").format(name=report.closed_by or report.cashier), align="center", size=7.5)
    else:
        layout.gap(2)
        layout.text(_("X report: the session stays open."), align="center", size=7.5)
    return layout


def compose_report(report: SessionReport, *, tz: Any = None) -> bytes:
    """The PDF of an X or Z report on 80 mm paper (rendered on the MuPDF thread)."""
    from app.printing.compose import render

    return render(report_layout(report, tz=tz))


def compose_drawer_slip(register: str, user: User, supervisor: User, reason: str, at: datetime) -> bytes:
    """The short slip printed when the drawer is opened without a sale."""
    from app.printing.compose import ReceiptLayout, render

    layout = ReceiptLayout(pdf_title=_("Drawer opened"))
    layout.title(_("DRAWER OPENED — NO SALE"))
    layout.text(_("Register {register}").format(register=register), align="center")
    layout.rule()
    layout.row(_("Cashier"), user.name)
    layout.row(_("Allowed by"), supervisor.name)
    layout.row(_("Time"), at.astimezone().strftime("%Y-%m-%d %H:%M"))
    layout.text(_("Reason: {reason}").format(reason=reason))
    return render(layout)
