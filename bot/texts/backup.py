"""Backup and restore (gridsafe backup / gridsafe restore), and a database that is missing or was removed."""

from __future__ import annotations

from pathlib import Path


def backup_done(path: Path, schema: int, hazards: int, media: int, size_bytes: int) -> str:
    """`gridsafe backup`: what the backup holds."""
    return f"备份完成：{path}\n数据库版本 {schema}，隐患 {hazards} 条，照片文件 {media} 个，共 {size_bytes / 1_000_000:.1f} MB。"


def backup_target_not_empty(path: Path) -> str:
    """The backup folder exists and holds something."""
    return f"备份目录 {path} 已存在且不为空（或不是目录），未做任何改动。请指定一个新的或空的目录。"


def backup_no_database(path: Path) -> str:
    """Nothing to back up."""
    return f"找不到数据库 {path}，没有可以备份的数据。"


def backup_database_damaged(detail: str) -> str:
    """The snapshot failed its integrity check."""
    return f"数据库完整性检查未通过，未生成备份：{detail}"


def backup_media_damaged(count: int, media_dir: Path, files: list[str]) -> str:
    """The backup was made without the photos that are missing or damaged (`files`: damaged_photo lines)."""
    return (
        f"注意：数据库引用的 {count} 个照片文件在照片目录 {media_dir} 中缺失或损坏，没有备份"
        f"（数据库和其余照片已备份，这些文件已记入备份清单 manifest.json 的 damaged_media）：\n{backup_listing(files)}"
    )


def damaged_photo(reason: str, file: str) -> str:
    """One photo left out of a backup: missing, or its content does not match its name."""
    if reason == "missing":
        return f"缺失：{file}"
    return f"损坏（内容与文件名的校验值不符）：{file}"


def restore_done(path: Path, hazards: int, media: int, created: str, before: int, after: int) -> str:
    """`gridsafe restore`: what came back, and the schema versions."""
    return (
        f"已从 {path} 恢复：隐患 {hazards} 条，照片文件 {media} 个（备份于 {created}）。\n"
        f"数据库完整性检查通过，数据库版本 {before} → {after}。"
    )


def restore_kept_aside(path: Path) -> str:
    """Where the data replaced by a forced restore was kept."""
    return f"原有数据已改名保留：{path}"


def restore_invalid(path: Path, problems: list[str]) -> str:
    """A backup that is incomplete or altered (`problems`: restore_problem lines)."""
    return f"备份 {path} 不完整或已被改动，未做任何改动：\n{backup_listing(problems)}"


def restore_problem(kind: str, subject: str) -> str:
    """One problem of a backup, by its code (storage.restore.ProblemKind)."""
    match kind:
        case "no_manifest":
            return f"缺少清单文件 {subject}（不是 GridSafe 备份，或备份没有完成）"
        case "bad_manifest":
            return f"清单文件无法读取：{subject}"
        case "database_missing":
            return f"缺少数据库文件 {subject}"
        case "database_changed":
            return f"数据库文件 {subject} 的校验值与清单不符"
        case "database_damaged":
            return f"数据库完整性检查未通过：{subject}"
        case "media_missing":
            return f"缺少照片文件 {subject}"
        case "media_changed":
            return f"照片文件 {subject} 的校验值与清单不符"
        case _:  # reference_missing
            return f"数据库引用的照片 {subject} 不在备份中"


def restore_photos_damaged(path: Path, problems: list[str]) -> str:
    """A backup whose photos are missing or damaged: restored only when asked to."""
    return (
        f"备份 {path} 中有 {len(problems)} 个照片文件缺失或损坏，未做任何改动：\n{backup_listing(problems)}\n"
        "数据库完好。确定不要这些照片也要恢复时，请加 --accept-missing-photos（数据库和其余照片照常恢复）。"
    )


def restore_photos_left_out(problems: list[str]) -> str:
    """The photos a restore left out (--accept-missing-photos)."""
    return f"以下 {len(problems)} 个照片文件缺失或损坏，没有恢复：\n{backup_listing(problems)}"


def restore_too_new(backup: int, supported: int) -> str:
    """A backup from a newer GridSafe."""
    return (
        f"备份来自更新版本的 GridSafe（数据库版本 {backup}，本程序最高支持 {supported}），未做任何改动。"
        "请先升级 GridSafe。"
    )


def restore_in_use(path: Path) -> str:
    """The database is open in another process (the bot is running)."""
    return (
        f"数据库 {path} 正在使用中（机器人可能仍在运行），未做任何改动。"
        "请先停止机器人（例如 systemctl stop gridsafe）再恢复。"
    )


def restore_target_exists(path: Path) -> str:
    """A restore over existing data without --force."""
    return f"{path} 已有数据，未做任何改动。确定要用备份替换时请加 --force（原有数据会改名保留，不会删除）。"


def backup_listing(lines: list[str], shown: int = 20) -> str:
    """At most `shown` lines as a dashed list, and how many more there are."""
    out = [f"- {line}" for line in lines[:shown]]
    if len(lines) > shown:
        out.append(f"……另有 {len(lines) - shown} 项")
    return "\n".join(out)


def database_missing(path: Path, media_dir: Path, files: int) -> str:
    """No database beside existing photos: never silently recreated."""
    return (
        f"找不到数据库 {path}，但照片目录 {media_dir} 里有 {files} 个文件：数据库可能被误删或移走了。"
        "为免在空数据库上运行（所有人都会变成陌生人），未做任何改动。\n"
        "请从备份恢复（gridsafe restore 备份目录），或把数据库文件放回原处；"
        "确定要从空数据库重新开始时，运行 gridsafe migrate --create-database。"
    )


def database_gone_stopped(path: Path, *, replaced: bool) -> str:
    """`gridsafe run` stopped because the database file was deleted or replaced under it."""
    how = "被替换" if replaced else "被删除"
    return (
        f"数据库文件 {path} 在运行中{how}，机器人已停止，以免把数据写进已不存在的文件。"
        "请把数据库文件放回原处，或从备份恢复（gridsafe restore 备份目录），再启动。"
    )
