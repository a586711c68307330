"""Notifications: in-app messages, e-mail after commit, unread count, scope and pages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client, RequestFactory

from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_enterprise, make_user
from jigai.core.errors import InvalidInput, NotFound
from jigai.notifications.context_processors import unread_notifications
from jigai.notifications.models import Notification
from jigai.notifications.selectors import notification_list, unread_count, users_with_role
from jigai.notifications.services import notification_mark_all_read, notification_mark_read, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return make_user(Role.COUNTY, "410102", email="alice@example.com")


@pytest.fixture
def bob():
    return make_user(Role.CITY, "410100", email="")  # no e-mail address


def test_notify_writes_messages_and_mails_after_commit(alice, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notify(
            recipients=[alice, bob, alice],
            kind="project.submitted",
            title="有新的项目待初审",
            body="洛阳某重型机械有限公司提交了项目。",
            url="/registry/projects/1/",
        )
        assert len(mail.outbox) == 0  # nothing is mailed before the commit
    assert len(callbacks) == 1
    assert len(created) == 2  # alice once, although listed twice
    assert Notification.objects.filter(recipient=alice, kind="project.submitted").count() == 1
    assert Notification.objects.filter(recipient=bob).count() == 1
    # Only alice has an address.
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["alice@example.com"]
    assert "有新的项目待初审" in msg.subject
    assert "/registry/projects/1/" in msg.body


def test_rolled_back_change_mails_nobody(alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[alice], kind="x.y", title="不会发出")
        raise RuntimeError
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_email_false_writes_only_in_app(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[alice], kind="x.y", title="仅站内", email=False)
    assert mail.outbox == []
    assert unread_count(alice) == 1


def test_inactive_recipients_are_skipped(alice):
    alice.is_active = False
    alice.save()
    assert notify(recipients=[alice], kind="x.y", title="t") == []


def test_notify_refuses_foreign_urls_and_empty_titles(alice):
    for url in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notify(recipients=[alice], kind="x.y", title="t", url=url)
    with pytest.raises(InvalidInput):
        notify(recipients=[alice], kind="x.y", title="  ")
    assert Notification.objects.count() == 0


def test_unread_count_and_mark_read(alice):
    notify(recipients=[alice], kind="a.b", title="一", email=False)
    notify(recipients=[alice], kind="a.b", title="二", email=False)
    assert unread_count(alice) == 2
    first = Notification.objects.filter(recipient=alice).order_by("id").first()
    notification_mark_read(actor=alice, notification_id=first.pk)
    assert unread_count(alice) == 1
    notification_mark_read(actor=alice, notification_id=first.pk)  # again: no error, still read
    assert unread_count(alice) == 1
    assert notification_mark_all_read(actor=alice) == 1
    assert unread_count(alice) == 0


def test_a_user_sees_and_marks_only_their_own(alice, bob):
    admin = make_user(Role.ADMIN)
    notify(recipients=[alice], kind="a.b", title="给 alice", email=False)
    notify(recipients=[bob], kind="a.b", title="给 bob", email=False)
    assert [n.title for n in notification_list(alice)] == ["给 alice"]
    assert [n.title for n in notification_list(bob)] == ["给 bob"]
    assert list(notification_list(admin)) == []  # an administrator does not read others' messages
    bobs = Notification.objects.get(recipient=bob)
    with pytest.raises(NotFound):
        notification_mark_read(actor=alice, notification_id=bobs.pk)
    assert notification_mark_all_read(actor=alice) == 1
    assert unread_count(bob) == 1
    assert unread_count(None) == 0


def test_notification_list_unread_filter(alice):
    notify(recipients=[alice], kind="a.b", title="旧", email=False)
    notification_mark_all_read(actor=alice)
    notify(recipients=[alice], kind="a.b", title="新", email=False)
    assert [n.title for n in notification_list(alice, {"unread": True})] == ["新"]
    assert [n.title for n in notification_list(alice)] == ["新", "旧"]


def test_users_with_role_finds_the_reviewers_of_a_region():
    for code in ("410000", "410100", "410102", "410103", "410300", "410302"):
        ensure_region(code)
    zhongyuan = make_user(Role.COUNTY, "410102")
    erqi = make_user(Role.COUNTY, "410103")
    laocheng = make_user(Role.COUNTY, "410302")
    zhengzhou = make_user(Role.CITY, "410100")
    luoyang = make_user(Role.CITY, "410300")
    officer = make_user(Role.PROVINCE)
    gone = make_user(Role.COUNTY, "410102", is_active=False)
    from jigai.regions.models import Region

    county = Region.objects.get(pk="410102")
    city = Region.objects.get(pk="410100")
    # The county reviewers of 中原区: only its own (not the neighbour, not the inactive one).
    assert list(users_with_role(Role.COUNTY, county)) == [zhongyuan]
    assert gone not in users_with_role(Role.COUNTY, county)
    # The city reviewers over 中原区: 郑州's, not 洛阳's.
    assert list(users_with_role(Role.CITY, county)) == [zhengzhou]
    # The county reviewers of 郑州: both of its counties.
    assert set(users_with_role(Role.COUNTY, city)) == {zhongyuan, erqi}
    # Without a region: all of them; province roles ignore the region.
    assert set(users_with_role(Role.COUNTY)) == {zhongyuan, erqi, laocheng}
    assert set(users_with_role(Role.CITY)) == {zhengzhou, luoyang}
    assert list(users_with_role(Role.PROVINCE, county)) == [officer]
    # Enterprise users of a region or of one enterprise.
    ent = make_enterprise("410102")
    owner = make_user(Role.ENTERPRISE, enterprise=ent)
    make_user(Role.ENTERPRISE, enterprise=make_enterprise("410302"))
    assert list(users_with_role(Role.ENTERPRISE, city)) == [owner]
    assert list(users_with_role(Role.ENTERPRISE, enterprise=ent)) == [owner]


def test_context_processor_is_zero_for_anonymous_and_counts_for_users(rf, alice):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    assert unread_notifications(request) == {"unread_notifications": 0}
    notify(recipients=[alice], kind="a.b", title="t", email=False)
    request.user = alice
    assert int(str(unread_notifications(request)["unread_notifications"])) == 1


# --- pages ----------------------------------------------------------------------------------------------


def _client(user) -> Client:
    c = Client()
    # django-axes checks every sign-in against a request, so the test hands one over.
    assert c.login(request=RequestFactory().get("/"), username=user.username, password=PASSWORD)
    return c


def test_pages_need_login(client):
    response = client.get("/notifications/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_header_shows_unread_count(alice):
    notify(recipients=[alice], kind="a.b", title="t1", email=False)
    notify(recipients=[alice], kind="a.b", title="t2", email=False)
    html = _client(alice).get("/notifications/").content.decode()
    assert '<a href="/notifications/">消息 <mark>2</mark></a>' in html


def test_list_page_shows_only_own_messages(alice, bob):
    notify(recipients=[alice], kind="a.b", title="给甲的消息", email=False)
    notify(recipients=[bob], kind="a.b", title="给乙的消息", email=False)
    html = _client(alice).get("/notifications/").content.decode()
    assert "给甲的消息" in html
    assert "给乙的消息" not in html


def test_open_marks_read_and_goes_to_the_url(alice):
    (n,) = notify(recipients=[alice], kind="a.b", title="t", url="/dashboard/", email=False)
    response = _client(alice).get(f"/notifications/{n.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_mark_read_and_read_all_pages(alice, bob):
    (a1,) = notify(recipients=[alice], kind="a.b", title="1", email=False)
    notify(recipients=[alice], kind="a.b", title="2", email=False)
    (b1,) = notify(recipients=[bob], kind="a.b", title="3", email=False)
    c = _client(alice)
    assert c.post(f"/notifications/{a1.pk}/read/").status_code == 302
    assert unread_count(alice) == 1
    # Someone else's message: not found, and unchanged.
    assert c.post(f"/notifications/{b1.pk}/read/").status_code == 404
    assert c.get(f"/notifications/{b1.pk}/").status_code == 404
    b1.refresh_from_db()
    assert b1.read_at is None
    # GET does not change anything on the action URLs.
    assert c.get("/notifications/read-all/").status_code == 405
    assert c.post("/notifications/read-all/").status_code == 302
    assert unread_count(alice) == 0
    assert unread_count(bob) == 1
    html = c.get("/notifications/?unread=1").content.decode()
    assert "暂无消息" in html
