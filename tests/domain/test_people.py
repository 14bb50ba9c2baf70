"""People's details, asking them (consent and who asks), talking differences through,
and the intervention's own names."""

from __future__ import annotations

import msgspec
import pytest

from allymap.chart.positions import Position
from allymap.domain import commands
from allymap.domain.commands import (
    DETAILS_MAX,
    add_person,
    archive_intervention,
    change_consent,
    change_intervention,
    change_person,
    talk_through,
)
from allymap.domain.errors import InvalidInput, Refusal, UnknownPerson
from allymap.domain.events import (
    ConsentChanged,
    DifferenceTalkedThrough,
    InterventionArchived,
    InterventionChanged,
    PersonAdded,
    PersonChanged,
)
from allymap.domain.state import ConsentChange, PositionChange, TalkedThrough
from allymap.domain.values import Closeness, Consent, Reporting

from .helpers import ASSESSORS, Log

ME = ASSESSORS[0]


def _team_and_mere() -> Log:
    """The starter (ME) and Ben on the team; Mere on the map."""
    log = Log()
    log.run(commands.add_member, member_id="m-ben", name="Ben")
    log.run(add_person, person_id="p1", alias="Mere")
    return log


# --- details --------------------------------------------------------------------------


def test_it_adds_a_person_with_every_detail_tidied() -> None:
    event = add_person(
        _team_and_mere().state,
        person_id="p2",
        alias=" Hēmi ",
        relationship="cousin ",
        relationship_harmed=" uncle",
        closeness="between",
        offers=" Kai.\r\nA bed. ",
        other_ways="\tDrives.",
        reporting=Reporting.NO,
        consent="asked",
        asker="m-ben",
    )
    assert event == PersonAdded(
        person_id="p2",
        alias="Hēmi",
        relationship="cousin",
        relationship_harmed="uncle",
        closeness=Closeness.BETWEEN,
        offers="Kai.\nA bed.",
        other_ways="Drives.",
        reporting=Reporting.NO,
        consent=Consent.ASKED,
        asker="m-ben",
    )


def test_it_starts_a_person_as_only_an_idea_with_nothing_known() -> None:
    event = add_person(Log().state, person_id="p1", alias="Mere")
    assert (event.closeness, event.reporting, event.consent, event.asker) == (
        Closeness.UNKNOWN,
        Reporting.UNKNOWN,
        Consent.IDEA,
        "",
    )


@pytest.mark.parametrize(
    ("details", "field", "code"),
    [
        ({"closeness": "very"}, "closeness", Refusal.NOT_A_CHOICE),
        ({"reporting": "sometimes"}, "reporting", Refusal.NOT_A_CHOICE),
        ({"consent": "yes"}, "consent", Refusal.NOT_A_CHOICE),
        ({"consent": 1}, "consent", Refusal.NOT_A_CHOICE),
        ({"offers": "o" * (DETAILS_MAX + 1)}, "offers", Refusal.TOO_LONG),
        ({"other_ways": "bad\x00"}, "other_ways", Refusal.CONTROL_CHARACTER),
        ({"relationship_harmed": "two\nlines"}, "relationship_harmed", Refusal.CONTROL_CHARACTER),
        ({"asker": "m-nobody"}, "asker", Refusal.NOT_A_CHOICE),
    ],
)
def test_it_refuses_details_it_cannot_keep(
    details: dict[str, object], field: str, code: Refusal
) -> None:
    state = _team_and_mere().state
    with pytest.raises(InvalidInput) as caught:
        add_person(state, person_id="p2", alias="Hēmi", **details)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.code) == (field, code)
    if field != "consent":  # the same checks when the details change
        with pytest.raises(InvalidInput) as caught:
            if field == "asker":
                change_consent(state, person_id="p1", consent="to_ask", **details)  # type: ignore[arg-type]
            else:
                change_person(state, person_id="p1", **details)  # type: ignore[arg-type]
        assert (caught.value.field, caught.value.code) == (field, code)


def test_it_refuses_an_asker_who_left_the_team() -> None:
    log = _team_and_mere()
    log.run(commands.remove_member, member_id="m-ben")
    with pytest.raises(InvalidInput) as caught:
        add_person(log.state, person_id="p2", alias="Hēmi", asker="m-ben")
    assert (caught.value.field, caught.value.code) == ("asker", Refusal.NOT_A_CHOICE)


