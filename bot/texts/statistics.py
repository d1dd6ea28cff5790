"""Statistics and ranking: /stats, /rank, the monthly ranking and its chart."""

from __future__ import annotations

from datetime import tzinfo

from bot import screen
from bot.domain.statistics import AreaTally, Period, PeriodKind, RankedTown, Ranking, Stats, Tally, Weights
from bot.texts.common import (
    CITY,
    _and_more_places,
    _local,
)

BAD_PERIOD = "没有看懂统计周期。请写「本周」「本月」「上月」或年月，例如 2026-11（不能是以后的月份）。"
BAD_MONTH = "没有看懂月份。请写「本月」「上月」或年月，例如 2026-11（不能是以后的月份）。"


def period_label(period: Period) -> str:
    """'2026年11月', or '2026年第48周（11-23至11-29）'."""
    if period.kind is PeriodKind.WEEK:
        iso = period.start.isocalendar()
        return f"{iso.year}年第{iso.week}周（{period.start:%m-%d}至{period.last_day:%m-%d}）"
    return f"{period.start.year}年{period.start.month}月"


def percent(rate: float | None) -> str:
    """A rate as people read it; '—' when it cannot be computed."""
    return "—" if rate is None else f"{rate * 100:.1f}%"


def _tally_lines(t: Tally) -> list[str]:
    return [
        f"上报隐患 {t.reported} 起：已销号 {t.verified} · 不属实 {t.invalid} · 重复 {t.duplicate}"
        f" · 未销号 {t.valid - t.verified}",
        f"整改率 {percent(t.rectification_rate)}（销号 {t.verified} / 应整改 {t.valid}）",
        f"按期整改率 {percent(t.on_time_rate)}（按期 {t.on_time} / 销号 {t.verified}）",
        f"当前逾期 {t.overdue} 起",
        f"排查完成率 {percent(t.check_rate)}（村周排查 {t.village_weeks_done}/{t.village_weeks_expected}"
        f" · 镇月排查 {t.town_months_done}/{t.town_months_expected}）",
        *([_coverage_line(t)] if t.places_due else []),
    ]


def _coverage_line(t: Tally) -> str:
    return f"村不漏户覆盖率 {percent(t.coverage_rate)}（场所到访 {t.places_visited} / 应到访 {t.places_due}）"


def _coverage(t: Tally, separator: str) -> str:
    """An area's coverage in a line of a list, where it has places due."""
    return f"{separator}村不漏户 {percent(t.coverage_rate)}" if t.places_due else ""


def _area_line(area: AreaTally) -> str:
    t = area.tally
    return (
        f"{screen.short_name(area.name)}：上报 {t.reported} · 销号 {t.verified} · 整改率 {percent(t.rectification_rate)}"
        f" · 按期 {percent(t.on_time_rate)} · 逾期 {t.overdue} · 排查 {percent(t.check_rate)}{_coverage(t, ' · ')}"
    )


def _within_budget(head: list[str], rows: list[str], tail: list[str]) -> str:
    """Head, as many rows as fit in one message, a note of those left out, and the tail."""
    return screen.fit(head, rows, tail, _more_rows)


def _more_rows(count: int) -> str:
    return f"……另有 {count} 行未列出，完整数据请发送 /export 导出台账。"


STATS_DEFINITION = "口径：按上报日期统计本期上报的隐患及其当前状态；逾期为本期结束前上报、目前仍逾期的隐患。"


def stats_text(stats: Stats, zone: tzinfo) -> str:
    """/stats: the totals of the scope, then one line per village (a town) or per town (the city)."""
    head = [
        f"【统计】{screen.name(stats.scope_name or CITY)} · {period_label(stats.period)}（截至 {_local(stats.as_of, zone)}）",
        *_tally_lines(stats.total),
        "",
        "各村（社区）：" if stats.scope_name else "各镇：",
    ]
    return _within_budget(head, [_area_line(a) for a in stats.rows], ["", STATS_DEFINITION])


def ranking_formula(weights: Weights) -> str:
    """The score formula with the configured weights."""
    total = f"{weights.check + weights.rectification + weights.on_time:g}"
    if weights.coverage:
        total = f"（{total} + {weights.coverage:g}）"
        coverage = f" + {weights.coverage:g}×村不漏户覆盖率"
        note = "；没有场所的镇不计村不漏户，分母不加其权重"
    else:
        coverage = note = ""
    return (
        f"得分 = 100 ×（{weights.check:g}×排查完成率{coverage} + {weights.rectification:g}×到期整改率"
        f" + {weights.on_time:g}×按期整改率）÷ {total} − {weights.overdue_penalty:g}×逾期数"
        f"（隐患部分最低为 0；没有到期隐患时，隐患部分按排查完成率计{note}）"
    )


def _ranked_line(town: RankedTown, own: bool) -> str:
    t = town.tally
    return (
        f"{town.place}. {screen.short_name(town.town_name)}{'（本镇）' if own else ''} {town.score:.1f} 分"
        f"｜排查 {percent(t.check_rate)}｜到期整改 {percent(t.due_rectification_rate)}"
        f"｜按期 {percent(t.on_time_rate)}｜逾期 {t.overdue}{_coverage(t, '｜')}"
        + ("  ⚠️后三位" if town.flagged else "")
    )


def ranking_text(ranking: Ranking, zone: tzinfo, own_town_id: int | None = None) -> str:
    """/rank and the monthly send to admins: every town with its score, components and the bottom flagged."""
    head = [
        f"【月度排名】{period_label(ranking.period)} 各镇安全生产工作排名（截至 {_local(ranking.as_of, zone)}）",
        ranking_formula(ranking.weights),
        "",
    ]
    if not ranking.towns:
        return "\n".join([*head, "暂无镇的数据。"])
    flagged = [screen.short_name(t.town_name) for t in ranking.towns if t.flagged]
    tail = (
        ["", f"后三位：{screen.joined(flagged, '、', 300, _and_more_places)}，请加强隐患排查整改。"] if flagged else []
    )
    return _within_budget(head, [_ranked_line(t, t.town_id == own_town_id) for t in ranking.towns], tail)


def town_place(ranking: Ranking, villages: Stats, zone: tzinfo) -> str:
    """A supervisor's part of the ranking: their town's place and components, then their villages."""
    assert villages.town_id is not None
    entry = ranking.place_of(villages.town_id)
    lines = [f"【月度排名】{period_label(ranking.period)} {screen.name(villages.scope_name or CITY)}"]
    if entry is not None:
        flag = "，位列后三位，请加强隐患排查整改" if entry.flagged else ""
        lines[0] += f" 第 {entry.place} 名（共 {len(ranking.towns)} 个镇），得分 {entry.score:.1f}{flag}。"
    head = [*lines, *_tally_lines(villages.total), "", "本镇各村（社区）："]
    return _within_budget(head, [_area_line(a) for a in villages.rows], [])


def chart_title(period: str) -> str:
    """The ranking chart's title."""
    return f"{period} 各镇安全生产工作得分"


CHART_AXIS = "得分"
CHART_FLAGGED = "后三位"
CHART_OTHERS = "其他镇"


def chart_partial(total: int, head: int, tail: int) -> str:
    """Under the chart's title when not every town fits."""
    return f"（共 {total} 个镇，图中为前 {head} 名和后 {tail} 名）"


def chart_caption(ranking: Ranking) -> str:
    """Caption of the ranking chart."""
    return f"{period_label(ranking.period)}各镇得分（红色为后三位）"


CHART_UNAVAILABLE = "（服务器没有安装中文字体，暂时无法生成排名图，已通知管理员。）"
