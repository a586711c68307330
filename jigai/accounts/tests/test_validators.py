"""Password policy (等保三级 口令复杂度) and the role ↔ region ↔ enterprise rules, with Chinese messages."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from jigai.accounts.models import User
from jigai.accounts.roles import Role
from jigai.accounts.tests.factories import PASSWORD, ensure_region, make_enterprise
from jigai.accounts.validators import CharacterClassesValidator, role_assignment_errors


def messages_for(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as e:
        return e.messages
    return []


@pytest.mark.parametrize(
    "password",
    [PASSWORD, "Henan-Jigai-7788", "zhongyuan#2024x", "ZHONGYUAN2024!!", "Abcdefgh1234x"],
)
def test_strong_passwords_pass(password):
    assert messages_for(password) == []


def test_short_password_refused_in_chinese():
    assert messages_for("Ab1!xyz") == ["密码太短，至少须 12 位。"]
    assert messages_for("Ab1!xyzAb1!") == ["密码太短，至少须 12 位。"]  # 11
    assert messages_for("Ab1!xyzAb1!x") == []  # 12


@pytest.mark.parametrize(
    "password", ["abcdefghijklmnop", "abcdefghijkl1234", "ABCDEFGHIJKL!!!!", "zhongyuanqujigai"]
)
def test_fewer_than_three_kinds_refused(password):
    assert "密码须至少包含大写字母、小写字母、数字、符号中的三种。" in messages_for(password)


def test_kinds_counter():
    assert CharacterClassesValidator.kinds("abc") == 1
    assert CharacterClassesValidator.kinds("aB1") == 3
    assert CharacterClassesValidator.kinds("aB1!") == 4
    assert CharacterClassesValidator.kinds("中文密码中文密码") == 1  # non-ASCII letters count as symbols


def test_every_message_is_chinese():
    for password in ["Ab1!", "abcdefghijklmnop", "1qaz2wsx3edc", "202405061234"]:
        for m in messages_for(password):
            assert any("\u4e00" <= ch <= "\u9fff" for ch in m), m


def test_common_password_refused_in_chinese():
    # On Django's list of 20,000 common passwords, and long enough to reach that check.
    msgs = messages_for("1qaz2wsx3edc")
    assert any("太常见" in m for m in msgs)


def test_all_numeric_refused():
    msgs = messages_for("202405061234")
    assert "密码只包含数字。" in msgs


@pytest.mark.django_db
def test_password_similar_to_username_refused():
    user = User(username="zhangsan2024", full_name="张三")
    msgs = messages_for("Zhangsan2024!", user)
    assert any("相似" in m for m in msgs)


@pytest.mark.django_db
class TestRoleAssignment:
    def errors(self, role, region_code=None, enterprise=None):
        region = ensure_region(region_code) if region_code else None
        return role_assignment_errors(role=role, region=region, enterprise=enterprise)

    def test_county_needs_a_county(self):
        assert self.errors(Role.COUNTY) == {"region": ["县级工信部门用户必须选择所属县（市、区）。"]}
        assert self.errors(Role.COUNTY, "410100") == {
            "region": ["县级工信部门用户的所属区划必须是县级区划。"]
        }
        assert self.errors(Role.COUNTY, "410000")
        assert self.errors(Role.COUNTY, "410102") == {}

    def test_city_needs_a_city_jiyuan_included(self):
        assert self.errors(Role.CITY) == {"region": ["市级工信部门用户必须选择所属省辖市（或济源示范区）。"]}
        assert self.errors(Role.CITY, "410102") == {
            "region": ["市级工信部门用户的所属区划必须是省辖市（或济源示范区）。"]
        }
        assert self.errors(Role.CITY, "410000")
        assert self.errors(Role.CITY, "410100") == {}
        assert self.errors(Role.CITY, "419001") == {}

    @pytest.mark.parametrize("role", [Role.PROVINCE, Role.LEADER, Role.FINANCE, Role.ADMIN])
    def test_province_roles_province_or_nothing(self, role):
        assert self.errors(role) == {}
        assert self.errors(role, "410000") == {}
        assert self.errors(role, "410100") == {"region": ["省级用户的所属区划只能是河南省或不选。"]}

    def test_enterprise_role_needs_its_enterprise(self):
        assert self.errors(Role.ENTERPRISE) == {"enterprise": ["企业用户必须选择所属企业。"]}
        ent = make_enterprise("410102")
        assert self.errors(Role.ENTERPRISE, enterprise=ent) == {}
        assert self.errors(Role.ENTERPRISE, "410102", enterprise=ent) == {}
        assert self.errors(Role.ENTERPRISE, "410300", enterprise=ent) == {
            "region": ["企业用户的所属区划须与企业所在区划一致，或不选。"]
        }

    def test_only_enterprise_users_have_an_enterprise(self):
        ent = make_enterprise("410102")
        assert self.errors(Role.COUNTY, "410102", enterprise=ent) == {
            "enterprise": ["只有企业用户可以关联企业。"]
        }
        assert self.errors(Role.EXPERT, enterprise=ent) == {"enterprise": ["只有企业用户可以关联企业。"]}

    def test_model_clean_applies_the_rules(self):
        user = User(username="x", role=Role.COUNTY, region=ensure_region("410100"))
        with pytest.raises(ValidationError) as exc:
            user.clean()
        assert exc.value.message_dict == {"region": ["县级工信部门用户的所属区划必须是县级区划。"]}
