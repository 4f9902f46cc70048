"""validate_draft: every rule at its boundary, all problems at once, cashier-readable messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.domain.catalogs import PaymentMethod, TermUnit, TransactionCondition
from app.domain.errors import ValidationError
from app.domain.invoice import Customer, Payment, SaleLine, validate_draft


def problems(draft, **kwargs) -> dict[str, str]:
    """``{field: message}`` of a draft's validation errors ({} when valid)."""
    try:
        validate_draft(draft, **kwargs)
    except ValidationError as exc:
        assert exc.errors, "a ValidationError must name at least one field"
        return {e.field: e.message for e in exc.errors}
    return {}


def one_line(description="Pan dulce", quantity="1", unit_price="1.00", discount_pct="0") -> SaleLine:
    return SaleLine(description, Decimal(quantity), Decimal(unit_price), Decimal(discount_pct))


def test_valid_draft_passes(make_draft):
    assert problems(make_draft()) == {}


def test_no_lines(make_draft):
    assert set(problems(make_draft().__class__(lines=()))) == {"lines"}


@pytest.mark.parametrize(
    ("quantity", "ok"),
    [
        ("0", False),
        ("-1", False),
        ("0.00000001", True),
        ("1", True),
        ("9999999.99999999", True),
        ("10000000", False),
        ("1.000000001", False),
        ("1.000000000", True),
    ],
)
def test_quantity_boundaries(make_draft, quantity, ok):
    # A tiny price keeps large quantities under the $1,095.00 identification limit.
    found = problems(make_draft(one_line(quantity=quantity, unit_price="0.0001")))
    assert (found == {}) is ok
    if not ok:
        assert set(found) == {"lines.0.quantity"}


@pytest.mark.parametrize(
    ("price", "ok"),
    [("0", False), ("-0.01", False), ("0.01", True), ("0.00000001", True), ("1094.99", True), ("0.123456789", False)],
)
def test_unit_price_boundaries(make_draft, price, ok):
    found = problems(make_draft(one_line(unit_price=price)))
    assert (found == {}) is ok
    if not ok:
        assert set(found) == {"lines.0.unit_price"}


@pytest.mark.parametrize(
    ("discount", "ok"), [("0", True), ("99", True), ("98.5", True), ("99.01", False), ("100", False), ("-0.01", False)]
)
def test_discount_boundaries(make_draft, discount, ok):
    found = problems(make_draft(one_line(discount_pct=discount)))
    assert (found == {}) is ok
    if not ok:
        assert set(found) == {"lines.0.discount_pct"}


@pytest.mark.parametrize(
    ("description", "ok"),
    [
        ("x", True),
        ("x" * 1000, True),
        ("x" * 1001, False),
        ("  " + "x" * 1000 + "  ", True),
        ("", False),
        ("   \t", False),
    ],
)
def test_description_boundaries(make_draft, description, ok):
    found = problems(make_draft(one_line(description=description)))
    assert (found == {}) is ok
    if not ok:
        assert set(found) == {"lines.0.description"}


@pytest.mark.parametrize(
    ("ref", "ok"),
    [
        ("R" * 100, True),
        ("R" * 101, False),
        ("", False),
        ("SALE-2026-000042", True),
        ("a/b", False),
        ("a b", False),
        ("ref\n", False),
        ("-abc", False),
    ],
)
def test_external_ref_boundaries(make_draft, ref, ok):
    found = problems(make_draft(), external_ref=ref)
    assert (found == {}) is ok
    if not ok:
        assert set(found) == {"external_ref"}


def test_every_problem_is_reported_at_once_with_zero_based_paths(make_draft):
    draft = make_draft(
        one_line(),
        one_line(description=" ", quantity="0", unit_price="0", discount_pct="100"),
        customer=Customer(name=" ", dui="00016297-4", nit="123", nrc="1", email="nope"),
        payment=Payment(method="07", condition=TransactionCondition.CREDIT),
    )
    assert set(problems(draft, external_ref="x" * 101)) == {
        "lines.1.description",
        "lines.1.quantity",
        "lines.1.unit_price",
        "lines.1.discount_pct",
        "customer.name",
        "customer.dui",
        "customer.nit",
        "customer.nrc",
        "customer.email",
        "payment.method",
        "payment.term_unit",
        "payment.term_amount",
        "external_ref",
    }


def test_messages_name_the_line_for_a_cashier(make_draft):
    found = problems(make_draft(one_line(), one_line(quantity="0")))
    assert found == {"lines.1.quantity": "Line 2: the quantity must be greater than zero"}


def test_messages_in_spanish(make_draft, spanish):
    found = problems(make_draft(one_line(), one_line(quantity="0", unit_price="0")))
    assert found == {
        "lines.1.quantity": "Línea 2: la cantidad debe ser mayor que cero",
        "lines.1.unit_price": "Línea 2: el precio debe ser mayor que cero",
    }
    found = problems(make_draft(one_line(unit_price="1095.00")))
    assert found == {"customer": "Las ventas de $1,095.00 o más necesitan el nombre del cliente y su DUI o NIT"}


# --- the $1,095.00 identification rule -------------------------------------------------------------------


def test_below_1095_needs_no_customer(make_draft):
    assert problems(make_draft(one_line(unit_price="1094.99"))) == {}


