"""Messages people read, in Chinese by default or in English.

The language is ``RISKSCREEN_LANG`` (``zh``, the default, or ``en``; ``zh_CN.UTF-8`` and
``en_US`` read as well); the command line's ``--lang`` sets it for the whole process,
worker processes included. Only prose is translated: JSON field names, error ``field``
paths, rule ids and codes stay as they are, so programs read every language alike.

Two kinds of messages:

* :func:`text` looks a message up by key in :data:`MESSAGES` and fills it in;
* :func:`riskscreen.pydantic_text.pydantic_message` words a pydantic validation error from
  its *type* and its ``ctx`` (``less_than_equal`` with ``le=90`` → ``应小于或等于 90``), so
  every field of every model reads alike without a rewrite per field. A ``ValueError``
  raised by a validator as :class:`LocalizedError` carries its key and is worded the same way.
"""

from __future__ import annotations

import os
from typing import Any, Literal

__all__ = [
    "LANGUAGES",
    "MESSAGES",
    "Language",
    "LocalizedError",
    "language",
    "set_language",
    "text",
]

Language = Literal["zh", "en"]
#: The languages messages are written in.
LANGUAGES: tuple[Language, ...] = ("zh", "en")
_ENV = "RISKSCREEN_LANG"


def language() -> Language:
    """The language of messages: ``RISKSCREEN_LANG`` read as ``zh`` (default) or ``en``."""
    value = os.environ.get(_ENV, "").strip().lower()
    return "en" if value.startswith("en") else "zh"


def set_language(value: str) -> None:
    """Use ``value`` (``zh`` or ``en``) from now on, in this process and the workers it starts."""
    if value not in LANGUAGES:
        raise ValueError(f"unknown language {value!r}; choose one of {', '.join(LANGUAGES)}")
    os.environ[_ENV] = value