def test_it_changes_only_the_details_given_that_differ() -> None:
    log = _team_and_mere()
    state = log.state
    assert change_person(state, person_id="p1", closeness="unknown", offers=" ") is None
    event = change_person(
        state, person_id="p1", alias="Mere", closeness="close", offers=" Kai. ", reporting="no"
    )
    assert event == PersonChanged(
        person_id="p1", closeness=Closeness.CLOSE, offers="Kai.", reporting=Reporting.NO
    )
    assert event is not None
    assert event.alias is msgspec.UNSET
    log.append(event)
    mere = log.state.person("p1")
    assert (mere.alias, mere.closeness, mere.offers, mere.reporting) == (
        "Mere",
        Closeness.CLOSE,
        "Kai.",
        Reporting.NO,
    )
    # A change can empty a detail again (empty is not "not given").
    log.run(change_person, person_id="p1", offers="")
    assert log.state.person("p1").offers == ""


def test_it_refuses_to_change_someone_not_on_the_map() -> None:
    log = _team_and_mere()
    log.run(commands.remove_person, person_id="p1")
    with pytest.raises(UnknownPerson):
        change_person(log.state, person_id="p1", offers="Kai.")
    with pytest.raises(UnknownPerson):
        change_consent(log.state, person_id="p1", consent="asked", asker="")
    with pytest.raises(UnknownPerson):
        talk_through(log.state, person_id="p1", row_key="respected", member_id=ME)


# --- consent ----------------------------------------------------------------------------


def test_it_changes_consent_only_when_it_or_the_asker_changed() -> None:
    state = _team_and_mere().state
    assert change_consent(state, person_id="p1", consent="idea", asker="") is None
    assert change_consent(state, person_id="p1", consent=Consent.TO_ASK, asker="") == (
        ConsentChanged(person_id="p1", consent=Consent.TO_ASK, asker="")
    )
    assert change_consent(state, person_id="p1", consent="idea", asker="m-ben") == (
        ConsentChanged(person_id="p1", consent=Consent.IDEA, asker="m-ben")
    )


def test_it_keeps_a_history_of_asking_from_what_to_what() -> None:
    log = _team_and_mere()
    (to_ask,) = log.run(change_consent, person_id="p1", consent="to_ask", asker="m-ben")
    (asked,) = log.run(change_consent, person_id="p1", consent="asked", asker="m-ben")
    (agreed,) = log.run(change_consent, person_id="p1", consent="agreed", asker="m-ben")
    (stepped_back,) = log.run(change_consent, person_id="p1", consent="stepped_back", asker="")
    mere = log.state.person("p1")
    assert (mere.consent, mere.asker) == (Consent.STEPPED_BACK, "")
    assert mere.history == [
        ConsentChange(
            seq=to_ask.seq, at=to_ask.at, before=Consent.IDEA, after=Consent.TO_ASK, asker="m-ben"
        ),
        ConsentChange(
            seq=asked.seq, at=asked.at, before=Consent.TO_ASK, after=Consent.ASKED, asker="m-ben"
        ),
        ConsentChange(
            seq=agreed.seq, at=agreed.at, before=Consent.ASKED, after=Consent.AGREED, asker="m-ben"
        ),
        ConsentChange(
            seq=stepped_back.seq,
            at=stepped_back.at,
            before=Consent.AGREED,
            after=Consent.STEPPED_BACK,
            asker="",
        ),
    ]


def test_it_starts_the_consent_history_from_what_the_person_was_added_with() -> None:
    log = _team_and_mere()
    log.run(add_person, person_id="p2", alias="Hēmi", consent="asked", asker=ME)
    log.run(change_consent, person_id="p2", consent="declined", asker=ME)
    (change,) = log.state.person("p2").history
    assert isinstance(change, ConsentChange)
    assert (change.before, change.after, change.asker) == (Consent.ASKED, Consent.DECLINED, ME)


def test_it_lets_consent_change_while_the_asker_who_left_stays_named() -> None:
    """A form shows the current asker; posting it back unchanged after they left the team
    must not make an event the fold refuses."""
    log = _team_and_mere()
    log.run(change_consent, person_id="p1", consent="to_ask", asker="m-ben")
    log.run(commands.remove_member, member_id="m-ben")
    try:
        made = change_consent(log.state, person_id="p1", consent="asked", asker="m-ben")
    except InvalidInput as refused:  # refusing it is fine too: the form then says so
        assert (refused.field, refused.code) == ("asker", Refusal.NOT_A_CHOICE)
        return
    assert made is not None
    log.append(made)  # the fold must accept what a command made
    assert log.state.person("p1").consent is Consent.ASKED


# --- talking a difference through -----------------------------------------------------


def _with_a_difference() -> Log:
    log = _team_and_mere()
    log.reflect("p1", {"respected": (Position.ALLY, ""), "gives_space": (Position.MIXED, "")})
    log.reflect("p1", {"respected": (Position.IN_THE_WAY, "")}, member_id="m-ben")
    return log


