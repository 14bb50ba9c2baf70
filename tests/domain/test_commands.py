"""Commands: input checks, plain-English refusals, and events only for changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.commands import (
    ALIAS_MAX,
    CODE_NAME_MAX,
    DETAILS_MAX,
    EVIDENCE_MAX,
    ID_MAX,
    MEMBER_NAME_MAX,
    NOTE_MAX,
    RELATIONSHIP_MAX,
    add_note,
    add_person,
    change_person,
    record_positions,
    remove_person,
    start_intervention,
)
from allymap.domain.errors import DomainError, InvalidInput, Refusal, UnknownPerson
from allymap.domain.events import (
    InterventionStarted,
    NoteAdded,
    PersonAdded,
    PersonChanged,
    PersonRemoved,
    PositionRecorded,
)
from allymap.domain.state import encode_state

from .helpers import ASSESSORS, ROW_KEYS, Log

ME = ASSESSORS[0]


def _start(**changes: object) -> InterventionStarted:
    kwargs: dict[str, object] = {
        "code_name": "Kererū",
        "doing_harm_alias": "R.",
        "chart_id": "mataora-who-can-help",
        "chart_version": 1,
    }
    kwargs.update(changes)
    return start_intervention(**kwargs)  # type: ignore[arg-type]


def _with_mere() -> Log:
    log = Log()
    log.run(add_person, person_id="p1", alias="Mere", relationship="aunt")
    return log


def test_it_keeps_the_limits_it_was_given() -> None:
    assert (
        CODE_NAME_MAX,
        ALIAS_MAX,
        RELATIONSHIP_MAX,
        DETAILS_MAX,
        EVIDENCE_MAX,
        NOTE_MAX,
        MEMBER_NAME_MAX,
        ID_MAX,
    ) == (80, 80, 200, 1000, 1000, 5000, 60, 64)


def test_it_starts_an_intervention_with_tidied_names() -> None:
    assert _start(code_name="  Kererū \n", harmed_alias=" A. ") == InterventionStarted(
        code_name="Kererū",
        doing_harm_alias="R.",
        harmed_alias="A.",
        chart_id="mataora-who-can-help",
        chart_version=1,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code_name": ""}, "code_name"),
        ({"code_name": " \n\t "}, "code_name"),
        ({"doing_harm_alias": ""}, "doing_harm_alias"),
        ({"code_name": "x" * (CODE_NAME_MAX + 1)}, "code_name"),
        ({"harmed_alias": "y" * (ALIAS_MAX + 1)}, "harmed_alias"),
        ({"chart_version": 0}, "chart_version"),
        ({"chart_version": True}, "chart_version"),
        ({"chart_id": ""}, "chart_id"),
        ({"chart_id": "has space"}, "chart_id"),
    ],
)
def test_it_refuses_a_start_it_cannot_keep(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _start(**changes)
    assert caught.value.field == field
    assert isinstance(caught.value.code, Refusal)
    assert str(caught.value) == f"{field}: {caught.value.code.value}"
    assert isinstance(caught.value, DomainError)


@pytest.mark.parametrize("alias", ["", "   ", "\n", "\t \r\n"])
def test_it_refuses_an_empty_alias(alias: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_person(Log().state, person_id="p1", alias=alias)
    assert caught.value.field == "alias"
    assert caught.value.code is Refusal.REQUIRED


def test_it_refuses_an_alias_that_is_too_long_and_says_how_long() -> None:
    with pytest.raises(InvalidInput) as caught:
        add_person(Log().state, person_id="p1", alias="a" * (ALIAS_MAX + 1))
    assert caught.value.field == "alias"
    assert caught.value.code is Refusal.TOO_LONG
    assert caught.value.params == {"limit": ALIAS_MAX, "length": ALIAS_MAX + 1}


def test_it_counts_a_macron_letter_as_one_character_however_it_was_typed() -> None:
    decomposed = "a\u0304" * ALIAS_MAX  # "ā" as a + combining macron
    event = add_person(Log().state, person_id="p1", alias=decomposed)
    assert event.alias == "ā" * ALIAS_MAX


def test_it_accepts_text_at_the_limit() -> None:
    event = add_person(
        Log().state, person_id="p1", alias="ā" * ALIAS_MAX, relationship="r" * RELATIONSHIP_MAX
    )
    assert len(event.alias) == ALIAS_MAX


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\x0b", "\ud800"])
def test_it_refuses_control_characters(bad: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add_person(Log().state, person_id="p1", alias=f"Me{bad}re")
    assert caught.value.field == "alias"
    assert caught.value.code in (Refusal.CONTROL_CHARACTER, Refusal.UNSAVEABLE_CHARACTER)


def test_it_keeps_newlines_and_tabs_and_makes_every_line_break_a_newline() -> None:
    event = add_note(Log().state, note_id="n1", text=" Kōrero:\r\n\t- ask Mere\rthen Ben\n")
    assert event.text == "Kōrero:\n\t- ask Mere\nthen Ben"


def test_it_refuses_a_note_that_is_too_long() -> None:
    add_note(Log().state, note_id="n1", text="x" * NOTE_MAX)
    with pytest.raises(InvalidInput) as caught:
        add_note(Log().state, note_id="n1", text="x" * (NOTE_MAX + 1))
    assert caught.value.field == "text"


def test_it_adds_a_person() -> None:
    assert add_person(Log().state, person_id="p1", alias=" Mere ", relationship="") == PersonAdded(
        person_id="p1", alias="Mere", relationship=""
    )


def test_it_refuses_a_person_id_already_used_even_by_a_removed_person() -> None:
    log = _with_mere()
    log.run(remove_person, person_id="p1")
    with pytest.raises(InvalidInput) as caught:
        add_person(log.state, person_id="p1", alias="Ana")
    assert caught.value.field == "person_id"


def test_it_changes_a_person_only_when_something_changed() -> None:
    state = _with_mere().state
    assert change_person(state, person_id="p1", alias=" Mere\n", relationship="aunt ") is None
    assert change_person(state, person_id="p1") is None
    # Only what changed is in the event; the rest stays UNSET.
    assert change_person(state, person_id="p1", alias="Mere", relationship="") == PersonChanged(
        person_id="p1", relationship=""
    )


def test_it_removes_a_person_once() -> None:
    log = _with_mere()
    assert remove_person(log.state, person_id="p1") == PersonRemoved(person_id="p1")
    log.run(remove_person, person_id="p1")
    with pytest.raises(UnknownPerson):
        remove_person(log.state, person_id="p1")
    with pytest.raises(UnknownPerson):
        change_person(log.state, person_id="p1", alias="Mere", relationship="")


def test_it_adds_a_note_about_someone_on_the_map_only() -> None:
    log = _with_mere()
    assert add_note(log.state, note_id="n1", person_id="p1", text="Ask her.") == NoteAdded(
        note_id="n1", person_id="p1", text="Ask her."
    )
    with pytest.raises(UnknownPerson):
        add_note(log.state, note_id="n1", person_id="ghost", text="Who?")
    log.run(add_note, note_id="n1", text="Hui on Sunday.")
    with pytest.raises(InvalidInput) as caught:
        add_note(log.state, note_id="n1", text="Again")
    assert caught.value.field == "note_id"


def _record(
    log: Log, positions: dict[str, tuple[Position, str]], member_id: str = ME
) -> list[PositionRecorded]:
    """The events of a reflection form opened now and posted at once (never stale)."""
    outcome = record_positions(
        log.state,
        person_id="p1",
        member_id=member_id,
        positions=positions,
        shown=log.shown("p1", member_id),
        row_keys=ROW_KEYS,
    )
    assert outcome.conflicts == []
    return outcome.events


def _append(log: Log, events: list[PositionRecorded], author: str = ME) -> None:
    for event in events:
        log.append(event, author)


def test_it_records_positions_in_chart_order() -> None:
    events = _record(
        _with_mere(),
        {
            "team_communication": (Position.MIXED, ""),
            "respected": (Position.ALLY, " Her koro listens to her. "),
        },
    )
    assert events == [
        PositionRecorded(
            person_id="p1",
            member_id=ME,
            row_key="respected",
            position=Position.ALLY,
            evidence="Her koro listens to her.",
        ),
        PositionRecorded(
            person_id="p1", member_id=ME, row_key="team_communication", position=Position.MIXED
        ),
    ]


def test_it_records_a_first_dont_know_only_with_evidence() -> None:
    log = _with_mere()
    assert _record(log, {"respected": (Position.UNKNOWN, "  ")}) == []
    assert _record(log, {"respected": (Position.UNKNOWN, "Ask Ana.")}) == [
        PositionRecorded(
            person_id="p1",
            member_id=ME,
            row_key="respected",
            position=Position.UNKNOWN,
            evidence="Ask Ana.",
        )
    ]


def test_it_records_only_what_changed_for_that_member() -> None:
    log = _with_mere()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    first = {
        "respected": (Position.ALLY, "Listens."),
        "sees_the_harm": (Position.IN_THE_WAY, ""),
        "gives_space": (Position.MIXED, "Pushes."),
    }
    _append(log, _record(log, first))
    assert _record(log, first) == []
    changed = {
        "respected": (Position.ALLY, "Listens.\r\n"),  # same once tidied
        "sees_the_harm": (Position.LEANS_IN_THE_WAY, ""),  # position moved
        "gives_space": (Position.MIXED, "Pushes, sometimes."),  # evidence changed
        "communicates": (Position.UNKNOWN, ""),  # first time, nothing known: nothing
    }
    assert [(e.row_key, e.position, e.evidence) for e in _record(log, changed)] == [
        ("sees_the_harm", Position.LEANS_IN_THE_WAY, ""),
        ("gives_space", Position.MIXED, "Pushes, sometimes."),
    ]
    # Another member has no entries yet: everything known is new for them, and theirs.
    for_ben = _record(log, first, member_id="m-ben")
    assert [e.row_key for e in for_ben] == ["respected", "sees_the_harm", "gives_space"]
    assert {e.member_id for e in for_ben} == {"m-ben"}


def test_it_keeps_each_members_view_apart_whoever_writes_it_down() -> None:
    log = _with_mere()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    # The facilitator (ME's account) writes down Ben's view for him at a hui.
    _append(log, _record(log, {"respected": (Position.MIXED, "")}, member_id="m-ben"), ME)
    _append(log, _record(log, {"respected": (Position.ALLY, "")}))
    positions = log.state.person("p1").positions
    assert positions["m-ben"]["respected"].position is Position.MIXED
    assert positions[ME]["respected"].position is Position.ALLY
    assert log.records[-2].author == ME


def test_it_records_a_change_back_to_dont_know() -> None:
    log = _with_mere()
    _append(log, _record(log, {"respected": (Position.ALLY, "")}))
    assert [e.position for e in _record(log, {"respected": (Position.UNKNOWN, "")})] == [
        Position.UNKNOWN
    ]


def test_it_refuses_a_row_that_is_not_on_the_chart() -> None:
    with pytest.raises(InvalidInput) as caught:
        _record(_with_mere(), {"respected": (Position.ALLY, ""), "shoe_size": (Position.ALLY, "")})
    assert caught.value.field == "shoe_size"


def test_it_refuses_an_answer_that_is_not_a_position() -> None:
    with pytest.raises(InvalidInput) as caught:
        _record(_with_mere(), {"respected": ("great", "")})  # type: ignore[dict-item]
    assert caught.value.field == "respected"


def test_it_accepts_a_position_given_as_its_value() -> None:
    events = _record(_with_mere(), {"respected": ("leans_ally", "")})  # type: ignore[dict-item]
    assert events[0].position is Position.LEANS_ALLY


@pytest.mark.parametrize("evidence", ["e" * (EVIDENCE_MAX + 1), "bad\x00byte"])
def test_it_refuses_evidence_it_cannot_keep_and_names_its_row(evidence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _record(
            _with_mere(),
            {"respected": (Position.ALLY, "fine"), "gives_space": (Position.MIXED, evidence)},
        )
    assert caught.value.field == "evidence-gives_space"


def test_it_refuses_positions_for_someone_not_on_the_map() -> None:
    with pytest.raises(UnknownPerson):
        record_positions(
            Log().state,
            person_id="ghost",
            member_id=ME,
            positions={"respected": (Position.ALLY, "")},
            shown={},
            row_keys=ROW_KEYS,
        )


@pytest.mark.parametrize("member_id", ["m-nobody", "m-ben", ""])
def test_it_refuses_positions_of_someone_not_on_the_team(member_id: str) -> None:
    log = _with_mere()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(commands.remove_member, member_id="m-ben")
    with pytest.raises(InvalidInput) as caught:
        _record(log, {"respected": (Position.ALLY, "")}, member_id=member_id)
    assert (caught.value.field, caught.value.code) == ("member_id", Refusal.NOT_A_CHOICE)


def test_it_never_changes_the_state_it_reads() -> None:
    log = _with_mere()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    _append(log, _record(log, {"respected": (Position.ALLY, "")}))
    before = encode_state(log.state)
    _record(log, {"respected": (Position.MIXED, "x"), "gives_space": (Position.ALLY, "")})
    record_positions(
        log.state,
        person_id="p1",
        member_id=ME,
        positions={"respected": (Position.MIXED, "x")},
        shown={},
        row_keys=ROW_KEYS,
    )
    change_person(log.state, person_id="p1", alias="Ana", relationship="", offers="Kai")
    commands.change_consent(log.state, person_id="p1", consent="asked", asker="m-ben")
    commands.talk_through(log.state, person_id="p1", row_key="respected", member_id=ME)
    remove_person(log.state, person_id="p1")
    add_note(log.state, note_id="n9", person_id="p1", text="t")
    commands.add_member(log.state, member_id="m-ana", name="Ana")
    commands.change_member(log.state, member_id="m-ben", name="Benjamin")
    commands.remove_member(log.state, member_id="m-ben")
    commands.change_intervention(log.state, code_name="Tūī", doing_harm_alias="R.", harmed_alias="")
    commands.archive_intervention(log.state, archived=True)
    assert encode_state(log.state) == before
    assert commands.add_person(log.state, person_id="p2", alias="Ben").person_id == "p2"
    assert encode_state(log.state) == before


@pytest.mark.parametrize(
    "disguise",
    [
        "\u202e",  # right-to-left override: "Tama\u202eanuH" shows reversed
        "\u2066",  # left-to-right isolate
        "\u200f",  # right-to-left mark
        "\u200b",  # zero-width space: "Tama" and "Ta\u200bma" look the same
        "\u200d",  # zero-width joiner
        "\u2060",  # word joiner
        "\ufeff",  # zero-width no-break space
        "\u00ad",  # soft hyphen
        "\u3164",  # Hangul filler, a blank that is a letter
        "\u2800",  # braille blank
    ],
)
def test_it_refuses_a_name_that_could_disguise_itself(disguise: str) -> None:
    makers: list[tuple[str, Callable[[str], object]]] = [
        ("alias", lambda text: add_person(Log().state, person_id="p1", alias=text)),
        (
            "relationship",
            lambda text: add_person(Log().state, person_id="p1", alias="A", relationship=text),
        ),
        (
            "relationship_harmed",
            lambda text: add_person(
                Log().state, person_id="p1", alias="A", relationship_harmed=text
            ),
        ),
        ("code_name", lambda text: _start(code_name=text)),
        ("doing_harm_alias", lambda text: _start(doing_harm_alias=text)),
        ("harmed_alias", lambda text: _start(harmed_alias=text)),
        ("name", lambda text: commands.add_member(Log().state, member_id="m1", name=text)),
        (
            "name",
            lambda text: commands.change_member(Log().state, member_id=ASSESSORS[0], name=text),
        ),
    ]
    for field, make in makers:
        with pytest.raises(InvalidInput) as caught:
            make(f"Ta{disguise}ma")
        assert (caught.value.field, caught.value.code) == (field, Refusal.DISGUISING_CHARACTER)


def test_it_refuses_direction_controls_in_longer_text_but_keeps_other_scripts() -> None:
    with pytest.raises(InvalidInput) as caught:
        add_note(Log().state, note_id="n1", text="He said \u202eyas ton lliw\u202c so")
    assert caught.value.code is Refusal.DISGUISING_CHARACTER
    kept = "Kōrero with Āperahama, 김민준 and Σωκράτης; ممنون"
    assert add_note(Log().state, note_id="n1", text=kept).text == kept


def test_it_keeps_a_name_on_one_line() -> None:
    with pytest.raises(InvalidInput) as caught:
        add_person(Log().state, person_id="p1", alias="Aunty\nMere")
    assert caught.value.code is Refusal.CONTROL_CHARACTER
