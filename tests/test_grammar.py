"""The grammar rule: what Grammalecte reads, where its findings land, the filters, the cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import note_from, run, run_json
from vaultlint.grammar import grammalecte as grammar
from vaultlint.grammar.reading import PLACEHOLDER, reading

needs_engine = pytest.mark.skipif(
    not grammar.available(),
    reason="Grammalecte is not installed (apt-get install python3-grammalecte): "
    "the grammar rule cannot run",
)
FR = "lang: fr\n"


def _note(body: str) -> str:
    return f"---\n{FR}---\n{body}"


# -- what Grammalecte reads ----------------------------------------------------------------


def test_passage_offsets_are_note_offsets() -> None:
    text = _note("# Titre\n\nUn *premier* paragraphe\nsur deux lignes.\n\n- un item\n- un autre\n")
    note = note_from(text)
    read = reading(note)
    assert [p.text.strip() for p in read.passages] == [
        "Titre",
        "Un  premier  paragraphe sur deux lignes.",
        "un item",
        "un autre",
    ]
    for passage in read.passages:
        for i, char in enumerate(passage.text):
            if char != " ":
                assert note.text[passage.start + i] == char


def test_inline_code_is_a_placeholder_word_and_a_wikilink_its_text() -> None:
    text = _note("Lancez `npm install` puis voir [[Les bonnes pratiques]] ou [[cible|ce lien]].\n")
    note = note_from(text)
    (passage,) = reading(note).passages
    code_at = text.index("`npm")
    assert passage.text[code_at - passage.start :].startswith(PLACEHOLDER + " ")
    assert len(passage.text) == len(text.rstrip("\n")) - passage.start
    assert "Les bonnes pratiques" in passage.text
    assert "ce lien" in passage.text
    assert "cible" not in passage.text
    assert "[[" not in passage.text and "`" not in passage.text


def test_table_cells_tags_and_html_blocks_are_read_apart() -> None:
    text = _note("| Fonction | Rôle |\n|---|---|\n| round | Arrondit le nombre |\n\n")
    text += "La #gouvernance est partagée.\n\n<li>un</li><li>deux</li>\n"
    read = reading(note_from(text))
    texts = [p.text.strip() for p in read.passages]
    assert "Arrondit le nombre" in texts
    assert all(p.cell for p in read.passages if p.text.strip() in ("round", "Fonction"))
    assert "La  gouvernance est partagée." in texts or "La gouvernance est partagée." in [
        " ".join(t.split()) for t in texts
    ]
    assert not any("un" in t.split() and "deux" in t.split() for t in texts)


def test_frontmatter_and_code_blocks_are_not_read() -> None:
    text = "---\nlang: fr\ntags: [a]\n---\n```\nles bonne personnes\n```\nFin.\n"
    texts = [p.text.strip() for p in reading(note_from(text)).passages]
    assert texts == ["Fin."]


# -- the rule, with Grammalecte ------------------------------------------------------------


def _check(vault: Callable[..., Path], body: str, *extra: str) -> list[dict[str, Any]]:
    root = vault({"note.md": _note(body)})
    return run_json(root, "--select", "grammar", "--no-cache", *extra)


@needs_engine
def test_agreement_mistake_is_flagged_at_its_place(vault: Callable[..., Path]) -> None:
    found = _check(vault, "Intro.\n\nLes bonne personnes sont présentes.\n")
    assert [(d["line"], d["column"], d["rule"]) for d in found] == [(6, 5, "grammar")]
    assert '"bonne"' in found[0]["message"]
    assert '"bonnes"' in found[0]["message"]  # Grammalecte's suggestion


@needs_engine
def test_positions_after_code_and_inside_link_text(vault: Callable[..., Path]) -> None:
    body = "Tapez `git status` puis je me rend au [[les bonne idées|marché]].\n"
    body += "Voir les [[notes récente]].\n"
    found = _check(vault, body)
    where = [(d["line"], d["column"]) for d in found]
    assert (4, 1 + body.index("rend")) in where
    second = body.split("\n")[1]
    assert (5, 1 + second.index("récente")) in where  # a lowercase link text is prose
    assert not any("bonne" in d["message"] for d in found)  # a link target, not its text


@needs_engine
def test_french_only(vault: Callable[..., Path]) -> None:
    root = vault({"en.md": "---\nlang: en\n---\nLes bonne personnes sont présentes.\n"})
    assert run_json(root, "--select", "grammar", "--no-cache") == []


@needs_engine
@pytest.mark.parametrize(
    "body",
    [
        "Faites défiler jusqu'à la section **Avancé**.\n",  # a bold interface label
        "Soumettez une pull request au dépôt.\n",  # an English term
        "Il faut écrire un CSS valide.\n",  # an acronym
        "| Fonction | Rôle |\n|---|---|\n| round | Arrondit le nombre |\n",  # a table of verbs
        "- **Toutes les vues** applique les filtres.\n",  # a verb after a bold label
        "Préférer « sélectionnez » à « cliquez ».\n",  # a verb quoted as a word
        "La page Général contient la version.\n",  # a capitalised name
        "Le module [[Notes quotidiennes]] doit être activé.\n",  # a note's name
        "Maybe the salaries are assumed to be the average, and he argues it is so.\n",  # English
    ],
)
def test_false_alarm_classes_are_quiet(vault: Callable[..., Path], body: str) -> None:
    assert _check(vault, body) == []


@needs_engine
def test_real_mistakes_next_to_the_filtered_classes_stay(vault: Callable[..., Path]) -> None:
    body = "Il y a **une section** et les bonne idées.\n\nElle peuvent venir.\n"
    found = _check(vault, body)
    assert {d["line"] for d in found} == {4, 6}


@needs_engine
def test_typography_and_style_are_off(vault: Callable[..., Path]) -> None:
    body = "Il a dit : 'bonjour'... et 10000 personnes sont venues ,voila.\n"
    assert _check(vault, body) == []


# -- the missing engine --------------------------------------------------------------------


def test_named_rule_without_engine_exits_2_with_one_line(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grammar, "available", lambda: False)
    root = vault({"note.md": _note("Les bonne personnes.\n")})
    result = run("check", root, "--select", "grammar", "--no-cache")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "apt-get install python3-grammalecte" in lines[0]


def test_rule_turned_on_by_all_without_engine_is_skipped(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(grammar, "available", lambda: False)
    root = vault({"note.md": _note("Les bonne personnes.\n")})
    result = run("check", root, "--select", "ALL", "--no-cache", "--output-format", "json")
    assert result.exit_code in (0, 1)
    assert "grammar:" in result.stderr and "python3-grammalecte" in result.stderr


def test_init_turns_grammar_on_for_a_french_vault_only_with_engine(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultlint.cli.init import starter_config

    root = vault({"a.md": "Les notes sont dans le jardin et elles sont pour nous.\n"})
    monkeypatch.setattr("vaultlint.cli.init.grammar_available", lambda: True)
    assert "  - grammar" in starter_config(root)
    monkeypatch.setattr("vaultlint.cli.init.grammar_available", lambda: False)
    assert "grammar" not in starter_config(root)


# -- the cache -----------------------------------------------------------------------------


@needs_engine
def test_results_are_kept_per_note_text_version_and_options(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[int] = []
    original = grammar.Grammar._parse

    def counting(self: grammar.Grammar, passages: list[str]) -> list[grammar.Finding]:
        parsed.append(len(passages))
        return original(self, passages)

    monkeypatch.setattr(grammar.Grammar, "_parse", counting)
    root = vault(
        {
            "a.md": _note("Les bonne personnes sont présentes.\n"),
            "b.md": _note("Une phrase correcte.\n"),
        }
    )

    def flags(*extra: str) -> list[tuple[str, int]]:
        parsed.clear()
        result = run("check", root, "--select", "grammar", "--output-format", "json", *extra)
        assert result.exit_code in (0, 1), result.output
        import json

        return [(d["path"], d["line"]) for d in json.loads(result.stdout)]

    cold = flags()
    assert cold == [("a.md", 4)] and len(parsed) == 2
    (root / "b.md").write_text(_note("Une phrase correcte, modifiée.\n"), encoding="utf-8")
    assert flags() == cold and len(parsed) == 1  # only the changed note
    monkeypatch.setattr(grammar, "_read_version", lambda: "9.9.9")
    (root / "b.md").write_text(_note("Une phrase correcte, encore.\n"), encoding="utf-8")
    assert flags() == cold and len(parsed) == 2  # another Grammalecte: every note again
    (root / ".vaultlint.yaml").write_text(
        "rules:\n  grammar:\n    groups: [gn, conj, ppas, conf]\n", encoding="utf-8"
    )
    assert flags() == cold and len(parsed) == 2  # other option groups: every note again


def test_a_store_written_before_the_grammar_table_still_serves(tmp_path: Path) -> None:
    import sqlite3

    from vaultlint.cache.store import Store, _identity

    folder = tmp_path / ".vaultlint"
    folder.mkdir()
    db = sqlite3.connect(folder / "notes.sqlite")
    db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    db.executemany("INSERT INTO meta VALUES (?, ?)", list(_identity().items()))
    db.commit()
    db.close()
    store = Store(tmp_path, "dictionary")
    assert store.usable
    assert store.grammar() == {} and store.grammar(["a.md"]) == {}
    assert store.usable  # a missing table is not a damaged file


def _counting_parses(monkeypatch: pytest.MonkeyPatch, log: Path) -> Callable[[], list[str]]:
    """Count Grammalecte parses in every process (forked workers inherit the patch): each
    parse appends a line to ``log``; the returned function reads and empties it."""
    original = grammar.Grammar._parse

    def counting(self: grammar.Grammar, passages: list[str]) -> list[grammar.Finding]:
        with open(log, "a", encoding="utf-8") as out:
            out.write(passages[0] + "\n")
        return original(self, passages)

    monkeypatch.setattr(grammar.Grammar, "_parse", counting)

    def parsed() -> list[str]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return lines

    return parsed


def _many_notes(count: int) -> dict[str, str]:
    return {
        f"n{i:02}.md": _note(f"Note {i} : les bonne personnes sont là.\n") for i in range(count)
    }


@needs_engine
@pytest.mark.parametrize("mode", ["one", "map", "team"])
def test_one_edited_note_is_the_only_one_parsed_again(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: str
) -> None:
    """The findings of every unchanged note are reused whatever the run mode (in workers
    that read the notes, and keep them, the answers travel back to the store too)."""
    import vaultlint.run.executors
    import vaultlint.run.parallel
    from vaultlint.run.parallel import can_fork

    if mode != "one" and not can_fork():
        pytest.skip("workers are forked")
    workers = mode != "one"
    monkeypatch.setenv("VAULTLINT_JOBS", "2" if workers else "1")
    for module in (vaultlint.run.executors, vaultlint.run.parallel):
        monkeypatch.setattr(module, "MIN_NOTES", 1 if workers else 10**9)
    monkeypatch.setattr(vaultlint.run.executors, "TEAM_MIN_NOTES", 1 if mode == "team" else 10**9)
    parsed = _counting_parses(monkeypatch, tmp_path / "parsed.log")
    root = vault(_many_notes(12))

    def flags() -> int:
        result = run("check", root, "--select", "grammar", "--output-format", "json")
        assert result.exit_code == 1, result.output
        import json

        return len(json.loads(result.stdout))

    assert flags() == 12 and len(parsed()) == 12
    (root / "n03.md").write_text(_note("Note 3 : la bonne personne est là.\n"), encoding="utf-8")
    assert flags() == 11
    assert parsed() == ["Note 3 : la bonne personne est là."]
    (root / "n05.md").write_text(_note("Note 5 : une phrase.\n"), encoding="utf-8")
    assert flags() == 10 and len(parsed()) == 1


@needs_engine
@pytest.mark.parametrize("field", ["format", "version", "python"])
def test_findings_outlive_a_store_written_by_another_vaultlint(
    vault: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, field: str
) -> None:
    """A store from another vaultlint, store format or Python is replaced, but its grammar
    findings are kept: their key holds all they depend on (the text read, Grammalecte's
    version, the options), and parsing them again costs minutes on a big vault."""
    import json
    import sqlite3

    monkeypatch.setenv("VAULTLINT_JOBS", "1")
    parsed = _counting_parses(monkeypatch, tmp_path / "parsed.log")
    root = vault(_many_notes(4))
    store = root / ".vaultlint" / "notes.sqlite"

    def flags() -> list[str]:
        result = run("check", root, "--select", "grammar", "--output-format", "json")
        assert result.exit_code == 1, result.output
        return sorted(d["path"] for d in json.loads(result.stdout))

    cold = flags()
    assert len(cold) == 4 and len(parsed()) == 4
    db = sqlite3.connect(store)
    db.execute("UPDATE meta SET v = 'older' WHERE k = ?", (field,))
    db.execute("UPDATE grammar SET found = 'damaged' WHERE path = 'n02.md'")
    db.commit()
    db.close()
    (root / "n01.md").write_text(_note("Note 1 : une phrase.\n"), encoding="utf-8")
    assert flags() == [p for p in cold if p != "n01.md"]
    assert sorted(parsed()) == ["Note 1 : une phrase.", "Note 2 : les bonne personnes sont là."]
    db = sqlite3.connect(store)
    meta = dict(db.execute("SELECT k, v FROM meta").fetchall())
    rows = db.execute("SELECT count(*) FROM grammar").fetchone()[0]
    db.close()
    assert "older" not in meta.values() and rows == 4  # the file was replaced, the findings kept
    (root / "n00.md").unlink()
    (root / "n03.md").write_text(_note("Note 3 : une autre phrase.\n"), encoding="utf-8")
    assert flags() == ["n02.md"] and len(parsed()) == 1


@needs_engine
def test_suggestions_do_not_depend_on_the_process_hash_seed(tmp_path: Path) -> None:
    """Grammalecte builds some suggestions lemma by lemma from a set: without sorting the
    lemmas, "remise" got "remis" in one process and "remisé" in the next."""
    import os
    import subprocess
    import sys

    script = (
        "from vaultlint.grammar.grammalecte import Grammar\n"
        "found = Grammar().findings('n.md', ['Il a remise le livre.'])\n"
        "print([(f.start, f.end, f.suggestions) for f in found])\n"
    )
    outputs = set()
    for seed in ("1", "2", "3", "4", "5", "6"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert "remis" in outputs.pop()  # the finding is there, with its suggestions
