from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.password_validation import validate_password

from jigai.regions.widgets import ALL_LEVELS, JurisdictionField

from .models import LoginRecord
from .roles import ADMIN_ROLES, Role

PASSWORD_HELP = (
    "至少 12 位，须包含大写字母、小写字母、数字、符号中的三种；不能是常见密码、纯数字，或与用户名、姓名相似。"
)
LOGIN_FAILED = "用户名或密码错误。连续失败 5 次，账号将被锁定 30 分钟。"


def region_field(required: bool = False, label: str = "所属区划") -> JurisdictionField:
    """The one region picker (jigai.regions.widgets): accounts are managed by the administrator, whose
    jurisdiction is the whole province, so every level down to the zones may be picked; cleaned to the
    Region row."""
    return JurisdictionField(
        levels=ALL_LEVELS, blank="（不选）", as_region=True, required=required, label=label
    )


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": LOGIN_FAILED,
        "inactive": "该账号已停用，请联系管理员。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].error_messages["required"] = "请输入用户名。"
        self.fields["password"].error_messages["required"] = "请输入密码。"


class OwnPasswordChangeForm(PasswordChangeForm):
    error_messages = {
        "password_mismatch": "两次输入的新密码不一致。",
        "password_incorrect": "当前密码不正确。",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        self.fields["new_password1"].help_text = PASSWORD_HELP
        for f in self.fields.values():
            f.error_messages["required"] = "此项必填。"


class NewPasswordMixin(forms.Form):
    password1 = forms.CharField(label="密码", strip=False, widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(
        label="再次输入密码", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def clean_password2(self) -> str:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError("两次输入的密码不一致。")
        return p2


class UserFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])
    region = region_field(label="区划")
    active = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "停用")]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].blank = "全部区划"
        self.fields["region"].bind(None)  # the administrator's jurisdiction: the whole province
        self.fields["q"].widget.attrs["placeholder"] = "用户名、姓名或手机号"


class UserForm(forms.Form):
    """Account data an administrator edits; the rules (role ↔ region ↔ enterprise) are the model's."""

    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50, required=False)
    phone = forms.CharField(label="手机号", max_length=11, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    # 三权分立: the three administrators are `jigai createadmin`'s, never chosen here.
    role = forms.ChoiceField(label="角色", choices=[c for c in Role.choices if c[0] not in ADMIN_ROLES])
    region = region_field()
    enterprise_uscc = forms.CharField(
        label="所属企业（统一社会信用代码）",
        max_length=18,
        required=False,
        help_text="企业用户必填：输入企业的18位统一社会信用代码。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def clean_enterprise_uscc(self) -> Any:
        from django.apps import apps  # by name, like the user's foreign key: accounts imports no app above it

        Enterprise = apps.get_model("registry", "Enterprise")
        code = self.cleaned_data.get("enterprise_uscc", "").strip().upper()
        if not code:
            return None
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            raise forms.ValidationError("未找到该统一社会信用代码对应的企业，请先在企业库中登记。")
        return enterprise


class UserCreateForm(NewPasswordMixin, UserForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "初始密码"
        self.fields["password1"].help_text = f"{PASSWORD_HELP}用户首次登录须修改。"
        # Password fields last.
        self.order_fields(
            [n for n in self.fields if not n.startswith("password")] + ["password1", "password2"]
        )


class PasswordResetForm(NewPasswordMixin):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "新密码"
        self.fields["password1"].help_text = f"{PASSWORD_HELP}用户下次登录须修改。"

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        validate_password(password, self.user)
        return password


class LoginRecordFilterForm(forms.Form):
    username = forms.CharField(label="用户名", required=False)
    kind = forms.ChoiceField(
        label="类型", required=False, choices=[("", "全部类型"), *LoginRecord.Kind.choices]
    )
    success = forms.ChoiceField(
        label="结果", required=False, choices=[("", "全部"), ("1", "成功"), ("0", "失败")]
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class OTPTokenForm(forms.Form):
    token = forms.CharField(
        label="动态口令",
        max_length=32,
        strip=True,
        help_text=(
            "打开手机上的身份验证器应用，输入本账号当前显示的 6 位数字；"
            "手机丢失时可输入一个恢复码（每个只能用一次）。"
        ),
        error_messages={"required": "请输入动态口令。"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )


class OTPEnrolForm(OTPTokenForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["token"].label = "验证码"
        self.fields[
            "token"
        ].help_text = "用身份验证器扫描上方二维码（或手动输入密钥）后，输入应用显示的 6 位数字。"
        self.fields["token"].widget.attrs["inputmode"] = "numeric"


class SecurityAccountFilterForm(forms.Form):
    q = forms.CharField(label="搜索", required=False)
    role = forms.ChoiceField(label="角色", required=False, choices=[("", "全部角色"), *Role.choices])
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[
            ("", "全部"),
            ("locked", "已锁定"),
            ("enrolled", "已绑定身份验证器"),
            ("pending", "须绑定而未绑定"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = "用户名或姓名"
