"""The registry (企业与项目库): enterprises and their qualifications, the project library with monthly
progress, products, platforms and titles — the objects a funding application points at (policy 三).

Every model a user can reach uses the scope gate (`objects = ScopedQuerySet.as_manager()` + `scope_q`):
an enterprise user sees their own enterprise's rows, a county/city reviewer the rows of enterprises in their
region and below, province-level roles everything, experts and banks nothing here.
"""

from __future__ import annotations

import datetime as dt
import operator
from functools import reduce
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from jigai.accounts.roles import Role
from jigai.accounts.scope import ScopedQuerySet, enterprise_q, region_q

from .uploads import validate_certificate_file
from .uscc import validate_uscc

MONEY = {"max_digits": 16, "decimal_places": 2}


def _enterprise_scope(actor: Any, action: str, via: str) -> Q:
    """Rows reached through the enterprise at `via` ("" = the Enterprise itself): the enterprise user's own,
    or, for reviewers, those whose enterprise lies in their region. One branch per role rather than
    `enterprise_q | region_q`: Q() (everything) | Q(pk__in=[]) collapses to the empty one in Django."""
    if getattr(actor, "role", None) == Role.ENTERPRISE:
        return enterprise_q(actor, via or "pk")
    return region_q(actor, f"{via}__region" if via else "region", action)


class _BelongsToEnterprise:
    """For a child row: the enterprise it belongs to, following `enterprise_via` (attribute names), so the
    audit trail files its events under that enterprise and region."""

    enterprise_via: tuple[str, ...] = ()

    def owning_enterprise(self) -> Enterprise:
        obj: Any = self
        for name in self.enterprise_via:
            obj = getattr(obj, name)
        return obj.enterprise

    @property
    def audit_enterprise_id(self) -> int:
        return self.owning_enterprise().pk

    @property
    def audit_region(self) -> Any:
        return self.owning_enterprise().region


# ---------------------------------------------------------------------------------------------- choices


class EnterpriseSize(models.TextChoices):
    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class EnterpriseStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "未通过"


class TitleKind(models.TextChoices):
    """Titles of policy 三（四）. The first eleven are the 3.4.1 list, the next two 3.4.2, the last 3.4.3."""

    GREEN_FACTORY = "green_factory", "国家级绿色工厂"
    GREEN_SUPPLY_CHAIN = "green_supply_chain", "绿色供应链管理企业"
    INDUSTRIAL_DESIGN_CENTER = "industrial_design_center", "国家级工业设计中心"
    TECH_INNOVATION_DEMO_ENTERPRISE = "tech_innovation_demo_enterprise", "国家技术创新示范企业"
    QUALITY_BENCHMARK = "quality_benchmark", "国家质量标杆"
    SINGLE_CHAMPION = "single_champion", "制造业单项冠军"
    INDUSTRIAL_INTERNET = "industrial_internet", "国家工业互联网试点示范"
    BIG_DATA = "big_data", "大数据产业发展试点示范"
    SERVICE_MANUFACTURING = "service_manufacturing", "服务型制造示范"
    INFO_CONSUMPTION = "info_consumption", "新型信息消费示范项目"
    IT_MANUFACTURING_INTEGRATION = "it_manufacturing_integration", "新一代信息技术与制造业融合发展试点示范"
    NEW_INDUSTRIALIZATION_BASE = "new_industrialization_base", "国家新型工业化产业示范基地"
    GREEN_INDUSTRIAL_PARK = "green_industrial_park", "绿色工业园区"
    NEW_MODE = "new_mode", "省新一代信息技术融合应用新模式"


