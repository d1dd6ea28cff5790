"""The input vocabulary: the Chinese words the bot recognises in what people type and in the files they give it.

This is input grammar, not output copy: the domain and the services parse with it (a roster's role column, the
filters of /open, the period of /stats), so it lives in the domain, which imports only the domain. The text catalog
(bot/texts) says things to people; where a word shown on a button must also be understood when typed (跳过, 一般隐患),
the catalog takes it from here, so the two cannot drift apart.
"""

from __future__ import annotations

import re

from bot.domain.hazards import Severity
from bot.domain.people import Role

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

# Column headers accepted in a roster file (English or Chinese) → field name.
ROSTER_HEADERS: dict[str, str] = {
    "town": "town",
    "镇": "town",
    "乡镇": "town",
    "镇街": "town",
    "village": "village",
    "村": "village",
    "村社区": "village",
    "村（社区）": "village",
    "name": "name",
    "姓名": "name",
    "role": "role",
    "角色": "role",
    "phone": "phone",
    "电话": "phone",
    "手机": "phone",
    "手机号": "phone",
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
}

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
# day button's label typed as text ("7天（默认）", NFKC-normalized) is its days.
DATE_AROUND = re.compile(r"^(?:截止到|截至|截止|到|在)(?=.)|(?<=.)(?:之前|以前|前|以内|之内|内|为止)$|\(默认\)")
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
