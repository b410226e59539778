"""The single eligibility rule: typed reasons, and the vectorised pair builder agrees."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.optimizer import ReasonCode, eligible_pairs, ineligibility_reasons, is_eligible
from matcher.optimizer.eligibility import OfferColumns, eligible_mask
from tests.optimizer.helpers import TODAY, instance, need, offer, supplier


def test_every_reason_reported() -> None:
    n = need(
        "N1",
        quantity=5,
        max_unit_price=100,
        required_certs=frozenset({"HALAL", "SLHS"}),
        needed_by=TODAY + timedelta(days=3),
    )
    o = offer("O1", category="CETAK", unit_price=130, lead_time_days=7, min_order_qty=8, capacity=6)
    s = supplier("S1", verified=False, certs=frozenset({"HALAL"}))
    reasons = {r.code: r for r in ineligibility_reasons(n, o, s, TODAY)}
    assert set(reasons) == {
        ReasonCode.UNVERIFIED,
        ReasonCode.CATEGORY_MISMATCH,
        ReasonCode.CERTIFICATE_MISSING,
        ReasonCode.PRICE_ABOVE_HPS,
        ReasonCode.LEAD_TIME_TOO_LONG,
        ReasonCode.MIN_ORDER_ABOVE_QUANTITY,
        ReasonCode.MIN_ORDER_ABOVE_CAPACITY,
    }
    assert reasons[ReasonCode.CERTIFICATE_MISSING].certs == {"SLHS"}
    assert reasons[ReasonCode.PRICE_ABOVE_HPS].amount == 30
    assert reasons[ReasonCode.LEAD_TIME_TOO_LONG].amount == 4
    assert reasons[ReasonCode.MIN_ORDER_ABOVE_QUANTITY].amount == 3
    assert "Rp30" in reasons[ReasonCode.PRICE_ABOVE_HPS].message


def test_no_capacity_and_boundaries() -> None:
    n = need("N1", quantity=5, max_unit_price=100, needed_by=TODAY + timedelta(days=3))
    s = supplier("S1")
    assert is_eligible(
        n, offer("O", unit_price=100, lead_time_days=3, min_order_qty=5, capacity=5), s, TODAY
    )
    codes = [r.code for r in ineligibility_reasons(n, offer("O", capacity=0), s, TODAY)]
    assert codes == [ReasonCode.NO_CAPACITY]


def test_vectorised_rule_on_the_boundaries() -> None:
    """Each limit is inclusive in the vectorised rule as in the scalar one; one step past it
    makes the offer ineligible."""
    n = need("N1", quantity=5, max_unit_price=100, needed_by=TODAY + timedelta(days=3))
    edge = {"unit_price": 100, "lead_time_days": 3, "min_order_qty": 5, "capacity": 5}
    variants = [
        edge,
        {**edge, "unit_price": 101},
        {**edge, "lead_time_days": 4},
        {**edge, "min_order_qty": 6, "capacity": 6},
        {**edge, "capacity": 4},
        {**edge, "capacity": 0, "min_order_qty": 0},
    ]
    offers = [offer(f"O{i}", "S1", **v) for i, v in enumerate(variants)]
    columns = OfferColumns.of(offers, {"S1": supplier("S1")})
    assert eligible_mask(n, columns, TODAY).tolist() == [True] + [False] * 5
    unverified = OfferColumns.of(offers[:1], {"S1": supplier("S1", verified=False)})
    assert eligible_mask(n, unverified, TODAY).tolist() == [False]
    halal = need("N2", quantity=5, max_unit_price=100, required_certs=frozenset({"HALAL"}))
    assert eligible_mask(halal, columns, TODAY).tolist() == [False] * 6


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["BERAS", "CETAK"]),
            st.integers(80, 120),
            st.integers(0, 6),
            st.integers(0, 6),
            st.integers(0, 6),
            st.booleans(),
            st.sampled_from([frozenset(), frozenset({"HALAL"}), frozenset({"HALAL", "PIRT"})]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(["BERAS", "CETAK"]),
            st.integers(1, 6),
            st.integers(1, 5),
            st.sampled_from([frozenset(), frozenset({"HALAL"})]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_pair_builder_matches_rule(
    offer_specs: list[tuple[str, int, int, int, int, bool, frozenset[str]]],
    need_specs: list[tuple[str, int, int, frozenset[str]]],
) -> None:
    suppliers = [supplier(f"S{i}", verified=v, certs=c) for i, (*_, v, c) in enumerate(offer_specs)]
    offers = [
        offer(
            f"O{i}",
            f"S{i}",
            category=cat,
            unit_price=p,
            capacity=cap,
            min_order_qty=moq,
            lead_time_days=lead,
        )
        for i, (cat, p, cap, moq, lead, _, _) in enumerate(offer_specs)
    ]
    needs = [
        need(
            f"N{i}", category=cat, quantity=q, needed_by=TODAY + timedelta(days=d), required_certs=c
        )
        for i, (cat, q, d, c) in enumerate(need_specs)
    ]
    inst = instance(needs, offers, suppliers)
    pairs = eligible_pairs(inst)
    got = set(zip(pairs.need.tolist(), pairs.offer.tolist(), strict=True))
    want = {
        (i, j)
        for i, n in enumerate(needs)
        for j, o in enumerate(offers)
        if is_eligible(n, o, suppliers[j], TODAY)
    }
    assert got == want
    # The vectorised rule the shortlist ranks with says the same, offer by offer.
    columns = OfferColumns.of(offers, {s.supplier_id: s for s in suppliers})
    for n in needs:
        mask = eligible_mask(n, columns, TODAY)
        same_category = np.array([o.category == n.category for o in offers])
        expected = [is_eligible(n, o, suppliers[j], TODAY) for j, o in enumerate(offers)]
        assert (mask & same_category).tolist() == expected