TITLES_341 = frozenset(
    {
        TitleKind.GREEN_FACTORY,
        TitleKind.GREEN_SUPPLY_CHAIN,
        TitleKind.INDUSTRIAL_DESIGN_CENTER,
        TitleKind.TECH_INNOVATION_DEMO_ENTERPRISE,
        TitleKind.QUALITY_BENCHMARK,
        TitleKind.SINGLE_CHAMPION,
        TitleKind.INDUSTRIAL_INTERNET,
        TitleKind.BIG_DATA,
        TitleKind.SERVICE_MANUFACTURING,
        TitleKind.INFO_CONSUMPTION,
        TitleKind.IT_MANUFACTURING_INTEGRATION,
    }
)
TITLES_342 = frozenset({TitleKind.NEW_INDUSTRIALIZATION_BASE, TitleKind.GREEN_INDUSTRIAL_PARK})


class QualificationKind(models.TextChoices):
    """Enterprise qualifications. The first three are the calculator's `qualifications[].kind`."""

    LEADING_GOOSE = "leading_goose", "头雁企业"
    NATIONAL_LITTLE_GIANT = "national_little_giant", "国家级专精特新“小巨人”企业"
    PROVINCIAL_SPECIALIZED = "provincial_specialized", "省级专精特新中小企业"
    SINGLE_CHAMPION = "single_champion", "制造业单项冠军"
    GREEN_FACTORY = "green_factory", "绿色工厂"
    GREEN_SUPPLY_CHAIN = "green_supply_chain", "绿色供应链管理企业"
    INDUSTRIAL_DESIGN_CENTER = "industrial_design_center", "工业设计中心"
    TECH_INNOVATION_DEMO_ENTERPRISE = "tech_innovation_demo_enterprise", "技术创新示范企业"
    QUALITY_BENCHMARK = "quality_benchmark", "质量标杆"
    INDUSTRIAL_INTERNET = "industrial_internet", "工业互联网试点示范"
    BIG_DATA = "big_data", "大数据产业发展试点示范"
    SERVICE_MANUFACTURING = "service_manufacturing", "服务型制造示范企业"
    INFO_CONSUMPTION = "info_consumption", "新型信息消费示范"
    IT_MANUFACTURING_INTEGRATION = "it_manufacturing_integration", "两化融合试点示范"


# The kinds the calculator knows (contract: qualifications[].kind).
CALCULATOR_QUALIFICATIONS = frozenset(
    {
        QualificationKind.LEADING_GOOSE,
        QualificationKind.NATIONAL_LITTLE_GIANT,
        QualificationKind.PROVINCIAL_SPECIALIZED,
    }
)


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"


class QualificationStatus(models.TextChoices):
    """A qualification the enterprise enters is a claim (待核验) until an officer vouches for it against the
    certificate or the official list (名单): 已核验, or 已驳回 with the reason."""

    SUBMITTED = "submitted", "待核验"
    VERIFIED = "verified", "已核验"
    REJECTED = "rejected", "已驳回"


# Who vouches for which qualification, as data: kind → the levels (Level) of it the COUNTY may confirm.
# The province keeps (or receives from the ministry) every official list and verifies every kind at every
# level. The county can check only a list it can see locally: a city's own list (级别“市级”) of a kind
# that is not one of the calculator's. 头雁企业, 国家级“小巨人” and 省级专精特新 are provincial/national
# lists that decide money (三（一）2、3 and the 头雁 exception of 三 末段), so they are the province's alone,
# whatever level is typed.
COUNTY_CONFIRMABLE_LEVELS: dict[str, frozenset[str]] = {
    kind: frozenset({Level.MUNICIPAL})
    for kind in QualificationKind.values
    if kind not in CALCULATOR_QUALIFICATIONS
}

# The level a qualification of each kind has on the official list (for rows created by a list import).
KIND_LEVELS: dict[str, str] = {
    QualificationKind.LEADING_GOOSE: Level.PROVINCIAL,
    QualificationKind.NATIONAL_LITTLE_GIANT: Level.NATIONAL,
    QualificationKind.PROVINCIAL_SPECIALIZED: Level.PROVINCIAL,
    QualificationKind.SINGLE_CHAMPION: Level.NATIONAL,
}


