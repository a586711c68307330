"""Help as data: the day's work of each role in short steps (/help/<role>/) and the 操作说明 of the main pages
(`{% howto "funding.queue" %}`, jigai/web/templatetags/howto.py). Steps name the page by its url name, so a
link is only drawn to a page that exists. Texts may cite clauses ("三（一）1"): the templates link them.
"""

from __future__ import annotations

from dataclasses import dataclass

from jigai.accounts.roles import Role


@dataclass(frozen=True)
class Step:
    text: str
    url_name: str = ""


@dataclass(frozen=True)
class RoleHelp:
    role: str
    intro: str
    steps: tuple[Step, ...]


ROLE_HELP: dict[str, RoleHelp] = {
    h.role: h
    for h in (
        RoleHelp(
            Role.ENTERPRISE,
            "企业填报员：维护本企业信息和项目，在申报期内申报专项资金，跟踪审核进度。",
            (
                Step(
                    "首次登录后核对企业基本信息和资质（专精特新“小巨人”、头雁企业等），资质须经审核部门确认。",
                    "registry:portal",
                ),
                Step(
                    "在“项目”中录入技术改造项目：总投资、设备和软件投资（单位万元），每月填报建设进度。",
                    "registry:project_list",
                ),
                Step(
                    "项目入库后，在“我要申报”中选择申报指南和支持事项，系统按政策逐条测算可申请的上限。",
                    "funding:apply",
                ),
                Step(
                    "上传申报材料（设备合同、发票等），确认无误后提交；提交后由县级工信部门初审。",
                    "funding:queue",
                ),
                Step("被退回时按意见修改后重新提交；立项和拨付进度在申报详情中查看。", "funding:queue"),
                Step("不确定能否申报时，先用政策计算器测算（无需登录）。", "web:calculator"),
            ),
        ),
        RoleHelp(
            Role.COUNTY,
            "县级工信部门：审核本县（区）企业的信息、资质、项目入库和专项资金申报（初审）。",
            (
                Step("打开工作台，查看待初审的申报、待确认的企业和待入库的项目。"),
                Step(
                    "在申报工作台按状态“已提交”筛选，逐件核对申报书、冻结的测算结果和附件。", "funding:queue"
                ),
                Step(
                    "同意的填写审核意见后“初审通过”，上报市级；材料不全的“退回”并写明需补充的内容。",
                    "funding:queue",
                ),
                Step("同一批意见相同的申报可批量初审，系统仍逐件检查并留痕。", "funding:queue"),
                Step("在项目库中审核本地项目入库、核查月度进度。", "registry:project_queue"),
            ),
        ),
        RoleHelp(
            Role.CITY,
            "市级工信部门：对县级初审通过的申报进行复核推荐，统筹本市项目库。",
            (
                Step("打开工作台，查看待推荐的申报。"),
                Step(
                    "在申报工作台按状态“县级初审通过”筛选，复核后“推荐”上报省工信厅，或退回县级。",
                    "funding:queue",
                ),
                Step("可按县（区）、支持事项筛选并导出 Excel，汇总本市申报情况。", "funding:queue"),
                Step("在项目库查看本市各县（区）项目及进度。", "registry:project_list"),
            ),
        ),
        RoleHelp(
            Role.PROVINCE,
            "省工信厅：发布申报指南，形式审查，组织专家评审，分配资金，公示并确定立项。",
            (
                Step(
                    "在“申报指南”中新建年度指南：支持事项、申报期、各类预算和公示天数，确认后发布。",
                    "funding:guideline_list",
                ),
                Step(
                    "对市级推荐的申报做形式审查，指派两名专家评审（专家须声明无利益冲突）。", "funding:queue"
                ),
                Step("评审完成后在“资金分配”中按得分测算分配方案，核对后确定。", "funding:decision_index"),
                Step(
                    "在“公示管理”中发布公示；公示期满且异议处理完毕后“确定立项”，生成立项通知。",
                    "funding:notice_list",
                ),
                Step("立项后由财政厅按阶段拨付；在工作台查看全省汇总数据。"),
                Step("政策条款原文可随时查阅，测算过程中的条款均可点击。", "web:policy"),
            ),
        ),
        RoleHelp(
            Role.EXPERT,
            "评审专家：对分配给自己的申报进行评审打分。",
            (
                Step(
                    "打开“评审任务”，查看分配给您的申报：企业、项目、支持事项、申请金额和截止时间。",
                    "funding:expert_list",
                ),
                Step("打开任务，先声明是否存在利益冲突；有冲突的任务将重新指派。", "funding:expert_list"),
                Step(
                    "阅读申报书、测算过程和附件，按评分表逐项打分并填写评审意见，提交后不可修改。",
                    "funding:expert_list",
                ),
            ),
        ),
        RoleHelp(
            Role.FINANCE,
            "财政厅：按立项通知分阶段拨付资金，经办录入、复核确认（两人分别操作）。",
            (
                Step("打开“资金拨付”，查看已立项、待拨付的阶段。", "funding:payment_list"),
                Step(
                    "经办人录入拨付日期、金额（万元）、凭证号和收款账户（收款单位、开户银行、银行账号，均为必填），"
                    "提交复核。",
                    "funding:payment_list",
                ),
                Step(
                    "复核人核对账户和金额后上传银行回单并确认拨付；录入人不能复核自己录入的拨付，"
                    "上一阶段未确认时不能录入下一阶段。",
                    "funding:payment_list",
                ),
                Step("拨付清单可导出 Excel，合计金额在列表底部。", "funding:payment_list"),
            ),
        ),
        RoleHelp(
            Role.BANK,
            "金融机构：查看技术改造项目“白名单”，在企业授权后开展融资对接（四（二））。",
            (
                Step("在工作台查看可对接的白名单项目。"),
                Step("企业授权后方可查看其项目详情，对接结果请及时登记。"),
            ),
        ),
        RoleHelp(
            Role.LEADER,
            "领导：只读查看全省技术改造项目、专项资金和目标完成情况。",
            (
                Step("在工作台查看全省汇总数据和图表。"),
                Step("在项目库、申报工作台查看明细，可按地区、支持事项筛选。", "funding:queue"),
            ),
        ),
        RoleHelp(
            Role.ADMIN,
            "系统管理员：管理业务用户的账号、角色和所属地区，维护区划、字典和工作日历（三权分立：不办业务、"
            "不管安全策略、不看审计日志）。",
            (
                Step("在用户管理中新建账号，指定角色和所属地区（或企业）。", "accounts:user_list"),
                Step("用户忘记密码时重置密码，用户首次登录须修改。", "accounts:user_list"),
                Step("每年12月国务院办公厅发布节假日安排后，在工作日历中录入下一年。", "workdays:calendar"),
            ),
        ),
        RoleHelp(
            Role.SECADMIN,
            "安全管理员：维护安全策略，为被锁定的账号解除锁定，为丢失手机的用户重置动态口令（三权分立）。",
            (
                Step("查看安全策略（口令、锁定、会话超时、动态口令）。", "accounts:security_overview"),
                Step(
                    "用户连续输错被锁定、或更换手机时，在账号安全中解除锁定或重置动态口令。",
                    "accounts:security_accounts",
                ),
            ),
        ),
        RoleHelp(
            Role.AUDITADMIN,
            "审计管理员：只读查看审计记录和登录日志，定期校验审计链（三权分立：不能修改任何数据）。",
            (
                Step("按对象、操作人、时间、操作查询审计记录，需要时导出 Excel。", "audit:search"),
                Step("定期校验审计链：发现篡改立即报告。", "audit:verify"),
                Step("查看登录日志，发现异常登录报告安全管理员。", "accounts:login_log"),
            ),
        ),
    )
}

