"""Cash sessions: one open per register, the drawer's arithmetic (also over random shifts, against an
independent sum), movements, who may close, the frozen Z report, its JSON/CSV and its print."""

from __future__ import annotations

import csv
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.catalogs import PaymentMethod
from app.domain.ccf import DocType
from app.domain.errors import ValidationError
from app.domain.invoice import Customer, InvoiceDraft, Payment, SaleLine
from app.domain.users import Operator, User
from app.journal import Journal, SaleState, SessionClosed
from app.services.cash import (
    REPORT_KEYS,
    CashSessionService,
    NoOpenSession,
    SessionAlreadyOpen,
    count_denominations,
    parse_amount,
)
from app.services.permissions import NotAllowed
from app.services.users import UsersService
from tests.helpers.cash import REGISTER, prehashed, sell, void
from tests.helpers.clock import FakeWallClock


def test_one_open_session_per_register(cash, ana, luis, journal):
    assert cash.current() is None
    session = cash.open(ana, "50")
    assert session.opening_float == Decimal("50.00") and session.cashier == ana and session.is_open
    assert journal.operator == Operator(ana.id, session.id, "Ana")
    with pytest.raises(SessionAlreadyOpen) as caught:
        cash.open(luis, "20.00")
    assert "Ana" in caught.value.message
    other = CashSessionService(journal, cash._users, register="M001P002")
    assert other.open(luis, "0").register == "M001P002"  # another register has its own
    assert cash.current() == session


def test_no_open_session_says_how_to_open_one(cash, ana):
    for attempt in (cash.report, lambda: cash.cash_in("1", "x", ana), lambda: cash.close("0", ana)):
        with pytest.raises(NoOpenSession) as caught:
            attempt()
        assert "caja session open" in caught.value.message


@pytest.mark.parametrize("amount", ["-1", "abc", "1.001", "NaN", "99999999"])
def test_amounts_are_checked(cash, ana, amount):
    with pytest.raises(ValidationError):
        cash.open(ana, amount)


def test_amount_parsing():
    assert parse_amount("$1,234.5") == Decimal("1234.50")
    assert parse_amount(Decimal(3)) == Decimal("3.00")
    with pytest.raises(ValidationError):
        parse_amount("0", allow_zero=False)


def test_the_report_of_a_shift(cash, journal, ana, beto):
    cash.open(ana, Decimal("50.00"))
    sold = sell(journal, "10.17")
    sell(journal, "2.26", method="02")
    sell(journal, "3.00", state=SaleState.QUEUED)  # charged, waiting for Ocote: in the drawer
    sell(journal, "7.00", state=SaleState.REJECTED)  # not charged
    void(journal, sold)
    cash.cash_in("5.00", "cambio", ana)
    cash.cash_out("8.00", "pago proveedor", ana, beto)
    journal.prints.record(sold.id, "copy", "dummy:", "ok")
    journal.prints.record(sold.id, "copy", "dummy:", "failed", "sin papel")

    x = cash.report()
    assert x.to_dict() == {
        "session_id": x.session_id,
        "cashier": "Ana",
        "opened_at": x.opened_at.isoformat(),
        "closed_at": None,
        "opening_float": "50.00",
        "cash_sales": "13.17",
        "cash_in": "5.00",
        "cash_out": "8.00",
        "expected_cash": "50.00",
        "counted_cash": None,
        "difference": None,
        "by_payment": {"01": {"count": 2, "gross": "13.17"}, "02": {"count": 1, "gross": "2.26"}},
        "sales": 3,
        "voids": 1,
        "copies": 1,
    }
    assert x.cash_voided == Decimal("10.17")
    assert cash.current() is not None  # X leaves it open

    z = cash.close(Decimal("49.50"), ana)
    assert list(z.to_dict()) == list(REPORT_KEYS)
    assert z.to_dict()["counted_cash"] == "49.50" and z.to_dict()["difference"] == "-0.50"
    assert z.is_final and cash.current() is None
    assert journal.operator == Operator(ana.id, None, "Ana")  # still logged in, no session


