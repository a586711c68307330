"""Supervision tickets: open_ticket's contract (idempotency by key, system vs user), replies by the unit,
closing, returning and reopening, scope per role and region, audit and notifications."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, InvalidInput, NotFound
from jigai.notifications.models import Notification
from jigai.supervision import selectors, services
from jigai.supervision.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def _open(key="k1", region="410300", **kw):
    kw.setdefault("deadline", timezone.localdate() + dt.timedelta(days=10))
    return services.open_ticket(
        key=key, kind="monitoring", region_code=region, subject="投资增速落后", detail="差距 5 个百分点", **kw
    )


def test_open_ticket_is_idempotent_by_key(people):
    first = _open()
    again = _open()
    assert again.pk == first.pk
    assert Ticket.objects.filter(key="k1").count() == 1
    # One notification to the unit, one audit record: the second call changed nothing.
    assert Notification.objects.filter(recipient=people.city, kind="supervision.ticket").count() == 1
    assert AuditEvent.objects.filter(action="supervision.open").count() == 1


def test_open_ticket_by_the_system_and_its_fields(people):
    t = _open(indicator_code="tech_invest_growth", enterprise=people.ent)
    assert t.opened_by is None and t.status == TicketStatus.OPEN
    assert t.region_id == "410300" and t.indicator_code == "tech_invest_growth" and t.enterprise == people.ent
    event = AuditEvent.objects.get(action="supervision.open")
    assert event.actor is None and event.region_path.endswith("410300")


def test_a_closed_key_opens_a_new_ticket(people):
    first = _open()
    services.ticket_close(actor=people.province, ticket=first, conclusion="已整改")
    second = _open()
    assert second.pk != first.pk and second.status == TicketStatus.OPEN


def test_open_ticket_with_a_user_needs_the_permission(people):
    with pytest.raises(AccessDenied):
        _open(opened_by=people.city)
    assert _open(opened_by=people.province).opened_by == people.province


@pytest.mark.parametrize(
    "region,field", [("999999", "region_code"), ("410000", "region_code"), ("", "region_code")]
)
def test_open_ticket_refuses_a_unit_that_is_not_a_city_or_county(people, region, field):
    with pytest.raises(InvalidInput) as exc:
        _open(region=region)
    assert field in exc.value.errors


def test_open_ticket_refuses_empty_subject_and_key(people, soon):
    with pytest.raises(InvalidInput) as exc:
        services.open_ticket(
            key="x", kind="manual", region_code="410300", subject=" ", detail="d", deadline=soon
        )
    assert "subject" in exc.value.errors
    with pytest.raises(InvalidInput):
        services.open_ticket(
            key="", kind="manual", region_code="410300", subject="s", detail="d", deadline=soon
        )


def test_manual_ticket_gets_a_fresh_key_and_refuses_a_past_deadline(people, soon):
    data = {"region_code": "410300", "subject": "督办", "detail": "问题", "deadline": soon}
    a = services.ticket_open_manual(actor=people.province, data=data)
    b = services.ticket_open_manual(actor=people.province, data=data)
    assert a.pk != b.pk and a.kind == "manual"
    with pytest.raises(InvalidInput) as exc:
        services.ticket_open_manual(
            actor=people.province, data={**data, "deadline": timezone.localdate() - dt.timedelta(days=1)}
        )
    assert "deadline" in exc.value.errors


def test_reply_close_by_the_unit_and_the_province(people):
    t = _open(opened_by=people.province)
    upload = SimpleUploadedFile("整改报告.pdf", PDF, content_type="application/pdf")
    reply = services.ticket_reply(actor=people.city, ticket=t, text="已整改", upload=upload)
    t.refresh_from_db()
    assert t.status == TicketStatus.REPLIED and reply.attachment and reply.attachment_name == "整改报告.pdf"
    # The opener hears of the reply.
    assert Notification.objects.filter(recipient=people.province, kind="supervision.reply").exists()
    services.ticket_reply(actor=people.city, ticket=t, text="补充材料")  # a second reply keeps it replied
    services.ticket_close(actor=people.province, ticket=t, conclusion="同意办结")
    t.refresh_from_db()
    assert t.status == TicketStatus.CLOSED and t.conclusion == "同意办结" and t.closed_by == people.province
    assert [e.action for e in t.events.all()] == ["open", "reply", "reply", "close"]
    assert AuditEvent.objects.filter(action="supervision.close", target_id=str(t.pk)).exists()


def test_reply_refuses_a_bad_attachment_and_changes_nothing(people):
    t = _open()
    upload = SimpleUploadedFile("x.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as exc:
        services.ticket_reply(actor=people.city, ticket=t, text="答复", upload=upload)
    assert "attachment" in exc.value.errors
    t.refresh_from_db()
    assert t.status == TicketStatus.OPEN and not t.replies.exists()


def test_only_the_receiving_unit_replies(people):
    t = _open(region="410305")  # to 涧西区
    with pytest.raises(AccessDenied):  # the city above sees it but is not the unit
        services.ticket_reply(actor=people.city, ticket=t, text="代答")
    with pytest.raises(NotFound):  # another county does not even see it
        services.ticket_reply(actor=people.other_county, ticket=t, text="x")
    with pytest.raises(AccessDenied):  # the province never replies
        services.ticket_reply(actor=people.province, ticket=t, text="x")
    services.ticket_reply(actor=people.county, ticket=t, text="已办理")


def test_reply_needs_text(people):
    with pytest.raises(InvalidInput):
        services.ticket_reply(actor=people.city, ticket=_open(), text="  ")


def test_return_and_reopen_need_a_reason(people):
    t = _open()
    services.ticket_reply(actor=people.city, ticket=t, text="已整改")
    with pytest.raises(InvalidInput):
        services.ticket_return(actor=people.province, ticket=t, reason="")
    services.ticket_return(actor=people.province, ticket=t, reason="措施不具体")
    t.refresh_from_db()
    assert t.status == TicketStatus.OPEN
    assert Notification.objects.filter(recipient=people.city, kind="supervision.move").exists()
    services.ticket_close(actor=people.province, ticket=t, conclusion="办结")
    with pytest.raises(InvalidInput):
        services.ticket_reopen(actor=people.province, ticket=t, reason="")
    services.ticket_reopen(actor=people.province, ticket=t, reason="问题反弹")
    t.refresh_from_db()
    assert t.status == TicketStatus.OPEN and t.closed_at is None


def test_reopen_refused_while_the_same_key_is_live_again(people):
    first = _open()
    services.ticket_close(actor=people.province, ticket=first, conclusion="办结")
    _open()  # the monitoring opened the same key again
    with pytest.raises(Conflict):
        services.ticket_reopen(actor=people.province, ticket=first, reason="再次督办")


def test_city_cannot_close_a_province_ticket_and_leader_changes_nothing(people):
    t = _open(opened_by=people.province)
    with pytest.raises(AccessDenied):
        services.ticket_close(actor=people.city, ticket=t, conclusion="自行办结")
    with pytest.raises(AccessDenied):  # read-only
        services.ticket_close(actor=people.leader, ticket=t, conclusion="x")
    with pytest.raises(Conflict):  # closing twice: repeated move
        services.ticket_close(actor=people.province, ticket=t, conclusion="办结")
        services.ticket_close(actor=people.province, ticket=t, conclusion="办结")


def test_scope_per_role_and_region(people):
    to_city = _open("a", "410300")
    to_county = _open("b", "410305")
    to_other = _open("c", "410100")

    def seen(user):
        return set(selectors.ticket_list(actor=user).values_list("pk", flat=True))

    assert seen(people.province) == seen(people.leader) == {to_city.pk, to_county.pk, to_other.pk}
    assert seen(people.city) == {to_city.pk, to_county.pk}
    assert seen(people.county) == {to_county.pk}
    assert seen(people.other_county) == set()
    assert seen(people.other_city) == {to_other.pk}
    assert seen(people.bank) == seen(people.ent_user) == set()


def test_overdue_flag_and_workbench_counts(people):
    t = _open("late")
    Ticket.objects.filter(pk=t.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    _open("fine")
    t.refresh_from_db()
    assert t.is_overdue and t.overdue_days == 2
    assert selectors.live_count(actor=people.city) == 2
    assert selectors.live_count(actor=people.city, overdue=True) == 1
    assert selectors.live_count(actor=people.province, overdue=True) == 1
    assert selectors.live_count(actor=people.county) == 0  # tickets to the city are not the county's work
    overdue = selectors.ticket_list(actor=people.province, filters={"overdue": "1"})
    assert list(overdue.values_list("pk", flat=True)) == [t.pk]
    services.ticket_close(actor=people.province, ticket=t, conclusion="办结")
    t.refresh_from_db()
    assert not t.is_overdue


def test_allowed_moves_shown_per_actor(people):
    t = _open(region="410305")
    actions = {
        u: [m.action for m in services.allowed_moves(actor=people.__dict__[u], ticket=t)]
        for u in ("province", "city", "county")
    }
    assert actions == {"province": ["close"], "city": [], "county": ["reply"]}
