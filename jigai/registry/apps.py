from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jigai.registry"
    verbose_name = "企业与项目库"

    def ready(self) -> None:
        from jigai.accounts.workbench import register

        g = "企业与项目库"
        register(
            "enterprise", "企业门户", "registry:portal", group=g, description="本企业信息、资质与各类填报"
        )
        register(
            "enterprise", "我的项目", "registry:project_list", group=g, description="项目入库、月度进度填报"
        )
        register(
            "enterprise",
            "新建项目",
            "registry:project_create",
            group=g,
            description="填写技术改造项目，提交县级审核",
        )
        register(
            "enterprise",
            "首台（套）/首版次产品",
            "registry:product_list",
            group=g,
            description="认定、保单、销售发票",
        )
        register(
            "enterprise",
            "平台",
            "registry:platform_list",
            group=g,
            description="创新中心、工业互联网平台、公共服务平台",
        )
        register(
            "enterprise",
            "试点示范称号",
            "registry:title_list",
            group=g,
            description="三（四）国家级、省级称号",
        )
        register(
            "county", "待确认企业", "registry:enterprise_queue", group=g, description="确认或退回企业自助注册"
        )
        register(
            ["county", "city"],
            "项目审核",
            "registry:project_queue",
            group=g,
            description="待本级审核的入库项目",
        )
        register(
            ["county", "city", "province", "leader", "admin", "finance"],
            "项目库",
            "registry:project_list",
            group=g,
            description="全部项目，按状态、类型、区划筛选",
        )
        register(
            ["county", "city", "province"],
            "应统未统项目",
            "registry:project_missing",
            group=g,
            description="在建入库项目上月未报进度（应统尽统）",
        )
        register(
            ["county", "city", "province", "leader", "admin", "finance"],
            "企业库",
            "registry:enterprise_list",
            group=g,
            description="企业、资质、产品、平台、称号",
        )
        register(
            ["enterprise", "county", "city", "province"],
            "Excel 批量导入",
            "registry_excel:index",
            group=g,
            description="企业、资质、项目、月度进度：下载模板，整批导入（全部成功或全部不导入）",
        )
        self._register_counters()

    @staticmethod
    def _register_counters() -> None:
        """The workbench tiles: projects and registrations waiting for the role, each a link to its queue."""
        from jigai.accounts.workbench import register_counter

        from . import selectors
        from .selectors_qualifications import qualification_queue

        register_counter(
            ["county", "city"],
            "待审核项目",
            "registry:project_queue",
            lambda actor: selectors.project_queue(actor=actor).count(),
        )
        register_counter(
            "county",
            "待确认企业",
            "registry:enterprise_queue",
            lambda actor: selectors.enterprises_to_confirm(actor=actor).count(),
        )
        register_counter(
            ["province", "county"],
            "资质待核验",
            "registry:qualification_queue",
            lambda actor: qualification_queue(actor=actor).count(),
        )
        register_counter(
            "enterprise",
            "上月待报进度",
            "registry:project_missing",
            lambda actor: selectors.project_list(actor=actor, filters={"missing": "1"}).count(),
        )
