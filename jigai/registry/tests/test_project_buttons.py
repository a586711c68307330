"""Issue 9: on the project page a step that is not yet possible is a disabled button with the reason (the
one the service answers, services.projects.submit_refusal/edit_refusal/progress_refusal); in the state
where it is possible the button is enabled; the service still refuses the POST sent anyway."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jigai.accounts.tests.factories import make_user
from jigai.core.errors import Conflict
from jigai.registry import services
from jigai.registry.models import EnterpriseStatus, LibraryStatus, ProgressReport

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _element(html: str, testid: str) -> str:
    found = re.search(rf'<(?:button|a)\b[^>]*data-testid="{testid}"[^>]*>', html)
    assert found, f"no element {testid}"
    return found.group(0)


def _reason(html: str, element: str) -> str:
    ref = re.search(r'aria-describedby="([^"]+)"', element)
    assert ref, element
    text = re.search(rf'id="{ref.group(1)}"[^>]*>([^<]*)<', html)
    assert text, ref.group(1)
    return text.group(1).strip()


def _page(client, project) -> str:
    r = client.get(reverse("registry:project_detail", args=[project.pk]))
    assert r.status_code == 200
    return r.content.decode()


def test_submit_is_disabled_until_the_county_confirms_the_enterprise(client):
    owner = make_user("enterprise")
    type(owner.enterprise).objects.filter(pk=owner.enterprise_id).update(status=EnterpriseStatus.PENDING)
    project = ProjectFactory(enterprise=owner.enterprise, name="智能车间改造项目")
    client.force_login(owner)
    html = _page(client, project)
    button = _element(html, "move-submit")
    assert " disabled" in button
    assert _reason(html, button) == "企业尚未经县级工信部门确认，不能提交项目。"
    # sent anyway: refused with the same reason, nothing moves
    r = client.post(
        reverse("registry:project_transition", args=[project.pk]),
        {"to_status": LibraryStatus.SUBMITTED},
        follow=True,
    )
    assert "企业尚未经县级工信部门确认，不能提交项目。" in r.content.decode()
    project.refresh_from_db()
    assert project.library_status == LibraryStatus.DRAFT and not project.events.exists()
    # confirmed: the button is enabled and submitting works
    type(owner.enterprise).objects.filter(pk=owner.enterprise_id).update(status=EnterpriseStatus.CONFIRMED)
    html = _page(client, project)
    button = _element(html, "move-submit")
    assert " disabled" not in button and 'type="submit"' in button
    assert 'id="move-why-' not in html
    client.post(
        reverse("registry:project_transition", args=[project.pk]), {"to_status": LibraryStatus.SUBMITTED}
    )
    project.refresh_from_db()
    assert project.library_status == LibraryStatus.SUBMITTED


def test_edit_and_progress_wait_for_their_state(client):
    owner = make_user("enterprise")
    project = ProjectFactory(enterprise=owner.enterprise, name="数控机床智能化改造项目")
    client.force_login(owner)
    html = _page(client, project)  # a draft: edited, no progress yet
    edit = _element(html, "project-edit")
    assert edit.startswith("<a") and " disabled" not in edit
    report = _element(html, "progress-create")
    assert " disabled" in report and _reason(html, report) == "项目入库后方可填报月度进度。"

    services.project_submit(actor=owner, project=project)
    html = _page(client, project)
    edit = _element(html, "project-edit")
    assert " disabled" in edit
    assert _reason(html, edit) == "项目当前状态为“已提交（待县级审核）”，不能修改；退回补正后方可修改。"
    # the edit sent anyway is refused; the progress sent anyway too
    with pytest.raises(Conflict) as caught:
        services.project_update(actor=owner, project=project, data={"name": "改名"})
    assert caught.value.message == _reason(html, edit)
    project.refresh_from_db()
    assert project.name == "数控机床智能化改造项目"
    r = client.post(
        reverse("registry:progress_create", args=[project.pk]),
        {"month": "2026-01-01", "investment_completed": "10"},
        follow=True,
    )
    assert "项目入库后方可填报月度进度。" in r.content.decode()
    assert not ProgressReport.objects.filter(project=project).exists()

    county, city = make_user("county", "410102"), make_user("city", "410100")
    services.project_transition(actor=county, project=project, to_status=LibraryStatus.COUNTY_CHECKED)
    services.project_transition(actor=city, project=project, to_status=LibraryStatus.IN_LIBRARY)
    html = _page(client, project)
    report = _element(html, "progress-create")
    assert report.startswith("<a") and " disabled" not in report and 'id="report-why"' not in html
