"""The Chinese names people read in reports: columns, categories, priorities."""

from __future__ import annotations

__all__ = [
    "CATEGORY_NAMES",
    "COUNT_COLUMNS",
    "PRIORITY_COLORS",
    "PRIORITY_COLUMNS",
    "category_label",
    "place",
]

#: Category id -> its name in reports; a category not listed is shown by its id.
CATEGORY_NAMES: dict[str, str] = {
    "construction": "房屋建设",
    "machinery": "大型机械作业",
    "sand_digging": "采砂取土",
    "well_drilling": "打井",
    "fire_safety": "消防安全",
    "gas_safety": "燃气安全",
    "flood": "防汛",
    "production_safety": "安全生产",
    "dispute": "矛盾纠纷",
    "environment": "生态环境",
    "other": "其他",
}

#: Count field -> column name, in the order tables show them.
COUNT_COLUMNS: dict[str, str] = {
    "open_at_start": "期初在办",
    "new": "新增",
    "merged": "重复上报",
    "reopened": "重新打开",
    "resolved": "整改销号",
    "in_progress": "期末在办",
    "overdue": "超期",
}

#: Priority key -> column name.
PRIORITY_COLUMNS: dict[str, str] = {
    "P1": "P1 重大",
    "P2": "P2 较大",
    "P3": "P3 一般",
    "P4": "P4 低",
    "undecided": "待核实",
}

#: The band colours of the design (P1 red, P2 orange, P3 yellow, P4 blue), readable in print.
PRIORITY_COLORS: dict[str, str] = {
    "P1": "#d62728",
    "P2": "#ff7f0e",
    "P3": "#f2c40f",
    "P4": "#1f77b4",
    "undecided": "#9e9e9e",
}

UNNAMED = "未填写"


def category_label(category: str) -> str:
    """A category's Chinese name (its id when it has none)."""
    return CATEGORY_NAMES.get(category, category)


def place(name: str | None) -> str:
    """A district or village name, or 未填写 when the report gave none."""
    return name or UNNAMED
