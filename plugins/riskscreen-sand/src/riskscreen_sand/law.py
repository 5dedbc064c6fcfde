"""National-law figures the plugin uses, each with its source; these are not local settings.

- 法释〔2016〕25号: 最高人民法院、最高人民检察院《关于办理非法采矿、破坏性采矿刑事案件
  适用法律若干问题的解释》.
- 石油天然气管道保护法.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ESPECIALLY_SERIOUS_MULTIPLE",
    "JUDICIAL_INTERPRETATION",
    "PIPELINE_CROSSING_ZONE_M",
    "REPEAT_PENALTIES",
    "RESTRICTED_VALUE_RANGE_CNY",
    "SERIOUS_VALUE_RANGE_CNY",
    "UNLAWFUL_PERMIT_STATUSES",
]

#: Short name of the 2016 judicial interpretation, as cited in findings.
JUDICIAL_INTERPRETATION: Final = "法释〔2016〕25号"

#: "情节严重": value of the mineral mined of 100,000–300,000 CNY or more; each province
#: fixes its figure inside this range (法释〔2016〕25号 第三条第一款第一项).
SERIOUS_VALUE_RANGE_CNY: Final = (100_000.0, 300_000.0)

#: "情节严重" inside a no-mining zone or during the closed season: 50,000–150,000 CNY
#: (法释〔2016〕25号 第三条第一款第二项).
RESTRICTED_VALUE_RANGE_CNY: Final = (50_000.0, 150_000.0)

#: "情节特别严重": five times the figure of 第三条第一款第一项 or 第二项
#: (法释〔2016〕25号 第三条第二款第一项).
ESPECIALLY_SERIOUS_MULTIPLE: Final = 5

#: Administrative penalties for illegal mining within two years that, with a new offence,
#: make it "情节严重" (法释〔2016〕25号 第三条第一款第三项).
REPEAT_PENALTIES: Final = 2

#: No sand digging within 500 m either side of the centreline of a pipeline crossing a river
#: (石油天然气管道保护法 第三十二条).
PIPELINE_CROSSING_ZONE_M: Final = 500.0

#: Permit statuses that make mining unlawful: no permit, an expired one, or mining beyond the
#: permitted area (法释〔2016〕25号 第二条 counts mining beyond the permit as unpermitted).
UNLAWFUL_PERMIT_STATUSES: Final = frozenset({"none", "expired", "out_of_scope"})
