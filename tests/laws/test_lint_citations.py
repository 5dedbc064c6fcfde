"""``riskscreen lint`` checks every reference against the law catalogue, at path:line:col."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from riskscreen.cli.main import main
from riskscreen.lint import lint

REPO = Path(__file__).parents[2]

PACK = """\
pack: citing
applies_to: [fire_safety]
rules:
  - id: CITE-001
    title: 引用旧法规
    when: attrs.exits_blocked
    references: ["信访条例 第十八条", "消防法 第二十八条"]
  - id: CITE-002
    title: 引用不存在的条文
    when: attrs.exits_blocked
    references:
      - {law: 消防法, article: 99}
      - 消防法 第九十九条
"""


def citation_lines(path: Path) -> list[str]:
    report = lint([path])
    return [
        str(p.location).split("/")[-1] + f" {p.code} {p.message}"
        for p in report.problems
        if p.code.startswith("RS52")
    ]


def test_a_superseded_law_and_a_missing_article_are_errors_where_they_are_written(tmp_path: Path) -> None:
    pack = tmp_path / "citing.yaml"
    pack.write_text(PACK, encoding="utf-8")
    assert citation_lines(pack) == [
        "citing.yaml:7:18 RS522 CITE-001: 信访条例 was replaced by 信访工作条例 on 2022-05-01; cite the "
        "current text (信访工作条例（2022）) and check the article, the numbering differs",
        "citing.yaml:12:29 RS521 CITE-002: 消防法 has 74 articles; there is no article 99 (第九十九条)",
        "citing.yaml:13:9 RS521 CITE-002: 消防法 has 74 articles; there is no article 99 (第九十九条)",
    ]


def test_the_command_line_exits_non_zero_on_a_wrong_citation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = tmp_path / "citing.yaml"
    pack.write_text(PACK, encoding="utf-8")
    assert main(["lint", str(pack)]) == 1
    out = capsys.readouterr().out
    assert f"{pack}:7:18: RS522 error: CITE-001: 信访条例 was replaced by 信访工作条例" in out
    assert f"{pack}:12:29: RS521 error: CITE-002: 消防法 has 74 articles" in out


def test_an_unknown_law_is_a_warning_with_did_you_mean(tmp_path: Path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        textwrap.dedent(
            """\
            pack: p
            rules:
              - id: P-001
                title: t
                when: status == "new"
                references: ["地下水管理条列 第三十五条"]
            """
        ),
        encoding="utf-8",
    )
    report = lint([pack])
    [problem] = [p for p in report.problems if p.code == "RS520"]
    assert problem.severity == "warning"
    assert (
        problem.message == "P-001: 地下水管理条列 is not in the law catalogue; did you mean 地下水管理条例?"
    )
    assert (problem.location.line, problem.location.column) == (6, 18)


LOCAL_PACK = """\
pack: city
rules:
  - id: CITY-001
    title: 楼道充电
    when: status == "new"
    tags: [local]
    references: ["本市电动自行车管理条例 第十条"]
  - id: CITY-002
    title: 楼道停放
    when: status == "new"
    references: ["本市电动自行车管理条例 第四十条", "地方规定（楼道停放）"]
  - id: CITY-003
    title: 无依据的地方规定
    when: status == "new"
    tags: [local]
    references: ["消防法 第二十八条"]
"""


def test_a_laws_yaml_beside_the_pack_extends_the_catalogue(tmp_path: Path) -> None:
    (tmp_path / "city.yaml").write_text(LOCAL_PACK, encoding="utf-8")
    without = {p.code for p in lint([tmp_path]).problems}
    assert "RS520" in without  # the city regulation is unknown without the local catalogue

    (tmp_path / "laws.yaml").write_text(
        "laws:\n  - name: 本市电动自行车管理条例\n    kind: local_regulation\n    articles: 30\n"
        "    version: 2024-05-01\n    verified: true\n",
        encoding="utf-8",
    )
    report = lint([tmp_path])
    lines = [f"{p.location.line} {p.code} {p.message}" for p in report.problems if p.code.startswith("RS52")]
    assert lines == [
        "11 RS521 CITY-002: 本市电动自行车管理条例 has 30 articles; there is no article 40 (第四十条)",
        "11 RS525 CITY-002 cites 地方规定 but is not tagged local; add local to its tags",
        "15 RS525 CITY-003 is tagged local but cites no local basis; add a reference to the local "
        "regulation or 地方规定（…）",
    ]


def test_a_malformed_laws_yaml_is_an_error_where_it_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "city.yaml").write_text(LOCAL_PACK, encoding="utf-8")
    (tmp_path / "laws.yaml").write_text("laws:\n  - name: 本市条例\n    articles: many\n", encoding="utf-8")
    problems = [p for p in lint([tmp_path]).problems if p.code == "RS524"]
    assert {(p.location.line, p.severity) for p in problems} == {(2, "error"), (3, "error")}
    assert any("laws.0.kind" in p.message for p in problems)


def test_a_laws_yaml_is_not_read_as_a_pack(tmp_path: Path) -> None:
    (tmp_path / "city.yaml").write_text(LOCAL_PACK, encoding="utf-8")
    (tmp_path / "laws.yaml").write_text("laws: []\n", encoding="utf-8")
    assert not [p for p in lint([tmp_path]).problems if p.severity == "error" and p.code < "RS500"]


def test_the_shipped_packs_and_plugins_cite_nothing_wrong(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO)
    report = lint(["rules", "plugins"])
    citations = [str(p) for p in report.problems if p.code.startswith("RS52")]
    assert citations == []
    assert "citations" not in report.skipped  # the check ran


PLUGIN_MODULE = """\
from pathlib import Path

from riskscreen import CheckInfo, hookimpl


class CitingPlugin:
    @hookimpl
    def riskscreen_rule_packs(self):
        return [Path(__file__).parent / "rules"]

    @hookimpl
    def riskscreen_checks(self):
        return [
            CheckInfo(
                id="CP-001",
                title="引用检查",
                severity="low",
                references=["消防法 第二十八条", "信访条例 第十八条"],
            )
        ]
"""


def test_a_plugins_python_check_is_checked_at_the_line_that_cites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util
    import sys

    from riskscreen import Screener
    from riskscreen.lint import LintContext
    from riskscreen.lint import _pack_document as pack_document
    from riskscreen.lint.citations import Citations

    folder = tmp_path / "citing_plugin"
    (folder / "rules").mkdir(parents=True)
    (folder / "plugin.py").write_text(PLUGIN_MODULE, encoding="utf-8")
    pack = folder / "rules" / "cp.yaml"
    pack.write_text(
        'pack: cp\nrules:\n  - id: CP-010\n    title: t\n    when: status == "new"\n', encoding="utf-8"
    )
    spec = importlib.util.spec_from_file_location("citing_plugin_module", folder / "plugin.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "citing_plugin_module", module)  # as an installed plugin is
    spec.loader.exec_module(module)
    screener = Screener(builtin=False, plugins=[module.CitingPlugin()])
    document = pack_document(pack)
    assert document is not None
    context = LintContext([document], [], screener)
    [problem] = list(Citations().run(context))
    assert (problem.code, problem.severity) == ("RS522", "error")
    assert problem.location.path.endswith("plugin.py")
    assert (problem.location.line, problem.location.column) == (18, 43)  # where the text starts
    assert problem.message.startswith("CP-001: 信访条例 was replaced by 信访工作条例")
