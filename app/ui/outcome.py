"""How the sale screen shows the outcome of a charge: a pure mapping, testable without widgets.

The sentences are the service's (:attr:`CheckoutResult.message`); this module only decides the
colour, the badge, whether the sale is finished and what the cashier can do next, and adds what
only the window knows (the Reprint button, F12, the change to hand back).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from app.api.errors import Unauthorized
from app.i18n import _
from app.journal import SaleRecord
from app.services.checkout import CheckoutResult, ReceiptKind, SaleOutcome
from app.ui.cart_model import fmt_money

#: Outcomes after which the sale is over (the cart clears, the change is shown).
FINISHED = frozenset({SaleOutcome.ISSUED, SaleOutcome.CONTINGENCY, SaleOutcome.NOT_PRINTED, SaleOutcome.QUEUED})


class Severity(StrEnum):
    """How a message looks: green, amber or red."""

    OK = "ok"
    WARN = "warn"
    ERROR = "error"


STYLES = {
    Severity.OK: "background:#e6f4ea; color:#0b5d1e; padding:6px; border-radius:4px;",
    Severity.WARN: "background:#fff4e5; color:#8a4b00; padding:6px; border-radius:4px;",
    Severity.ERROR: "background:#fdecea; color:#b00020; padding:6px; border-radius:4px;",
}
OK_STYLE, WARN_STYLE, ERROR_STYLE = STYLES[Severity.OK], STYLES[Severity.WARN], STYLES[Severity.ERROR]


@dataclass(frozen=True)
class Badge:
    """The word shown next to the message (``CONTINGENCY``, ``NOT PRINTED``, ...)."""

    text: str
    severity: Severity


@dataclass(frozen=True)
class Presentation:
    """What the sale screen shows for a :class:`CheckoutResult`.

    Attributes:
        text: the message (the service's sentence, plus what the window adds).
        severity: its colour.
        badge: the badge, or None for none.
        finished: the sale is over: clear the cart, show the change.
        reprint: offer "Reprint ticket" (issued, ticket not printed).
        change: the change to hand back (None when nothing was tendered or the sale is not over).
        headline: for an invalid sale with field errors, the line above them.
        follow_up: a line about the last sale (its reprint): the badge and the change due stay.
    """

    text: str
    severity: Severity
    badge: Badge | None = None
    finished: bool = False
    reprint: bool = False
    change: Decimal | None = None
    headline: str = ""
    follow_up: bool = False

    @property
    def style(self) -> str:
        return STYLES[self.severity]


def change_text(change: Decimal | None) -> str:
    """``Change due: $x.xx`` ("" when there is no change to hand back)."""
    return _("Change due: {amount}").format(amount=fmt_money(change)) if change else ""


def present_outcome(result: CheckoutResult, change: Decimal | None = None) -> Presentation:
    """Map ``result`` (and the change for the cash tendered, if any) to what the screen shows."""
    outcome = result.outcome
    finished = outcome in FINISHED
    due = change if finished and change else None
    tail = ("\n" + change_text(due)) if due else ""
    if outcome is SaleOutcome.NOT_PRINTED:
        contingency = result.state is not None and result.state.value == "contingency"
        badge = Badge(_("CONTINGENCY"), Severity.WARN) if contingency else Badge(_("NOT PRINTED"), Severity.ERROR)
        text = result.message + "\n" + _("Fix the printer and press “Reprint ticket”.")
        return Presentation(text + tail, Severity.ERROR, badge, finished=True, reprint=True, change=due)
    if outcome is SaleOutcome.CONTINGENCY:
        return Presentation(
            result.message + tail, Severity.WARN, Badge(_("CONTINGENCY"), Severity.WARN), finished=True, change=due
        )
    if outcome is SaleOutcome.ISSUED:
        return Presentation(result.message + tail, Severity.OK, finished=True, change=due)
    if outcome is SaleOutcome.QUEUED:
        text = result.message + " " + _("You can go on selling.")
        if result.receipt is ReceiptKind.PROVISIONAL:
            text += "\n" + _("A provisional receipt was printed; the invoice follows when the connection returns.")
        return Presentation(text + tail, Severity.WARN, Badge(_("QUEUED"), Severity.WARN), finished=True, change=due)
    if outcome is SaleOutcome.REJECTED:
        reasons = "\n".join(f"• {o}" for o in result.observaciones)
        text = result.message + ("\n" + reasons if reasons else "") + "\n" + correct_hint()
        return Presentation(text, Severity.ERROR, Badge(_("REJECTED"), Severity.ERROR))
    # invalid: nothing was issued; the sale waits in Recent sales for correction
    headline = _("The invoice was not issued:")
    return Presentation(
        headline + "\n" + result.message + "\n" + correct_hint(),
        Severity.ERROR,
        Badge(_("NOT ISSUED"), Severity.ERROR),
        headline=headline,
    )


def correct_hint() -> str:
    """How a sale that came back for correction gets back into the cart."""
    return _("Recent sales (F6) › “Correct and charge” puts it back in the cart, with its reference.")


def misconfigured_message(exc: BaseException, ref: str) -> str:
    """A charge refused because the API key or address is wrong: not an outage, nothing issued."""
    if isinstance(exc, Unauthorized):
        return unauthorized_message(ref)
    kept = _("Sale {ref} is kept, not issued.").format(ref=ref) if ref else _("The sale is kept, not issued.")
    said = getattr(exc, "message", "") or _("Ocote did not answer as expected at this address.")
    return (
        said
        + " "
        + kept
        + "\n"
        + _(
            "Check the API address in File › Settings (Ctrl+,) and restart Caja; then select the sale in "
            "Recent sales (F6) or History (F3) and press “Correct and charge”."
        )
    )


def unauthorized_message(ref: str) -> str:
    """What the cashier does when Ocote refuses the API key in the middle of a charge."""
    kept = _("Sale {ref} is kept, not issued.").format(ref=ref) if ref else _("The sale is kept, not issued.")
    return (
        _("Ocote did not accept the API key: the invoice was NOT issued.")
        + " "
        + kept
        + "\n"
        + _(
            "Check the API key in File › Settings (Ctrl+,) and restart Caja; once the key works, select "
            "the sale in Recent sales (F6) or History (F3) and press “Correct and charge”."
        )
    )


def present_correction(sale: SaleRecord) -> Presentation:
    """A rejected or invalid journaled sale put back on the sale screen to be corrected."""
    observaciones = sale.document.observaciones if sale.document else ()
    reasons = "\n".join(f"• {o}" for o in observaciones) or sale.last_error
    text = _("Correcting sale {ref}: fix it and charge it again (F12); it keeps its reference.").format(
        ref=sale.external_ref
    ) + ("\n" + reasons if reasons else "")
    return Presentation(text, Severity.ERROR, Badge(sale.state.label.upper(), Severity.ERROR))


def present_reprint(reason: str, printed: bool) -> Presentation:
    """The retry of an unprinted ticket: printed, or why not (the badge stays as it was)."""
    if printed:
        return Presentation(_("Ticket printed."), Severity.OK, follow_up=True)
    return Presentation(_("The ticket was NOT printed: {reason}").format(reason=reason), Severity.ERROR, follow_up=True)