def test_counting_by_denomination(cash, journal, ana):
    cash.open(ana, "20")
    sell(journal, "4.67")
    z = cash.close({Decimal("20"): 1, Decimal("1"): 4, "0.25": 2, Decimal("0.10"): 1, "0.05": 1, "0.01": 2}, ana)
    assert z.counted_cash == Decimal("24.67") and z.difference == Decimal("0.00")
    assert z.denominations == {"20.00": 1, "1.00": 4, "0.25": 2, "0.10": 1, "0.05": 1, "0.01": 2}
    assert cash.report(z.session_id).denominations == z.denominations


@pytest.mark.parametrize("counts", [{"3.00": 1}, {"20": -1}, {"20": 1.5}, {"x": 1}])
def test_bad_denominations(counts):
    with pytest.raises(ValidationError):
        count_denominations(counts)


def test_a_closed_session_is_immutable(cash, journal, ana, beto):
    first = cash.open(ana, "10")
    sale = sell(journal, "5.00")
    z = cash.close("15.00", ana)
    assert z.difference == Decimal("0.00")
    with pytest.raises(SessionClosed):
        journal.sessions.close(
            first.id,
            closed_by=ana.id,
            supervisor_id=None,
            counted=Decimal(0),
            counted_detail="",
            expected=Decimal(0),
            difference=Decimal(0),
            report="",
            closed_at=z.closed_at,
        )
    with pytest.raises(SessionClosed):
        journal.sessions.add_movement(first.id, "in", Decimal(1), "x", user_id=ana.id)
    # The next shift voids a sale of the first: the Z report of the first does not move; the
    # refund comes out of the drawer where it is made.
    second = cash.open(ana, "15.00")
    void(journal, sale)
    assert cash.report(first.id).to_dict() == z.to_dict()
    x = cash.report()
    assert x.session_id == second.id and x.voids == 1 and x.expected_cash == Decimal("10.00")
    assert journal.sessions.get(first.id).report  # frozen JSON


def test_cash_out_and_drawer_need_a_supervisor(cash, ana, luis, beto, journal):
    cash.open(ana, "50")
    with pytest.raises(NotAllowed):
        cash.cash_out("5", "x", ana, luis)
    with pytest.raises(NotAllowed):
        cash.open_drawer("x", ana, luis)
    with pytest.raises(ValidationError):
        cash.cash_in("5", "   ", ana)
    with pytest.raises(ValidationError):
        cash.cash_out("0", "x", ana, beto)
    movement = cash.open_drawer("cambio para cliente", ana, beto)
    assert (movement.kind, movement.amount, movement.user_id, movement.supervisor_id) == ("drawer", 0, ana.id, beto.id)
    [entry] = journal.audit.trail(action="cash_drawer")
    assert (entry.user_id, entry.supervisor_id, entry.session_id) == (ana.id, beto.id, movement.session_id)
    assert cash.report().drawer_openings == 1


def test_opening_the_drawer_kicks_it_through_the_print_queue(journal, users, ana, beto, clock):
    from app.services.print_queue import PrintQueue

    class Recorder:
        description = "recorder"
        jobs: list[tuple[bytes, bool]] = []

        def print_pdf(self, pdf, *, label=None, drawer=False):
            self.jobs.append((pdf, drawer))

    recorder = Recorder()
    queue = PrintQueue(recorder)
    try:
        cash = CashSessionService(journal, users, queue, clock=clock, register=REGISTER)
        cash.open(ana, "0")
        cash.open_drawer("sin venta", ana, beto)
    finally:
        queue.close()
    [(pdf, drawer)] = recorder.jobs
    assert drawer is True and pdf.startswith(b"%PDF")