def may_verify(role: Any, kind: str, level: str) -> bool:
    """Whether an officer of `role` may vouch for a qualification of `kind` at `level` (see the table)."""
    if role == Role.PROVINCE:
        return True
    if role == Role.COUNTY:
        return level in COUNTY_CONFIRMABLE_LEVELS.get(kind, frozenset())
    return False


def verifiable_q(role: Any) -> Q:
    """The qualifications an officer of `role` may vouch for, as a filter (one OR per table row)."""
    if role == Role.PROVINCE:
        return Q()
    if role == Role.COUNTY:
        parts = [Q(kind=k, level__in=sorted(lv)) for k, lv in COUNTY_CONFIRMABLE_LEVELS.items() if lv]
        if parts:
            return reduce(operator.or_, parts)
    return Q(pk__in=[])


class ProjectCategory(models.TextChoices):
    HIGH_END = "high_end", "高端化"
    INTELLIGENT = "intelligent", "智能化"
    GREEN = "green", "绿色化"
    SERVICE = "service", "服务化"


class ConstructionStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    COMPLETED = "completed", "竣工"
    ACCEPTED = "accepted", "已验收"


class LibraryStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待县级审核）"
    RETURNED = "returned", "退回补正"
    COUNTY_CHECKED = "county_checked", "县级已审核（待市级审核）"
    IN_LIBRARY = "in_library", "已入库"


class ProductKind(models.TextChoices):
    FIRST_SET = "first_set", "首台（套）重大技术装备"
    FIRST_VERSION = "first_version", "首版次软件产品"


class RecognitionLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"


class PlatformKind(models.TextChoices):
    INNOVATION_CENTER = "innovation_center", "制造业创新中心"
    INDUSTRIAL_INTERNET = "industrial_internet", "工业互联网平台"
    SME_SERVICE = "sme_service", "中小企业公共服务平台"


class PlatformLevel(models.TextChoices):
    """Innovation centres use cultivation/provincial/national/national_branch; SME platforms
    municipal/provincial/national; industrial internet platforms leave it blank (they have a status)."""

    CULTIVATION = "cultivation", "省级培育名单"
    MUNICIPAL = "municipal", "市级"
    PROVINCIAL = "provincial", "省级"
    NATIONAL = "national", "国家级"
    NATIONAL_BRANCH = "national_branch", "国家级分中心"


class InternetPlatformStatus(models.TextChoices):
    NONE = "none", "未列入"
    CULTIVATION = "cultivation", "省级培育名单"
    RECOGNIZED = "recognized", "经省认定"


class AwardedBy(models.TextChoices):
    STATE_COUNCIL = "state_council", "国务院"
    MIIT = "miit", "工业和信息化部"
    PROVINCE = "province", "省工业和信息化厅"
    OTHER = "other", "其他部门"


class AssessmentRank(models.IntegerChoices):
    FIRST = 1, "一等奖"
    SECOND = 2, "二等奖"
    THIRD = 3, "三等奖"


# ---------------------------------------------------------------------------------------------- enterprise