def test_it_marks_a_difference_talked_through() -> None:
    log = _with_a_difference()
    assert talk_through(
        log.state, person_id="p1", row_key="respected", member_id="m-ben", note=" Hui. "
    ) == DifferenceTalkedThrough(
        person_id="p1", row_key="respected", member_id="m-ben", note="Hui."
    )
    (record,) = log.run(
        talk_through, person_id="p1", row_key="respected", member_id="m-ben", note="Hui."
    )
    mere = log.state.person("p1")
    talked = TalkedThrough(
        seq=record.seq, at=record.at, member_id="m-ben", row_key="respected", note="Hui."
    )
    assert mere.talked_through == {"respected": talked}
    assert mere.history[-1] == talked


def test_it_marks_a_difference_only_once_until_a_position_changes_it() -> None:
    log = _with_a_difference()
    log.run(talk_through, person_id="p1", row_key="respected", member_id=ME)
    # The same form posted twice, by anyone: nothing more.
    assert talk_through(log.state, person_id="p1", row_key="respected", member_id=ME) is None
    assert talk_through(log.state, person_id="p1", row_key="respected", member_id="m-ben") is None
    # A position on another row leaves it talked through.
    log.reflect("p1", {"gives_space": (Position.ALLY, "")}, member_id="m-ben")
    assert talk_through(log.state, person_id="p1", row_key="respected", member_id=ME) is None
    # A later position on the row, by any member, makes it a difference to talk about again.
    log.reflect("p1", {"respected": (Position.LEANS_IN_THE_WAY, "")}, member_id="m-ben")
    again = talk_through(log.state, person_id="p1", row_key="respected", member_id=ME)
    assert again == DifferenceTalkedThrough(person_id="p1", row_key="respected", member_id=ME)
    log.append(again)
    assert [type(h) for h in log.state.person("p1").history] == [
        PositionChange,
        PositionChange,
        PositionChange,
        TalkedThrough,
        PositionChange,
        PositionChange,
        TalkedThrough,
    ]
    assert log.state.person("p1").talked_through["respected"].seq == log.state.seq


@pytest.mark.parametrize("row_key", ["communicates", "shoe_size"])
def test_it_refuses_to_talk_through_a_row_nobody_answered(row_key: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        talk_through(_with_a_difference().state, person_id="p1", row_key=row_key, member_id=ME)
    assert (caught.value.field, caught.value.code) == ("row_key", Refusal.NO_DIFFERENCE)


def test_it_refuses_a_talked_through_note_it_cannot_keep() -> None:
    with pytest.raises(InvalidInput) as caught:
        talk_through(
            _with_a_difference().state,
            person_id="p1",
            row_key="respected",
            member_id=ME,
            note="bad\x07",
        )
    assert (caught.value.field, caught.value.code) == ("note", Refusal.CONTROL_CHARACTER)


# --- the intervention -----------------------------------------------------------------


def test_it_renames_the_intervention_only_when_a_name_changed() -> None:
    state = Log().state  # Kererū, R., no alias for the person harmed
    assert (
        change_intervention(state, code_name=" Kererū ", doing_harm_alias="R.", harmed_alias=" ")
        is None
    )
    assert change_intervention(
        state, code_name="Kererū", doing_harm_alias="R.", harmed_alias=" A. "
    ) == InterventionChanged(code_name="Kererū", doing_harm_alias="R.", harmed_alias="A.")


@pytest.mark.parametrize(
    ("names", "field"),
    [
        ({"code_name": " "}, "code_name"),
        ({"doing_harm_alias": ""}, "doing_harm_alias"),
        ({"harmed_alias": "A\u202e."}, "harmed_alias"),
    ],
)
def test_it_refuses_intervention_names_it_cannot_keep(names: dict[str, str], field: str) -> None:
    given = {"code_name": "Tūī", "doing_harm_alias": "R.", "harmed_alias": "", **names}
    with pytest.raises(InvalidInput) as caught:
        change_intervention(Log().state, **given)
    assert caught.value.field == field


def test_it_archives_and_brings_back_only_when_that_changes_something() -> None:
    log = Log()
    assert archive_intervention(log.state, archived=False) is None
    assert archive_intervention(log.state, archived=True) == InterventionArchived(archived=True)
    log.run(archive_intervention, archived=True)
    assert archive_intervention(log.state, archived=True) is None
    assert archive_intervention(log.state, archived=False) == InterventionArchived(archived=False)
    with pytest.raises(InvalidInput) as caught:
        archive_intervention(log.state, archived="yes")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.code) == ("archived", Refusal.INTERNAL)