def test_who_may_close(cash, journal, ana, luis, beto):
    cash.open(ana, "0")
    with pytest.raises(NotAllowed) as caught:
        cash.close("0", luis)
    assert "Ana" in caught.value.message
    with pytest.raises(NotAllowed):
        cash.close("0", luis, supervisor=luis)
    z = cash.close("0", luis, supervisor=beto)
    assert z.closed_by == "Luis"
    assert journal.sessions.get(z.session_id).supervisor_id == beto.id
    cash.open(ana, "0")
    assert cash.close("0", beto).closed_by == "Beto"  # a supervisor closes alone


def test_sales_record_session_and_cashier(cash, journal, ana):
    session = cash.open(ana, "0")
    sale = sell(journal, "1.00")
    assert (sale.session_id, sale.user_id, sale.cashier) == (session.id, ana.id, "Ana")
    job = journal.prints.record(sale.id, "copy", "dummy:", "ok")
    assert (job.session_id, job.user_id) == (session.id, ana.id)
    [create] = journal.audit.trail(sale.id, action="create")
    assert (create.session_id, create.user_id) == (session.id, ana.id)


def test_csv_export(cash, journal, ana, tmp_path):
    cash.open(ana, "10")
    sell(journal, "2.50")
    target = cash.close("12.00", ana).to_csv(tmp_path / "z.csv")
    with target.open(encoding="utf-8") as handle:
        rows = dict(csv.reader(handle))
    assert rows["difference"] == "-0.50" and rows["by_payment.01.gross"] == "2.50" and rows["closed_at"]


def test_sessions_of_the_day_list_their_differences(cash, journal, ana, clock):
    cash.open(ana, "10")
    cash.close("9.50", ana)
    cash.open(ana, "10")
    day = clock.now.astimezone().date()
    reports = cash.sessions_of_day(day)
    assert [(r.is_final, r.difference) for r in reports] == [(True, Decimal("-0.50")), (False, None)]