class Enterprise(models.Model):
    """An enterprise (企业), identified by its unified social credit code (统一社会信用代码)."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc])
    name = models.CharField("企业名称", max_length=200)
    region = models.ForeignKey(
        "regions.Region", verbose_name="所在区划", on_delete=models.PROTECT, related_name="enterprises"
    )
    # GB/T 4754-2017: section letter (门类) and 2-digit division (大类), see data/gbt4754.json.
    industry_section = models.CharField("行业门类", max_length=1, blank=True)
    industry_division = models.CharField("行业大类", max_length=2, blank=True)
    size = models.CharField("企业规模", max_length=10, choices=EnterpriseSize.choices, blank=True)
    above_designated_size = models.BooleanField("规模以上工业企业", default=False)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    status = models.CharField(
        "状态",
        max_length=12,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.PENDING,
        db_index=True,
    )
    review_comment = models.TextField("审核意见", blank=True)
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    # 省内研发制造 (三（二）1 “省内研发制造单位”, 2 “省内研发企业”; the calculator's applicant.in_henan):
    # declared by the enterprise, checked by the county of its region. A change of the declaration (or of
    # the region) drops the check.
    in_henan_declared = models.BooleanField("研发、生产在河南省内", default=False)
    in_henan_confirmed = models.BooleanField("县级核实结果", null=True, blank=True)  # None: 待核实
    in_henan_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核实人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    in_henan_confirmed_at = models.DateTimeField("核实时间", null=True, blank=True)
    in_henan_comment = models.TextField("核实意见", blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "企业"
        verbose_name_plural = "企业"
        ordering = ["name"]
        indexes = [models.Index(fields=["name", "id"], name="enterprise_name_idx")]  # the list's order

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "")

    @property
    def registered_in_henan(self) -> bool:
        """Registered in a Henan region: every Henan region code (GB/T 2260) starts with 41."""
        return str(self.region_id or "").startswith("41")

    @property
    def in_henan(self) -> bool:
        """The calculator's applicant.in_henan: registered in Henan, declared, and confirmed by the county."""
        return self.registered_in_henan and self.in_henan_declared and self.in_henan_confirmed is True

    @property
    def in_henan_state(self) -> str:
        """The declaration and its check in words, for the pages."""
        if not self.in_henan_declared:
            return "企业未声明"
        if self.in_henan_confirmed is None:
            return "企业已声明，待县级核实"
        return "县级已核实属实" if self.in_henan_confirmed else "县级核实不属实"


class QualificationQuerySet(ScopedQuerySet):
    def verified_on(self, as_of: dt.date) -> QualificationQuerySet:
        """Verified and in force on `as_of` (valid_from ≤ as_of ≤ valid_to): what counts for money."""
        return self.filter(status=QualificationStatus.VERIFIED, valid_from__lte=as_of, valid_to__gte=as_of)


