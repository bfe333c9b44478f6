"""The typo rule (VL501): prose extraction, tokenizer, languages, vault vocabulary, messages and
the list-only autofix, on real French and English sentences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import note_from, run, run_json
from vaultlint.parse.prose import words
from vaultlint.spelling.speller import Speller, corrections

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
    assert message.endswith('"jardin" appears in 30 notes); accept it: vaultlint words add jardinn')


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
    from vaultlint.spelling.judge import Judge, Vocabulary
    from vaultlint.vault.tally import MemoryTally

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
    from vaultlint.spelling.judge import Judge, Vocabulary
    from vaultlint.vault.tally import MemoryTally

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


# -- grades: typo reports what it can back, unknown-word the rest -------------------------------


def words_of(root: Path, rule: str) -> list[tuple[str, str]]:
    return [
        (d["path"], d["message"].split('"')[1])
        for d in run_json(root, "--select", rule)
        if d["rule"] == rule
    ]


FRENCH_NOTE = "---\ntitle: {0}\n---\nLe territoire de la commune est grand et nous y vivons.\n"


def test_a_word_without_evidence_is_unknown_not_a_typo(vault: Vault) -> None:
    body = "Le jardin est une démarche stigmergique pour les gens de la commune.\n"
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    assert words_of(root, "typo") == []
    assert words_of(root, "unknown-word") == [("Note.md", "stigmergique")]


def test_a_vault_neighbour_one_edit_away_makes_a_typo(vault: Vault) -> None:
    notes = {f"n{i}.md": FRENCH_NOTE.format(i) for i in range(2)}
    notes["t.md"] = "---\ntitle: t\n---\nLe terrtoire de la commune est grand pour nous.\n"
    root = vault(notes)
    assert words_of(root, "typo") == [("t.md", "terrtoire")]
    message = run_json(root, "--select", "typo")[0]["message"]
    assert '"territoire" appears in 2 notes' in message
    assert "vaultlint words add terrtoire" in message


def test_long_garbles_are_found_from_the_dictionary(vault: Vault) -> None:
    body = "La présententation du communiqué est faite, et la tranquilité revient dans la ville.\n"
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    assert [w for _, w in words_of(root, "typo")] == ["présententation", "tranquilité"]


def test_clipped_words_and_inflections_are_not_slips(vault: Vault) -> None:
    notes = {
        f"n{i}.md": f"---\ntitle: n{i}\n---\nLa vision et la méthode de la contribué.\n"
        for i in range(3)
    }
    notes["t.md"] = "---\ntitle: t\n---\nUne visio sur la méthodo est une idée contribuée.\n"
    root = vault(notes)
    assert words_of(root, "typo") == []


# -- every note in its language -------------------------------------------------------------------


def test_notes_in_each_language_use_its_dictionary(vault: Vault) -> None:
    german = (
        "Die Katze ist nicht auf dem Dach, und sie wird auch nicht mehr kommen, weil es regnet.\n"
    )
    spanish = "El perro de la casa es muy grande y no come con los gatos, pero sí con los niños.\n"
    root = vault(
        {"De.md": "---\ntitle: De\n---\n" + german, "Es.md": "---\ntitle: Es\n---\n" + spanish}
    )
    assert run_json(root, "--select", "typo,unknown-word") == []


def test_a_language_without_dictionary_is_not_checked(vault: Vault) -> None:
    swedish = (
        "Det var en gång en liten flicka som bodde i en stuga vid skogen. Hon hade en röd mössa "
        "och alla kallade henne Rödluvan. En dag sa hennes mamma att hon skulle gå till mormor "
        "med en korg full av mat, och flickan gick genast iväg genom den mörka skogen utan att "
        "titta sig omkring, för hon var inte rädd för någonting alls.\n"
    )
    root = vault({"Sv.md": "---\ntitle: Sv\n---\n" + swedish, "Kort.md": "Hej hopp jardinn\n"})
    assert run_json(root, "--select", "typo,unknown-word") == []


def test_short_notes_take_the_vaults_main_language(vault: Vault) -> None:
    english = "---\ntitle: e{0}\n---\nThe garden is where we grow the seeds and it is fine.\n"
    notes = {f"e{i}.md": english.format(i) for i in range(3)}
    notes["Short.md"] = "Recieve seeds\n"
    root = vault(notes)
    assert words_of(root, "typo") == [("Short.md", "Recieve")]


def test_a_foreign_quotation_is_not_flagged(vault: Vault) -> None:
    body = (
        "La confiance se construit avec le temps, comme le dit le proverbe "
        "(*fidarsi è bene, non fidarsi è meglio*) que nous aimons bien.\n"
    )
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    assert run_json(root, "--select", "typo,unknown-word") == []


def test_language_of_tells_the_seven_languages() -> None:
    from vaultlint.spelling.language import language_of

    samples = {
        "fr": "Le chat est sur la table et il ne veut pas descendre pour le dîner.",
        "en": "The cat is on the table and it does not want to come down for dinner.",
        "de": "Die Katze ist auf dem Tisch und sie will nicht zum Essen herunterkommen.",
        "es": "El gato está en la mesa y no quiere bajar para la cena con los niños.",
        "it": "Il gatto è sul tavolo e non vuole scendere per la cena con i bambini.",
        "pt": "O gato está na mesa e não quer descer para o jantar com as crianças.",
        "nl": "De kat is op de tafel en wil niet naar beneden komen voor het eten.",
    }
    for lang, text in samples.items():
        assert language_of(text.split()) == lang, lang
    assert language_of(["Hello", "world"]) is None  # too little to tell


# -- mechanical fixes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<script>\nlet params = new URLSearchParams(parmis);\n</script>\n",
        "<style>.parmis { color: red }</style>\n",
        "<pre>suffisament\nparmis</pre>\n",
        "Il y a des choses qui vont autremen**t** que prévu.\n",
        "Voir la " + "Pre\u0301sentation de la commune.\n",
        "Le fichier mon_parmis_test et @suffisament ne sont pas des mots.\n",
        "Un crédo, un sénior, s'assoir et un maitre sont des graphies rectifiées.\n",
        "La requête (biodivers* AND conserv*) trouve tout.\n",
        "Un mot coupé en fin de ligne, incor-\nrect, reste entier.\n",
        "Etre ou ne pas être.\n",
        "Un projet marketé et reviewé par les pairs.\n",
        "La [Présentation](https://example.com/x)sentation est coupée.\n",
    ],
)
def test_mechanical_false_alarms_are_gone(vault: Vault, body: str) -> None:
    assert flagged(vault, "Voici le texte de la note que nous avons écrit.\n" + body) == []


def test_us_spellings_are_accepted_and_never_corrected(vault: Vault) -> None:
    text = "The travelers saw an artifact, a checkered flag and the color of the theater.\n"
    assert flagged(vault, text, lang="en") == []
    root = vault(
        {
            ".vaultlint.yaml": (
                "rules:\n  typo:\n    variety: gb\n  unknown-word:\n    variety: gb\n"
            ),
            "Note.md": "---\ntitle: n\nlang: en\n---\n" + text,
        }
    )
    assert run_json(root, "--select", "typo") == []  # the other variety, not a slip
    unknown = [d["message"] for d in run_json(root, "--select", "unknown-word")]
    assert len(unknown) == 5  # reported as unknown, never "corrected" to the other variety
    assert not any(gb in m for m in unknown for gb in ("travellers", "artefact", "theatre"))


def test_a_short_word_in_five_notes_is_the_vaults(vault: Vault) -> None:
    english = "---\ntitle: e{0}\n---\nThe garden is where we grow the seeds and it is fine.\n"
    notes = {f"e{i}.md": english.format(i) for i in range(20)}
    notes.update(
        {f"i{i}.md": f"---\ntitle: i{i}\n---\nUmar ibn Abd was there.\n" for i in range(5)}
    )
    notes["t.md"] = "---\ntitle: t\n---\nThe garden is wher we grow.\n"
    root = vault(notes)
    assert words_of(root, "typo") == [("t.md", "wher")]


def test_a_short_slip_in_many_notes_is_still_a_slip(vault: Vault) -> None:
    # a habit, not a word: two letters swapped ("taht") or one dropped ("wre") in a common
    # word, however many notes repeat it; a letter added ("sii") may be a word of its own
    english = "---\ntitle: e{0}\n---\nThe seeds that we grow were fine and it is so.\n"
    notes = {f"e{i}.md": english.format(i) for i in range(60)}
    slips = "---\ntitle: t{0}\n---\nThe seeds taht we grow wre fine, sii it is.\n"
    notes.update({f"t{i}.md": slips.format(i) for i in range(6)})
    root = vault(notes)
    found = words_of(root, "typo")
    assert sorted({w for _, w in found}) == ["taht", "wre"]
    assert len(found) == 12


def test_min_notes_two_makes_vocabulary(vault: Vault) -> None:
    notes = {f"n{i}.md": f"---\ntitle: n{i}\n---\nLa holomidale est utile.\n" for i in range(2)}
    root = vault(notes)
    assert run_json(root, "--select", "typo,unknown-word") == []


# -- accepting words -------------------------------------------------------------------------------


def test_words_add_writes_a_sorted_list(vault: Vault) -> None:
    body = "Le jardinn et la démarche stigmergique de la commune sont là.\n"
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    (root / ".vaultlint-words.txt").write_text("# mine\nzeta\n")
    result = run("words", "add", "Alpha", "zeta", "--vault", root)
    assert result.exit_code == 0 and "added 1 word " in result.output
    assert (root / ".vaultlint-words.txt").read_text() == "# mine\nAlpha\nzeta\n"
    assert run("words", "add", "--all-unknown", "--vault", root).exit_code == 0
    text = (root / ".vaultlint-words.txt").read_text()
    assert text == "# mine\nAlpha\njardinn\nstigmergique\nzeta\n"
    assert run_json(root, "--select", "typo,unknown-word") == []
    assert run("words", "add", "--vault", root).exit_code == 2


def test_init_records_no_language(vault: Vault) -> None:
    root = vault(
        {
            "fr.md": "---\ntitle: fr\n---\nLe jardin est dans la ville et nous y allons.\n",
            "en.md": "---\ntitle: en\n---\nThe garden is in the town and we go there.\n",
        }
    )
    text = run("init", root, "--stdout").output
    assert "language:" not in text and "each note's language is detected" in text


def test_transliterations_are_not_slips(vault: Vault) -> None:
    text = "The teacher said asat-saṅga-tyāga and the brāhmana left the room for the day.\n"
    assert flagged(vault, text, lang="en") == []


def test_a_long_passage_is_judged_in_its_language(vault: Vault) -> None:
    french = "Le jardin est grand et nous y allons souvent avec les enfants de la commune. " * 8
    spanish = (
        "El jardín de la casa tiene un perro y los niños juegan con el perro, pero no "
        "con los gatos, porque los gatos son muy pequeños y el perro es muy grande "
        "para ellos, y la madre de los niños no quiere que jueguen en la calle.\n"
    )
    body = french + "\n\n" + spanish
    root = vault({"Note.md": "---\ntitle: Note\n---\n" + body})
    assert run_json(root, "--select", "typo") == []


def test_a_prefix_letter_on_a_word_is_an_identifier(vault: Vault) -> None:
    english = "---\ntitle: e{0}\n---\nThe string and the name are in the file we read.\n"
    notes = {f"e{i}.md": english.format(i) for i in range(3)}
    notes["t.md"] = "---\ntitle: t\n---\nThe wstring class and the fname field are there.\n"
    root = vault(notes)
    assert words_of(root, "typo") == []


def test_more_us_spellings_are_accepted_but_not_slips_that_look_like_them(vault: Vault) -> None:
    text = (
        "The counselors dialed a neighbor's number, spiraling installments, honorable and "
        "likable. The seeds are theer, and yor garden is green.\n"
    )
    root = vault({"Note.md": "---\ntitle: Note\nlang: en\n---\n" + text})
    assert words_of(root, "typo") == [("Note.md", "theer")]
    assert words_of(root, "unknown-word") == [("Note.md", "yor")]  # not a US "your"


def test_a_slip_among_unknown_words_is_a_foreign_passage(vault: Vault) -> None:
    body = (
        "The thread and the beads, as the verse says: mayi sarvam idam protam sutre mani "
        "gana iva.\n\nEarly conceptions persist through steriotypes, raical categories, "
        "scientifiic research.\n"
    )
    root = vault({"Note.md": "---\ntitle: Note\nlang: en\n---\n" + body})
    assert [w for _, w in words_of(root, "typo")] == ["steriotypes", "raical", "scientifiic"]
    assert "mayi" in [w for _, w in words_of(root, "unknown-word")]  # nothing is lost


def test_file_names_and_combining_forms_are_not_slips(vault: Vault) -> None:
    text = (
        "Mount the volumes along with resolv.conf and run javac.exe there. An "
        "anarcho-communist met the neighbours; the seperate rooms were fine.\n"
    )
    other = "---\ntitle: o{0}\nlang: en\n---\nWe resolve the anarchy of the rooms.\n"
    notes = {f"o{i}.md": other.format(i) for i in range(2)}
    assert flagged(vault, text, *notes.items(), lang="en") == ["seperate"]


def test_a_word_beside_another_script_is_a_transliteration(vault: Vault) -> None:
    other = "---\ntitle: o{0}\nlang: en\n---\nThe march was much longer than we thought.\n"
    notes = {f"o{i}.md": other.format(i) for i in range(2)}
    text = "The word मूर्छ् (murch) means to take form.\n\nThe marhc was long.\n"
    root = vault({"Note.md": "---\ntitle: Note\nlang: en\n---\n" + text, **notes})
    assert words_of(root, "typo") == [("Note.md", "marhc")]
    assert ("Note.md", "murch") in words_of(root, "unknown-word")  # nothing is lost


def test_a_note_typed_without_accents_is_no_foreign_passage(vault: Vault) -> None:
    # "regimen", "promocion" lack an accent: the sentence is still Spanish, and its slip a slip
    text = "Son preguntas del regimen de promocion, se aprueban una unica vez.\n"
    assert flagged(vault, text, lang="es") == ["unica"]


def test_counts_of_common_words_are_said_in_round_figures() -> None:
    from vaultlint.spelling.judge import notes_shown

    assert [notes_shown(n) for n in (2, 17, 99)] == ["2", "17", "99"]
    assert notes_shown(101) == "more than 100"
    assert notes_shown(6611) == notes_shown(6610) == "more than 5,000"
    assert notes_shown(12000) == "more than 10,000"
    for n in range(100, 30000, 7):  # always true, and never more than about twice too low
        shown = int(notes_shown(n).removeprefix("more than ").replace(",", ""))
        assert shown < n <= 2.5 * shown
