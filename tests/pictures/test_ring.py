"""The ring map: valid SVG, escaped text, markers by lean, and labels that never overlap."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from allymap.pictures import Badge, Box, Lean, RingPerson, RingWords, lean_of, ring_map
from allymap.pictures.ring import LABEL_MAX
from tests.pictures.valid_svg import SVG_NS, parse_svg, texts_of

WORDS = RingWords(
    title="The ring map",
    desc="People in rings",
    centre="The person doing harm",
    rings=("Close", "In between", "Further out", "Not sure"),
)


def _person(label: str, ring: int = 0, lean: Lean = Lean.ALLY, **extra: object) -> RingPerson:
    return RingPerson(label=label, title=label, ring=ring, lean=lean, **extra)  # type: ignore[arg-type]


def _assert_apart(boxes: tuple[Box, ...] | list[Box]) -> None:
    for (i, a), (j, b) in itertools.combinations(enumerate(boxes), 2):
        assert not a.overlaps(b), (i, a, j, b)


def test_it_draws_valid_svg_with_a_title_and_description() -> None:
    picture = ring_map([_person("Aunty Mere"), _person("Koro", 2, Lean.MIXED)], WORDS, ident="m")
    root = parse_svg(picture.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "m-title m-desc"
    assert root.find(f"{{{SVG_NS}}}title").text == "The ring map"  # type: ignore[union-attr]
    assert root.find(f"{{{SVG_NS}}}desc").text == "People in rings"  # type: ignore[union-attr]
    assert {"Aunty Mere", "Koro", "Close", "Further out"} <= set(texts_of(root))


def test_it_escapes_every_alias_so_markup_in_it_stays_text() -> None:
    hostile = '</svg><script>alert("x")</script>'
    picture = ring_map(
        [RingPerson(label="</svg><script>", title=hostile, ring=0, lean=Lean.ALLY)],
        RingWords(title="<b>t</b>", desc="a & b", centre="</text><x>", rings=WORDS.rings),
        ident="m",
    )
    assert "<script" not in picture.svg
    assert "</svg><" not in picture.svg[: -len("</svg>")]
    root = parse_svg(picture.svg)
    assert "</svg><script>" in texts_of(root)
    titles = [node.text for node in root.iter(f"{{{SVG_NS}}}title")]
    assert hostile in titles and "<b>t</b>" in titles
    assert "</text><x>" in texts_of(root)


def test_it_drops_characters_xml_cannot_carry() -> None:
    picture = ring_map([_person("a\x01b")], WORDS, ident="m")
    assert "a\ufffdb" in texts_of(parse_svg(picture.svg))


def test_it_shows_each_lean_by_shape_and_pattern_not_colour_alone() -> None:
    people = [_person(lean.value, 0, lean) for lean in Lean]
    root = parse_svg(ring_map(people, WORDS, ident="m").svg)
    shapes = {}
    for group in root.iter(f"{{{SVG_NS}}}g"):
        if "person" in (group.get("class") or "").split():
            drawn = [child for child in group if not child.tag.endswith("title")]
            shapes[group.get("class")] = (
                drawn[0].tag.split("}")[1],
                drawn[0].get("fill"),
                drawn[0].get("stroke-dasharray"),
            )
    assert shapes == {
        "person lean-ally": ("circle", "#24505f", None),
        "person lean-mixed": ("rect", "#ffffff", None),  # with its left half filled
        "person lean-in_the_way": ("polygon", "url(#m-hatch)", None),
        "person lean-not_yet": ("circle", "#ffffff", "2.5 2"),
        "person lean-mostly_unknown": ("polygon", "#ffffff", "2.5 2"),  # with a dot
    }


def test_it_badges_consent_and_marks_a_role() -> None:
    plain = ring_map([_person("A")], WORDS, ident="m").svg
    agreed = ring_map([_person("A", badge=Badge.AGREED, role=True)], WORDS, ident="m").svg
    assert agreed.count("<circle") == plain.count("<circle") + 1  # the badge's ring
    assert 'stroke-linecap="round"' in agreed and 'stroke-linecap="round"' not in plain


def test_it_cuts_a_long_label_and_keeps_the_rest_for_the_table() -> None:
    long = "Kuini from the kapa haka roopu at the marae"
    root = parse_svg(ring_map([_person(long)], WORDS, ident="m").svg)
    label = next(t for t in texts_of(root) if t.startswith("Kuini"))
    assert label.endswith("…") and len(label) <= LABEL_MAX


def test_lean_is_the_side_with_more_answers_than_each_other_else_mixed() -> None:
    assert lean_of(ally=0, between=0, in_the_way=0, rows_not_known=0, rows=10) is Lean.NOT_YET
    assert lean_of(ally=3, between=1, in_the_way=2, rows_not_known=0, rows=10) is Lean.ALLY
    assert lean_of(ally=1, between=0, in_the_way=4, rows_not_known=0, rows=10) is Lean.IN_THE_WAY
    assert lean_of(ally=2, between=0, in_the_way=2, rows_not_known=0, rows=10) is Lean.MIXED
    assert lean_of(ally=1, between=3, in_the_way=1, rows_not_known=0, rows=10) is Lean.MIXED
    # On more than half the rows nobody knows yet: nothing leads, however the rest fall.
    assert lean_of(ally=2, between=0, in_the_way=0, rows_not_known=8, rows=10) is (
        Lean.MOSTLY_UNKNOWN
    )
    assert lean_of(ally=0, between=0, in_the_way=2, rows_not_known=6, rows=10) is (
        Lean.MOSTLY_UNKNOWN
    )
    assert lean_of(ally=5, between=0, in_the_way=0, rows_not_known=5, rows=10) is Lean.ALLY
    # Many answers left, but on most rows someone knows: one member who wrote about two
    # rows does not outweigh the rest (13 of 20 answers "don't know yet", 6 rows known).
    assert lean_of(ally=6, between=1, in_the_way=0, rows_not_known=4, rows=10) is Lean.ALLY


def test_it_draws_the_same_picture_for_the_same_people() -> None:
    people = [_person(f"Person {n}", n % 4, list(Lean)[n % 4]) for n in range(30)]
    assert ring_map(people, WORDS, ident="m") == ring_map(people, WORDS, ident="m")


def test_sixty_people_in_one_ring_get_more_tracks_and_stay_apart() -> None:
    people = [_person(f"Whanaunga number {n}") for n in range(60)]
    picture = ring_map(people, WORDS, ident="m")
    _assert_apart(picture.labels)
    _assert_apart(picture.markers)


LABELS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=80
).filter(lambda s: s.strip() != "")
PEOPLE = st.lists(
    st.builds(
        RingPerson,
        label=st.one_of(LABELS, st.just("W" * 80), st.just("Māmā Kiri-Ōtāhuhu")),
        title=st.just("t"),
        ring=st.integers(0, 3),
        lean=st.sampled_from(list(Lean)),
        badge=st.sampled_from(list(Badge)),
        role=st.booleans(),
    ),
    min_size=1,
    max_size=80,
)


@settings(max_examples=60, deadline=None)
@given(people=PEOPLE, size=st.sampled_from([13.0, 20.0]))
def test_no_label_ever_overlaps_another_label_a_marker_or_the_centre(
    people: list[RingPerson], size: float
) -> None:
    picture = ring_map(people, WORDS, ident="p", label_size=size)
    assert len(picture.labels) == len(picture.markers) == len(people)
    _assert_apart(picture.labels)
    _assert_apart(picture.markers)
    centre = Box(-42, -42, 84, 84)
    for label in picture.labels:
        assert not label.overlaps(centre)
        assert not any(label.overlaps(marker) for marker in picture.markers)
        # Every label is inside the picture.
        view = picture.view
        assert view.left <= label.left and label.right <= view.right
        assert view.top <= label.top and label.bottom <= view.bottom
    root = parse_svg(picture.svg)
    assert len([t for t in root.iter(f"{{{SVG_NS}}}text") if t.get("class") == "label"]) == len(
        people
    )
