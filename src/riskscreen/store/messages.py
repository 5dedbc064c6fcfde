"""What the store and its commands say to people: Chinese by default, English with ``--lang en``.

The language is :func:`riskscreen.i18n.language` (``RISKSCREEN_LANG``). Only prose is
translated; case ids, statuses, field names and JSON stay as they are. Case log notes are
data kept in the database and are always Chinese.
"""

from __future__ import annotations

from typing import Any

from ..i18n import language

__all__ = ["MESSAGES", "say"]

#: key -> (Chinese, English) templates, filled in with :meth:`str.format`.
MESSAGES: dict[str, tuple[str, str]] = {
    # errors
    "no_case": ("没有案件 {case}", "no case {case}"),
    "bad_case_id": (
        "没有案件 {case!r}：案件编号形如 C-000042",
        "no case {case!r}: case ids look like C-000042",
    ),
    "nothing_to_change": (
        "案件 {case}：没有要修改的内容（请给出状态、备注、负责人或处理结论）",
        "case {case}: nothing to change (give a status, note, assignee or disposition)",
    ),
    "close_needs_disposition": (
        "案件 {case}：关闭案件须给出处理结论：riskscreen cases close {case} --disposition confirmed",
        "case {case}: closing needs a disposition: riskscreen cases close {case} --disposition confirmed",
    ),
    "unknown_status": ("案件 {case}：未知状态 {status!r}", "case {case}: unknown status {status!r}"),
    "unknown_disposition": (
        "案件 {case}：未知处理结论 {disposition!r}（confirmed、false_alarm 或 duplicate）",
        "case {case}: unknown disposition {disposition!r} (confirmed, false_alarm or duplicate)",
    ),
    "disposition_when_closing": (
        "案件 {case} 状态为 {status}：处理结论在关闭时给出"
        "（riskscreen cases close {case} --disposition {disposition}）",
        "case {case} is {status}: a disposition is given when closing it "
        "(riskscreen cases close {case} --disposition {disposition})",
    ),
    "closed_reopen_first": (
        "案件 {case} 已关闭：修改状态前请先重新打开（--status reopened）",
        "case {case} is closed: reopen it (--status reopened) before changing its status",
    ),
    "already_closed": (
        "案件 {case} 已经关闭（{disposition}）",
        "case {case} is already closed ({disposition})",
    ),
    "read_only": (
        "此跟踪器未提供筛查器（screener）：只能读取案件，不能导入报告",
        "this tracker was opened without a screener: it can read cases but not ingest",
    ),
    "bad_url": (
        "无法识别数据库地址 {url!r}：请用 sqlite:///文件 或 postgresql://用户@主机/数据库",
        "cannot read database URL {url!r}: use sqlite:///FILE or postgresql://USER@HOST/DB",
    ),
    "no_folder": (
        "无法打开 {url}：文件夹 {folder} 不存在",
        "cannot open {url}: folder {folder} does not exist",
    ),
    "no_store": (
        "无法打开 {url}：该处没有历史库（文件不存在）；`riskscreen track FILE --db {url}` 会创建它",
        "cannot open {url}: no history store there (the file does not exist); "
        "`riskscreen track FILE --db {url}` creates it",
    ),
    "empty_store": (
        "无法打开 {url}：该数据库中还没有历史库；`riskscreen track FILE --db {url}` 或 "
        "`riskscreen db upgrade --db {url}` 会创建它",
        "cannot open {url}: no history store in this database yet; "
        "`riskscreen track FILE --db {url}` or `riskscreen db upgrade --db {url}` creates it",
    ),
    "no_driver": ("无法打开 {url}：{reason}", "cannot open {url}: {reason}"),
    "unreachable": ("无法连接数据库 {url}：{reason}", "cannot reach database {url}: {reason}"),
    "failed": ("数据库 {url} 出错：{reason}", "database {url} failed: {reason}"),
    "refused": (
        "数据库 {url} 拒绝了这次操作（没有改动任何数据）：{reason}",
        "database {url} refused the operation (nothing was changed): {reason}",
    ),
    "schema_outdated": (
        "数据库 {url} 的结构版本为 {revision}，旧于本版 riskscreen 的 {head}：请先备份，"
        "再运行 `riskscreen db upgrade --db {url}`",
        "the database {url} is at schema {revision}, older than this riskscreen's {head}: "
        "back it up, then run `riskscreen db upgrade --db {url}`",
    ),
    "schema_too_new": (
        "数据库 {url} 的结构版本为 {revision}，本版 riskscreen（结构 {head}）不认识：它由更新版本的 "
        "riskscreen 写入；请升级 riskscreen 后再使用",
        "the database {url} is at schema {revision}, which this riskscreen (schema {head}) does not "
        "know: it was written by a newer riskscreen; upgrade riskscreen to use it",
    ),
    # command output
    "track.counts": (
        "筛查 {screened}，合并 {merged}，重新打开 {reopened}，新案件 {new}",
        "screened {screened}, merged {merged}, reopened {reopened}, new {new}",
    ),
    "track.details": (
        "告警 {alerts}，待核实 {undecided}，无告警 {no_alert}，错误 {errors}（未筛查，已保存），"
        "已导入过 {skipped}，升级优先级 {lifted}",
        "alerts {alerts}, undecided {undecided}, no alert {no_alert}, errors {errors} (kept unscreened), "
        "already stored {skipped}, lifted {lifted}",
    ),
    "list.count": ("共 {count} 个案件", "{count} case{s}"),
    "list.unscreened": (
        "；库中另有 {count} 条未筛查记录（错误）",
        "; {count} unscreened record{s} (errors) kept in the store",
    ),
    "escalated": ("已升级 {count} 个逾期案件", "escalated {count} overdue case{s}"),
    "overdue": ("逾期", "overdue"),
    "undecided": ("待核实", "undecided"),
    "columns": (
        "案件|状态|优先级|类别|村|报告数|层级|处置时限",
        "case|status|pri|category|village|n|tier|respond by",
    ),
    "show.site": ("点位 {site}", "site {site}"),
    "show.score": ("分数 {score}", "score {score}"),
    "show.opened": ("首次报告 {at}", "opened {at}"),
    "show.assignee": ("负责人 {name}", "assignee {name}"),
    "show.closed": ("关闭 {at}", "closed {at}"),
    "show.log": ("处理记录", "log"),
    "show.reports": ("报告", "reports"),
    "db.up_to_date": ("{url}：结构 {head}，已是最新", "{url}: schema {head}, up to date"),
    "db.upgraded": ("{url}：结构 {before} → {after}", "{url}: schema {before} → {after}"),
    "db.status": (
        "{url}：结构 {current}，本版 riskscreen {head}：{state}",
        "{url}: schema {current}, this riskscreen {head}: {state}",
    ),
    "db.state.current": ("已是最新", "up to date"),
    "db.state.empty": (
        "空库（`riskscreen db upgrade` 创建结构）",
        "empty (`riskscreen db upgrade` creates the schema)",
    ),
    "db.state.older": (
        "较旧：请先备份，再运行 `riskscreen db upgrade`",
        "older: back it up, then run `riskscreen db upgrade`",
    ),
    "db.state.newer": (
        "由更新版本的 riskscreen 写入：请升级 riskscreen",
        "written by a newer riskscreen: upgrade riskscreen",
    ),
    "none": ("无", "none"),
    "unscreened.columns": ("编号|接收时间|村|问题", "id|received|village|problem"),
    "unscreened.count": ("共 {count} 条未筛查记录", "{count} unscreened record{s}"),
    "error_line": ("riskscreen：{message}", "riskscreen: {message}"),
    # report and rules --stats
    "report.error_line": ("riskscreen report：{message}", "riskscreen report: {message}"),
    "report.bad_timezone": (
        "riskscreen：未知时区 {zone!r}；例如 Asia/Shanghai",
        "riskscreen: unknown timezone {zone!r}; e.g. Asia/Shanghai",
    ),
    "report.week_and_range": (
        "--week 与 --from/--to 只能给出一种",
        "give either --week or --from/--to, not both",
    ),
    "report.to_needs_from": (
        "--to 须与 --from 一起给出，例如 --from 2026-11-01 --to 2026-11-30",
        "--to needs --from, e.g. --from 2026-11-01 --to 2026-11-30",
    ),
    "report.unknown_format": (
        "无法从 {output!r} 判断格式：请加 --format（{formats}），或将文件命名为 .html、.xlsx、.md 或 .json",
        "cannot tell the format from {output!r}; add --format ({formats}) "
        "or name the file .html, .xlsx, .md or .json",
    ),
    "report.xlsx_needs_output": (
        "xlsx 是二进制文件：请给出 --output FILE，例如 -o week.xlsx",
        "xlsx is a binary file: give --output FILE, e.g. -o week.xlsx",
    ),
    "report.no_store": (
        "riskscreen：{path} 处没有历史库：请检查 --db，或先导入报告（riskscreen track FILE --db {url}）",
        "riskscreen: no history store at {path}: check --db, or ingest reports first "
        "(riskscreen track FILE --db {url})",
    ),
    "report.written": (
        "{output}：{period}（新增 {new}，整改销号 {resolved}，期末在办 {in_progress}）",
        "{output}: {period} ({new} new, {resolved} resolved, {in_progress} in progress)",
    ),
    "report.cannot_write": ("无法写入 {output}：{reason}", "cannot write {output}: {reason}"),
    "report.written_empty": ("{output}：{period}（没有案件活动）", "{output}: {period} (no case activity)"),
    "stats.title": ("规则准确率（{cases} 个案件）", "rule precision ({cases} case{s})"),
    "stats.columns": (
        "规则|告警|案件|已处置|属实|误报|重复|准确率|95% 区间|名称",
        "rule|alerts|cases|disp|conf|false|dup|prec|95% CI|title",
    ),
    "stats.legend": (
        "已处置：有处置结论的已关闭案件；准确率 = 属实 ÷（属实 + 误报），附 Wilson 95% 置信区间；"
        "准确率最低的在前",
        "disp: closed cases with a disposition; conf / false / dup: confirmed, false alarms, duplicates; "
        "prec = conf / (conf + false) with its 95% Wilson interval; lowest precision first",
    ),
    "stats.nothing": (
        "库中还没有案件命中规则：无从计算准确率",
        "no case in the store names a rule yet: nothing to measure",
    ),
}


def say(key: str, **values: Any) -> str:
    """The message ``key`` in the current language, filled in with ``values``."""
    zh, en = MESSAGES[key]
    return (en if language() == "en" else zh).format(**values)
