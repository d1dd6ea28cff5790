"""Backup and restore (gridsafe backup / gridsafe restore)."""

from __future__ import annotations

# ---- backup and restore (gridsafe backup / gridsafe restore) ----


BACKUP_DONE = "备份完成：{path}\n数据库版本 {schema}，隐患 {hazards} 条，照片文件 {media} 个，共 {size}。"
BACKUP_TARGET_NOT_EMPTY = "备份目录 {path} 已存在且不为空（或不是目录），未做任何改动。请指定一个新的或空的目录。"
BACKUP_NO_DATABASE = "找不到数据库 {path}，没有可以备份的数据。"
BACKUP_DATABASE_DAMAGED = "数据库完整性检查未通过，未生成备份：{detail}"
BACKUP_MEDIA_MISSING = "数据库引用的 {count} 个照片文件在照片目录 {media_dir} 中缺失或内容不符，未生成备份：\n{files}"
RESTORE_DONE = (
    "已从 {path} 恢复：隐患 {hazards} 条，照片文件 {media} 个（备份于 {created}）。\n"
    "数据库完整性检查通过，数据库版本 {before} → {after}。"
)
RESTORE_KEPT_ASIDE = "原有数据已改名保留：{path}"
RESTORE_INVALID = "备份 {path} 不完整或已被改动，未做任何改动：\n{problems}"
RESTORE_PROBLEMS: dict[str, str] = {
    "no_manifest": "缺少清单文件 {subject}（不是 GridSafe 备份，或备份没有完成）",
    "bad_manifest": "清单文件无法读取：{subject}",
    "database_missing": "缺少数据库文件 {subject}",
    "database_changed": "数据库文件 {subject} 的校验值与清单不符",
    "database_damaged": "数据库完整性检查未通过：{subject}",
    "media_missing": "缺少照片文件 {subject}",
    "media_changed": "照片文件 {subject} 的校验值与清单不符",
    "reference_missing": "数据库引用的照片 {subject} 不在备份中",
}
RESTORE_MORE_PROBLEMS = "……另有 {count} 项"
RESTORE_TOO_NEW = (
    "备份来自更新版本的 GridSafe（数据库版本 {backup}，本程序最高支持 {supported}），未做任何改动。请先升级 GridSafe。"
)
RESTORE_IN_USE = "数据库 {path} 正在使用中（机器人可能仍在运行），未做任何改动。请先停止机器人（例如 systemctl stop gridsafe）再恢复。"
RESTORE_TARGET_EXISTS = (
    "{path} 已有数据，未做任何改动。确定要用备份替换时请加 --force（原有数据会改名保留，不会删除）。"
)


def backup_listing(lines: list[str], shown: int = 20) -> str:
    """At most `shown` lines as a dashed list, and how many more there are."""
    out = [f"- {line}" for line in lines[:shown]]
    if len(lines) > shown:
        out.append(RESTORE_MORE_PROBLEMS.format(count=len(lines) - shown))
    return "\n".join(out)