def test_1095_without_customer_is_refused(make_draft):
    assert set(problems(make_draft(one_line(unit_price="1095.00")))) == {"customer"}


def test_1095_rule_uses_the_total_after_discounts(make_draft):
    # 1216.67 x 0.90 = 1095.003 -> 1095.00
    assert set(problems(make_draft(one_line(unit_price="1216.67", discount_pct="10")))) == {"customer"}
    # 1216.66 x 0.90 = 1094.994 -> 1094.99
    assert problems(make_draft(one_line(unit_price="1216.66", discount_pct="10"))) == {}


def test_1095_rule_sums_lines(make_draft):
    assert set(problems(make_draft(one_line(unit_price="1000"), one_line(unit_price="95")))) == {"customer"}


@pytest.mark.parametrize(
    ("customer", "fields"),
    [
        (Customer("María López", dui="00016297-5"), set()),
        (Customer("María López", nit="0614-050707-104-8"), set()),
        (Customer("María López", nit="000162975"), set()),
        (Customer("María López"), {"customer"}),
        (Customer("María López", email="maria@example.com", phone="2222-2222"), {"customer"}),
        (Customer("María López", dui="  "), {"customer"}),
        (Customer("", dui="00016297-5"), {"customer", "customer.name"}),
        (Customer("María López", dui="00016297-4"), {"customer.dui"}),
    ],
)
def test_1095_with_customer(make_draft, customer, fields):
    assert set(problems(make_draft(one_line(unit_price="1095.00"), customer=customer))) == fields


# --- customer ------------------------------------------------------------------------------------------


def test_customer_name_required_when_customer_sent(make_draft):
    assert set(problems(make_draft(customer=Customer("   ")))) == {"customer.name"}
    assert problems(make_draft(customer=Customer("Ana"))) == {}


def test_customer_name_at_most_250(make_draft):
    assert problems(make_draft(customer=Customer("N" * 250))) == {}
    assert set(problems(make_draft(customer=Customer("N" * 251)))) == {"customer.name"}
    assert set(problems(make_draft(customer_name="N" * 251))) == {"customer_name"}


def test_nrc_needs_nit(make_draft):
    assert set(problems(make_draft(customer=Customer("Ferretería SA", nrc="123456-7")))) == {"customer.nrc"}
    assert problems(make_draft(customer=Customer("Ferretería SA", nrc="123456-7", nit="0614-050707-104-8"))) == {}


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("2222-2222", True),
        ("+503 7777 8888", True),
        ("2222222", False),
        ("1" * 30, True),
        ("1" * 31, False),
        ("call me", False),
    ],
)
def test_customer_phone(make_draft, phone, ok):
    assert (problems(make_draft(customer=Customer("Ana", phone=phone))) == {}) is ok


def test_customer_address_at_most_200(make_draft):
    assert problems(make_draft(customer=Customer("Ana", address="A" * 200))) == {}
    assert set(problems(make_draft(customer=Customer("Ana", address="A" * 201)))) == {"customer.address"}


def test_blank_identity_fields_count_as_absent(make_draft):
    assert problems(make_draft(customer=Customer("Ana", nit="", nrc=" ", dui="", email=""))) == {}


# --- payment -------------------------------------------------------------------------------------------


def test_credit_needs_a_term(make_draft):
    credit = TransactionCondition.CREDIT
    assert set(problems(make_draft(payment=Payment(condition=credit)))) == {"payment.term_unit", "payment.term_amount"}
    assert set(problems(make_draft(payment=Payment(condition=credit, term_unit=TermUnit.DAYS, term_amount=0)))) == {
        "payment.term_amount"
    }
    assert set(problems(make_draft(payment=Payment(condition=credit, term_unit=9, term_amount=30)))) == {
        "payment.term_unit"
    }
    assert problems(make_draft(payment=Payment(condition=credit, term_unit=TermUnit.DAYS, term_amount=30))) == {}


@pytest.mark.parametrize("condition", [TransactionCondition.CASH, TransactionCondition.OTHER])
def test_term_only_with_credit(make_draft, condition):
    payment = Payment(condition=condition, term_unit=TermUnit.MONTHS, term_amount=2)
    assert set(problems(make_draft(payment=payment))) == {"payment.term_unit", "payment.term_amount"}


@pytest.mark.parametrize(
    ("method", "ok"),
    [(PaymentMethod.CREDIT_CARD, True), ("02", True), ("99", True), ("07", False), ("", False), (None, False)],
)
def test_payment_method_in_cat_017(make_draft, method, ok):
    assert (problems(make_draft(payment=Payment(method=method))) == {}) is ok


@pytest.mark.parametrize(("condition", "ok"), [(1, True), (3, True), (0, False), (4, False), (True, False)])
def test_condition_in_cat_016(make_draft, condition, ok):
    assert (problems(make_draft(payment=Payment(condition=condition))) == {}) is ok


def test_cash_tendered_must_cover_the_total(make_draft):
    assert set(problems(make_draft(payment=Payment(tendered=Decimal("10.16"))))) == {"payment.tendered"}
    draft = make_draft(payment=Payment(tendered=Decimal("20")))
    assert problems(draft) == {}
    assert draft.change == Decimal("9.83")
    assert make_draft().change is None