class Qualification(models.Model):
    """A qualification of an enterprise with its validity (头雁, 小巨人, 专精特新, 单项冠军, 绿色工厂 …).

    Entered by the enterprise (or a reviewer, or imported) it is a claim, `submitted` (待核验). An officer
    vouches for it against the certificate or the official list: `verified` (已核验), or `rejected`
    (已驳回) with the reason. Who may vouch for which kind is the table COUNTY_CONFIRMABLE_LEVELS above:
    the province for every kind, the county only for a city's own (市级) list of a non-calculator kind —
    none of the calculator's three (头雁, 国家级“小巨人”, 省级专精特新 are provincial/national lists). An
    edit of what was vouched for (kind, level, certificate, dates) sends it back to `submitted`. Only
    verified qualifications in force on the application date reach the calculator (facts.applicant).
    """

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField("资质类型", max_length=40, choices=QualificationKind.choices)
    level = models.CharField("级别", max_length=12, choices=Level.choices, blank=True)
    certificate_no = models.CharField("证书/文号", max_length=100, blank=True)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期止")
    certificate = models.FileField(
        "证书文件",
        upload_to="registry/qualifications/%Y/",
        blank=True,
        validators=[validate_certificate_file],
    )
    status = models.CharField(
        "核验状态",
        max_length=12,
        choices=QualificationStatus.choices,
        default=QualificationStatus.SUBMITTED,
        db_index=True,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核验人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    review_comment = models.TextField("核验意见/驳回原因", blank=True)
    list_document_no = models.CharField("名单文号", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = QualificationQuerySet.as_manager()

    class Meta:
        verbose_name = "企业资质"
        verbose_name_plural = "企业资质"
        ordering = ["enterprise", "kind", "-valid_to"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__gte=models.F("valid_from")), name="qual_valid_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.valid_from}～{self.valid_to}）"

    @property
    def review_label(self) -> str:
        return "驳回原因" if self.status == QualificationStatus.REJECTED else "核验意见"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")


# ---------------------------------------------------------------------------------------------- projects


class Project(models.Model):
    """A technical-transformation project in the project library (项目库), policy 三（一）."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="projects"
    )
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("改造类型", max_length=20, choices=ProjectCategory.choices)
    is_machine_replacement = models.BooleanField("机器换人项目", default=False)
    is_smart_factory = models.BooleanField("智能工厂/车间项目", default=False)
    total_investment = models.DecimalField("总投资（元）", **MONEY)
    equipment_investment = models.DecimalField("设备投资（元）", default=0, **MONEY)
    software_investment = models.DecimalField("软件投资（元）", default=0, **MONEY)
    machine_purchase_investment = models.DecimalField("整机购置投资（元）", default=0, **MONEY)
    planned_start = models.DateField("计划开工")
    planned_end = models.DateField("计划竣工")
    construction_status = models.CharField(
        "建设状态", max_length=20, choices=ConstructionStatus.choices, default=ConstructionStatus.PLANNED
    )
    zero_new_land = models.BooleanField("零增地项目", default=False)
    added_floor_area = models.DecimalField(
        "新增建筑面积（平方米）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    description = models.TextField("建设内容", blank=True)
    library_status = models.CharField(
        "入库状态", max_length=20, choices=LibraryStatus.choices, default=LibraryStatus.DRAFT, db_index=True
    )
    library_comment = models.TextField("最近审核意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    in_library_at = models.DateTimeField("入库时间", null=True, blank=True)
    # What the lists show and sort by, kept as data: maintained from the monthly reports by the progress
    # services and the progress importer (services.progress_totals.store_project_totals, one pure
    # function), never typed. A list of 100,000 projects then neither sums 3.1 million rows nor scans them.
    cumulative_investment = models.DecimalField("累计完成投资（元）", default=0, editable=False, **MONEY)
    last_reported_month = models.DateField("最近填报月份", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "技术改造项目"
        verbose_name_plural = "技术改造项目"
        ordering = ["-created_at", "-id"]
        indexes = [
            # the list's default order, and its sort by cumulative investment (both walked backwards too)
            models.Index(fields=["-created_at", "-id"], name="project_created_idx"),
            models.Index(fields=["-cumulative_investment", "-id"], name="project_cumulative_idx"),
            models.Index(fields=["-total_investment", "-id"], name="project_total_idx"),
            # 应统尽统: in library, under construction, last month not reported
            models.Index(
                fields=["library_status", "construction_status", "last_reported_month"],
                name="project_missing_idx",
            ),
            # the review queues (submitted_at order within a status)
            models.Index(fields=["library_status", "submitted_at", "id"], name="project_queue_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")

    @property
    def cumulative(self) -> Any:
        """Investment completed so far (the sum of the monthly reports, kept in cumulative_investment)."""
        return self.cumulative_investment

    @property
    def is_editable(self) -> bool:
        """The enterprise edits a project only before it is submitted or after it was returned."""
        return self.library_status in (LibraryStatus.DRAFT, LibraryStatus.RETURNED)


class ProjectEvent(_BelongsToEnterprise, models.Model):
    """One move of a project through the library workflow: who, when, from, to, comment."""

    enterprise_via = ("project",)

    project = models.ForeignKey(Project, verbose_name="项目", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField("原状态", max_length=20, choices=LibraryStatus.choices)
    to_status = models.CharField("新状态", max_length=20, choices=LibraryStatus.choices)
    comment = models.TextField("意见", blank=True)
    # A return for correction voids the approvals given before it (they must be given again).
    voided = models.BooleanField("已作废", default=False)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目流转记录"
        verbose_name_plural = "项目流转记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_status} → {self.to_status}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "project__enterprise")


class ProgressReport(_BelongsToEnterprise, models.Model):
    """Monthly progress of a project (月度进度): the investment completed in the month. The cumulative is
    computed from the reports (selectors.progress_with_cumulative; per project Project.cumulative_investment,
    kept by the services that write reports), never typed."""

    enterprise_via = ("project",)

    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, related_name="progress_reports"
    )
    month = models.DateField("月份")  # always the first day of the month
    investment_completed = models.DecimalField("本月完成投资（元）", **MONEY)
    over_total_reason = models.TextField("累计超总投资说明", blank=True)
    note = models.TextField("进展情况", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "月度进度"
        verbose_name_plural = "月度进度"
        ordering = ["project", "month"]
        constraints = [
            models.UniqueConstraint(fields=["project", "month"], name="progress_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="progress_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.month:%Y-%m}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "project__enterprise")


# ---------------------------------------------------------------------------------------------- products


class Product(models.Model):
    """A first-set equipment (首台（套）) or first-version software (首版次) product, policy 三（二）."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="products"
    )
    kind = models.CharField("产品类型", max_length=20, choices=ProductKind.choices)
    name = models.CharField("产品名称", max_length=200)
    model_spec = models.CharField("型号规格", max_length=100, blank=True)
    description = models.TextField("产品说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "首台（套）/首版次产品"
        verbose_name_plural = "首台（套）/首版次产品"
        ordering = ["enterprise", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")


class ProductRecognition(_BelongsToEnterprise, models.Model):
    """A recognition (认定) of a product, national or provincial, with its date."""

    enterprise_via = ("product",)

    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.CASCADE, related_name="recognitions"
    )
    level = models.CharField("认定级别", max_length=12, choices=RecognitionLevel.choices)
    recognized_on = models.DateField("认定日期")
    document_no = models.CharField("认定文号", max_length=100, blank=True)
    certificate = models.FileField(
        "认定文件",
        upload_to="registry/recognitions/%Y/",
        blank=True,
        validators=[validate_certificate_file],
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "产品认定"
        verbose_name_plural = "产品认定"
        ordering = ["product", "recognized_on"]
        constraints = [models.UniqueConstraint(fields=["product", "level"], name="recognition_one_per_level")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.recognized_on}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "product__enterprise")


class InsurancePolicy(_BelongsToEnterprise, models.Model):
    """An insurance policy of a product (保单) with its insured amount; its periods carry the premiums."""

    enterprise_via = ("product",)

    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.CASCADE, related_name="insurance_policies"
    )
    insurer = models.CharField("保险机构", max_length=100, blank=True)
    policy_number = models.CharField("保单号", max_length=100, blank=True)
    insured_amount = models.DecimalField("保险金额（元）", **MONEY)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保单"
        verbose_name_plural = "保单"
        ordering = ["product", "created_at", "id"]

    def __str__(self) -> str:
        return self.policy_number or f"保单 {self.pk}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "product__enterprise")


class InsurancePeriod(_BelongsToEnterprise, models.Model):
    """One insurance period (保险期间): start, length in months, premium paid."""

    enterprise_via = (
        "policy",
        "product",
    )

    policy = models.ForeignKey(
        InsurancePolicy, verbose_name="保单", on_delete=models.CASCADE, related_name="periods"
    )
    start = models.DateField("起保日期")
    months = models.PositiveSmallIntegerField("期限（月）")
    premium = models.DecimalField("保费（元）", **MONEY)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保险期间"
        verbose_name_plural = "保险期间"
        ordering = ["policy", "start", "id"]
        constraints = [models.CheckConstraint(condition=Q(months__gte=1), name="period_months_positive")]

    def __str__(self) -> str:
        return f"{self.start} 起 {self.months} 个月"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "policy__product__enterprise")


