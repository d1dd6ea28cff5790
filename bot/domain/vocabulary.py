"""The input vocabulary: the Chinese words the bot recognises in what people type and in the files they give it.

This is input grammar, not output copy: the domain and the services parse with it (a roster's role column, the
filters of /open, the period of /stats), so it lives in the domain, which imports only the domain. The text catalog
(bot/texts) says things to people; where a word shown on a button must also be understood when typed (跳过, 一般隐患),
the catalog takes it from here, so the two cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata

from bot.domain.hazards import Severity
from bot.domain.people import Role
from bot.domain.places import Grade, PlaceStatus

# Words accepted in the role column of a roster file and after 邀请, besides the English codes.
ROLE_ALIASES: dict[str, Role] = {
    "信息员": Role.OFFICER,
    "基层信息员": Role.OFFICER,
    "网格员": Role.OFFICER,
    "责任人": Role.OWNER,
    "安监员": Role.SUPERVISOR,
    "镇安监员": Role.SUPERVISOR,
    "乡镇安监员": Role.SUPERVISOR,
    "管理员": Role.ADMIN,
}

# Column headers naming the town and the village, in roster and places files alike.
PLACE_COLUMNS: dict[str, str] = {
    "town": "town",
    "镇": "town",
    "乡镇": "town",
    "镇街": "town",
    "village": "village",
    "村": "village",
    "村社区": "village",
    "村（社区）": "village",
}

# Column headers accepted in a roster file (English or Chinese) → field name.
ROSTER_HEADERS: dict[str, str] = {
    **PLACE_COLUMNS,
    "name": "name",
    "姓名": "name",
    "role": "role",
    "角色": "role",
    "phone": "phone",
    "电话": "phone",
    "手机": "phone",
    "手机号": "phone",
    "wecom_userid": "wecom_userid",
    "wecom": "wecom_userid",
    "企业微信账号": "wecom_userid",
    "企业微信": "wecom_userid",
    "企业微信ID": "wecom_userid",
    "企微账号": "wecom_userid",
}

# The default place types ([places] types may change them): the 九小场所 first, then the others. They are
# configuration data, matched in the type column of a places file and shown in the ledger's 底数清单.
DEFAULT_PLACE_TYPES = [
    "小生产加工企业",
    "小商店",
    "小美容院/洗浴",
    "小旅馆",
    "小诊所",
    "小餐馆",
    "企业",
    "学校/幼儿园",
    "卫生院",
    "敬老院",
    "商超",
    "沿街门店",
    "自建房",
    "其他",
]
PLACE_TYPE_ENTERPRISE = "企业"  # the type whose places have an industry and a 高危 flag
PLACE_TYPE_OTHER = "其他"  # the type of a place added while reporting, until someone files it (the last type if unset)

# A place's risk grade in one word, read in a places file's grade column (besides the English codes) and shown in the
# ledger.
GRADE_NAMES: dict[Grade, str] = {Grade.RED: "红", Grade.ORANGE: "橙", Grade.YELLOW: "黄", Grade.BLUE: "蓝"}
# Words accepted in the grade column of a places file, besides the English codes and GRADE_NAMES.
GRADE_ALIASES: dict[str, Grade] = {
    "红色": Grade.RED,
    "重大风险": Grade.RED,
    "橙色": Grade.ORANGE,
    "较大风险": Grade.ORANGE,
    "黄色": Grade.YELLOW,
    "一般风险": Grade.YELLOW,
    "蓝色": Grade.BLUE,
    "低风险": Grade.BLUE,
}
# A place's status in one word, read in a places file's status column and shown in the ledger.
PLACE_STATUS_NAMES: dict[PlaceStatus, str] = {
    PlaceStatus.OPEN: "在营",
    PlaceStatus.SUSPENDED: "停业整顿",
    PlaceStatus.CLOSED: "关闭",
}
PLACE_STATUS_ALIASES: dict[str, PlaceStatus] = {
    "营业": PlaceStatus.OPEN,
    "正常": PlaceStatus.OPEN,
    "停业": PlaceStatus.SUSPENDED,
}
# The 高危 column of a places file.
YES_WORDS = ("是", "高危", "yes", "y", "true", "1", "√")
NO_WORDS = ("否", "", "no", "n", "false", "0")

# Column headers accepted in a places file (English or Chinese) → field name.
PLACE_HEADERS: dict[str, str] = {
    **PLACE_COLUMNS,
    "name": "name",
    "名称": "name",
    "场所名称": "name",
    "type": "type",
    "类型": "type",
    "场所类型": "type",
    "address": "address",
    "地址": "address",
    "latitude": "latitude",
    "lat": "latitude",
    "纬度": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "经度": "longitude",
    "owner": "owner",
    "责任人": "owner",
    "phone": "phone",
    "电话": "phone",
    "责任人电话": "phone",
    "grade": "grade",
    "风险等级": "grade",
    "等级": "grade",
    "status": "status",
    "状态": "status",
    "industry": "industry",
    "行业": "industry",
    "high_risk": "high_risk",
    "高危": "high_risk",
}

# Plain-message aliases for commands (a person may type the word instead of the command).
COMMAND_ALIASES: dict[str, str] = {
    "帮助": "help",
    "上报": "report",
    "排查": "check",
    "未整改": "open",
    "逾期": "overdue",
    "我的": "mine",
    "隐患": "hazard",  # followed by a number: 隐患 12 (or #12 alone)
    "统计": "stats",
    "排名": "rank",
    "导出": "export",
    "邀请": "invite",
    "人员": "person",
    "取消": "cancel",
    "场所": "place",
    "绑定": "start",  # 绑定 <invite code>: binding by a typed code (WeCom has no deep links; Telegram takes it too)
}

# /place 名称 责任人 姓名: the word before a typed new owner of the place.
PLACE_OWNER_WORD = "责任人"

# The severity typed as an answer in the report conversation (the words of its buttons).
SEVERITY_ANSWERS: dict[str, Severity] = {"一般隐患": Severity.GENERAL, "重大隐患": Severity.MAJOR}

# Words after /open or /overdue that narrow the list, besides village (or, for admins, town) names and categories.
SEVERITY_FILTERS: dict[str, Severity] = {
    "重大": Severity.MAJOR,
    "重大隐患": Severity.MAJOR,
    "一般": Severity.GENERAL,
    "一般隐患": Severity.GENERAL,
}

# Typed (or pressed on the reply keyboard) at the location step.
SKIP = "跳过"
KEEP_DEADLINE = (
    "保持原期限"  # the deadline button of 改派 and 不通过; typed (with its date or not) it acts as the button
)
KEEP_DEADLINE_TYPED = re.compile(r"^\s*保持原期限\s*(?:[(（][^)）]*[)）])?\s*$")

# Periods after /stats, /rank and /export.
PERIOD_THIS_WEEK = "本周"
PERIOD_THIS_MONTH = "本月"
PERIOD_LAST_MONTH = "上月"

# What starts the reason of a chat /invite (邀请 … 原因：换了手机).
INVITE_REASON_WORDS = ("原因：", "原因:", "理由：", "理由:")

# The verbs after 人员 (/person).
PERSON_DEACTIVATE_WORD = "停用"
PERSON_MOVE_WORD = "调动"

# Dates as people type them (bot.domain.dates reads them; text is NFKC-normalized, spaces removed and Chinese
# numerals turned into digits first): 2026-12-05, 2026/12/5, 2026年12月5日; 12月5日, 12-05.
FULL_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
MONTH_DAY = re.compile(r"^(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
# A deadline is the last day allowed, so the words around a date change nothing ("截止到12月20日前" is 12月20日), and a
# day button's label typed as text ("7天（默认）", NFKC-normalized) is its days, and the echo copied back
# ("期限：12月18日（周五）") is its date.
DATE_AROUND = re.compile(
    r"^(?:期限:?)?(?:截止到|截至|截止|到|在)?(?=.)|(?<=.)(?:之前|以前|前|以内|之内|内|为止)$|\(默认\)"
    r"|\((?:周|星期|礼拜)[一二三四五六日天1-7]\)"
)
CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十廿卅]+")
MONTH_PART = re.compile(r"^(\d{1,2})月(?:(中)|底|末)$")
# Groups: (this month)(next month)(day); (this)(next)(中 rather than the month's end).
DAY_OF_MONTH = re.compile(r"^(?:(本月|这个?月)|(下个?月))?(\d{1,2})[日号]$")
MONTH_PART_RELATIVE = re.compile(r"^(?:(本|这个?)|(下个?))?月(?:(中)|底|末)$")
# Groups: (this week)(the week after next)(next week)(weekday 1-7, none for 日/天 = Sunday).
WEEKDAY_FORM = re.compile(r"^(?:(本|这个?)|(下下)|(下个?))?(?:周|星期|礼拜)(?:([1-7])|[日天])$")
WEEK_END = re.compile(r"^(?:(本|这个?)|(下下)|(下个?))(?:周|星期|礼拜)$")
# Groups: one per word, in order of the days they add (今天 0 … 大后天 3).
NAMED_DAY = re.compile(r"^(?:(今)|(明)|(后)|(大后))[天日]$")
YEAR_END = re.compile(r"^(?:今年)?年(?:底|末)$")
DAYS = re.compile(r"^(\d{1,3})天(?:以后|之后|后)?$")
WEEKS = re.compile(r"^(\d{1,2})个?(?:周|星期|礼拜)(?:以后|之后|后)?$")
MONTHS = re.compile(r"^(\d{1,2})个月(?:以后|之后|后)?$")
HALF_MONTH = re.compile(r"^半个?月(?:以后|之后|后)?$")
# A month in words: 2026年11月.
YEAR_MONTH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月$")
# A name followed by a phone number, apart by spaces or commas (half- or full-width): 张三 13800000000, 张三，138….
NAME_AND_PHONE = re.compile(r"^(.+?)[\s,，]+(\+?\d[\d -]{5,18}\d)$")

# Phrases that only say "done" or "all right": never kept as a description, a note, a reason or a name (the bot asks
# for what is needed); where photos are being sent and some have arrived, they mean 下一步. Compared after `plain`.
EMPTY_PHRASES = frozenset(
    {
        "好",
        "好了",
        "好的",
        "好啦",
        "好吧",
        "嗯",
        "嗯嗯",
        "恩",
        "哦",
        "ok",
        "okay",
        "okk",
        "完成",
        "完成了",
        "完了",
        "行",
        "行了",
        "可以",
        "可以了",
        "对",
        "是",
        "是的",
        "收到",
        "知道了",
        "发完了",
        "发好了",
        "就这些",
        "没了",
        "👌",
        "👍",
    }
)

# Traditional forms of the characters of the words above (command aliases, button labels, skip and empty phrases), so
# 幫助, 上報, 跳過 or 複核通過 are understood like 帮助, 上报, 跳过 and 复核通过. Traditional → simplified.
TRADITIONAL: dict[str, str] = {
    "幫": "帮",
    "報": "报",
    "統": "统",
    "計": "计",
    "過": "过",
    "隱": "隐",
    "導": "导",
    "請": "请",
    "員": "员",
    "複": "复",
    "復": "复",
    "辦": "办",
    "屬": "属",
    "實": "实",
    "責": "责",
    "類": "类",
    "級": "级",
    "場": "场",
    "發": "发",
    "當": "当",
    "詳": "详",
    "為": "为",
    "開": "开",
    "電": "电",
    "氣": "气",
    "確": "确",
    "繼": "继",
    "續": "续",
    "補": "补",
    "認": "认",
    "號": "号",
    "週": "周",
    "後": "后",
    "內": "内",
    "點": "点",
    "說": "说",
    "這": "这",
    "個": "个",
    "對": "对",
    "沒": "没",
    "啟": "启",
    "單": "单",
    "處": "处",
    "監": "监",
    "網": "网",
    "錄": "录",
    "預": "预",
    "設": "设",
    "張": "张",
    "護": "护",
    "燈": "灯",
}
_TO_SIMPLIFIED = str.maketrans(TRADITIONAL)
_TRAILING = "。.！!～~，,、 　"


def simplified(text: str) -> str:
    """The text with the traditional characters of our vocabulary written simplified (others are left as they are)."""
    return text.translate(_TO_SIMPLIFIED)


def traditional_forms(word: str) -> list[str]:
    """Every way of writing a word of our vocabulary with its traditional characters (the word itself first)."""
    forms = [""]
    for char in word:
        variants = [char, *(t for t, s in TRADITIONAL.items() if s == char and t != char)]
        forms = [form + variant for form in forms for variant in variants]
    return forms


def plain(text: str) -> str:
    """A typed text as compared with a word: width-normalized, simplified, lower case, without spaces and closing
    punctuation ("好的。", "ＯＫ！", "跳過" and "补充到#1" read as 好的, ok, 跳过 and 补充到 #1 do)."""
    said = simplified(unicodedata.normalize("NFKC", text)).strip().rstrip(_TRAILING)
    return "".join(said.split()).casefold()


def is_empty_phrase(text: str) -> bool:
    """A text that only says "done" or "all right" (好了, 好的, 嗯, ok, 完成 …): no content."""
    return plain(text) in EMPTY_PHRASES
