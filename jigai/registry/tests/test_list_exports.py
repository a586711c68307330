"""The filtered lists link to their Excel export, and the export keeps the list's filters."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from jigai.accounts.tests.factories import make_user
from jigai.registry.models import LibraryStatus

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.get_sheet_by_index(0).to_python()


def test_project_list_links_export_with_current_filters(client):
    province = make_user("province")
    ProjectFactory(name="智能化改造甲", category="intelligent", library_status=LibraryStatus.IN_LIBRARY)
    ProjectFactory(name="绿色化改造乙", category="green", library_status=LibraryStatus.IN_LIBRARY)
    client.force_login(province)

    page = client.get(reverse("registry:project_list"), {"category": "green"})
    export_url = reverse("registry_excel:export", args=["projects"]) + "?category=green"
    assert export_url in page.content.decode()

    names = {cell for row in _rows(client.get(export_url)) for cell in row}
    assert "绿色化改造乙" in names
    assert "智能化改造甲" not in names


def test_enterprise_list_links_export(client):
    province = make_user("province")
    client.force_login(province)
    page = client.get(reverse("registry:enterprise_list"))
    assert reverse("registry_excel:export", args=["enterprises"]) in page.content.decode()
    assert reverse("registry_excel:index") in page.content.decode()