# 操作说明 of the main pages: page key → {role: text}; "*" for every role.
HOWTO: dict[str, dict[str, str]] = {
    "workbench": {
        "*": "工作台列出等待您处理的事项，点击即进入对应的待办列表。每日工作步骤见“帮助”。",
    },
    "funding.queue": {
        Role.ENTERPRISE: (
            "这里是本企业的全部申报。草稿可修改、删除；"
            "提交后依次由县级、市级、省级审核，被退回的按意见修改后重新提交。"
        ),
        Role.COUNTY: (
            "按状态“已提交”筛选待初审的申报；打开申报核对材料后初审通过或退回，意见相同的可勾选后批量初审。"
        ),
        Role.CITY: "按状态“县级初审通过”筛选待推荐的申报；复核后推荐或退回，可批量推荐。",
        Role.PROVINCE: "按状态筛选：市级推荐的做形式审查，形式审查通过的指派专家，评审完成的进入资金分配。",
        "*": "可按状态、地区、支持事项筛选，点击申报查看详情和审核记录，可导出 Excel。",
    },
    "funding.apply": {
        "*": "选择申报指南、支持事项和已入库的项目，"
        "系统按政策条款测算上限；申请金额不得超过上限（单位万元）。",
    },
    "funding.detail": {
        "*": "测算过程逐条引用政策条款，点击条款可查看原文；审核记录显示每一级的意见和时间。",
    },
    "funding.decision": {
        Role.PROVINCE: "按专家得分测算分配方案，核对每个项目的上限和拟支持金额后确定；确定后即可发布公示。",
        "*": "资金分配方案按专家得分测算。",
    },
    "funding.notices": {
        Role.PROVINCE: (
            "发布公示后，公示期内登记和处理异议；公示期满后点击“确定立项”，生成立项通知和拨付计划。"
        ),
        "*": "公示期内可对拟支持项目提出异议。",
    },
    "funding.experts": {
        "*": "先声明有无利益冲突，再按评分表逐项打分；评分提交后不可修改，请在截止时间前完成。",
    },
    "funding.payments": {
        Role.FINANCE: (
            "经办人录入拨付（金额单位万元，收款账户必填），复核人上传回单并确认；同一笔拨付录入与复核须由两人完成。"
        ),
        "*": "立项项目按阶段拨付，列表底部为合计。",
    },
    "funding.guidelines": {
        Role.PROVINCE: "新建指南后核对支持事项、申报期、预算和公示天数，确认无误再发布；发布后企业即可申报。",
        "*": "申报指南规定本年度的支持事项、申报期和预算。",
    },
    "registry.projects": {
        Role.ENTERPRISE: "录入项目的总投资、设备和软件投资（万元），提交入库审核；入库后每月填报建设进度。",
        "*": "可按地区、类别、入库状态筛选项目；点击项目查看投资构成和月度进度。",
    },
    "registry.enterprises": {
        "*": "可按地区、行业、规模筛选企业；点击企业查看资质、项目、产品和平台。",
    },
}


def role_help(role: str) -> RoleHelp | None:
    return ROLE_HELP.get(role)


def howto_text(page: str, role: str | None) -> str:
    texts = HOWTO.get(page, {})
    return texts.get(role or "", "") or texts.get("*", "")
