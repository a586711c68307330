"""The choices and constants the registry models share (sizes, statuses, kinds, levels), and the money
field settings."""

from __future__ import annotations

from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2}


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
