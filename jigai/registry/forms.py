"""Forms of the registry pages. They check the shape of the input (types, required, choices); the rules
live in the services, whose InvalidInput errors are put back on the fields (jigai.core.errors.add_to_form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from jigai.core.forms import WanYuanField
from jigai.regions.widgets import COUNTY_LEVELS, JurisdictionField

from . import industry
from .models import (
    AssessmentRank,
    EnterpriseSize,
    InsurancePeriod,
    InsurancePolicy,
    LibraryStatus,
    Platform,
    PlatformAssessment,
    Product,
    ProductRecognition,
    Project,
    ProjectCategory,
    Qualification,
    QualificationKind,
    QualificationStatus,
    SalesInvoice,
    Title,
)
from .services.enterprises import QUALIFICATION_FIELDS
from .services.objects import (
    ASSESSMENT_FIELDS,
    INVOICE_FIELDS,
    PERIOD_FIELDS,
    PLATFORM_FIELDS,
    POLICY_FIELDS,
    PRODUCT_FIELDS,
    RECOGNITION_FIELDS,
    TITLE_FIELDS,
)
from .services.projects import PROJECT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
IN_HENAN_LABEL = "本企业研发、生产在河南省内"
IN_HENAN_HELP = "三（二）首台（套）、首版次奖励限省内研发制造单位；声明经县级工信部门核实后方可计入测算。"
MONEY_ATTRS = {"step": "0.01", "min": "0", "inputmode": "decimal"}
BLANK = [("", "——请选择——")]
ALL = [("", "全部")]


def _dates_and_money(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
            field.widget = DATE
        if isinstance(field, forms.DecimalField):
            field.widget.attrs.update(MONEY_ATTRS)


def _wan_fields(form: forms.BaseForm, help_texts: dict[str, str]) -> None:
    """Replace the model's yuan DecimalFields by 万元 boxes, keeping label (in 万元) and required."""
    for name, help_text in help_texts.items():
        old = form.fields[name]
        label = str(old.label).replace("（元）", "（万元）")
        form.fields[name] = WanYuanField(
            label=label, required=old.required, initial=old.initial, help_text=help_text
        )


