"""Outcomes (entered by the institution, confirmed by the city), events, and the figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jigai.core.errors import Conflict, InvalidInput, NotFound

from .. import selectors, services
from ..models import OutcomeStatus
from .factories import propose, published

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _loan(cast, entry, amount="2000000", **kw):
    kw.setdefault("stage", "disbursed")
    kw.setdefault("product", "技改贷")
    kw.setdefault("rate", Decimal("3.5"))
    return services.outcome_record(
        actor=kw.pop("actor", cast.bank), entry=entry, on_date=TODAY, amount=Decimal(amount), **kw
    )


def test_stage_rules(cast):
    entry = published(cast)
    with pytest.raises(InvalidInput) as e:
        services.outcome_record(actor=cast.bank, entry=entry, stage="disbursed", on_date=TODAY)
    assert {"amount", "product", "rate"} <= set(e.value.errors)
    services.outcome_record(actor=cast.bank, entry=entry, stage="intention", on_date=TODAY)
    with pytest.raises(InvalidInput):
        services.outcome_record(actor=cast.bank, entry=entry, stage="approved", on_date=TODAY)


def test_only_published_entries_and_only_banks(cast):
    entry = propose(cast)
    with pytest.raises(NotFound):
        _loan(cast, entry)
    entry = published(cast, other=True)
    with pytest.raises(PermissionDenied):
        _loan(cast, entry, actor=cast.other_city)


def test_city_of_the_project_confirms(cast):
    entry = published(cast)
    outcome = _loan(cast, entry)
    with pytest.raises(NotFound):
        services.outcome_check(actor=cast.other_city, outcome=outcome, confirm=True)
    with pytest.raises(PermissionDenied):
        services.outcome_check(actor=cast.province, outcome=outcome, confirm=True)
    with pytest.raises(InvalidInput):
        services.outcome_check(actor=cast.city, outcome=outcome, confirm=False)
    services.outcome_check(actor=cast.city, outcome=outcome, confirm=True)
    outcome.refresh_from_db()
    assert outcome.status == OutcomeStatus.CONFIRMED and outcome.checked_by == cast.city
    with pytest.raises(Conflict):
        services.outcome_check(actor=cast.city, outcome=outcome, confirm=True)


def test_banks_see_their_own_outcomes_only(cast):
    entry = published(cast)
    mine = _loan(cast, entry)
    theirs = _loan(cast, entry, actor=cast.other_bank)
    assert list(selectors.outcome_list(actor=cast.bank)) == [mine]
    assert list(selectors.outcome_list(actor=cast.other_bank)) == [theirs]
    assert set(selectors.outcome_list(actor=cast.city)) == {mine, theirs}
    assert not selectors.outcome_list(actor=cast.other_city).exists()
    assert set(selectors.outcome_list(actor=cast.ent_user)) == {mine, theirs}


def test_figures_count_confirmed_only(cast):
    entry = published(cast)
    other = published(cast, other=True)
    confirmed = _loan(cast, entry, "2000000")
    services.outcome_check(actor=cast.city, outcome=confirmed, confirm=True)
    _loan(cast, entry, "700000")  # not confirmed: shown apart
    approved = _loan(cast, other, "9000000", stage="approved", actor=cast.other_bank)
    services.outcome_check(actor=cast.other_city, outcome=approved, confirm=True)
    by_city = {
        r["key"]: r for r in selectors.financing_figures(cast.province, year=TODAY.year, group_by="city")
    }
    assert by_city["410100"]["needed"] == Decimal("5000000")
    assert by_city["410100"]["disbursed"] == Decimal("2000000")
    assert by_city["410100"]["unconfirmed"] == Decimal("700000")
    assert by_city["410300"]["approved"] == Decimal("9000000")
    assert by_city["410100"]["label"] == "郑州市"
    mine = selectors.financing_figures(cast.city, year=TODAY.year, group_by="city")
    assert [r["key"] for r in mine] == ["410100"]  # the city's own region only
    by_inst = {
        r["label"]: r
        for r in selectors.financing_figures(cast.province, year=TODAY.year, group_by="institution")
    }
    assert by_inst["测试银行"]["disbursed"] == Decimal("2000000") and by_inst["测试银行"]["needed"] is None
    by_kind = selectors.financing_figures(cast.province, year=TODAY.year, group_by="programme")
    assert [(r["label"], r["needed"]) for r in by_kind] == [("贷款", Decimal("10000000"))]
    by_month = selectors.financing_figures(cast.province, year=TODAY.year, group_by="month")
    assert [r["key"] for r in by_month] == [TODAY.month]
    assert selectors.financing_figures(cast.province, year=TODAY.year - 1, group_by="city") == []
    with pytest.raises(ValueError):
        selectors.financing_figures(cast.province, year=TODAY.year, group_by="weather")


def test_event_with_invitations_and_attendance(cast):
    entry = published(cast)
    other = published(cast, other=True)
    with pytest.raises(InvalidInput):  # a city invites only its own published projects
        services.event_create(
            actor=cast.city, title="对接会", held_on=TODAY, organiser="郑州市工信局", entries=[other.pk]
        )
    event = services.event_create(
        actor=cast.city,
        title="对接会",
        held_on=TODAY - dt.timedelta(days=1),
        organiser="郑州市工信局",
        institutions=[cast.bank_inst.pk],
        entries=[entry.pk],
    )
    assert event.city_id == "410100"
    services.event_attendance(actor=cast.city, event=event, institutions=[cast.bank_inst.pk], entries=[])
    s = selectors.event_screen(actor=cast.city, pk=event.pk)
    assert [r.attended for r in s.institutions] == [True] and [r.attended for r in s.projects] == [False]
    assert list(selectors.event_list(actor=cast.bank)) == [event]
    assert not selectors.event_list(actor=cast.other_bank).exists()  # not invited
    assert list(selectors.event_list(actor=cast.ent_user)) == [event]
    assert not selectors.event_list(actor=cast.other_ent_user).exists()
    assert not selectors.event_list(actor=cast.other_city).exists()
    with pytest.raises(NotFound):
        services.event_attendance(actor=cast.other_city, event=event, institutions=[], entries=[])
    future = services.event_create(
        actor=cast.province,
        title="省级对接会",
        held_on=TODAY + dt.timedelta(days=9),
        organiser="省工信厅",
        city="410300",
    )
    with pytest.raises(Conflict):
        services.event_attendance(actor=cast.province, event=future, institutions=[], entries=[])
