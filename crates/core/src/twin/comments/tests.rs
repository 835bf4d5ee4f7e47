//! The comment translator's own cases: blocks of each syntax, a block
//! replaced in its place, wrapping, the pseudo-language's marks.

use super::rewrite::unbreakable_words;
use super::*;
use crate::Lang;

fn catalogues(en: &str, fr: &str) -> (Catalogue, Catalogue) {
    (
        Catalogue::parse(Lang::En, en).expect("en"),
        Catalogue::parse(Lang::Fr, fr).expect("fr"),
    )
}

#[test]
fn python_blocks_are_paragraphs_docstrings_and_trailing_comments() {
    let code = "#!/usr/bin/env python3\n\
                \"\"\"Title line.\n\nA paragraph\nof two lines.\n\"\"\"\n\
                # -----\n# One comment\n# on two lines.\n# -----\n\n\
                x = \"# not a comment\"  # but this is\n\
                def f():\n    \"\"\"Short.\"\"\"\n    # Indented.\n    return 1\n";
    let texts: Vec<String> = comment_blocks(code, Syntax::Python)
        .into_iter()
        .map(|b| b.text)
        .collect();
    assert_eq!(
        texts,
        [
            "Title line.",
            "A paragraph of two lines.",
            "One comment on two lines.",
            "but this is",
            "Short.",
            "Indented."
        ]
    );
}

#[test]
fn rust_blocks_keep_their_markers_apart() {
    let code = "//! Module.\n/// Doc one\n/// two.\n///\n/// Doc three.\nfn f() {\n    // Inside.\n    let s = \"// no\"; // after\n    let c = '\"'; // quote\n    let e = ('é', \"é // no\"); // accent\n}\n";
    let texts: Vec<String> = comment_blocks(code, Syntax::Rust)
        .into_iter()
        .map(|b| b.text)
        .collect();
    assert_eq!(
        texts,
        [
            "Module.",
            "Doc one two.",
            "Doc three.",
            "Inside.",
            "after",
            "quote",
            "accent"
        ]
    );
}

#[test]
fn a_block_is_replaced_by_its_translation_in_its_place() {
    let (en, fr) = catalogues(
        "code.py.a.1 = One comment on two lines.\ncode.py.b.1 = Short.\ncode.twin.c.1 = k = {k} was asked, {n} ran.\ncode.py.d.1 = but this is\nother.key = Short.\n",
        "code.py.a.1 = Un commentaire sur deux lignes, un peu plus long en français.\ncode.py.b.1 = Bref.\ncode.twin.c.1 = k = {k} demandé, {n} lancé(s).\ncode.py.d.1 = mais ceci l’est\nother.key = Court.\n",
    );
    let code = "    # One comment\n    # on two lines.\nx = 1  # but this is\n\"\"\"Short.\"\"\"\n# k = 6 was asked,\n# 2 ran.\n\n# Unknown.\n";
    let out = translate_comments(code, Syntax::Python, &en, &fr);
    assert_eq!(
        out,
        "    # Un commentaire sur deux lignes, un peu plus long en\n    # français.\nx = 1  # mais ceci l’est\n\"\"\"Bref.\"\"\"\n# k = 6 demandé, 2 lancé(s).\n\n# Unknown.\n"
    );
    // English to English changes nothing, however the block is wrapped.
    assert_eq!(translate_comments(code, Syntax::Python, &en, &en), code);
}

#[test]
fn docstring_paragraphs_keep_their_quotes() {
    let (en, fr) = catalogues(
        "code.py.f.1 = Runs steps start..end; returns their part of the checksum.\ncode.py.g.1 = Title {query} here.\n",
        "code.py.f.1 = Exécute les pas start..end ; renvoie leur part de la somme de contrôle.\ncode.py.g.1 = Titre {query} ici.\n",
    );
    let code = "def f():\n    \"\"\"Runs steps start..end; returns their part\n    of the checksum.\"\"\"\n\"\"\"Title \"w=io\" here.\n\"\"\"\n";
    let out = translate_comments(code, Syntax::Python, &en, &fr);
    assert_eq!(
        out,
        "def f():\n    \"\"\"Exécute les pas start..end ; renvoie leur part de la\n    somme de contrôle.\"\"\"\n\"\"\"Titre \"w=io\" ici.\n\"\"\"\n"
    );
}

#[test]
fn a_long_translation_of_a_one_line_comment_is_wrapped_but_not_after_code() {
    let (en, fr) = catalogues(
        "code.py.a.1 = Primes: count the primes in blocks.\ncode.py.b.1 = let timers run\n",
        "code.py.a.1 = Nombres premiers : compte les nombres premiers par blocs de PRIMES_BLOCK entiers à partir de PRIMES_BASE.\ncode.py.b.1 = laisse passer les minuteurs et les entrées-sorties, et tout ce qui attend la boucle\n",
    );
    let code =
        "# Primes: count the primes in blocks.\n        await asyncio.sleep(0)  # let timers run\n";
    assert_eq!(
        translate_comments(code, Syntax::Python, &en, &fr),
        "# Nombres premiers : compte les nombres premiers par blocs de PRIMES_BLOCK\n\
         # entiers à partir de PRIMES_BASE.\n        \
         await asyncio.sleep(0)  # laisse passer les minuteurs et les entrées-sorties, et tout ce qui attend la boucle\n"
    );
}

#[test]
fn the_pseudo_language_marks_every_line_of_a_block() {
    let (en, _) = catalogues(
        "code.py.a.1 = One comment that is long enough to be cut into two lines when it is marked.\n",
        "",
    );
    let pseudo = Catalogue::pseudo(&en);
    let code = "# One comment that is long enough to be cut into two lines\n# when it is marked.\n";
    let out = translate_comments(code, Syntax::Python, &en, &pseudo);
    assert_eq!(
        out,
        "# ⟦One comment that is long enough to be cut into two lines⟧\n# ⟦when it is marked.⟧\n"
    );
}

#[test]
fn french_punctuation_is_not_cut_from_its_word() {
    assert_eq!(
        unbreakable_words("a « b » c : d"),
        ["a", "« b »", "c :", "d"]
    );
}
