"""Words people read for the core's codes, marked for translation: each code worded once.

The chart's positions, the domain's refusals (`allymap.domain.Refusal`) and the kinds of
damage a stored record can have (`allymap.services.errors.Damage`, `AccountDamage`) are
codes in the core;
here, and only here, they become words. `tests/web/test_words.py` proves every code has
its words. Numbers in messages (limits, lengths) come from the refusal's params, which
the core fills from its own constants, never from a number repeated here.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from allymap.chart import Position
from allymap.domain import GapKind, Refusal
from allymap.domain.values import Closeness, Consent, Perspective, Reporting, Role, Step
from allymap.pictures import Badge, Lean
from allymap.services.errors import AccountDamage, Damage

POSITION_LABELS: dict[Position, Promise] = {
    Position.ALLY: _("Accountability ally"),
    Position.LEANS_ALLY: _("Leans towards ally"),
    # Parts of each column fit them (the reflect page's legend says so in full).
    Position.MIXED: _("Some of both"),
    Position.LEANS_IN_THE_WAY: _("Leans towards getting in the way (may help in other ways)"),
    Position.IN_THE_WAY: _("Might get in the way (may help in other ways)"),
    Position.UNKNOWN: _("Don’t know yet"),
}

# A short mark beside each label, so position never rests on colour alone.
POSITION_MARKS: dict[Position, str] = {
    Position.ALLY: "●●",
    Position.LEANS_ALLY: "●○",
    Position.MIXED: "◐",
    Position.LEANS_IN_THE_WAY: "○◆",
    Position.IN_THE_WAY: "◆◆",
    Position.UNKNOWN: "?",
}

CLOSENESS_LABELS: dict[Closeness, Promise] = {
    Closeness.CLOSE: _("Close"),
    Closeness.BETWEEN: _("In between"),
    Closeness.FURTHER: _("Further out"),
    Closeness.UNKNOWN: _("Not sure"),
}

CONSENT_LABELS: dict[Consent, Promise] = {
    Consent.IDEA: _("Just an idea"),
    Consent.TO_ASK: _("To ask"),
    Consent.ASKED: _("Asked, waiting to hear"),
    Consent.AGREED: _("Agreed to help"),
    Consent.DECLINED: _("Declined"),
    Consent.STEPPED_BACK: _("Stepped back"),
}

REPORTING_LABELS: dict[Reporting, Promise] = {
    Reporting.UNKNOWN: _("Not known"),
    Reporting.MAY_HAVE_TO: _("May have to report"),
    Reporting.NO: _("No"),
}

# The staircase of change (Creative Interventions 4F, as Mataora words it), from the
# first step up: each step's name, and a line on what it can mean.
STEP_LABELS: dict[Step, Promise] = {
    Step.STOP_VIOLENCE: _("Stop the immediate violence"),
    Step.RECOGNISE_VIOLENCE: _("Recognise the violence"),
    Step.RECOGNISE_CONSEQUENCES: _("Recognise its consequences, without excuses"),
    Step.MAKE_REPAIR: _("Make repair for the harm"),
    Step.CHANGE_BEHAVIOUR: _("Change attitudes and behaviour"),
    Step.HEALTHIER_COMMUNITY: _("Help build a healthier community"),
}

STEP_HINTS: dict[Step, Promise] = {
    Step.STOP_VIOLENCE: _(
        "Stopping it now, or enough to take the next step. For some interventions this is "
        "the whole goal."
    ),
    Step.RECOGNISE_VIOLENCE: _("Naming what was done as violence, without playing it down."),
    Step.RECOGNISE_CONSEQUENCES: _(
        "Seeing what it did to the person harmed and to others, without excuses or blame."
    ),
    Step.MAKE_REPAIR: _("Doing what can be done to make up for the harm, as those harmed need."),
    Step.CHANGE_BEHAVIOUR: _(
        "Changing the attitudes and habits behind the violence, so it is not repeated."
    ),
    Step.HEALTHIER_COMMUNITY: _(
        "Taking part in making whānau and community safer and healthier for everyone."
    ),
}

# The form shows each refusal beside the field it is about, so the words need not name
# the field. %(name)s placeholders are filled from the refusal's params.
REFUSAL_WORDS: dict[Refusal, Promise] = {
    Refusal.NOT_TEXT: _("Please write this as text."),
    Refusal.REQUIRED: _("Please fill this in."),
    Refusal.CONTROL_CHARACTER: _(
        "This contains an invisible control character (often pasted in by accident). "
        "Please retype it without that character."
    ),
    Refusal.UNSAVEABLE_CHARACTER: _(
        "This contains a character that cannot be saved. Please retype it."
    ),
    Refusal.DISGUISING_CHARACTER: _(
        "This contains an invisible or direction-changing character, which could make two "
        "names look alike. Please write it without that character."
    ),
    Refusal.TOO_LONG: _(
        "There is room for up to %(limit)s characters here; this has %(length)s. "
        "Could it be shorter?"
    ),
    Refusal.NOT_A_CHOICE: _("Please choose one of the answers offered."),
    Refusal.NOT_ON_CHART: _("This question is not on the chart in use."),
    Refusal.DUPLICATE: _("This has already been saved."),
    Refusal.PASSPHRASE_TOO_SHORT: _(
        "Use at least %(limit)s characters. Four or more unrelated words work well."
    ),
    Refusal.PASSPHRASE_TOO_LONG: _("Use at most %(limit)s characters."),
    Refusal.PASSPHRASE_REPETITIVE: _(
        "Use more different characters (at least %(limit)s): a repeated pattern is easy to guess."
    ),
    Refusal.INTERNAL: _("Something went wrong on our side. Please try again."),
    Refusal.NO_DIFFERENCE: _("There is no difference to talk through on this row now."),
    Refusal.OUT_OF_RANGE: _(
        "This is outside what allymap can keep here. Please check the number or the date."
    ),
    Refusal.TOO_MANY_LINES: _(
        "There is room for up to %(limit)s people at once. Please add the rest in a second go."
    ),
}


# Django's own refusals of a form field, worded like the domain's (Django fills in
# %(limit_value)s and %(show_value)s itself).
FORM_WORDS: dict[str, Promise] = {
    "required": REFUSAL_WORDS[Refusal.REQUIRED],
    "invalid_choice": REFUSAL_WORDS[Refusal.NOT_A_CHOICE],
    "max_length": _(
        "There is room for up to %(limit_value)s characters here; this has %(show_value)s. "
        "Could it be shorter?"
    ),
    "min_length": _("Use at least %(limit_value)s characters."),
    "required_choice": _("Please choose one of the answers."),
    "invalid_list": REFUSAL_WORDS[Refusal.NOT_A_CHOICE],
    "null_characters_not_allowed": REFUSAL_WORDS[Refusal.CONTROL_CHARACTER],
    "invalid": _("allymap could not read this. Please check it and try again."),
    "max_value": _("Please use a number no bigger than %(limit_value)s."),
    "min_value": _("Please use a number no smaller than %(limit_value)s."),
    # A file to upload (an export to import).
    "missing": _("Please choose a file."),
    "empty": _("This file is empty. Please choose the whole file."),
    "contradiction": _("Please choose a file."),
}


def refusal_message(code: Refusal, params: Mapping[str, int]) -> str:
    """The translated words for a refusal, its numbers filled in (grouped by thousands)."""
    template = str(REFUSAL_WORDS[code])
    return template % {name: f"{value:,}" for name, value in params.items()} if params else template


DAMAGE_WORDS: dict[Damage, Promise] = {
    Damage.CHANGED: _(
        "Part of its stored record has been changed, moved or removed outside allymap, "
        "so allymap will not show it: what it showed might not be what your team wrote."
    ),
    Damage.UNREADABLE: _(
        "Part of its stored record was written in a form this version of allymap cannot "
        "read, perhaps by a newer version of allymap. Nothing has been changed or lost: "
        "open it with the version of allymap that wrote it."
    ),
    Damage.ROLLED_BACK: _(
        "Its stored record is older than what was last saved on this computer: the data "
        "may have been replaced by an older copy, or its newest entries removed. allymap "
        "will not show it as if it were up to date."
    ),
    Damage.MISSING: _(
        "It was saved on this computer, but its stored record is no longer there: it may "
        "have been removed, or the data replaced by an older copy."
    ),
    Damage.INCONSISTENT: _(
        "Its stored record does not add up (for example, events out of order), so "
        "allymap will not show it rather than show something wrong."
    ),
}

ACCOUNT_DAMAGE_WORDS: dict[AccountDamage, Promise] = {
    AccountDamage.SECOND_ACCOUNT: _(
        "This allymap keeps one account, but its data folder now holds more than one. "
        "allymap did not make the extra one, so it will not guess which one is yours."
    ),
    AccountDamage.MALFORMED: _(
        "The record that holds your account’s keys has been cut short or changed: part of "
        "it is not the size or kind that allymap writes. allymap has not tried your "
        "passphrase on it."
    ),
    AccountDamage.MISMATCHED: _(
        "The record that holds your account’s keys opened, but the keys in it do not "
        "belong together: part of it has been swapped for something else."
    ),
}


# --- whose map it is -------------------------------------------------------------------

PERSPECTIVE_LABELS: dict[Perspective, Promise] = {
    Perspective.TEAM: _(
        "We are a team supporting someone who has done harm to take responsibility and change"
    ),
    Perspective.OWN_ACCOUNTABILITY: _(
        "I have done harm, and I want to find who can help me take responsibility"
    ),
    Perspective.OWN_SUPPORT: _("I have been harmed, and I want to find who can support me"),
}
"""The choice of whose map an intervention is, when it starts."""

PERSPECTIVE_WORDS: dict[Perspective, dict[str, Promise]] = {
    Perspective.TEAM: {
        "connected_doing_harm": _("How are they connected to the person doing harm? (optional)"),
        "connected_harmed": _("How are they connected to the person harmed? (optional)"),
        "close_to": _("How close are they to the person doing harm?"),
        "connection_doing_harm": _("Their connection to the person doing harm"),
        "connection_harmed": _("Their connection to the person harmed"),
        "question": _("Who could support the person doing harm to take responsibility and change?"),
        "about": _("Working with %(doing_harm)s, the person doing harm."),
        "people": _("People around them"),
        "brainstorm": _(
            "Think widely about everyone in %(doing_harm)s’s life. The best people are often "
            "not the first ones who come to mind."
        ),
        "reflect": _("Where does this person sit on each row, as you see it?"),
        "centre": _("The person doing harm"),
        "copy_thanks": _("Thank you for standing with the team."),
        "harmed_named": _("The person harmed: %(harmed)s."),
        "name_doing_harm": _("What the team will call the person doing harm"),
        "name_harmed": _("What the team will call the person harmed (optional)"),
        "names_destroyed": _(
            "Its code name, and the names used for the person doing harm and the person harmed."
        ),
        "connected_harmed_help": _(
            "Someone close to the person harmed may be better placed to support them than "
            "to be an ally for the person doing harm. Worth knowing, not a reason to leave "
            "them out."
        ),
        "offers_help": _(
            "Time, a listening ear, a place to stay, the respect of the person doing harm…"
        ),
        "other_ways_help": _(
            "Even someone who might get in the way of accountability may help the "
            "intervention in other ways: support for the person harmed, practical help, "
            "keeping the team going."
        ),
        "other_ways": _(
            "Someone who might get in the way of accountability and change might still help "
            "the intervention in other ways: supporting the person harmed, practical help, "
            "keeping the facilitator going, or being there for the team."
        ),
        "leaves_list": _(
            "They will no longer be listed with the people around the person doing harm, or "
            "have a page of their own."
        ),
        "asked_later": _(
            "Being on the map does not mean being asked: that comes later, if the team "
            "decides. allymap never contacts anyone."
        ),
        "ask_heading": _("Questions to ask yourselves"),
        "life": _("Across their whole life"),
        "life_elders": _(
            "Elders of the whānau, hapū or community whose word carries weight with them."
        ),
        "life_workmates": _("A boss, a colleague, someone they trained or who trained them."),
        "life_faith": _(
            "A minister, priest or other spiritual leader; people they worship with; people "
            "of their marae."
        ),
        "life_neighbours": _("People next door or down the road who see them day to day."),
        "life_online": _("People they game, chat or share an interest with online."),
        "ask_respect": _("Who do they respect, or care about?"),
        "ask_best": _("Who has seen them at their best?"),
        "ask_listened": _("Who have they listened to before, even when it was hard to hear?"),
        "ask_turn_to": _("Who do they turn to when things go wrong?"),
        "ask_whakapapa": _(
            "Who still sees them as a person with whakapapa, owed respect and care, and can "
            "also see the harm that was done?"
        ),
        "ask_other_ways": _(
            "Who might not be the one to talk with them about the harm, but could help the "
            "intervention in other ways: supporting the person harmed, practical help, keeping "
            "the team going?"
        ),
        "stairs_intro": _(
            "One way to see taking responsibility is as a staircase. Change may come one step "
            "at a time, and each step matters. What a step means is different in every "
            "situation, and the next step may only come into view once the one below is "
            "reached. A team may aim for the top and not reach it: for some interventions, "
            "stopping the immediate violence is the whole goal."
        ),
        "stairs_allies": _(
            "Allies support the climb: they stand by the person taking responsibility, with "
            "care and without excuses, as each step is taken. Change is rarely a straight "
            "line. Things can slip back to a step below and be climbed again; noting that is "
            "part of keeping track, not a failure."
        ),
        "stairs_nothing": _(
            "Nothing noted yet. When the team has seen something, note which step it shows "
            "and what it was."
        ),
        "stairs_seen": _("What has the team seen? (optional)"),
        "stairs_seen_help": _(
            "In your own words: what was said or done that shows it. What you saw, not a "
            "judgement of anyone."
        ),
        "stairs_note": _(
            "Say what the team has seen or heard, in its own words, and which step it shows. "
            "A note is what you saw on a day, not a judgement of anyone."
        ),
        "gaps_intro": _(
            "What the plan may still be missing, for the team to look at together. A gap "
            "forbids nothing and judges nobody; it goes by itself once it is resolved. If the "
            "team knows about one and is leaving it for now, set it aside with a note: it "
            "comes back if things change."
        ),
        "guess": _(
            "Avoid anything the person doing harm could guess: birthdays, pet names, names of "
            "whānau."
        ),
        "self_check_for": _(
            "These are the same ten rows the team uses to think about others, turned towards "
            "yourself. It is for thinking, not a test: there are no right answers, and "
            "nothing is added up. Nobody is only one column; most of us are some of each, "
            "and it changes."
        ),
    },
    Perspective.OWN_ACCOUNTABILITY: {
        "connected_doing_harm": _("How are they connected to you? (optional)"),
        "connected_harmed": _("How are they connected to the person you harmed? (optional)"),
        "close_to": _("How close are they to you?"),
        "connection_doing_harm": _("Their connection to you"),
        "connection_harmed": _("Their connection to the person you harmed"),
        "question": _("Who can help me take responsibility?"),
        "about": _("Your own map: who can stand by you while you take responsibility and change?"),
        "people": _("People around you"),
        "brainstorm": _(
            "Think widely about everyone in your life. The best people are often not the first "
            "ones who come to mind."
        ),
        "reflect": _("Where does this person sit on each row, as you see them with you?"),
        "centre": _("You"),
        "copy_thanks": _(
            "Thank you for being willing to stand by the person who gave you this, while they "
            "take responsibility and change."
        ),
        "harmed_named": _("The person you harmed: %(harmed)s."),
        "name_doing_harm": _("What this map calls you"),
        "name_harmed": _("What this map calls the person you harmed (optional)"),
        "names_destroyed": _(
            "Its code name, and the names used for you and for the person you harmed."
        ),
        "connected_harmed_help": _(
            "Someone close to the person you harmed may be better placed to support them "
            "than to stand by you as an ally. Worth knowing, not a reason to leave them out."
        ),
        "offers_help": _("Time, a listening ear, a place to stay, a word you respect…"),
        "other_ways_help": _(
            "Even someone who might get in the way of accountability may help in other ways: "
            "practical help, keeping things going, being there for the people who stand by "
            "you."
        ),
        "other_ways": _(
            "Someone who might get in the way of accountability and change might still help "
            "in other ways: practical help, keeping things going, or being there for the "
            "people who stand by you."
        ),
        "leaves_list": _(
            "They will no longer be listed with the people around you, or have a page of their own."
        ),
        "asked_later": _(
            "Being on the map does not mean being asked: that comes later, if you decide. "
            "allymap never contacts anyone."
        ),
        "ask_heading": _("Questions to ask yourself"),
        "life": _("Across your whole life"),
        "life_elders": _(
            "Elders of the whānau, hapū or community whose word carries weight with you."
        ),
        "life_workmates": _("A boss, a colleague, someone you trained or who trained you."),
        "life_faith": _(
            "A minister, priest or other spiritual leader; people you worship with; people of "
            "your marae."
        ),
        "life_neighbours": _("People next door or down the road who see you day to day."),
        "life_online": _("People you game, chat or share an interest with online."),
        "ask_respect": _("Who do you respect, or care about?"),
        "ask_best": _("Who has seen you at your best?"),
        "ask_listened": _("Who have you listened to before, even when it was hard to hear?"),
        "ask_turn_to": _("Who do you turn to when things go wrong?"),
        "ask_whakapapa": _(
            "Who still sees you as a person with whakapapa, owed respect and care, and can "
            "also see the harm that was done?"
        ),
        "ask_other_ways": _(
            "Who might not be the one to talk with you about the harm, but could help in "
            "other ways: practical help, keeping things going, being there for the people who "
            "stand by you?"
        ),
        "stairs_intro": _(
            "One way to see taking responsibility is as a staircase, and these are your own "
            "steps. Change may come one step at a time, and each step matters. What a step "
            "means is different for everyone, and the next step may only come into view once "
            "the one below is reached. Stopping the violence, now, is the first step, and for "
            "a while it can be the whole goal."
        ),
        "stairs_allies": _(
            "Allies support the climb: they stand by you, with care and without excuses, as "
            "you take each step. Change is rarely a straight line. Things can slip back to a "
            "step below and be climbed again; noting that honestly is part of keeping track, "
            "not a failure."
        ),
        "stairs_nothing": _(
            "Nothing noted yet. When you have done or noticed something, note which step it "
            "shows and what it was."
        ),
        "stairs_seen": _("What have you done or noticed? (optional)"),
        "stairs_seen_help": _(
            "In your own words: what you said or did, or what others noticed, that shows it. "
            "What happened, not a judgement of you."
        ),
        "stairs_note": _(
            "Say what you have done or noticed, in your own words, and which step it shows. A "
            "note is what happened on a day, not a judgement of you."
        ),
        "gaps_intro": _(
            "What the plan may still be missing, for you to look at, with anyone helping you. "
            "A gap forbids nothing and judges nobody, you included; it goes by itself once it "
            "is resolved. If you know about one and are leaving it for now, set it aside with "
            "a note: it comes back if things change."
        ),
        "guess": _(
            "Avoid anything someone close to you could guess: birthdays, pet names, names of "
            "whānau."
        ),
        "self_check_for": _(
            "This self-check is for someone you are thinking of asking to stand by you: they "
            "can go through it here, for themselves, before they say yes. It is the same ten "
            "rows, turned towards them; in it, “the person I would stand by” is you. It is for "
            "thinking, not a test: there are no right answers, and nothing is added up."
        ),
    },
    Perspective.OWN_SUPPORT: {
        "connected_doing_harm": _(
            "How are they connected to the person who harmed you? (optional)"
        ),
        "connected_harmed": _("How are they connected to you? (optional)"),
        "close_to": _("How close are they to the person who harmed you?"),
        "connection_doing_harm": _("Their connection to the person who harmed you"),
        "connection_harmed": _("Their connection to you"),
        "question": _("Who can support me?"),
        "about": _(
            "Your own map: who can support you, and who could help the person who harmed you "
            "change?"
        ),
        "people": _("People who could support you"),
        "brainstorm": _(
            "Think widely about everyone in your life and theirs. The best people are often "
            "not the first ones who come to mind."
        ),
        "reflect": _("Where does this person sit on each row, as you see them?"),
        "centre": _("The person who harmed you"),
        "copy_thanks": _("Thank you for being willing to help."),
        "harmed_named": _("What this map calls you: %(harmed)s."),
        "name_doing_harm": _("What this map calls the person who harmed you"),
        "name_harmed": _("What this map calls you (optional)"),
        "names_destroyed": _(
            "Its code name, and the names used for you and for the person who harmed you."
        ),
        "connected_harmed_help": _(
            "Someone close to you may be better placed to support you than to be an ally for "
            "the person who harmed you. Worth knowing, not a reason to leave them out."
        ),
        "offers_help": _(
            "Time, a listening ear, a place to stay, the respect of the person who harmed you…"
        ),
        "other_ways_help": _(
            "Even someone who might get in the way of accountability may help in other ways: "
            "support for you, practical help, keeping things going."
        ),
        "other_ways": _(
            "Someone who might get in the way of accountability and change might still help "
            "in other ways: supporting you, practical help, keeping things going, or being "
            "there for the people who help."
        ),
        "leaves_list": _(
            "They will no longer be listed with the people on your map, or have a page of "
            "their own."
        ),
        "asked_later": _(
            "Being on the map does not mean being asked: that comes later, if you decide. "
            "allymap never contacts anyone."
        ),
        "ask_heading": _("Questions to ask yourself"),
        "life": _("Across your life and theirs"),
        "life_elders": _(
            "Elders of the whānau, hapū or community whose word carries weight with you, or "
            "with the person who harmed you."
        ),
        "life_workmates": _("A boss, a colleague, someone who trained you or them."),
        "life_faith": _(
            "A minister, priest or other spiritual leader; people you or they worship with; "
            "people of your marae or theirs."
        ),
        "life_neighbours": _("People next door or down the road who see you, or them, day to day."),
        "life_online": _("People either of you game, chat or share an interest with online."),
        "ask_respect": _("Who does the person who harmed you respect, or care about?"),
        "ask_best": _("Who do you turn to, and who has stood by you before?"),
        "ask_listened": _(
            "Who has the person who harmed you listened to before, even when it was hard to hear?"
        ),
        "ask_turn_to": _("Who does the person who harmed you turn to when things go wrong?"),
        "ask_whakapapa": _(
            "Who still sees the person who harmed you as a person with whakapapa, owed respect "
            "and care, and can also see the harm done to you?"
        ),
        "ask_other_ways": _(
            "Who might not be the one to talk with the person who harmed you about the harm, "
            "but could help in other ways: supporting you, practical help, keeping things "
            "going?"
        ),
        "stairs_intro": _(
            "One way to see the person who harmed you taking responsibility is as a staircase. "
            "Change may come one step at a time, and each step matters. What a step means is "
            "different in every situation, and the next step may only come into view once "
            "the one below is reached. The climb is theirs to make, not yours: for some, "
            "stopping the immediate violence is the whole goal."
        ),
        "stairs_allies": _(
            "Allies support the climb: they stand by the person who harmed you, with care and "
            "without excuses, as each step is taken. Change is rarely a straight line. Things "
            "can slip back to a step below; noting that is part of keeping track, and none of "
            "it is yours to carry alone."
        ),
        "stairs_nothing": _(
            "Nothing noted yet. When you have seen or heard something, note which step it "
            "shows and what it was."
        ),
        "stairs_seen": _("What have you seen or heard? (optional)"),
        "stairs_seen_help": _(
            "In your own words: what was said or done that shows it. What you saw, not a "
            "judgement of anyone."
        ),
        "stairs_note": _(
            "Say what you have seen or heard, in your own words, and which step it shows. A "
            "note is what you saw on a day, not a judgement of anyone."
        ),
        "gaps_intro": _(
            "What the plan may still be missing, for you to look at, with anyone helping you. "
            "A gap forbids nothing and judges nobody; it goes by itself once it is resolved. "
            "If you know about one and are leaving it for now, set it aside with a note: it "
            "comes back if things change."
        ),
        "guess": _(
            "Avoid anything the person who harmed you could guess: birthdays, pet names, "
            "names of whānau."
        ),
        "self_check_for": _(
            "This self-check is for someone thinking of standing by the person who harmed you "
            "as an accountability ally: they can go through it here, for themselves, before "
            "they say yes. It is the same ten rows, turned towards them; in it, “the person I "
            "would stand by” is the person who harmed you. It is for thinking, not a test: "
            "there are no right answers, and nothing is added up."
        ),
    },
}
"""What the pages say that changes with whose map it is (`{{ heading|says:"about" }}`).
Every perspective words every key."""


# --- roles, support for allies and the gaps panel (roles.html, _gaps.html) -------------

ROLE_LABELS: dict[Role, Promise] = {
    Role.FACILITATOR: _("Facilitator or anchor"),
    Role.COORDINATOR: _("Coordinator"),
    Role.ACCOUNTABILITY_ALLY: _("Accountability ally"),
    Role.SUPPORT_HARMED: _("Support for the person harmed"),
    Role.SUPPORT_ALLIES: _("Support for allies"),
    Role.LOGISTICS: _("Logistics"),
    Role.SAFETY_WATCH: _("Safety watch"),
    Role.NOTE_KEEPER: _("Note keeper"),
}

# One short line of what each role is, after the toolkit's roles checklist.
ROLE_HINTS: dict[Role, Promise] = {
    Role.FACILITATOR: _(
        "Anchors the process and keeps it on track: a friend, whanaunga, community member "
        "or professional. The role can be shared."
    ),
    Role.COORDINATOR: _("Keeps track of who is doing what and when, and keeps everyone in touch."),
    Role.ACCOUNTABILITY_ALLY: _(
        "Supports the person doing harm to take responsibility, face what they did and change."
    ),
    Role.SUPPORT_HARMED: _(
        "Stands by the person harmed: listens, and helps with what they need and want."
    ),
    Role.SUPPORT_ALLIES: _(
        "Is there for the allies, who can be rejected or targeted, so nobody carries it alone."
    ),
    Role.LOGISTICS: _("Practical help: places to meet, transport, childcare, kai."),
    Role.SAFETY_WATCH: _("Keeps an eye on everyone’s safety and notices warning signs early."),
    Role.NOTE_KEEPER: _("Keeps notes of hui and decisions, and keeps them safe."),
}

# What each gap says. %(name)s is whom it is about; the words for "you" are apart, for the
# kinds that can be about the reader's own team member.
GAP_WORDS: dict[GapKind, Promise] = {
    GapKind.NO_ALLY: _("Nobody has agreed to be an accountability ally yet."),
    GapKind.ALLY_WITHOUT_SUPPORT: _(
        "%(name)s is an accountability ally with nobody supporting them yet (row 6: allies "
        "get rejected and targeted too)."
    ),
    GapKind.ALLY_NOT_AGREED: _(
        "%(name)s is down as an accountability ally, and asking them stands at: %(consent)s."
    ),
    GapKind.ROLES_MIXED: _(
        "%(name)s is both supporting the person harmed and an accountability ally. Mataora "
        "advises keeping these roles apart where the team can; it is the team’s call."
    ),
    GapKind.TOO_MANY_ROLES: _(
        "%(name)s holds %(held)s roles, more than the %(limit)s the team set for one person."
    ),
    GapKind.UNKNOWN_ROWS: _(
        "Nobody on the team knows yet about these rows for %(name)s: questions to find out."
    ),
    GapKind.DIFFERENCES: _(
        "Team members see %(name)s differently on these rows, not talked through yet."
    ),
    GapKind.NOBODY_IN_TOUCH: _(
        "Nobody is keeping the team in touch yet: no facilitator or coordinator (row 10: "
        "keep communicating clearly and regularly, even through disagreement)."
    ),
    GapKind.MOVED_AWAY: _(
        "Since the last check-in, the team’s answers about %(name)s moved towards “might "
        "get in the way” (they might still help the intervention in other ways), or they "
        "stepped back. Worth talking about."
    ),
}
GAP_WORDS_YOU: dict[GapKind, Promise] = {
    GapKind.ALLY_WITHOUT_SUPPORT: _(
        "You are an accountability ally with nobody supporting you yet (row 6: allies get "
        "rejected and targeted too)."
    ),
    GapKind.ROLES_MIXED: _(
        "You are both supporting the person harmed and an accountability ally. Mataora "
        "advises keeping these roles apart where the team can; it is the team’s call."
    ),
    GapKind.TOO_MANY_ROLES: _(
        "You hold %(held)s roles, more than the %(limit)s the team set for one person."
    ),
}

# Where each gap can be resolved: the link's words.
GAP_LINKS: dict[GapKind, Promise] = {
    GapKind.NO_ALLY: _("Choose an accountability ally"),
    GapKind.ALLY_WITHOUT_SUPPORT: _("Say who supports them"),
    GapKind.ALLY_NOT_AGREED: _("Update where asking them stands"),
    GapKind.ROLES_MIXED: _("Look at the roles"),
    GapKind.TOO_MANY_ROLES: _("Share the roles out"),
    GapKind.UNKNOWN_ROWS: _("Reflect on the ten rows"),
    GapKind.DIFFERENCES: _("Talk it through"),
    GapKind.NOBODY_IN_TOUCH: _("Choose who keeps the team in touch"),
    GapKind.MOVED_AWAY: _("See what changed"),
}


# --- pictures: the ring map, the row strip, the screen for the hui ---------------------

LEAN_LABELS: dict[Lean, Promise] = {
    Lean.ALLY: _("The team’s answers lean towards accountability ally"),
    Lean.MIXED: _("The team’s answers are mixed"),
    Lean.IN_THE_WAY: _(
        "The team’s answers lean towards might get in the way (may help in other ways)"
    ),
    Lean.MOSTLY_UNKNOWN: _("Mostly not known yet: on more than half the rows, nobody knows yet"),
    Lean.NOT_YET: _("Nobody has reflected on them yet"),
}
"""The ring map's markers: where the team's answers lean, never a verdict on a person."""

BADGE_LABELS: dict[Badge, Promise] = {
    Badge.NONE: _("Only an idea so far (no badge)"),
    Badge.TO_ASK: _("To ask"),
    Badge.ASKED: _("Asked, waiting to hear"),
    Badge.AGREED: _("Agreed to help"),
    Badge.NOT_NOW: _("Declined, or stepped back"),
}
"""The ring map's consent badges (declining and stepping back share one)."""