#: key -> (Chinese, English) templates, filled in with :meth:`str.format`.
MESSAGES: dict[str, tuple[str, str]] = {
    # records
    "record.not_object": ("应为一个对象（JSON 对象），实际为 {kind}", "expected an object, got {kind}"),
    "record.unknown_category": ("未知的事件类别 {category!r}{hint}", "unknown category {category!r}{hint}"),
    "record.did_you_mean": ("；是否应为 {name!r}？", "; did you mean {name!r}?"),
    "record.too_deep": ("嵌套超过 {limit} 层", "nested deeper than {limit} levels"),
    "record.too_long": (
        "文本超过 {limit} 个字符（{length}）",
        "text longer than {limit} characters ({length})",
    ),
    "record.time_range": ("时间超出支持的日期范围", "time is outside the supported range of dates"),
    "record.no_timezone": (
        "时间没有时区：请写出时差，如 2026-07-01T09:00:00+08:00，或配置默认时区（如 Asia/Shanghai）",
        "time has no timezone: give an offset such as 2026-07-01T09:00:00+08:00, "
        "or configure a default timezone (e.g. Asia/Shanghai)",
    ),
    "record.fields": ("{field}：{message}", "{field}: {message}"),
    "record.whole": ("记录", "record"),
    "record.join": ("；", "; "),
    "record.unknown_attribute_close": (
        "未声明的属性；是否应为 {name}？",
        "unknown attribute; did you mean {name}?",
    ),
    "record.unknown_attribute_list": (
        "未声明的属性；类别 {category} 声明的属性有 {names}",
        "unknown attribute; category {category} declares {names}",
    ),
    "record.unknown_attribute_none": (
        "未声明的属性；类别 {category} 没有声明属性",
        "unknown attribute; category {category} declares no attributes",
    ),
    "record.duplicate_id": (
        "编号重复：与第 {first} 条记录（序号 {first_index}）相同",
        "duplicate id: also used by record {first} (index {first_index})",
    ),
    # explain
    "explain.other_category": (
        "只适用于类别 {categories}；本条上报的类别是 {category}。",
        "Applies only to category {categories}; this observation is {category}.",
    ),
    "explain.disabled_override": (
        "已被 {where} 处的覆盖停用（enabled: false），不参与判断。",
        "Disabled by the override at {where} (enabled: false); it is not evaluated.",
    ),
    "explain.disabled": (
        "已在规则包中停用（enabled: false），不参与判断。",
        "Disabled in its pack (enabled: false); it is not evaluated.",
    ),
    "explain.outside_validity": (
        "{day}（事件发生的当地日期）不适用：{window}。",
        "Does not apply on {day} (the event's local date): {window}.",
    ),
    "explain.window": ("有效期 {low} 至 {high}", "valid from {low} to {high}"),
    "explain.window_yearly": ("每年 {low} 至 {high}", "valid from {low} to {high} every year"),
    "explain.any_date": ("不限", "any date"),
    "explain.outside_jurisdiction": ("此处不适用：{why}。", "Does not apply here: {why}."),
    "explain.jurisdiction_level": (
        "只适用于 {level} 为 {allowed} 之一的地方；本条上报的 {level} {found}",
        "it applies only where {level} is one of {allowed}; this observation's {level} {found}",
    ),
    "explain.jurisdiction_is": ("为 {here}", "is {here}"),
    "explain.jurisdiction_absent": ("未填写", "is not given"),
    "explain.jurisdiction_other": (
        "适用辖区与本条上报的地点不符",
        "its jurisdiction does not match this observation's location",
    ),
    "explain.no_names": ("（无名称）", "(no names)"),
    "explain.insufficient": (
        "无法判断：上报缺少 {fields}{needed}。",
        "Could not be decided: the observation has no {fields}{needed}.",
    ),
    "explain.needed_by": ("（{clause} 需要它）", " (needed by {clause})"),
    "explain.and": ("、", ", "),
    "explain.and_last": ("和", " and "),
    "explain.error": ("规则运行出错：{message}。", "Evaluating the rule failed: {message}."),
    "explain.excluded": (
        "条件成立，但例外条件也成立：{clauses}；因此不触发。",
        "Its condition held, but the exception applies: {clauses}; so it does not fire.",
    ),
    "explain.fired_one": ("触发，因为 {clause}。", "Fired because {clause}."),
    "explain.fired_all": (
        "触发，因为各项条件都成立：{clauses}。",
        "Fired because every condition held: {clauses}.",
    ),
    "explain.not_fired_one": ("未触发，因为 {clause}。", "Did not fire because {clause}."),
    "explain.not_fired_any": (
        "未触发，因为各个选项都不成立：{clauses}。",
        "Did not fire because none of the alternatives held: {clauses}.",
    ),
    "explain.in_macro": ("（宏 {macros} 中）", " in macro {macros}"),
    "explain.true": ("成立", "is true"),
    "explain.false": ("不成立", "is false"),
    "explain.undecidable": ("无法判断", "cannot be decided"),
    "explain.missing": ("{path} 缺失", "{path} is missing"),
    "explain.clause_error": ("［出错：{error}］", "[error: {error}]"),
    "explain.plugin_fired": (
        "触发：插件检查报告“{message}”。",
        "Fired: the plugin check reported {message!r}.",
    ),
    "explain.plugin_failed": (
        "插件检查对本条上报运行出错：{message}。",
        "The plugin's checks failed on this observation: {message}.",
    ),
    "explain.plugin_silent": (
        "未触发：插件检查（Python 代码）没有发现要报告的情况。",
        "Did not fire: the plugin check (Python code) found nothing to report.",
    ),
    "explain.cannot_screen": (
        "上报 {id} 无法筛查：{field}：{message}",
        "Observation {id} could not be screened: {field}: {message}",
    ),
    "explain.no_id": ("（无编号）", "(no id)"),
    "explain.head": (
        "上报 {id} · 类别 {category} · 事件日期 {date}",
        "Observation {id} · category {category} · event date {date}",
    ),
    "explain.alert": ("预警 {priority}，分数 {score}", "Alert {priority}, score {score}"),
    "explain.no_alert": ("无预警", "No alert"),
    "explain.tally": (
        "{verdict}；解释了 {count} 条规则：{tally}",
        "{verdict}; {count} rule(s) explained: {tally}",
    ),
    "explain.none": ("无", "none"),
    "explain.undecided": (
        "待补充证据：现为 {now}，可能为 {could_be}（缺证据的规则都触发时的优先级）。请补充：",
        "Undecided: it {now} but could be {could_be}, the priority it would get if every rule lacking "
        "evidence fired. Collect:",
    ),
    "explain.now_priority": ("{priority}", "is {priority}"),
    "explain.now_none": ("无预警", "has no alert"),
    "explain.rule_failed": ("（规则运行出错：{error}）", "(the rule failed: {error})"),
    "explain.decides": ("  {what} — 决定 {rule_id}", "  {what} — decides {rule_id}"),
    "explain.decided": (
        "已有定论：部分规则缺少证据，但缺失的值都不会让它更紧急。",
        "Decided: some rules lack evidence, but none of the missing values could make it more urgent.",
    ),
    "explain.warning": ("注意：{warning}", "Warning: {warning}"),
    "explain.plugin_error": (
        "插件 {plugin} 在 {hook} 中出错：{message}",
        "plugin {plugin} failed in {hook}: {message}",
    ),
    "explain.when": ("条件", "when"),
    "explain.unless": ("例外", "unless"),
    "explain.values": ("读取的值", "values read"),
    "explain.references": ("依据", "references"),
    # input files
    "input.invalid_json": (
        "第 {line} 行：不是有效的 JSON（第 {column} 列）：{reason}",
        "line {line}: invalid JSON at column {column}: {reason}",
    ),
    "input.json_reason.Invalid control character": (
        "文本中有控制字符（如未转义的制表符或换行，请写成 \\t、\\n）",
        "a control character inside a string (an unescaped tab or line break; write \\t or \\n)",
    ),
    "input.json_reason.Expecting value": ("此处应有一个值", "expecting a value"),
    "input.json_reason.Expecting ',' delimiter": ("此处应有逗号 ,", "expecting ','"),
    "input.json_reason.Expecting property name enclosed in double quotes": (
        "键名应写在双引号中",
        "expecting a key in double quotes",
    ),
    "input.json_reason.Unterminated string starting": (
        "字符串没有结束的引号",
        "a string without its closing quote",
    ),
    "input.json_reason.Extra data": ("一行中有多余的内容", "extra data after the object"),
    "input.too_long": (
        "第 {line} 行：记录超过 {limit} 个字符",
        "line {line}: record longer than {limit} characters",
    ),
    "input.too_deep": ("第 {line} 行：JSON 嵌套层数过多", "line {line}: JSON nested too deeply"),
    "input.bad_value": (
        "第 {line} 行：JSON 中有无法读取的值：{reason}",
        "line {line}: invalid JSON value: {reason}",
    ),
    "input.not_object": ("第 {line} 行：应为一个 JSON 对象 {{...}}", "line {line}: expected a JSON object"),
    "input.document_invalid": (
        "不是有效的 JSON（第 {line} 行第 {column} 列）：{reason}",
        "invalid JSON at line {line} column {column}: {reason}",
    ),
    "input.document_too_deep": ("JSON 嵌套层数过多", "JSON nested too deeply"),
    "input.document_bad_value": ("JSON 中有无法读取的值：{reason}", "invalid JSON value: {reason}"),
    "input.document_not_object": ("应为一个 JSON 对象 {{...}}", "expected a JSON object"),
    "input.csv_header": ("CSV 表头：{reason}", "CSV header: {reason}"),
    "input.csv_line": ("CSV 第 {line} 行：{reason}", "CSV line {line}: {reason}"),
    "input.csv_cells": (
        "CSV 第 {line} 行：有 {cells} 个单元格，但只有 {columns} 列",
        "CSV line {line}: {cells} cells for {columns} columns",
    ),
    "input.in_file": ("{path}：{message}", "{path}: {message}"),
    "input.bad_gzip": (
        "{path}：gzip 文件已损坏或不完整，其后的内容无法读取：{reason}",
        "{path}: the gzip file is damaged or cut off; nothing after this point can be read: {reason}",
    ),
    "input.cannot_decode": (
        "{path}：无法按 {encoding} 解码（第 {byte} 字节）；"
        "请另存为 UTF-8，或用 --encoding 指明编码（如 --encoding gbk）",
        "{path}: cannot decode the input as {encoding} at byte {byte}; "
        "save it as UTF-8, or pass its encoding (e.g. --encoding gbk)",
    ),
    # the terminal table (riskscreen screen --format table)
    "table.counts": (
        "共 {records} 条记录：预警 {alerts}（{levels}）\n"
        "无预警 {no_alert}，错误 {errors}，待补充证据 {undecided}",
        "{records} records: {alerts} alerts ({levels})\n"
        "{no_alert} no alert, {errors} errors, {undecided} undecided",
    ),
    "table.level_sep": ("，", ", "),
    "table.overdue": ("逾期", "overdue"),
    "table.more_findings": (" 等{count}项", " ({count} findings)"),
    "table.alerts_title": ("风险预警 (prioritized alerts)", "prioritized alerts"),
    "table.col.priority": ("优先级", "priority"),
    "table.col.score": ("分数", "score"),
    "table.col.id": ("编号", "id"),
    "table.col.place": ("地点", "place"),
    "table.col.deadline": ("处置时限", "respond by"),
    "table.col.risk": ("风险", "risk"),
    "table.errors_title": ("无法筛查的记录 (records with errors)", "records with errors"),
    "table.col.record": ("第几条", "record"),
    "table.col.field": ("字段", "field"),
    "table.col.reason": ("原因", "reason"),
    "table.p1_first": ("P1 重大，最先处置（{count} 条）：", "P1 first ({count}):"),
    "table.p1_more": (
        "  …… 另有 {rest} 条 P1（见上表或 --format json）",
        "  … {rest} more P1 (see the table above or --format json)",
    ),
    "table.summary_title": ("汇总 (summary)", "summary"),
    "table.not_shown": (
        "…… 另有 {count} 条预警未显示（--limit {limit}；全部见 --format json）",
        "… {count} more alerts not shown (--limit {limit}; all of them with --format json)",
    ),
    "table.warning": ("注意：第 {line} 条（{id}）：{message}", "warning: record {line} ({id}): {message}"),
    "table.more_warnings": (
        "注意：另有 {count} 条警告未显示（全部见 --format json）",
        "warning: {count} more warnings not shown (all of them with --format json)",
    ),
    "table.collect_title": (
        "待补充证据 (undecided: collect these to decide)",
        "undecided: collect these to decide",
    ),
    "table.col.now": ("现为", "now"),
    "table.col.could_be": ("可能", "could be"),
    "table.col.collect": ("待补充", "collect"),
    "table.col.rules": ("规则", "rules"),
    "table.more_fields": ("等{count}项", "{count} in all"),
    "table.rule_failed": ("{rule}运行出错", "{rule} failed"),
    "table.no_alert": ("无预警", "no alert"),
    # command line
    "cli.no_builtin": (
        "--no-builtin 不加载内置规则包和插件，因此需要用 --rules PATH 指定要用的规则包",
        "--no-builtin leaves out the shipped packs and plugins, so it needs --rules PATH (the packs to use)",
    ),
    "cli.usage_error": ("riskscreen {command}：错误：{message}", "riskscreen {command}: error: {message}"),
    "cli.not_loaded": (
        "riskscreen：规则集未能加载：{count} 个问题",
        "riskscreen: rule set not loaded: {count} problem(s)",
    ),
    "cli.more": (
        "……另有 {count} 条{what}未显示（共 {total} 条；全部见 {where}）",
        "... and {count} more {what} not shown ({total} in all; every one is in {where})",
    ),
    "cli.what.problems": ("问题", "problems"),
    "cli.what.notices": ("错误和警告", "errors and warnings"),
    "cli.where.lint": ("riskscreen lint 的输出", "the output of riskscreen lint"),
    "cli.where.json": ("--format json 的输出", "the output of --format json"),
    "cli.what.errors": ("错误记录", "error records"),
    "cli.where.unscreened": (
        "riskscreen cases list --unscreened 的输出",
        "the output of riskscreen cases list --unscreened",
    ),
    "cli.record_error": ("第 {line} 条（{id}）：{field}{message}", "record {line} ({id}): {field}{message}"),
    "cli.record_warning": (
        "注意：第 {line} 条（{id}）：{message}",
        "warning: record {line} ({id}): {message}",
    ),
    "cli.explain.choose": (
        "{file} 中有 {count} 条记录；请用 --id 选一条",
        "{file} holds {count} records; choose one with --id",
    ),
    "cli.explain.unreadable": ("记录 {id} 无法读取：{message}", "record {id} cannot be read: {message}"),
    "cli.explain.no_id": (
        "{file} 中没有编号为 {id!r} 的记录（编号如：{ids}）",
        "no observation with id {id!r} in {file} (ids: {ids})",
    ),
    "cli.explain.unknown_rule": (
        "riskscreen：没有已加载的规则或插件检查的编号是 {rule_id!r}",
        "riskscreen: no loaded rule or plugin check has the id {rule_id!r}",
    ),
    "cli.no_such_path": (
        "riskscreen：找不到文件或文件夹：{path}",
        "riskscreen: no such file or folder: {path}",
    ),
    "cli.no_cases": (
        "riskscreen：在 {paths} 下没有找到 *.test.yaml 用例文件",
        "riskscreen: no *.test.yaml case files found under {paths}",
    ),
    "cli.no_id": ("无编号", "no id"),
    "cli.cannot_read": ("riskscreen：无法读取 {path}：{reason}", "riskscreen: cannot read {path}: {reason}"),
    "cli.stdin_twice": (
        "riskscreen：标准输入（-）只能读取一次",
        "riskscreen: standard input (-) can be read only once",
    ),
    "parallel.worker_stopped": (
        "riskscreen：一个工作进程意外退出（{reason}），其余记录在本进程中筛查，结果不变",
        "riskscreen: a worker process stopped ({reason}); the rest is screened in this process, same results",
    ),
}


def text(key: str, default: str | None = None, **values: Any) -> str:
    """The message ``key`` in the current language, filled in with ``values`` (``default`` if unknown)."""
    if key not in MESSAGES and default is not None:
        return default
    zh, en = MESSAGES[key]
    return (en if language() == "en" else zh).format(**values)


class LocalizedError(ValueError):
    """A ``ValueError`` that knows its message key, so pydantic errors raised with it are translated.

    ``str()`` gives the message in the language current when it was raised.
    """

    def __init__(self, key: str, **values: Any) -> None:
        self.key = key
        self.values = values
        super().__init__(text(key, **values))
