"""万人助万企 service visits: recording by county/city, the ticket to the unit responsible, closing by the
recording unit, the enterprise's rating of its own problems only."""

import datetime as dt

import pytest
from django.utils import timezone

from jigai.accounts.tests.factories import make_enterprise, make_user
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.notifications.models import Notification
from jigai.supervision import selectors, services
from jigai.supervision.models import ServiceVisit, TicketKind, TicketStatus

pytestmark = pytest.mark.django_db


def _data(people, **kw):
    today = timezone.localdate()
    data = {
        "enterprise": people.ent,
        "visit_date": today - dt.timedelta(days=3),
        "visitor": "王五",
        "problem": "用电增容审批慢",
        "region_code": "410305",
        "deadline": today + dt.timedelta(days=7),
    }
    return {**data, **kw}


def test_county_records_a_visit_and_the_ticket_goes_to_the_unit(people):
    visit = services.visit_record(actor=people.county, data=_data(people))
    t = visit.ticket
    assert t.kind == TicketKind.SERVICE_VISIT and t.region_id == "410305" and t.enterprise == people.ent
    assert t.opened_region_id == "410305" and t.detail == "用电增容审批慢"
    assert Notification.objects.filter(recipient=people.county, kind="supervision.ticket").exists()
    assert AuditEvent.objects.filter(action="visit.record").exists()


def test_city_assigns_a_county_below_it_but_not_another_city(people):
    visit = services.visit_record(actor=people.city, data=_data(people, region_code="410305"))
    assert visit.ticket.region_id == "410305" and visit.ticket.opened_region_id == "410300"
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(actor=people.city, data=_data(people, region_code="410100"))
    assert "region_code" in exc.value.errors


def test_visit_refuses_an_enterprise_outside_the_region_and_bad_input(people):
    far = make_enterprise("410102")
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(actor=people.county, data=_data(people, enterprise=far))
    assert "enterprise" in exc.value.errors
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as exc:
        services.visit_record(actor=people.county, data=_data(people, visit_date=tomorrow, problem=""))
    assert {"visit_date", "problem"} <= set(exc.value.errors)
    with pytest.raises(AccessDenied):
        services.visit_record(actor=people.province, data=_data(people))
    assert not ServiceVisit.objects.exists()


def test_recording_unit_closes_and_the_enterprise_rates_once(people):
    visit = services.visit_record(actor=people.county, data=_data(people))
    services.ticket_reply(actor=people.county, ticket=visit.ticket, text="已协调供电公司")
    with pytest.raises(Conflict):  # not closed yet
        services.visit_rate(actor=people.ent_user, visit=visit, rating=5)
    services.ticket_close(actor=people.county, ticket=visit.ticket, conclusion="已送电")
    assert Notification.objects.filter(recipient=people.ent_user, kind="supervision.move").exists()
    with pytest.raises(InvalidInput):
        services.visit_rate(actor=people.ent_user, visit=visit, rating=6)
    rated = services.visit_rate(actor=people.ent_user, visit=visit, rating=4, comment="满意")
    assert rated.rating == 4 and rated.rated_at is not None
    with pytest.raises(Conflict):
        services.visit_rate(actor=people.ent_user, visit=visit, rating=5)
    assert AuditEvent.objects.filter(action="visit.rate").count() == 1


def test_another_enterprise_cannot_rate_or_see(people):
    visit = services.visit_record(actor=people.county, data=_data(people))
    services.ticket_close(actor=people.county, ticket=visit.ticket, conclusion="已办结")
    stranger = make_user("enterprise", enterprise=make_enterprise("410305"))
    with pytest.raises(NotFound):
        services.visit_rate(actor=stranger, visit=visit, rating=5)
    with pytest.raises(AccessDenied):
        services.visit_rate(actor=people.county, visit=visit, rating=5)
    assert not selectors.ticket_list(actor=stranger, visits=True).exists()
    assert list(selectors.ticket_list(actor=people.ent_user, visits=True)) == [visit.ticket]
    # Enterprises see only service-visit tickets, never the supervision of their region.
    assert not selectors.ticket_list(actor=people.ent_user).exists()


def test_other_county_cannot_close_a_visit_problem(people):
    visit = services.visit_record(actor=people.city, data=_data(people))  # opened by the city
    with pytest.raises(AccessDenied):  # the county replies but did not open it
        services.ticket_close(actor=people.county, ticket=visit.ticket, conclusion="x")
    services.ticket_close(actor=people.city, ticket=visit.ticket, conclusion="办结")
    services.ticket_reopen(actor=people.city, ticket=visit.ticket, reason="企业反映未解决")
    visit.ticket.refresh_from_db()
    assert visit.ticket.status == TicketStatus.OPEN


def test_visits_are_not_in_the_supervision_list(people):
    visit = services.visit_record(actor=people.county, data=_data(people))
    assert not selectors.ticket_list(actor=people.province).filter(pk=visit.ticket_id).exists()
    assert selectors.ticket_list(actor=people.province, visits=True).filter(pk=visit.ticket_id).exists()