# ----------------------------------------------------------------------------- random shifts
_METHODS = ("01", "02", "03")
_STATES = (
    SaleState.ISSUED,
    SaleState.CONTINGENCY,
    SaleState.QUEUED,
    SaleState.PENDING,
    SaleState.REJECTED,
    SaleState.INVALID,
)
_op = st.one_of(
    st.tuples(st.just("sale"), st.sampled_from(_METHODS), st.integers(1, 50_000), st.sampled_from(_STATES)),
    # A crédito fiscal (03): contributor type, and the total to pay of its signed DTE when one was
    # fetched (Ocote's figure wins over the preview: here the preview less up to a few cents).
    st.tuples(
        st.just("ccf"),
        st.sampled_from(_METHODS),
        st.integers(1, 500_000),
        st.sampled_from(_STATES),
        st.integers(1, 4),
        st.none() | st.integers(0, 3),
    ),
    st.tuples(st.just("void"), st.integers(0, 1000)),
    st.tuples(st.just("in"), st.integers(1, 20_000)),
    st.tuples(st.just("out"), st.integers(1, 20_000)),
    st.tuples(st.just("copy"), st.integers(0, 1000)),
    st.tuples(st.just("close"), st.integers(0, 10_000)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(float_cents=st.integers(0, 100_000), ops=st.lists(_op, max_size=30))
def test_random_shifts_add_up(tmp_path_factory, float_cents, ops):
    """Sales, voids (also of an earlier shift's sales), copies and movements in any order, with
    closes in between: every report equals a sum kept independently here."""
    cents = Decimal("0.01")
    clock = FakeWallClock()
    with Journal.open(tmp_path_factory.mktemp("shift") / "journal.sqlite3", clock=clock) as journal:
        users = UsersService(journal, clock=clock)
        ana = _fast_user(journal, "Ana", "cashier")
        beto = _fast_user(journal, "Beto", "supervisor")
        cash = CashSessionService(journal, users, clock=clock, register=REGISTER)

        def new_model() -> dict:
            return {
                "float": float_cents * cents,
                "cash_sales": Decimal(0),
                "voided": Decimal(0),
                "in": Decimal(0),
                "out": Decimal(0),
                "sales": 0,
                "voids": 0,
                "copies": 0,
                "by": {},
            }

        cash.open(ana, float_cents * cents)
        model = new_model()
        sales: list = []  # (sale, charged)
        paid: dict[int, Decimal] = {}  # a CCF: what its customer paid, computed here
        closed: list[tuple[int, dict]] = []
        for op in ops:
            clock.advance(seconds=1)
            kind = op[0]
            if kind == "sale":
                _, method, amount, state = op
                sale = sell(journal, amount * cents, method=method, state=state)
                assert sale.total_gross == amount * cents
                sales.append(sale)
                if state not in (SaleState.REJECTED, SaleState.INVALID):
                    model["sales"] += 1
                    count, gross = model["by"].get(method, (0, Decimal(0)))
                    model["by"][method] = (count + 1, gross + amount * cents)
                    if method == "01":
                        model["cash_sales"] += amount * cents
            elif kind == "ccf":
                _, method, amount, state, contributor, dte_off = op
                gross = amount * cents
                sale = _sell_ccf(journal, gross, method, state, contributor)
                to_pay = gross - _withheld(gross, contributor)  # what the payment dialog charged
                if dte_off is not None and state in (SaleState.ISSUED, SaleState.CONTINGENCY):
                    to_pay -= dte_off * cents
                    _attach_dte(journal, sale.id, to_pay)
                paid[sale.id] = to_pay
                sales.append(sale)
                if state not in (SaleState.REJECTED, SaleState.INVALID):
                    model["sales"] += 1
                    count, total = model["by"].get(method, (0, Decimal(0)))
                    model["by"][method] = (count + 1, total + to_pay)
                    if method == "01":
                        model["cash_sales"] += to_pay
            elif kind == "void":
                candidates = [
                    s for s in sales if journal.sales.get(s.id).state in (SaleState.ISSUED, SaleState.CONTINGENCY)
                ]
                if candidates:
                    sale = candidates[op[1] % len(candidates)]
                    void(journal, sale)
                    model["voids"] += 1
                    if sale.payment_method == "01":
                        model["voided"] += paid.get(sale.id, sale.total_gross)
            elif kind in ("in", "out"):
                if kind == "in":
                    cash.cash_in(op[1] * cents, "x", ana)
                else:
                    cash.cash_out(op[1] * cents, "x", ana, beto)
                model[kind] += op[1] * cents
            elif kind == "copy":
                if sales:
                    journal.prints.record(sales[op[1] % len(sales)].id, "copy", "dummy:", "ok")
                    model["copies"] += 1
            else:  # close with some count, open the next shift
                z = cash.close(op[1] * cents, ana)
                _check(z, model, counted=op[1] * cents)
                closed.append((z.session_id, z.to_dict()))
                cash.open(ana, float_cents * cents)
                model = new_model()
        _check(cash.report(), model)
        for session_id, frozen in closed:
            assert cash.report(session_id).to_dict() == frozen


def _withheld(gross: Decimal, contributor: int) -> Decimal:
    """MH's 1 % withholding, computed here apart from app.domain.ccf: on the taxable base
    (gross / 1.13, to cents half-up) of a large (3) or government (4) contributor from $100.00."""
    base = (gross / Decimal("1.13")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if contributor in (3, 4) and base >= 100:
        return (base / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Decimal(0)


def _sell_ccf(journal: Journal, gross: Decimal, method: str, state: SaleState, contributor: int):
    customer = Customer(
        name="Constructora El Roble",
        nit="06142010261016",
        nrc="1234567",
        type_contributor=contributor,
        activity_code="47521",
        department="06",
        municipality="14",
        address="Calle 1",
        email="compras@roble.example",
    )
    draft = InvoiceDraft(
        lines=(SaleLine("Cemento", Decimal(1), gross),),
        customer=customer,
        doc_type=DocType.CCF,
        payment=Payment(method=PaymentMethod(method)),
    )
    return journal.sales.create(draft, register=REGISTER, state=state)


def _attach_dte(journal: Journal, sale_id: int, to_pay: Decimal) -> None:
    journal.documents.record(sale_id, {"document_id": f"doc-{sale_id}", "control_number": "x"})
    journal.documents.store_dte(sale_id, {"resumen": {"totalPagar": float(to_pay), "ivaRete1": 0}})


def test_a_ccf_with_withholding_counts_what_the_customer_paid(cash, journal, ana):
    """$135.60 to a large contributor: the customer pays $134.40 (the printout's TOTAL A PAGAR);
    the drawer expects that, not the gross, before and after the DTE is known, and on its void."""
    cash.open(ana, Decimal("50.00"))
    sale = _sell_ccf(journal, Decimal("135.60"), "01", SaleState.QUEUED, 3)
    assert cash.report().expected_cash == Decimal("184.40")
    assert cash.report().by_payment["01"].gross == Decimal("134.40")
    journal.sales.set_state(sale.id, SaleState.ISSUED)
    _attach_dte(journal, sale.id, Decimal("134.40"))
    assert cash.report().expected_cash == Decimal("184.40")
    void(journal, journal.sales.get(sale.id))
    assert cash.report().expected_cash == Decimal("50.00")


def _fast_user(journal: Journal, name: str, role: str) -> User:
    from app.domain.users import Role

    record = journal.users.add(name, role, prehashed("1234"))
    return User(record.id, record.name, Role(role))


def _check(report, model: dict, counted: Decimal | None = None) -> None:
    expected = model["float"] + model["cash_sales"] - model["voided"] + model["in"] - model["out"]
    assert report.expected_cash == expected
    assert report.cash_sales == model["cash_sales"] and report.cash_voided == model["voided"]
    assert (report.cash_in, report.cash_out) == (model["in"], model["out"])
    assert (report.sales, report.voids, report.copies) == (model["sales"], model["voids"], model["copies"])
    assert {code: (t.count, t.gross) for code, t in report.by_payment.items()} == model["by"]
    if counted is not None:
        assert report.difference == counted - expected
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["expected_cash"] == str(expected.quantize(Decimal("0.01")))


def test_the_z_report_on_paper(cash, journal, ana, beto, tmp_path):
    """The Z report through the real raster -> ESC/POS -> decoder path (the PNG is kept for people
    to look at), with the cashier's name and every figure in the layout."""
    from app.printing.decoder import decode_job
    from app.printing.escpos import encode_job
    from app.printing.profiles import get_profile
    from app.printing.raster import render_pdf
    from app.services.cash import compose_report, report_layout

    cash.open(ana, "50.00")
    sold = sell(journal, "10.17")
    sell(journal, "2.26", method="02")
    void(journal, sold)
    cash.cash_out("8.00", "pago", ana, beto)
    z = cash.close({Decimal("20"): 2, "0.25": 1}, ana)
    texts = " ".join(
        str(getattr(b, "text", "")) + " " + str(getattr(b, "label", "")) + " " + str(getattr(b, "value", ""))
        for b in report_layout(z).blocks
    )
    for expected in ("Ana", "$50.00", "$10.17", "$8.00", "$42.00", "$40.25", "-$1.75", "$2.26"):
        assert expected in texts, expected
    profile = get_profile("generic-80")
    image = decode_job(encode_job(render_pdf(compose_report(z), profile.dots, dpi=profile.dpi), profile), profile).image
    image.save(tmp_path / "z_report.png")
    assert image.width == profile.dots and 500 < image.height < 2000
    # Ink from the top band to the signature line, nothing but white paper at the edges.
    assert image.convert("L").getextrema()[0] == 0


def test_login_and_logout_set_who_is_at_the_till(cash, journal, ana, beto):
    assert cash.login(ana) is None
    assert journal.operator == Operator(ana.id, None, "Ana")
    session = cash.open(ana, "0")
    cash.logout()  # "Cambiar de cajero": the session stays open
    assert journal.operator is None and cash.current() == session
    assert cash.login(beto) == session
    assert journal.operator == Operator(beto.id, session.id, "Beto")
    assert sell(journal, "1.00").user_id == beto.id