class SalesInvoice(_BelongsToEnterprise, models.Model):
    """A sales (service) invoice of a product (销售发票)."""

    enterprise_via = ("product",)

    product = models.ForeignKey(
        Product, verbose_name="产品", on_delete=models.CASCADE, related_name="invoices"
    )
    # 发票代码 + 发票号码 identify an invoice nationally (the fingerprint of a claim); the code is blank on
    # fully digital invoices (全电发票), whose 20-digit number stands alone.
    code = models.CharField("发票代码", max_length=20, blank=True)
    number = models.CharField("发票号码", max_length=50)
    invoice_date = models.DateField("开票日期")
    amount = models.DecimalField("金额（元）", **MONEY)
    buyer = models.CharField("购买方", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "销售发票"
        verbose_name_plural = "销售发票"
        ordering = ["product", "invoice_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "code", "number"], name="invoice_code_number_unique")
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "product__enterprise")


# ---------------------------------------------------------------------------------------------- platforms


class Platform(models.Model):
    """A platform of policy 三（三）: innovation centre, industrial internet platform or SME public service
    platform. One table (one FK target for applications); the fields that belong to one kind only are blank
    for the others."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="建设/运营企业", on_delete=models.PROTECT, related_name="platforms"
    )
    kind = models.CharField("平台类型", max_length=30, choices=PlatformKind.choices)
    name = models.CharField("平台名称", max_length=200)
    # innovation centre: cultivation/provincial/national/national_branch;
    # SME platform: municipal/provincial/national
    level = models.CharField("级别", max_length=20, choices=PlatformLevel.choices, blank=True)
    # industrial internet platform only
    internet_status = models.CharField(
        "工业互联网平台状态",
        max_length=20,
        choices=InternetPlatformStatus.choices,
        default=InternetPlatformStatus.NONE,
    )
    listed_on = models.DateField("列入名单/认定日期", null=True, blank=True)
    accepted_on = models.DateField("验收通过日期", null=True, blank=True)
    # innovation centre only
    rd_pilot_equipment_investment = models.DecimalField("研发、中试设备投资（元）", default=0, **MONEY)
    equipment_investment = models.DecimalField("技术引进及科研仪器、设备和软件投资（元）", default=0, **MONEY)
    service_revenue = models.DecimalField("成果转化、委托研发、技术服务收入（元）", default=0, **MONEY)
    completed = models.BooleanField("已建成", default=False)
    promoted_to_national = models.BooleanField("已晋升国家级", default=False)
    description = models.TextField("简介", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "平台"
        verbose_name_plural = "平台"
        ordering = ["enterprise", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")


class PlatformAssessment(_BelongsToEnterprise, models.Model):
    """The yearly assessment of an SME public service platform (业务考核), rank 1–3 or none."""

    enterprise_via = ("platform",)

    platform = models.ForeignKey(
        Platform, verbose_name="平台", on_delete=models.CASCADE, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    rank = models.PositiveSmallIntegerField("考核等次", choices=AssessmentRank.choices, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "平台考核"
        verbose_name_plural = "平台考核"
        ordering = ["platform", "-year"]
        constraints = [models.UniqueConstraint(fields=["platform", "year"], name="assessment_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.get_rank_display() if self.rank else '未获奖'}"

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "platform__enterprise")


# ---------------------------------------------------------------------------------------------- titles


class Title(models.Model):
    """A demonstration title of policy 三（四） awarded to an enterprise (or its project, platform, park)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name="企业", on_delete=models.PROTECT, related_name="titles"
    )
    kind = models.CharField("称号类型", max_length=40, choices=TitleKind.choices)
    name = models.CharField("称号/项目名称", max_length=200, blank=True)
    awarded_by = models.CharField("认定部门", max_length=20, choices=AwardedBy.choices)
    awarded_on = models.DateField("认定日期")
    document_no = models.CharField("认定文号", max_length=100, blank=True)
    certificate = models.FileField(
        "证书文件",
        upload_to="registry/titles/%Y/",
        blank=True,
        validators=[validate_certificate_file],
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "试点示范称号"
        verbose_name_plural = "试点示范称号"
        ordering = ["enterprise", "-awarded_on"]

    def __str__(self) -> str:
        return self.name or self.get_kind_display()

    @classmethod
    def scope_q(cls, actor: Any, action: str) -> Q:
        return _enterprise_scope(actor, action, "enterprise")
