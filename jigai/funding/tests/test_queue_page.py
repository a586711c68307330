"""The application queue as a reviewer works it (issue 9): the region picker of the user's jurisdiction,
pages with jump and size, totals of the money columns over the filtered set, the export of the same set,
sortable columns, batch 初审 / 推荐 with per-row outcomes; the expert's task list; disabled buttons with
their reason."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jigai.accounts.tests.factories import make_enterprise, make_user
from jigai.audit.models import AuditEvent
from jigai.funding.models import Application, AppStatus, Guideline, ReviewEvent
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


def _clones(app: Application, n: int, *, region: str = "410102", start: int = 1) -> list[Application]:
    """`n` more submitted applications like `app`, each of its own enterprise (one a year each), with
    requested amounts 10,000 × i yuan: enough rows for paging without driving each through the services."""
    out = []
    for i in range(start, start + n):
        clone = Application.objects.get(pk=app.pk)
        clone.pk = None
        clone.enterprise = make_enterprise(region, uscc=f.valid_uscc(region))
        clone.tracking_no = f"JGT-{region}-{i:05d}"
        clone.requested_amount = Decimal(10_000 * i)
        clone.save()
        out.append(clone)
    return out


@pytest.fixture
def queue_apps(cast, guideline, ent_user):
    first = f.submitted(ent_user, guideline)
    return [first, *_clones(first, 54)]  # 55 submitted in 中原区


def _options(html: str) -> list[str]:
    start = html.index('name="region"')
    select = html[start : html.index("</select>", start)]
    return [part.split('"', 1)[0] for part in select.split('<option value="')[1:]]


# ---------------------------------------------------------------------------------------------- region picker


def test_county_sees_only_its_region_in_the_picker(client, cast):
    client.force_login(cast.county)
    html = client.get(reverse("funding:queue")).content.decode()
    assert _options(html) == ["", "410102"]


def test_city_sees_its_counties_and_zones_as_a_tree(client, cast):
    client.force_login(cast.city)
    html = client.get(reverse("funding:queue")).content.decode()
    codes = _options(html)
    assert codes[:3] == ["", "410100", "410102"]
    assert "410173" in codes  # 郑州航空港经济综合实验区, a zone of 郑州市
    assert "410300" not in codes and "410305" not in codes  # 洛阳 is another city's
    assert '<optgroup label="郑州市">' in html and "（功能区）" in html


def test_province_sees_all_18_cities(client, cast):
    client.force_login(cast.province)
    html = client.get(reverse("funding:queue")).content.decode()
    assert html.count("<optgroup") == 18
    assert {"410100", "410300", "419001", "411700"} <= set(_options(html))


def test_a_region_outside_the_jurisdiction_is_refused_in_chinese(client, cast, queue_apps):
    client.force_login(cast.county)
    r = client.get(reverse("funding:queue"), {"region": "410305"})
    assert "所选区划不在您的管辖范围内" in r.content.decode()
    r = client.get(reverse("funding:queue"), {"region": "410102"})
    assert "所选区划不在您的管辖范围内" not in r.content.decode()


def test_no_free_text_region_box_remains():
    from jigai.funding.forms import QueueFilterForm
    from jigai.regions.widgets import JurisdictionField
    from jigai.registry.filters import EnterpriseFilterForm, ProjectFilterForm
    from jigai.registry.forms import EnterpriseForm, QualificationQueueFilterForm, RegistrationForm

    for form in (QueueFilterForm, EnterpriseFilterForm, ProjectFilterForm, QualificationQueueFilterForm):
        assert isinstance(form.base_fields["region"], JurisdictionField)
    for form in (RegistrationForm, EnterpriseForm):
        assert isinstance(form.base_fields["region"], JurisdictionField)


# ---------------------------------------------------------------------------------------------- pages, totals


def test_jump_to_page_3(client, cast, queue_apps):
    client.force_login(cast.county)
    r = client.get(reverse("funding:queue"), {"page": "3", "sort": "tracking"})
    page = r.context["page"]
    assert page.number == 3 and len(page) == 15 and page.paginator.num_pages == 3
    html = r.content.decode()
    assert 'name="page"' in html and 'max="3"' in html  # the jump box
    ordered = sorted(a.tracking_no for a in queue_apps)
    assert [a.tracking_no for a in page] == ordered[40:]


def test_page_size_50_keeps_the_filters(client, cast, queue_apps):
    client.force_login(cast.county)
    r = client.get(reverse("funding:queue"), {"per_page": "50", "status": "submitted"})
    page = r.context["page"]
    assert len(page) == 50 and page.paginator.num_pages == 2
    html = r.content.decode()
    assert '<option value="50" selected>' in html
    assert 'name="status" value="submitted"' in html  # the jump form keeps the filters
    links = re.findall(r'href="\?([^"]*page=2)"', html)
    assert links and all("per_page=50" in link and "status=submitted" in link for link in links)
    # a size that is not offered falls back to 20
    assert len(client.get(reverse("funding:queue"), {"per_page": "7"}).context["page"]) == 20


def test_totals_are_over_the_whole_filtered_set(client, cast, queue_apps):
    client.force_login(cast.county)
    r = client.get(reverse("funding:queue"), {"q": "JGT-410102-0001"})  # 00010 … 00019
    filtered = Application.objects.filter(tracking_no__startswith="JGT-410102-0001")
    assert filtered.count() == 10
    totals = r.context["totals"]
    assert totals["requested"] == sum(a.requested_amount for a in filtered)
    assert totals["ceiling"] == sum(a.ceiling for a in filtered)
    r = client.get(reverse("funding:queue"))  # 55 rows, 20 on the page: totals of all 55
    assert r.context["totals"]["requested"] == sum(a.requested_amount for a in Application.objects.all())
    assert len(r.context["page"]) == 20
    assert "合计（筛选结果共 55 件，单位：万元）" in r.content.decode()


def test_export_holds_the_filtered_rows(client, cast, queue_apps):
    client.force_login(cast.county)
    r = client.get(reverse("funding:queue_export"), {"q": "JGT-410102-0001"})
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    exported = {v for v in values if v.startswith("JGT-")}
    assert exported == {f"JGT-410102-{i:05d}" for i in range(10, 20)}


def test_sort_by_column_header(client, cast, queue_apps):
    client.force_login(cast.county)
    r = client.get(reverse("funding:queue"), {"sort": "-requested"})
    amounts = [a.requested_amount for a in r.context["page"]]
    assert amounts == sorted(amounts, reverse=True)
    headers = {h.label: h for h in r.context["headers"]}
    assert headers["申请金额"].arrow == "▼" and "sort=requested" in headers["申请金额"].url


# ---------------------------------------------------------------------------------------------- batch


def test_batch_county_review_of_three_with_one_refused(client, cast, guideline, ent_user):
    first = f.submitted(ent_user, guideline)
    second, third = _clones(first, 2)
    Application.objects.filter(pk=third.pk).update(status=AppStatus.COUNTY_APPROVED)  # already passed
    client.force_login(cast.county)
    r = client.post(
        reverse("funding:queue"),
        {"ids": [first.pk, second.pk, third.pk], "action": "approve", "comment": "材料齐全，同意上报。"},
    )
    assert r.status_code == 200
    outcomes = {o.id: o for o in r.context["batch_results"]}
    assert outcomes[first.pk].ok and outcomes[second.pk].ok
    assert not outcomes[third.pk].ok and outcomes[third.pk].message
    html = r.content.decode()
    assert "批量办理结果" in html and html.count('data-outcome="done"') == 2 and "未办理" in html
    for app in (first, second):
        app.refresh_from_db()
        assert app.status == AppStatus.COUNTY_APPROVED
        event = ReviewEvent.objects.get(application=app, action="approve")
        assert event.comment == "材料齐全，同意上报。" and event.actor == cast.county
        assert AuditEvent.objects.filter(target_id=str(app.pk), actor=cast.county).exists()
    assert not ReviewEvent.objects.filter(application=third, actor=cast.county).exists()


def test_batch_city_recommendation_ranks_each(client, cast, guideline, ent_user):
    first = f.to_status(f.submitted(ent_user, guideline), AppStatus.COUNTY_APPROVED, cast)
    (second,) = _clones(first, 1)
    client.force_login(cast.city)
    html = client.get(reverse("funding:queue")).content.decode()
    assert "推荐（市级）" in html and "data-batch-row" in html
    r = client.post(reverse("funding:queue"), {"ids": [first.pk, second.pk], "action": "approve"})
    assert all(o.ok for o in r.context["batch_results"])
    ranks = sorted(
        Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("city_rank", flat=True)
    )
    assert ranks == [1, 2]


def test_batch_return_needs_the_comment(client, cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    client.force_login(cast.county)
    r = client.post(reverse("funding:queue"), {"ids": [app.pk], "action": "return", "comment": ""})
    (outcome,) = r.context["batch_results"]
    assert not outcome.ok and "须填写意见" in outcome.message
    app.refresh_from_db()
    assert app.status == AppStatus.SUBMITTED


def test_other_region_ids_are_refused_per_row(client, cast, guideline, ent_user):
    mine = f.submitted(ent_user, guideline)
    (other,) = _clones(mine, 1, region="410305")  # 洛阳 涧西区: not the 中原区 reviewer's
    client.force_login(cast.county)
    r = client.post(reverse("funding:queue"), {"ids": [mine.pk, other.pk], "action": "approve"})
    outcomes = {o.id: o for o in r.context["batch_results"]}
    assert outcomes[mine.pk].ok
    assert not outcomes[other.pk].ok and outcomes[other.pk].tracking_no == ""
    other.refresh_from_db()
    assert other.status == AppStatus.SUBMITTED


def test_roles_without_batch_see_no_tick_boxes(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.CITY_RECOMMENDED, cast)
    client.force_login(cast.province)
    html = client.get(reverse("funding:queue")).content.decode()
    assert "data-batch-row" not in html and "批量办理所选" not in html
    r = client.post(reverse("funding:queue"), {"ids": [app.pk], "action": "approve"})
    assert r.context["batch_results"] is None
    app.refresh_from_db()
    assert app.status == AppStatus.CITY_RECOMMENDED


def test_batch_api(client, cast, guideline, ent_user):
    first = f.submitted(ent_user, guideline)
    (second,) = _clones(first, 1)
    Application.objects.filter(pk=second.pk).update(status=AppStatus.REJECTED)
    client.force_login(cast.county)
    url = "/api/v1/funding/batch-transitions"
    r = client.post(
        url,
        {"ids": [first.pk, second.pk], "action": "approve", "comment": "同意"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["done"] == 1 and body["refused"] == 1
    assert [o["ok"] for o in body["outcomes"]] == [True, False]
    client.force_login(cast.province)  # no batch level
    r = client.post(url, {"ids": [first.pk], "action": "approve"}, content_type="application/json")
    assert r.status_code == 403


# ---------------------------------------------------------------------------------------------- expert


def test_expert_task_list_shows_the_work_sorted_by_deadline(client, cast, guideline, ent_user):
    from jigai.funding import services
    from jigai.funding.models import ExpertAssignment

    a1 = f.to_status(
        f.submitted(ent_user, guideline, requested_amount="1500000"), AppStatus.FORMAL_CHECKED, cast
    )
    other_user = f.enterprise_user("410102")
    a2 = f.to_status(f.submitted(other_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    expert = cast.experts[0]
    services.expert_assign(actor=cast.province, application=a1, experts=[expert])
    services.expert_assign(actor=cast.province, application=a2, experts=[expert])
    earlier = timezone.now() - dt.timedelta(days=20)
    ExpertAssignment.objects.filter(application=a2).update(assigned_at=earlier)
    client.force_login(expert)
    r = client.get(reverse("funding:expert_list"))
    tasks = list(r.context["page"])
    assert [t.tracking_no for t in tasks] == [a2.tracking_no, a1.tracking_no]  # the nearest deadline first
    assert tasks[0].overdue and not tasks[1].overdue
    html = r.content.decode()
    for text in (
        "企业",
        "项目（申报对象）",
        "申报事项",
        "申请金额（万元）",
        "评审截止",
        "技术改造示范项目",
        "150 万元",
    ):
        assert text in html
    assert ent_user.enterprise.name in html and a1.project.name in html


# ---------------------------------------------------------------------------------------------- disabled


def test_submit_before_the_window_opens_is_disabled_with_the_reason(client, cast, ent_user):
    g = f.guideline(actor=cast.province)
    app = f.draft(ent_user, g)
    opens = timezone.now() + dt.timedelta(days=3)
    Guideline.objects.filter(pk=g.pk).update(opens_at=opens, closes_at=opens + dt.timedelta(days=30))
    client.force_login(ent_user)
    html = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    local = timezone.localtime(opens)
    assert f"申报于 {local.month}月{local.day}日" in html and "disabled" in html
    assert reverse("funding:application_submit", args=[app.pk]) not in html


def test_closing_the_expert_review_is_disabled_until_two_have_scored(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    client.force_login(cast.province)
    html = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert 'data-testid="move-why"' in html and "至少需要 2 位专家完成评分" in html
    f.score_by_experts(app, cast, (80, 90))
    html = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert 'data-testid="move-why"' not in html


def test_province_outside_region_make_user_has_jurisdiction():
    # a regional reviewer without a region has no jurisdiction: an empty picker, never the whole province
    from jigai.regions.selectors import jurisdiction_choices

    county = make_user("county", "410102")
    county.region = None
    assert jurisdiction_choices(county) == []
