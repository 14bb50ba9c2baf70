"""The row strip and its small multiples: valid SVG, a mark per answer, bars between
answers that sit apart, a key shape per member."""

from __future__ import annotations

from allymap.pictures import (
    MemberMark,
    StripRow,
    StripWords,
    member_swatch,
    row_strip,
    small_multiple,
)
from allymap.pictures.svg import escape, text_width, wrap
from tests.pictures.valid_svg import SVG_NS, parse_svg, texts_of

WORDS = StripWords(
    title="The ten rows at a glance",
    desc="Each row from ally to might get in the way",
    columns=("Ally", "Leans ally", "Some of both", "Leans other", "Other", "Don’t know yet"),
)
MEMBERS = [MemberMark("You"), MemberMark("Ana"), MemberMark("Rangi")]


def _marks(svg: str) -> int:
    root = parse_svg(svg)
    return sum(
        1
        for node in root.iter()
        if node.tag.split("}")[1] in {"circle", "polygon", "path"}
        or (node.tag.endswith("rect") and node.get("stroke") == "#1b3a44")
    )


def test_it_draws_one_mark_per_answer_and_bars_where_answers_sit_apart() -> None:
    rows = [
        StripRow(1, "Relationship", (0, 0, 0)),
        StripRow(2, "How they see the harm", (0, 1, None)),
        StripRow(3, "Communication", (0, 4, 5)),
    ]
    svg = row_strip(rows, MEMBERS, WORDS, ident="s")
    root = parse_svg(svg)
    assert _marks(svg) == 8  # None is no mark: that member has not reflected
    classes = [node.get("class") for node in root.iter(f"{{{SVG_NS}}}rect")]
    assert classes.count("apart") == 1  # row 2: one step apart
    assert classes.count("apart-wide") == 1  # row 3: four apart; "don't know" is no step
    assert "1  Relationship" in texts_of(root)
    assert "Don’t" in " ".join(texts_of(root))


def test_each_member_has_a_shape_of_their_own() -> None:
    swatches = [member_swatch(n) for n in range(12)]
    assert len(set(swatches)) == 12
    for swatch in swatches:
        parse_svg(swatch)


def test_the_small_multiple_marks_rows_that_changed() -> None:
    rows = [StripRow(n, "t", (n % 6,), changed=n == 3) for n in range(1, 11)]
    root = parse_svg(small_multiple(rows, title="On 3 March", desc="d", ident="m1"))
    assert texts_of(root) == [str(n) for n in range(1, 11)]
    dots = [c for c in root.iter(f"{{{SVG_NS}}}circle") if c.get("fill") == "#8a6d3b"]
    assert len(dots) == 1


def test_it_escapes_topics_and_member_words() -> None:
    rows = [StripRow(1, "<script>x</script>", (0,))]
    words = StripWords(title="a<b", desc="&", columns=("<i>",) * 6)  # type: ignore[arg-type]
    svg = row_strip(rows, [MemberMark("<b>")], words, ident="s")
    assert "<script" not in svg and "<i>" not in svg
    parse_svg(svg)


def test_text_width_is_never_less_than_dejavu_sans_draws_it() -> None:
    # DejaVu Sans advance widths (in ems) of a few telling strings, from its font tables.
    assert text_width("mmmm", 10) >= 4 * 0.974 * 10
    assert text_width("WWW", 10) >= 3 * 0.989 * 10
    assert text_width("Ōtāhuhu", 10) >= (0.787 + 0.392 + 0.613 + 0.634 * 4) * 10
    assert escape("<&>\"'") == "&lt;&amp;&gt;&quot;&#39;"
    assert wrap("Leans towards ally", 11, 60) == ["Leans", "towards", "ally"]
