"""What the dashboards add to the shell, called from MonitoringConfig.ready(): side-menu entries (目标监测),
workbench links, the province's and leader's workbench charts, and each page's 操作说明."""

from __future__ import annotations

VIEWERS = ("dashboard.view",)
HOWTO = {
    "monitoring.dash": {
        "*": (
            "选择年度、月份和指标查看目标完成进度、同比增长、占比和月度趋势；点击排名中的地区逐级下钻"
            "（省 → 市 → 县 → 项目）。每张图表旁有数据表和 Excel 下载。数据来自每次填报、导入或项目进度"
            "变化后预先汇总的结果（一（二）、二（一）-（四））。页面下方“融资与用地（四（二））”按全年统计"
            "白名单融资需求、经市级确认的授信和放款，以及零增地项目免收的土地出让金和市政设施配套费。"
        ),
    },
    "monitoring.warnings": {
        "*": (
            "按年累计完成值占序时进度（年度目标×月份/12，水平类指标为目标本身）的比例分为绿、黄、红三档；"
            "阈值见“预警阈值”。红色连续两个月的市自动生成督办事项（四（三）加强督查督办）。"
        ),
    },
    "monitoring.thresholds": {
        "province": "可设置默认阈值和单项指标的阈值；保存后最新月份的预警立即按新阈值重新计算，操作留痕。",
        "*": "预警阈值由省工信厅设置。",
    },
    "monitoring.review": {
        "*": (
            "年度目标完成情况：各地每项考核指标的完成率和综合完成率（单项封顶后平均）及排名，"
            "作为财政奖补的重要参考依据（四（三））；可导出 Excel 和 PDF。"
        ),
    },
}


def ready() -> None:
    from jigai.accounts import workbench
    from jigai.accounts.menu import MenuItem, side_register
    from jigai.web import help as web_help

    group = "目标监测"
    side_register(group, MenuItem("监测看板", "monitoring:dash", VIEWERS))
    side_register(group, MenuItem("预警", "monitoring:warning_list", VIEWERS))
    side_register(group, MenuItem("预警阈值", "monitoring:warning_thresholds", ("target.manage",)))
    side_register(group, MenuItem("年度考核", "monitoring:review", VIEWERS))
    roles = ["county", "city", "province", "leader", "finance"]
    workbench.register(
        roles, "监测看板", "monitoring:dash", group=group, description="目标进度、排名、趋势、地图"
    )
    workbench.register(roles, "预警", "monitoring:warning_list", group=group, description="滞后地区与差距")
    workbench.register(
        ["city", "province", "leader", "finance"],
        "年度考核",
        "monitoring:review",
        group=group,
        description="目标完成情况，财政奖补参考",
    )
    for page, texts in HOWTO.items():
        web_help.HOWTO.setdefault(page, texts)
    register_chart = getattr(workbench, "register_chart", None)
    if register_chart is not None:  # H9D's hook: the province's and the leader's workbench charts
        register_chart(["province", "leader"], "各市目标完成率", "monitoring:dash_card")
        register_chart(["province", "leader"], "月度趋势", "monitoring:dash_card_trend")
