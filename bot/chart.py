"""The ranking chart: one bar per town, best on top, the flagged bottom places in red, labelled in Chinese.

Chinese labels need a font with Chinese glyphs, which matplotlib does not ship. `find_chinese_font` looks for one
(the configured file, then fonts matplotlib knows by family, then font files on the system by name, so a font
installed after matplotlib built its cache is found too); scripts/bootstrap.sh installs fonts-wqy-zenhei when there
is none. Without one, `ranking_chart` raises NoChineseFont rather than draw empty boxes.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot import texts
from bot.domain.statistics import Ranking

log = logging.getLogger(__name__)

# Families with Chinese glyphs, in order of preference (Linux packages, then macOS and Windows fonts).
CHINESE_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Sarasa Gothic SC",
    "PingFang SC",
    "Hiragino Sans GB",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Droid Sans Fallback",
    "AR PL UMing CN",
)
# Parts of font file names (lower case, without - and _) that suggest Chinese glyphs.
FILE_HINTS = ("notosanscjk", "notoserifcjk", "sourcehan", "wqy", "wenquanyi", "sarasa", "pingfang", "msyh", "simhei")
# The characters of the chart's own words (town names are checked as well, when drawing).
PROBE = "".join(sorted({c for c in texts.chart_title("") + texts.CHART_AXIS + texts.CHART_FLAGGED if ord(c) > 0x2000}))
FLAGGED_COLOUR = "#d62728"
OTHER_COLOUR = "#1f77b4"
MAX_BARS = 50  # beyond this the chart shows the first and the flagged last places only
# The shortest bar drawn (in score points, of an axis of 100): a town at 0 still shows its bar, and its colour.
MIN_BAR = 2.0
# matplotlib shares font objects between figures and is not thread-safe: one chart is drawn at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Bar:
    """One town's bar as drawn: its label, its score, the bar's length and colour."""

    label: str
    score: float
    length: float
    colour: str


def chart_bars(ranking: Ranking) -> tuple[list[Bar], str]:
    """The bars of the chart, best first, and what to add to its title when not every town fits."""
    towns = ranking.towns
    note = ""
    if len(towns) > MAX_BARS:
        tail = max(sum(t.flagged for t in towns), 5)
        note = texts.chart_partial(total=len(towns), head=MAX_BARS - tail, tail=tail)
        towns = towns[: MAX_BARS - tail] + towns[-tail:]
    bars = [
        Bar(
            label=f"{t.place}. {t.town_name}",
            score=t.score,
            length=max(t.score, MIN_BAR),
            colour=FLAGGED_COLOUR if t.flagged else OTHER_COLOUR,
        )
        for t in towns
    ]
    return bars, note


class NoChineseFont(Exception):
    """No font with Chinese glyphs was found: install fonts-noto-cjk or fonts-wqy-zenhei (or set ranking.chart_font)."""


def has_chinese_glyphs(path: str | Path) -> bool:
    """Whether the font file (its first face) draws every character the chart needs."""
    # matplotlib (and numpy under it) is imported when first needed, not at start-up: importing it made every start
    # 0.45 s slower and the bot ~30 MB larger, for a chart drawn once a month.
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(char)) for char in PROBE)


@lru_cache(maxsize=8)
def find_chinese_font(configured: str = "") -> Path | None:
    """A font file with Chinese glyphs: the configured one, else a known family, else a system file by name."""
    from matplotlib import font_manager

    candidates = [configured] if configured else []
    known = {entry.name: entry.fname for entry in font_manager.fontManager.ttflist}
    candidates += [known[family] for family in CHINESE_FAMILIES if family in known]
    hinted = [
        path
        for path in font_manager.findSystemFonts()
        if any(hint in Path(path).name.lower().replace("-", "").replace("_", "") for hint in FILE_HINTS)
    ]
    candidates += sorted(hinted)
    return next((Path(c) for c in candidates if has_chinese_glyphs(c)), None)


def ranking_chart(ranking: Ranking, configured_font: str = "") -> bytes:
    """The ranking as PNG bytes; raises NoChineseFont when Chinese labels cannot be drawn."""
    with _DRAWING:
        return _draw(ranking, configured_font)


def _draw(ranking: Ranking, configured_font: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Patch

    path = find_chinese_font(configured_font)
    if path is None:
        raise NoChineseFont(configured_font or "no font with Chinese glyphs found")
    chinese = FontProperties(fname=str(path))
    bars, note = chart_bars(ranking)
    title = texts.chart_title(texts.period_label(ranking.period)) + note
    figure = Figure(figsize=(8, max(2.5, 0.32 * len(bars) + 1.4)), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(bars)))
    drawn = axes.barh(rows, [b.length for b in bars], color=[b.colour for b in bars])
    axes.set_yticks(rows, labels=[b.label for b in bars])
    for label in axes.get_yticklabels():
        label.set_fontproperties(chinese)
    axes.invert_yaxis()
    axes.bar_label(drawn, labels=[f"{b.score:.1f}" for b in bars], padding=3, fontsize=8)
    axes.set_xlim(0.0, max([100.0, *(b.length for b in bars)]) + 12)
    axes.set_xlabel(texts.CHART_AXIS, fontproperties=chinese)
    axes.set_title(title, fontproperties=chinese)
    if any(t.flagged for t in ranking.towns):
        legend = [
            Patch(color=OTHER_COLOUR, label=texts.CHART_OTHERS),
            Patch(color=FLAGGED_COLOUR, label=texts.CHART_FLAGGED),
        ]
        axes.legend(handles=legend, prop=chinese, loc="lower right")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


async def chart_or_none(ranking: Ranking, configured_font: str = "") -> bytes | None:
    """The ranking chart drawn off the event loop (other chats are not held up); None without a Chinese font.

    The one place the chart is drawn for a chat answer and for the monthly ranking notification.
    """
    try:
        return await asyncio.to_thread(ranking_chart, ranking, configured_font)
    except NoChineseFont:
        log.warning("ranking chart skipped: no font with Chinese glyphs (install fonts-noto-cjk or fonts-wqy-zenhei)")
        return None
