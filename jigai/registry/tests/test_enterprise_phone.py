"""The enterprise's contact phone is checked (jigai.core.phone) on registration, on edit and in the Excel
import; a wrong number is said on its field and nothing is written."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.urls import reverse

from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_user
from jigai.core.errors import InvalidInput
from jigai.core.phone import INVALID_MESSAGE
from jigai.registry import excel as registry_excel
from jigai.registry import services
from jigai.registry.models import Enterprise

from .factories import EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _register(phone: str):
    return services.enterprise_register(
        uscc=valid_uscc(7701),
        name="郑州电话测试有限公司",
        region=ensure_region("410102"),
        contact_person="李华",
        contact_phone=phone,
        username="dianhua",
        password=PASSWORD,
        industry_section="C",
        industry_division="30",
    )


@pytest.mark.parametrize("phone", ["第一", "12345", "0371-123"])
def test_registration_refuses_a_wrong_phone_on_its_field(phone):
    with pytest.raises(InvalidInput) as caught:
        _register(phone)
    assert caught.value.errors["contact_phone"] == [INVALID_MESSAGE]
    assert not Enterprise.objects.filter(name="郑州电话测试有限公司").exists()
    assert not User.objects.filter(username="dianhua").exists()


def test_registration_stores_the_normalized_phone():
    enterprise, user = _register("138 1234 5678")
    assert enterprise.contact_phone == "13812345678" and user.phone == "13812345678"


def test_the_registration_page_says_it_beside_the_field(client):
    data = {
        "uscc": valid_uscc(7702),
        "name": "郑州电话页面有限公司",
        "region": "410102",
        "contact_person": "刘洋",
        "contact_phone": "电话号码",
        "username": "dianhua2",
        "password": PASSWORD,
        "password2": PASSWORD,
    }
    body = client.post(reverse("register"), data).content.decode()
    assert INVALID_MESSAGE in body
    assert not Enterprise.objects.filter(name="郑州电话页面有限公司").exists()


def test_editing_the_profile_checks_and_normalizes_the_phone():
    enterprise = EnterpriseFactory()
    user = make_user("enterprise", enterprise=enterprise)
    with pytest.raises(InvalidInput) as caught:
        services.enterprise_update(actor=user, enterprise=enterprise, data={"contact_phone": "0000"})
    assert caught.value.errors == {"contact_phone": [INVALID_MESSAGE]}
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == "13800000000"
    services.enterprise_update(actor=user, enterprise=enterprise, data={"contact_phone": "0371 6512 3456"})
    enterprise.refresh_from_db()
    assert enterprise.contact_phone == "0371-65123456"


def _xlsx(rows: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("数据")
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            ws.write_string(r, c, v)
    wb.close()
    return buf.getvalue()


HEADERS = ["统一社会信用代码", "企业名称", "所在区划代码", "联系人", "联系电话"]


def test_the_excel_import_checks_the_phone_column():
    city = make_user(Role.CITY, "410100")
    rows = [
        [valid_uscc(7710), "郑州导入一有限公司", "410102", "王经理", "0371-65123456转8"],
        [valid_uscc(7711), "郑州导入二有限公司", "410102", "赵经理", "6512345"],
        [valid_uscc(7712), "郑州导入三有限公司", "410102", "钱经理", ""],
    ]
    result = registry_excel.import_file(actor=city, kind="enterprises", file=_xlsx([HEADERS, *rows]))
    assert not result.ok
    assert [(e.row, e.col, e.message) for e in result.errors] == [(3, 5, INVALID_MESSAGE)]
    assert not Enterprise.objects.filter(name__startswith="郑州导入").exists()
    rows[1][4] = "400 888 1234"
    result = registry_excel.import_file(actor=city, kind="enterprises", file=_xlsx([HEADERS, *rows]))
    assert result.ok, result.errors
    phones = dict(Enterprise.objects.filter(name__startswith="郑州导入").values_list("name", "contact_phone"))
    assert phones == {
        "郑州导入一有限公司": "0371-65123456-8",
        "郑州导入二有限公司": "400-888-1234",
        "郑州导入三有限公司": "",
    }
