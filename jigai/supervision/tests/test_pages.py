"""The supervision pages as each role meets them: lists, forms, the ticket page, downloads, exports and the
public pages (anonymous; only published lists and practices)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.menu import side_menu_for
from jigai.accounts.workbench import counters_for
from jigai.supervision import services
from jigai.supervision.models import Ticket, TicketStatus

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n% test\n%%EOF\n"


def _client(user=None):
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _ticket(region="410300", key="p1"):
    return services.open_ticket(
        key=key,
        kind="monitoring",
        region_code=region,
        subject="投资增速落后",
        detail="差距较大",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )


def test_list_pages_answer_per_role(people):
    _ticket()
    urls = [
        "supervision:ticket_list",
        "supervision:visit_list",
        "supervision:ranking_index",
        "supervision:practice_list",
    ]
    for user in (people.province, people.city, people.county, people.leader):
        c = _client(user)
        for name in urls:
            assert c.get(reverse(name)).status_code == 200, (user.role, name)
    bank = _client(people.bank)
    for name in urls:
        assert bank.get(reverse(name)).status_code == 403, name
    ent = _client(people.ent_user)
    assert ent.get(reverse("supervision:visit_list")).status_code == 200
    assert ent.get(reverse("supervision:ticket_list")).status_code == 403
    assert _client().get(reverse("supervision:ticket_list")).status_code == 302  # sign in first
    for name in ("supervision:green_data", "supervision:rule_list", "supervision:ticket_new"):
        assert _client(people.province).get(reverse(name)).status_code == 200
        assert _client(people.city).get(reverse(name)).status_code == 403


def test_province_opens_city_replies_province_closes(people):
    soon = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    r = _client(people.province).post(
        reverse("supervision:ticket_new"),
        {"region_code": "410300", "subject": "推进智能化改造", "detail": "进度滞后", "deadline": soon},
    )
    assert r.status_code == 302
    t = Ticket.objects.get(subject="推进智能化改造")
    url = reverse("supervision:ticket_detail", args=[t.pk])
    city = _client(people.city)
    page = city.get(url)
    assert page.status_code == 200 and "提交答复" in page.content.decode()
    upload = SimpleUploadedFile("整改.pdf", PDF, content_type="application/pdf")
    assert city.post(url, {"form": "reply", "text": "已整改完毕", "attachment": upload}).status_code == 302
    reply = t.replies.get()
    assert city.get(reverse("supervision:reply_file", args=[reply.pk])).status_code == 200
    assert (
        _client(people.other_city).get(reverse("supervision:reply_file", args=[reply.pk])).status_code == 404
    )
    province = _client(people.province)
    bad = province.post(url, {"form": "move", "action": "close", "comment": ""})
    assert bad.status_code == 400 and "请填写办结意见" in bad.content.decode()
    assert province.post(url, {"form": "move", "action": "close", "comment": "同意办结"}).status_code == 302
    t.refresh_from_db()
    assert t.status == TicketStatus.CLOSED


def test_open_form_errors_shown_and_nothing_created(people):
    r = _client(people.province).post(
        reverse("supervision:ticket_new"),
        {"region_code": "410300", "subject": "x", "detail": "y", "deadline": "2000-01-01"},
    )
    assert r.status_code == 400 and "办理时限不能早于今天" in r.content.decode()
    assert not Ticket.objects.exists()


def test_ticket_page_out_of_scope_is_404(people):
    t = _ticket(region="410100")
    assert _client(people.city).get(reverse("supervision:ticket_detail", args=[t.pk])).status_code == 404
    assert (
        _client(people.other_city).get(reverse("supervision:ticket_detail", args=[t.pk])).status_code == 200
    )


def test_visit_form_and_rating_by_the_enterprise(people):
    today = timezone.localdate()
    county = _client(people.county)
    r = county.post(
        reverse("supervision:visit_new"),
        {
            "uscc": people.ent.uscc,
            "visit_date": today.isoformat(),
            "visitor": "赵六",
            "problem": "融资难",
            "region_code": "410305",
            "deadline": (today + dt.timedelta(days=5)).isoformat(),
        },
    )
    assert r.status_code == 302
    t = Ticket.objects.get(kind="service_visit")
    url = reverse("supervision:ticket_detail", args=[t.pk])
    county.post(url, {"form": "move", "action": "close", "comment": "已对接银行"})
    ent = _client(people.ent_user)
    page = ent.get(url).content.decode()
    assert "评价办理结果" in page
    assert ent.post(url, {"form": "rate", "rating": "5", "comment": "好"}).status_code == 302
    assert t.visit.__class__.objects.get(pk=t.visit.pk).rating == 5
    listing = ent.get(reverse("supervision:visit_list")).content.decode()
    assert "5 分" in listing


def test_exports_answer_xlsx(people):
    _ticket()
    c = _client(people.province)
    for name in (
        "supervision:ticket_list",
        "supervision:visit_list",
        "supervision:practice_list",
        "supervision:green_data",
    ):
        r = c.get(reverse(name) + "?export=xlsx")
        assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats"), name


def _published(people):
    services.rule_create(
        actor=people.province,
        name="规则",
        valid_from=timezone.localdate(),
        weights=[{"indicator": "energy", "weight": "1", "direction": "lower"}],
    )
    year = timezone.localdate().year - 1
    services.green_data_save(
        actor=people.province,
        enterprise=people.ent,
        year=year,
        values={"value_added": Decimal("1000000"), "energy_use": "10", "water_use": "10", "emissions": "10"},
    )
    return services.ranking_compute(actor=people.province, year=year)


def test_public_pages_show_only_published(people):
    ranking = _published(people)
    anon = _client()
    assert anon.get(reverse("supervision:public_rankings")).status_code == 200
    assert anon.get(reverse("supervision:public_ranking", args=[ranking.pk])).status_code == 404  # a draft
    services.ranking_move(actor=people.province, ranking=ranking, action="publish")
    page = anon.get(reverse("supervision:public_ranking", args=[ranking.pk]))
    assert page.status_code == 200 and people.ent.name in page.content.decode()
    xlsx = anon.get(reverse("supervision:public_ranking", args=[ranking.pk]) + "?export=xlsx")
    assert xlsx.status_code == 200
    p = services.practice_submit(actor=people.city, data={"title": "典型经验一", "text": "正文"})
    assert anon.get(reverse("supervision:public_practice", args=[p.pk])).status_code == 404
    services.practice_move(actor=people.province, practice=p, action="publish")
    assert "典型经验一" in anon.get(reverse("supervision:public_practices")).content.decode()
    assert anon.get(reverse("supervision:public_practice", args=[p.pk])).status_code == 200


def test_ranking_pages_publish_by_province(people):
    ranking = _published(people)
    url = reverse("supervision:ranking_detail", args=[ranking.pk])
    assert _client(people.city).get(url).status_code == 404  # a draft is the province's
    province = _client(people.province)
    assert "审定并发布" in province.get(url).content.decode()
    assert province.post(url, {"action": "publish", "comment": ""}).status_code == 302
    assert _client(people.city).get(url).status_code == 200
    assert province.get(url + "?export=xlsx").status_code == 200
    r = province.post(reverse("supervision:ranking_index"), {"year": timezone.localdate().year - 1})
    assert r.status_code == 302


def test_menu_and_workbench_tiles(people):
    _ticket()
    late = _ticket(key="late")
    Ticket.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    labels = {i["label"] for g in side_menu_for(people.city, "/").groups for i in g["items"]}
    assert {"督办事项", "服务企业问题", "绿色发展排行榜", "典型做法"} <= labels
    tiles = {c["label"]: c["count"] for c in counters_for(people.city)}
    assert tiles["待办督办"] == 2 and tiles["逾期督办"] == 1
    assert {c["label"]: c["count"] for c in counters_for(people.province)}["督办跟踪"] == 2
    anon_labels = {i["label"] for g in side_menu_for(None, "/").groups for i in g["items"]}
    assert "绿色发展排行榜（公开）" in anon_labels and "督办事项" not in anon_labels


def test_list_query_count_does_not_grow_with_rows(people, django_assert_max_num_queries):
    """The ticket and visit lists read their rows with their joins: 3 or 30 rows, the same queries."""
    c = _client(people.province)
    for n in range(3):
        _ticket(key=f"q{n}")
    c.get(reverse("supervision:ticket_list"))  # warm the session and the menu
    with django_assert_max_num_queries(25) as few:
        assert c.get(reverse("supervision:ticket_list")).status_code == 200
    for n in range(3, 30):
        _ticket(key=f"q{n}", region="410305" if n % 2 else "410300")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(reverse("supervision:ticket_list")).status_code == 200
