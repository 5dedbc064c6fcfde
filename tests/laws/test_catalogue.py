"""The law catalogue: what each cited law is, and what is wrong with a citation of it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from riskscreen import Screener
from riskscreen.errors import RuleLoadError
from riskscreen.laws import CATALOGUE_FILE, Catalogue, Reference

TODAY = date(2026, 11, 30)


def problems(text: str, catalogue: Catalogue | None = None, today: date = TODAY) -> list[tuple[str, str]]:
    found = (catalogue or Catalogue.shipped()).check(Reference.parse(text), today)
    return [(p.code, p.message) for p in found]


def test_a_superseded_name_is_an_error_naming_its_successor() -> None:
    [(code, message)] = problems("信访条例 第十八条")
    assert code == "RS522"
    assert "信访条例 was replaced by 信访工作条例 on 2022-05-01" in message
    [(code, message)] = problems("环境噪声污染防治法 第三十条")
    assert code == "RS522" and "噪声污染防治法" in message


def test_an_article_beyond_the_last_is_an_error() -> None:
    assert problems("消防法 第九十九条") == [
        ("RS521", "消防法 has 74 articles; there is no article 99 (第九十九条)")
    ]
    assert problems("消防法 第七十四条") == []


def test_an_unknown_law_gets_the_closest_name() -> None:
    [(code, message)] = problems("消防条例 第三条")
    assert code == "RS520"
    assert message.endswith("did you mean 消防法?")


def test_full_titles_and_book_title_marks_resolve() -> None:
    assert problems("中华人民共和国消防法 第二十八条") == []
    assert problems("《地下水管理条例》 第三十五条") == []
    assert (
        problems(
            "最高人民法院关于审理破坏土地资源刑事案件具体应用法律若干问题的解释（法释〔2000〕14号） 第三条"
        )
        == []
    )


def test_a_local_basis_resolves_with_its_description() -> None:
    assert problems("地方规定（群体性矛盾纠纷：涉及5人以上）") == []
    law = Catalogue.shipped().law("地方规定（餐饮场所安装可燃气体报警装置）")
    assert law is not None and law.kind == "local"


def test_a_withdrawn_standard_edition_is_a_warning_from_the_day_it_is_withdrawn() -> None:
    [(code, message)] = problems("GB 12523-2011 建筑施工场界环境噪声排放标准")
    assert code == "RS523"
    assert message == (
        "GB 12523-2011 was withdrawn on 2026-01-01; cite GB 12523-2025 建筑施工场界环境噪声排放标准"
    )
    assert problems("GB 12523-2011 建筑施工场界环境噪声排放标准", today=date(2025, 12, 31)) == []
    assert problems("GB 12523-2025 建筑施工场界环境噪声排放标准") == []


def test_a_standard_renumbered_is_found_by_its_former_code() -> None:
    [(code, message)] = problems("JGJ 46-2005 施工现场临时用电安全技术规范 第4.1.2条")
    assert code == "RS523"
    assert "cite JGJ/T 46-2024 建筑与市政工程施工现场临时用电安全技术标准" in message


def test_an_earlier_text_of_a_law_is_a_warning_and_counts_its_own_articles() -> None:
    assert problems("突发事件应对法（2024） 第六十条") == []
    codes = [code for code, _ in problems("突发事件应对法（2007） 第八十条")]
    assert codes == ["RS523", "RS521"]  # the 2007 text has 70 articles


def test_the_shipped_catalogue_is_consistent() -> None:
    catalogue = Catalogue.shipped()
    names = [name for entry in catalogue.laws.values() for name in (entry.name, *entry.aliases)]
    assert len(names) == len(set(names)), "a name belongs to two entries"
    for entry in catalogue.laws.values():
        for article in entry.cited:
            assert entry.articles is None or article <= entry.articles, (entry.name, article)
        for old in entry.superseded:
            assert catalogue.law(old.name) is None, f"{old.name} is both current and superseded"
        assert entry.verified or entry.note, f"{entry.name}: an unverified entry says what was not checked"
    for standard in {id(s): s for s in catalogue.standards.values()}.values():
        current = standard.current()
        assert current.withdrawn is None, standard.code


def test_the_catalogue_ships_inside_the_package() -> None:
    import riskscreen

    assert CATALOGUE_FILE.is_file()
    assert CATALOGUE_FILE.is_relative_to(Path(riskscreen.__file__).parent)


def test_a_local_catalogue_adds_laws_and_is_checked(tmp_path: Path) -> None:
    local = tmp_path / "laws.yaml"
    local.write_text(
        "laws:\n  - name: 本市电动自行车管理条例\n    kind: local_regulation\n    articles: 30\n",
        encoding="utf-8",
    )
    catalogue = Catalogue.shipped().extended([local])
    assert problems("本市电动自行车管理条例 第十条", catalogue) == []
    assert problems("本市电动自行车管理条例 第四十条", catalogue)[0][0] == "RS521"
    assert problems("消防法 第二十八条", catalogue) == []  # the shipped entries stay

    local.write_text("laws:\n  - name: 本市条例\n    kind: city_rule\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as raised:
        Catalogue.shipped().extended([local])
    [problem] = raised.value.problems
    assert (problem.code, problem.location.line) == ("RS524", 3)
    assert "laws.0.kind" in problem.message


# -- every reference the shipped packs and plugins make resolves ---------------------------


def shipped_references() -> list[tuple[str, str]]:
    screener = Screener()
    found = [(rule.id, text) for rule in screener.ruleset.rules for text in rule.references]
    found += [(info.id, text) for _, info in screener.checks for text in info.references]
    return found


def test_every_shipped_rule_and_check_reference_resolves() -> None:
    catalogue = Catalogue.shipped()
    references = shipped_references()
    assert len(references) > 100
    wrong = {
        f"{owner}: {text}: {p.message}"
        for owner, text in references
        for p in catalogue.check(Reference.parse(text), TODAY)
    }
    assert wrong == set()


def test_configured_local_bases_resolve() -> None:
    from riskscreen_construction.config import DEFAULT_HOMESTEAD_CAPS

    catalogue = Catalogue.shipped()
    for caps in DEFAULT_HOMESTEAD_CAPS.values():
        assert catalogue.check(Reference.parse(caps.reference), TODAY) == [], caps.reference


def test_the_seven_corrected_citations_are_gone_from_the_shipped_rules() -> None:
    cited = {owner: set() for owner, _ in shipped_references()}
    for owner, text in shipped_references():
        cited[owner].add(text)
    wrong = {
        "GAS-004": "城镇燃气管理条例 第二十八条",
        "GAS-005": "城镇燃气管理条例 第二十八条",
        "GAS-008": "城镇燃气管理条例 第二十八条",
        "WELL-004": "地下水管理条例 第三十三条",
        "DISP-003": "信访工作条例 第二十条",
        "DISP-007": "人民调解法 第二十六条",
        "FIRE-005": "消防法 第二十八条",
        "FIRE-006": "消防法 第二十八条",
    }
    for rule_id, text in wrong.items():
        assert text not in cited[rule_id], rule_id
    assert "取水许可和水资源费征收管理条例 第二十条第（五）项" in cited["WELL-004"]
    assert "人民调解工作若干规定 第三十三条" in cited["DISP-007"]
    assert "城镇燃气管理条例 第二十七条" in cited["GAS-005"]


def test_the_documentation_lists_every_catalogue_entry() -> None:
    page = (Path(__file__).parents[2] / "docs" / "law-catalogue.md").read_text(encoding="utf-8")
    catalogue = Catalogue.shipped()
    missing = [name for name in catalogue.laws if f"| {name}" not in page]
    missing += [code for code in catalogue.standards if code not in page]
    assert missing == [], "add them to the tables of docs/law-catalogue.md"
