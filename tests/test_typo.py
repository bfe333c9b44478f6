"""The typo rule (VL501): prose extraction, tokenizer, languages, vault vocabulary, messages and
the list-only autofix, on real French and English sentences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import note_from, run, run_json
from vaultlint.prose import words
from vaultlint.spelling import Speller, corrections

Vault = Callable[..., Path]


def flagged(vault: Vault, body: str, *extra: tuple[str, str], lang: str | None = None) -> list[str]:
    front = f"---\ntitle: Note\nlang: {lang}\n---\n" if lang else "---\ntitle: Note\n---\n"
    root = vault({"Note.md": front + body, **dict(extra)})
    return [
        d["message"].split('"')[1]
        for d in run_json(root, "--select", "typo")
        if d["path"] == "Note.md"
    ]


FRENCH = (
    "Parmi les notes, certaines sont suffisamment développées. Il faut noter, parmis les idées "
    "exprimées précédemment, que la démarche est suffisament claire. Les listes exaustives de "
    "l'emmergence des idées montrent une syncronie. Il ne faut pas mourrir idiot. Ce modèle est "
    "rationnalisable et oppérationels. Le jardinn pousse. C'est l'été, jusqu'à l’automne, "
    "qu'il fasse beau ou non. L'Etat et le co-développement gagnant-gagnant ne sont pas des typos."
)


def test_real_french_mistakes_are_found(vault: Vault) -> None:
    found = flagged(vault, FRENCH + "\n")
    assert found == [
        "parmis",
        "suffisament",
        "exaustives",
        "l'emmergence",
        "syncronie",
        "mourrir",
        "rationnalisable",
        "oppérationels",
        "jardinn",
    ]


def test_real_english_mistakes_are_found(vault: Vault) -> None:
    text = (
        "The garden grows slowly. I recieve seeds from a freind and seperate them; it's colour, "
        "color, organise and organize alike, don't worry. Whitespace and redownloading are fine.\n"
    )
    assert flagged(vault, text, lang="en") == ["recieve", "freind", "seperate"]


@pytest.mark.parametrize(
    "body",
    [
        "```\nparmis suffisament\n```\n",
        "`parmis` and $suffisament$ and $$\nexaustives\n$$\n",
        "%% parmis %% <!-- suffisament -->\n",
        "See https://example.com/parmis and mail parmis@example.com\n",
        '<span class="parmis">texte</span> &nbsp;\n',
        "[[parmis]] ![[suffisament.png]] [texte](suffisament.md) #parmis\n",
        "Texte ^parmis-id\n\n[^suffisament]: note de bas de page\n",
        "{{ parmis }} {% suffisament %} <% tp.exaustives %>\n",
        "> [!parmis] Titre\n",
        "Un fichier.exaustives et /chemin/parmis et @suffisament et ceci_parmis\n",
        "Ab cd ONU SNCF COVID19 iPhone GitHub x2y\n",
    ],
)
def test_not_prose_is_not_checked(vault: Vault, body: str) -> None:
    assert flagged(vault, "Voici le texte de la note.\n" + body) == []


def test_display_text_and_title_are_prose(vault: Vault) -> None:
    root = vault(
        {
            "Note.md": "---\ntitle: Le jardinn\n---\nVoir [[Autre|la liste parmis]].\n",
            "Autre.md": "x",
        }
    )
    found = [
        (d["line"], d["column"], d["message"].split('"')[1])
        for d in run_json(root, "--select", "typo")
    ]
    assert found == [(2, 11, "jardinn"), (4, 23, "parmis")]


def test_tokenizer_words_and_positions() -> None:
    note = note_from("---\ntitle: x\n---\nL’été, jusqu'à **E**nregistrer le co-développement.\n")
    assert [(w.text, w.span.start) for w in words(note)] == [
        ("L’été", 17),
        ("jusqu'à", 24),
        ("co-développement", 51),
    ]


def test_names_and_capital_accents_are_not_typos(vault: Vault) -> None:
    text = "Fabrice Liut rencontre Marie à Montréal. Etat, Egalement et Ecrire sans accent.\n"
    assert flagged(vault, text) == []


def test_vault_vocabulary(vault: Vault) -> None:
    notes = {f"n{i}.md": f"---\ntitle: n{i}\n---\nLa stigmergie est utile.\n" for i in range(3)}
    assert flagged(vault, "La stigmergie aussi.\n", *notes.items()) == []
    root = vault({"Note.md": "---\ntitle: Note\n---\nLa holacratie et la sociocratie.\n"})
    assert [
        d["message"].split('"')[1] for d in run_json(root, "--select", "typo")
    ] == []  # known words
    (root / "Other.md").write_text(
        "---\ntitle: o\nvaultlint-words: [zorglub]\n---\nUn zorglub, un glorbu.\n"
    )
    (root / ".vaultlint-words.txt").write_text("# my words\nglorbu\n")
    assert run_json(root, "--select", "typo") == []


def test_a_common_neighbour_beats_repetition(vault: Vault) -> None:
    notes = {f"n{i}.md": f"---\ntitle: n{i}\n---\nLe jardin et le jardin.\n" for i in range(30)}
    notes.update({f"t{i}.md": f"---\ntitle: t{i}\n---\nLe jardinn encore.\n" for i in range(3)})
    root = vault(notes)
    items = [d for d in run_json(root, "--select", "typo") if d["path"] == "t0.md"]
    (message,) = [d["message"] for d in items]
    assert message.startswith('possible typo "jardinn" (did you mean "jardin"')
    assert message.endswith('"jardin" appears in 30 notes)')


def test_suggestions_prefer_accent_slips(vault: Vault) -> None:
    root = vault({"Note.md": "---\ntitle: Note\n---\nUne bande l'elastique et une ecole.\n"})
    messages = [d["message"] for d in run_json(root, "--select", "typo")]
    assert messages[0].startswith('possible typo "l\'elastique" (did you mean "l\'élastique"')
    assert messages[1].startswith('possible typo "ecole" (did you mean "école"')


def test_fix_only_from_lists_case_kept(vault: Vault) -> None:
    root = vault({"Note.md": "---\ntitle: Note\n---\nParmis nous, parmis vous, un jardinn.\n"})
    result = run("check", root, "--select", "typo", "--fix")
    assert result.exit_code == 1  # jardinn stays: no list pair, never a dictionary guess
    assert (
        root / "Note.md"
    ).read_text() == "---\ntitle: Note\n---\nParmi nous, parmi vous, un jardinn.\n"


def test_english_pairs_never_touch_french_notes(vault: Vault) -> None:
    root = vault(
        {"Note.md": "---\ntitle: Note\nlang: fr\n---\nLe mot recieve reste tel quel ici.\n"}
    )
    run("check", root, "--select", "typo", "--fix")
    assert "recieve" in (root / "Note.md").read_text()


def test_french_pair_that_is_english_needs_french_context(vault: Vault) -> None:
    body = "Le language est clair. Cliquez sur **Create connection** puis une connection.\n"
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    assert [d["message"].split('"')[1] for d in run_json(root, "--select", "typo")] == [
        "language",
        "connection",
    ]
    run("check", root, "--select", "typo", "--fix")
    assert (
        (root / "Note.md")
        .read_text()
        .endswith("Le langage est clair. Cliquez sur **Create connection** puis une connexion.\n")
    )


def test_language_from_property_config_and_detection(vault: Vault) -> None:
    english = "The quick brown fox jumps over the lazy dog and it was fine with the cat.\n"
    assert flagged(vault, english + "Colour recieve.\n") == ["recieve"]  # detected as English
    assert flagged(vault, "Recieve this.\n", lang="en") == ["Recieve"]
    root = vault(
        {
            ".vaultlint.yaml": "rules:\n  typo:\n    language: en\n",
            "Note.md": "---\ntitle: n\n---\nA recieve b, un parmis.\n",
        }
    )
    assert [d["message"].split('"')[1] for d in run_json(root, "--select", "typo")] == ["recieve"]


def test_vault_corrections_option(vault: Vault) -> None:
    root = vault(
        {
            ".vaultlint.yaml": "rules:\n  typo:\n    corrections: {gardenn: garden}\n",
            "Note.md": "---\ntitle: n\nlang: en\n---\nMy gardenn grows.\n",
        }
    )
    run("check", root, "--select", "typo", "--fix")
    assert (root / "Note.md").read_text().endswith("My garden grows.\n")


@pytest.mark.parametrize(("lang", "dictionary"), [("fr", "fr"), ("en", "en")])
def test_curated_lists_are_sound(lang: str, dictionary: str) -> None:
    speller = Speller()
    pairs = corrections(lang)
    assert len(pairs) >= 150
    for wrong, right in pairs.items():
        assert not speller.known(wrong, dictionary), f"{wrong} is a {lang} word"
        assert all(speller.known(part, dictionary) for part in right.split()), (
            f"{right} is not a {lang} word"
        )


def test_rule_docs_name_the_dictionary_licences() -> None:
    doc = run("rule", "typo").output
    assert "MPL-2.0" in doc and "Dicollecte" in doc and "LGPL" in doc


def test_regular_french_derivations_are_words(vault: Vault) -> None:
    text = "Une posture facilitante rend la démarche rationalisable et les coûts optimisables.\n"
    assert flagged(vault, text) == []
    assert flagged(vault, "Une posture facilitantte.\n") == ["facilitantte"]


class _CountingSpeller:
    """A dictionary that knows a fixed list and records what it was asked."""

    def __init__(self, known: set[str]) -> None:
        self.words, self.asked, self.user_words = known, [], set()

    def known(self, word: str, lang: str) -> bool:
        self.asked.append(word)
        return word in self.words


def test_suggestions_ask_the_dictionary_only_until_the_best_are_found() -> None:
    from vaultlint.spellcheck import Judge, Vocabulary
    from vaultlint.tally import MemoryTally

    counts = MemoryTally(
        {"jardinx": 50, "jardin": 30, "jardins": 20, "jardine": 5, "jardina": 3, "jardino": 1}
    )
    speller = _CountingSpeller({"jardin", "jardins", "jardine", "jardina", "jardino"})
    judge = Judge(speller, Vocabulary(set(), counts, 50), 3, {})  # type: ignore[arg-type]
    assert judge.suggestions("jardinn", "fr") == ["jardin", "jardins", "jardine"]
    # the vault's neighbours in order of use, the unknown "jardinx" skipped; the rarest
    # known neighbour is never looked up: four known ones were enough
    asked_in_vault = [w for w in speller.asked if w in counts]
    assert asked_in_vault == ["jardinx", "jardin", "jardins", "jardine", "jardina"]
    assert "jardino" not in speller.asked


def test_suggestions_search_the_dictionary_when_the_vault_offers_too_few() -> None:
    from vaultlint.spellcheck import Judge, Vocabulary
    from vaultlint.tally import MemoryTally

    def judge(plan: list[str]) -> Judge:
        speller = _CountingSpeller({"jardin", "gardin"})
        vocabulary = Vocabulary(set(), MemoryTally({"jardin": 4}), 4)
        found = Judge(speller, vocabulary, 3, {})  # type: ignore[arg-type]
        found.keep_plan(plan)
        return found

    # "gardin", one edit away, is a dictionary word the vault never uses: only a typo
    # chosen for a dictionary-wide search gets it
    assert judge([]).suggestions("gardim", "fr") == []
    assert judge(["fr:gardim"]).suggestions("gardim", "fr") == ["gardin"]
    assert judge(["fr:jardim"]).suggestions("jardim", "fr") == ["jardin"]


def test_per_path_options_judge_their_notes(vault: Vault) -> None:
    # a whole-vault run judges every note's words once, with the vault's options: a note
    # with options of its own is judged again with them
    config = "per-path:\n  'archive/**':\n    rules:\n      typo:\n        words: [parmis]\n"
    root = vault(
        {
            ".vaultlint.yaml": config,
            "archive/Old.md": "---\ntitle: Old\n---\nUn parmis dans les archives.\n",
            "New.md": "---\ntitle: New\n---\nUn parmis dans les notes.\n",
        }
    )
    found = [(d["path"], d["message"].split('"')[1]) for d in run_json(root, "--select", "typo")]
    assert found == [("New.md", "parmis")]
