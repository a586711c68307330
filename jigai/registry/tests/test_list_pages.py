"""The registry's lists and queues as reviewers work them (issue 9): the region picker of the user's
jurisdiction, one pagination (page numbers, jump-to-page, 20/50/100 a page), totals of the money columns
over the whole filtered set, sortable money columns, and exports that hold the rows the page lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from jigai.accounts.tests.factories import make_user
from jigai.registry.models import EnterpriseStatus, LibraryStatus, Project
from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory, _region

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects():
    """45 in-library projects in 中原区 with total investments 1..45 million, 5 in 洛阳 涧西区."""
    ent = EnterpriseFactory()
    rows = [
        ProjectFactory(
            enterprise=ent,
            library_status=LibraryStatus.IN_LIBRARY,
            total_investment=Decimal(1_000_000 * i),
            cumulative_investment=Decimal(10_000 * i),
        )
        for i in range(1, 46)
    ]
    far = EnterpriseFactory(region=_region("410305"))
    for _ in range(5):
        ProjectFactory(enterprise=far, library_status=LibraryStatus.IN_LIBRARY)
    return rows


def _region_options(html: str) -> list[str]:
    start = html.index('name="region"')
    select = html[start : html.index("</select>", start)]
    return [part.split('"', 1)[0] for part in select.split('<option value="')[1:]]


def test_county_sees_only_its_region_in_the_enterprise_and_project_pickers(client):
    client.force_login(make_user("county", "410102"))
    for name in ("registry:enterprise_list", "registry:project_list", "registry:enterprise_queue"):
        html = client.get(reverse(name)).content.decode()
        assert _region_options(html) == ["", "410102"], name


def test_picker_refuses_a_region_outside(client, projects):
    client.force_login(make_user("city", "410100"))
    r = client.get(reverse("registry:project_list"), {"region": "410305"})
    assert "所选区划不在您的管辖范围内" in r.content.decode()


def test_project_list_jump_to_page_3_and_page_size_50(client, projects):
    client.force_login(make_user("province"))
    r = client.get(reverse("registry:project_list"), {"page": "3", "sort": "total"})
    page = r.context["page"]
    assert page.number == 3 and len(page) == 10  # 50 projects, 20 a page
    every = sorted(Project.objects.values_list("total_investment", flat=True))
    assert [p.total_investment for p in page] == every[40:]
    html = r.content.decode()
    assert 'class="page-jump' in html and 'max="3"' in html
    r = client.get(reverse("registry:project_list"), {"per_page": "50"})
    assert len(r.context["page"]) == 50 and r.context["page"].paginator.num_pages == 1


def test_project_totals_are_over_the_filtered_set(client, projects):
    client.force_login(make_user("county", "410102"))
    r = client.get(reverse("registry:project_list"))
    totals = r.context["totals"]
    assert len(r.context["page"]) == 20
    assert totals["total"] == sum(Decimal(1_000_000 * i) for i in range(1, 46))
    assert totals["cumulative"] == sum(Decimal(10_000 * i) for i in range(1, 46))
    mine = Project.objects.filter(enterprise__region_id="410102")
    assert totals["equipment"] == sum(p.equipment_investment for p in mine)
    assert "data-totals" in r.content.decode()


def test_project_columns_sort_by_header(client, projects):
    client.force_login(make_user("county", "410102"))
    r = client.get(reverse("registry:project_list"), {"sort": "-total"})
    amounts = [p.total_investment for p in r.context["page"]]
    assert amounts == sorted(amounts, reverse=True)
    header = {h.label: h for h in r.context["headers"]}["总投资"]
    assert header.arrow == "▼" and "sort=total" in header.url


def test_project_queue_export_link_holds_the_queue(client):
    county = make_user("county", "410102")
    ProjectFactory(enterprise=EnterpriseFactory(), library_status=LibraryStatus.SUBMITTED)
    client.force_login(county)
    r = client.get(reverse("registry:project_queue"))
    assert "status=submitted" in r.context["export_query"]
    export = client.get(reverse("registry_excel:export", args=["projects"]) + "?" + r.context["export_query"])
    assert export.status_code == 200


def test_enterprise_queue_keeps_pending_and_region(client):
    county = make_user("county", "410102")
    EnterpriseFactory(status=EnterpriseStatus.PENDING)
    client.force_login(county)
    r = client.get(reverse("registry:enterprise_queue"), {"region": "410102"})
    assert r.status_code == 200 and len(r.context["page"]) == 1
    assert "status=pending" in r.context["export_query"]


def test_qualification_queue_has_the_shared_pagination_and_export(client):
    client.force_login(make_user("province"))
    r = client.get(reverse("registry:qualification_queue"), {"per_page": "100"})
    assert r.status_code == 200 and r.context["page"].pager.per_page == 100
    assert reverse("registry_excel:export", args=["qualifications"]) in r.content.decode()


def test_batch_county_check_of_the_project_queue_with_one_refused(client):
    from jigai.registry.models import ProjectEvent

    county = make_user("county", "410102")
    ent = EnterpriseFactory()
    a, b = (ProjectFactory(enterprise=ent, library_status=LibraryStatus.SUBMITTED) for _ in range(2))
    done_already = ProjectFactory(enterprise=ent, library_status=LibraryStatus.COUNTY_CHECKED)
    client.force_login(county)
    html = client.get(reverse("registry:project_queue")).content.decode()
    assert "批量办理所选" in html and "县级审核通过" in html
    r = client.post(
        reverse("registry:project_queue"),
        {"ids": [a.pk, b.pk, done_already.pk], "action": "approve", "comment": "同意入库。"},
    )
    outcomes = {o["id"]: o for o in r.context["batch_results"]}
    assert outcomes[a.pk]["ok"] and outcomes[b.pk]["ok"] and not outcomes[done_already.pk]["ok"]
    for p in (a, b):
        p.refresh_from_db()
        assert p.library_status == LibraryStatus.COUNTY_CHECKED
        assert ProjectEvent.objects.filter(project=p, actor=county, comment="同意入库。").count() == 1
    r = client.post(
        reverse("registry:project_queue"),
        {"ids": [ProjectFactory(enterprise=ent, library_status="submitted").pk], "action": "return"},
    )
    (outcome,) = r.context["batch_results"]
    assert not outcome["ok"] and "必须填写意见" in outcome["message"]
