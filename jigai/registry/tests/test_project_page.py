"""The project page opens for its owner and its county reviewer, also when a history event has no actor
(rows written by the demo builder or an import carry none)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jigai.accounts.tests.factories import make_user
from jigai.registry import services
from jigai.registry.models import LibraryStatus, ProjectEvent

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project_with_history():
    owner = make_user("enterprise")  # enterprise in 中原区 (410102)
    project = ProjectFactory(enterprise=owner.enterprise, name="数控机床智能化改造项目")
    services.project_submit(actor=owner, project=project)
    # An event without an actor, as the demo builder and imports write them.
    ProjectEvent.objects.create(
        project=project,
        actor=None,
        from_status=LibraryStatus.SUBMITTED,
        to_status=LibraryStatus.SUBMITTED,
        comment="批量导入",
    )
    return owner, project


@pytest.mark.parametrize("who", ["owner", "county"])
def test_project_detail_opens_with_an_event_without_actor(client, project_with_history, who):
    owner, project = project_with_history
    user = owner if who == "owner" else make_user("county", "410102")
    client.force_login(user)
    r = client.get(reverse("registry:project_detail", args=[project.pk]))
    assert r.status_code == 200
    page = r.content.decode()
    assert "数控机床智能化改造项目" in page
    assert "批量导入" in page and "系统" in page
    assert owner.full_name in page  # the submitting event still names its actor


def test_project_detail_out_of_scope_is_404(client, project_with_history):
    _owner, project = project_with_history
    client.force_login(make_user("county", "410305"))
    assert client.get(reverse("registry:project_detail", args=[project.pk])).status_code == 404