class RegionField(JurisdictionField):
    """Where an enterprise is located: a county, a development zone or Jiyuan, from the picker's tree (the
    whole province on the public registration; a reviewer's own jurisdiction once bound), cleaned to the
    Region row."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(levels=COUNTY_LEVELS, blank="——请选择——", as_region=True, **kwargs)


class IndustryMixin(forms.Form):
    industry_section = forms.ChoiceField(label="行业门类", required=False, choices=[])
    industry_division = forms.ChoiceField(
        label="行业大类（制造业）", required=False, choices=[], help_text="制造业企业请选择 13–43 大类。"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry_section"].choices = BLANK + industry.section_choices()
        self.fields["industry_division"].choices = BLANK + industry.division_choices()


class RegistrationForm(IndustryMixin):
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, help_text="18 位，首位为数字或 A、N、Y。")
    name = forms.CharField(label="企业名称", max_length=200)
    region = RegionField(label="所在县（市、区）")
    size = forms.ChoiceField(label="企业规模", choices=BLANK + EnterpriseSize.choices, required=False)
    above_designated_size = forms.BooleanField(label="规模以上工业企业（规上）", required=False)
    in_henan_declared = forms.BooleanField(label=IN_HENAN_LABEL, required=False, help_text=IN_HENAN_HELP)
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_person = forms.CharField(label="联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=30)
    username = forms.CharField(label="登录用户名", max_length=150)
    password = forms.CharField(
        label="密码",
        widget=forms.PasswordInput(render_value=False),
        help_text="至少 12 位，须包含大写字母、小写字母、数字、符号中的三种。",
    )
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(render_value=False))

    field_order = [
        "uscc",
        "name",
        "region",
        "industry_section",
        "industry_division",
        "size",
        "above_designated_size",
        "in_henan_declared",
        "address",
        "contact_person",
        "contact_phone",
        "username",
        "password",
        "password2",
    ]

    ACCOUNT_FIELDS = ("username", "password", "password2")

    def enterprise_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.ACCOUNT_FIELDS]

    def account_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ACCOUNT_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class EnterpriseForm(IndustryMixin):
    """Profile of an enterprise. Reviewers also see the code and the region (enterprise users do not); the
    enterprise's own declarations (研发、生产在河南省内) only its own users make."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=30)
    name = forms.CharField(label="企业名称", max_length=200)
    region = RegionField(label="所在县（市、区）")
    size = forms.ChoiceField(label="企业规模", choices=BLANK + EnterpriseSize.choices, required=False)
    above_designated_size = forms.BooleanField(label="规模以上工业企业（规上）", required=False)
    in_henan_declared = forms.BooleanField(
        label=IN_HENAN_LABEL,
        required=False,
        help_text=IN_HENAN_HELP + "修改本项声明后须由县级工信部门重新核实。",
    )
    address = forms.CharField(label="地址", max_length=200, required=False)
    contact_person = forms.CharField(label="联系人", max_length=50, required=False)
    contact_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    field_order = ["uscc", "name", "region", "industry_section", "industry_division", "size"]

    def __init__(self, *args: Any, gov: bool = False, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not gov:
            del self.fields["uscc"]
            del self.fields["region"]
        else:
            del self.fields["in_henan_declared"]
            self.fields["region"].bind(actor)

    @staticmethod
    def initial_from(enterprise: Any) -> dict[str, Any]:
        return {
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "region": enterprise.region_id,
            "industry_section": enterprise.industry_section,
            "industry_division": enterprise.industry_division,
            "size": enterprise.size,
            "above_designated_size": enterprise.above_designated_size,
            "in_henan_declared": enterprise.in_henan_declared,
            "address": enterprise.address,
            "contact_person": enterprise.contact_person,
            "contact_phone": enterprise.contact_phone,
        }


class ReasonForm(forms.Form):
    reason = forms.CharField(label="不予确认的原因", widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    comment = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=LibraryStatus.choices, widget=forms.HiddenInput)
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class _ModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates_and_money(self)

    def _post_clean(self) -> None:
        # Model validation happens in the service (one place, with the rules); here only the shape.
        pass


class QualificationForm(_ModelForm):
    """What the enterprise claims. The 核验状态 is never a field here: only an officer sets it (services)."""

    class Meta:
        model = Qualification
        fields = list(QUALIFICATION_FIELDS)
        help_texts = {
            "certificate": "上传证书（PDF、PNG 或 JPEG）；资质经省工信厅（或县级）核验后方可计入测算。"
        }


class QualificationQueueFilterForm(forms.Form):
    """Filters of the 资质核验 queue (GET)."""

    q = forms.CharField(
        label="搜索", required=False, widget=forms.TextInput(attrs={"placeholder": "企业名称或信用代码"})
    )
    kind = forms.ChoiceField(label="资质类型", required=False, choices=ALL + QualificationKind.choices)
    status = forms.ChoiceField(
        label="核验状态",
        required=False,
        choices=QualificationStatus.choices,
        initial=QualificationStatus.SUBMITTED,
    )
    region = JurisdictionField(label="区划", required=False)

    def __init__(self, *args: Any, actor: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].bind(actor)


class QualificationRejectForm(forms.Form):
    reason = forms.CharField(label="驳回原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class InHenanCheckForm(forms.Form):
    confirmed = forms.TypedChoiceField(
        label="核实结果",
        choices=[("1", "属实"), ("0", "不属实")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="核实意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ProjectForm(_ModelForm):
    class Meta:
        model = Project
        fields = list(PROJECT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"added_floor_area": "零增地项目必填"}

    # Officers and enterprises think of investments in 万元; the model keeps yuan (WanYuanField converts).
    WAN_HELP = {
        "total_investment": "单位：万元",
        "equipment_investment": "单位：万元（三（一）1–3 按设备、软件投资计算）",
        "software_investment": "单位：万元",
        "machine_purchase_investment": "单位：万元（三（一）4 机器换人按整机购置投资计算）",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = BLANK + ProjectCategory.choices
        _wan_fields(self, self.WAN_HELP)


class ProgressForm(forms.Form):
    month = forms.DateField(
        label="月份",
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    investment_completed = WanYuanField(label="本月完成投资（万元）")
    over_total_reason = forms.CharField(
        label="累计超总投资说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="累计完成投资超过项目总投资时必填。",
    )
    note = forms.CharField(label="进展情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, month_fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if month_fixed:
            self.fields["month"].disabled = True
        elif not self.is_bound and "month" not in self.initial:
            today = dt.date.today().replace(day=1)
            self.initial["month"] = (today - dt.timedelta(days=1)).replace(day=1)


class ConstructionForm(forms.Form):
    construction_status = forms.ChoiceField(
        label="建设状态", choices=Project._meta.get_field("construction_status").choices
    )


class ProductForm(_ModelForm):
    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class RecognitionForm(_ModelForm):
    class Meta:
        model = ProductRecognition
        fields = list(RECOGNITION_FIELDS)


class InsurancePolicyForm(_ModelForm):
    """A policy with its first period (more periods are added on the product page)."""

    start = forms.DateField(label="起保日期")
    months = forms.IntegerField(label="期限（月）", min_value=1, max_value=120)
    premium = forms.DecimalField(label="保费（元）", max_digits=16, decimal_places=2, min_value=0)

    class Meta:
        model = InsurancePolicy
        fields = list(POLICY_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dates_and_money(self)


class PeriodForm(_ModelForm):
    class Meta:
        model = InsurancePeriod
        fields = list(PERIOD_FIELDS)


class InvoiceForm(_ModelForm):
    class Meta:
        model = SalesInvoice
        fields = list(INVOICE_FIELDS)


class PlatformForm(_ModelForm):
    class Meta:
        model = Platform
        fields = list(PLATFORM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "level": (
                "创新中心：培育名单/省级/国家级/国家级分中心；公共服务平台：市级/省级/国家级；工业互联网平台不填。"
            ),
            "internet_status": "仅工业互联网平台填写。",
            "rd_pilot_equipment_investment": "创新中心培育期：购置研发、中试等试验设备投资（元）",
        }


class AssessmentForm(_ModelForm):
    class Meta:
        model = PlatformAssessment
        fields = list(ASSESSMENT_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rank"].choices = [("", "未获奖"), *AssessmentRank.choices]


class TitleForm(_ModelForm):
    class Meta:
        model = Title
        fields = list(TITLE_FIELDS)
