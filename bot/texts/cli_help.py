"""Command-line help: the text of every option of `gridsafe`."""

from __future__ import annotations

from bot.texts.common import (
    PRODUCT,
)

CLI_HELP: dict[str, str] = {
    "description": f"{PRODUCT}（GridSafe）安全生产网格化管理机器人",
    "config": "配置文件（默认 config.toml）",
    "run": "启动机器人（长轮询）",
    "migrate": "创建或升级数据库",
    "create_database": "数据库不存在但照片目录有文件（数据库可能丢失）时，仍然新建空数据库",
    "roster": "管理人员名册",
    "roster_import": "从 CSV 或 XLSX 导入镇、村和人员",
    "roster_file": "名册文件（列：town, village, name, role, phone 或 镇、村、姓名、角色、电话）",
    "places": "管理场所清单（底数清单）",
    "places_import": "从 CSV 或 XLSX 导入场所（按村和名称识别，重复导入只更新）",
    "places_file": "场所清单文件（列：镇、村、名称、类型、地址、纬度、经度、责任人、电话、风险等级、状态、行业、高危）",
    "apply_removals": "同时执行名册带来的停用和调动（不加时只列出，不执行）",
    "person": "停用或调动一个人",
    "person_deactivate": "停用：解除绑定、作废未使用的邀请，经手的记录保留",
    "person_move": "调动到另一个镇（镇安监员）或村（信息员、责任人），绑定随人转移",
    "person_name": "姓名",
    "person_at": "此人现在的镇或村（同名的人不止一位时用来区分）",
    "person_to": "新的镇（镇安监员）或村（信息员、责任人；村名重名时写「镇/村」）",
    "invite": "生成一次性邀请链接",
    "role": "角色：officer 信息员 / owner 责任人 / supervisor 镇安监员 / admin 管理员",
    "town": "镇名（镇安监员必填；村名重名时用来区分）",
    "village": "村名（信息员、责任人必填）",
    "name": "姓名（名册中没有时新建）",
    "reason": "重新邀请已绑定的人（例如换了手机）时必填：原因，会被记录并告知管理员",
    "tick": "按指定时刻运行一次排程（提醒、催办）",
    "tick_at": "当地时间，例如 2026-11-30T09:00",
    "tick_dry_run": "只列出将要发送的消息，不发送",
    "run_sandbox": "未配置令牌时改为启动沙盒（./run.sh 使用）",
    "sandbox": "启动沙盒：真实的机器人 + 本地网页聊天，不连接 Telegram",
    "port": "网页端口（默认取配置 [sandbox] port）",
    "host": "监听地址（默认 127.0.0.1；其他地址任何能访问的人都可以冒充任何人）",
    "reset": "先清空沙盒：回到示例名册，聊天和记录清空",
}


CLI_EXPORT_HELP: dict[str, str] = {
    "export": "导出某月的隐患台账（Excel）和有位置的隐患（GeoJSON）",
    "month": "月份 YYYY-MM（默认本月）：导出该月上报的隐患和该月的排查记录",
    "output": "Excel 文件路径（.xlsx）",
    "geojson": "GeoJSON 文件路径（有位置的隐患，可用任何地图软件打开）",
}

CLI_BACKUP_HELP: dict[str, str] = {
    "backup": "把数据库和照片备份到一个新的（或空的）目录；机器人运行时也可以备份",
    "backup_dir": "备份目录（不存在或为空）",
    "restore": "从备份恢复数据库和照片（须先停止机器人）",
    "restore_dir": "备份目录（由 gridsafe backup 生成）",
    "force": "已有数据时仍然恢复：原数据库和照片目录改名保留（.before-restore-时间），不会删除",
    "accept_missing_photos": "备份中有照片缺失或损坏时仍然恢复：数据库和完好的照片照常恢复，损坏的照片不恢复",
}
