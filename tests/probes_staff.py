"""Continuity probes for the staff role: sentences that assert something about the player's own path.

Each probe pairs words the staff story prints with the state that makes them true. The continuity
suite (`tests/test_continuity.py`) and `tests/test_probes_staff.py` walk seeded random staff
play-throughs and fail when a paragraph matching a probe is shown while its fact does not hold.
"""

from __future__ import annotations

from continuity import Probe, Seen

LETTER = "staff_a6_letter"
NADELLA = "staff_a5_microsoft"
SHEAR = "staff_a5_shear"
FINAL_COUNT = "staff_a6_holdouts"
# Scenes whose opening paragraph, on every path, names Shear and says who he is.
INTRODUCE_SHEAR = frozenset({"staff_a6_cf_holdout", "staff_end_board_holds", "staff_a6_cf_split"})
ENDINGS = frozenset(
    {
        "staff_end_historical",
        "staff_end_microsoft",
        "staff_end_board_holds",
        "staff_end_merger",
        "staff_end_split",
        "staff_end_walked_away",
    }
)


def _saw_letter(seen: Seen) -> bool:
    return seen.visited(LETTER)


def _knows_microsoft_offer(seen: Seen) -> bool:
    # Nadella's post late on Sunday is the first the staff path hears of a Microsoft lab for them.
    return seen.visited(NADELLA)


PROBES = [
    Probe(
        name="staff_came_late_needs_the_letter",
        role="staff",
        pattern=r"[Yy]ou came late|fourth onboarding group",
        holds=lambda s: _saw_letter(s) and not s.vars["s_signed_early"],
        why="'You came late' to Microsoft only fits a player who saw the letter and was not among its first signers",
    ),
    Probe(
        name="staff_first_to_go_skipped_the_letter",
        role="staff",
        pattern=r"before the letter (?:was|had)",
        holds=lambda s: not _saw_letter(s),
        why="only a player who left before reading the letter went 'before the letter'",
    ),
    Probe(
        name="staff_first_five_hundred_signed_early",
        role="staff",
        pattern=r"first five hundred",
        holds=lambda s: bool(s.vars["s_signed_early"]),
        why="'among the first five hundred' needs the player to have signed on Monday before dawn",
    ),
    Probe(
        name="staff_after_the_letter_needs_the_letter",
        role="staff",
        pattern=r"after the letter|the letter's threat|read the letter",
        holds=_saw_letter,
        why="text that dates itself by the letter, or refers to the player reading it, needs the letter scene on the path",
    ),
    Probe(
        name="staff_microsoft_lifeboat_not_before_nadella",
        role="staff",
        pattern=(
            r"lifeboat|going to Microsoft|Microsoft tomorrow|Microsoft's offer\b|Microsoft offer\b"
            r"|the door is still open|follow the seven hundred"
        ),
        holds=_knows_microsoft_offer,
        why="no Microsoft lab existed for staff to join before Nadella's post late on Sunday 19 November",
    ),
    Probe(
        name="staff_shear_needs_introduction",
        role="staff",
        pattern=r"Shear(?!, (?:who|the Twitch|the interim chief executive the board named))",
        holds=lambda s: s.visited(SHEAR) or s.scene in INTRODUCE_SHEAR,
        why="Emmett Shear is mentioned as someone the player knows, on a path that never showed his appointment",
    ),
    Probe(
        name="staff_unsent_letter_needs_a_draft",
        role="staff",
        pattern=r"unsent letter|resignation in your notes app|notes app is",
        holds=lambda s: bool(s.vars["s_draft_resignation"]),
        why="the player's own unsent resignation exists only if they drafted it on Friday night",
    ),
    Probe(
        name="staff_queues_since_launch_week",
        role="staff",
        pattern=r"since launch week",
        holds=lambda s: s.took("staff_a1_five_days.help_tns"),
        why="'in these queues since launch week' needs the player to have helped trust and safety in launch week",
    ),
    Probe(
        name="staff_visited_the_other_lab",
        role="staff",
        pattern=r"whose office you once visited|interviewed you in September",
        holds=lambda s: s.visited("staff_a2_cf_visit"),
        why="only a player who took the second coffee visited the other lab's office",
    ),
    Probe(
        name="staff_final_count_not_before_monday_night",
        role="staff",
        pattern=r"seven hundred and forty-seven|\b747\b|twenty-three",
        holds=lambda s: s.visited(FINAL_COUNT) or s.scene in ENDINGS,
        why="the final count (747 of about 770) was known only at the end of Monday 20 November",
    ),
    Probe(
        name="staff_bare_sam",
        role="staff",
        pattern=r"\bSam\b(?! Altman)",
        holds=lambda s: False,
        why="a bare 'Sam' reads as Sam Altman; the staff protagonist must not share his name",
    ),
    Probe(
        name="staff_safety_note_needs_the_note",
        role="staff",
        pattern=r"[Yy]our note from Saturday|colleagues from Saturday's note",
        holds=lambda s: bool(s.vars["s_safety_note"]),
        why="the Saturday-night note to the board exists only on the counterfactual safety-note path",
    ),
    Probe(
        name="staff_allhands_notes_need_the_notes",
        role="staff",
        pattern=r"[Yy]our notes from the all-hands|your running notes",
        holds=lambda s: bool(s.vars["s_took_notes"]),
        why="the player's notes of the all-hands exist only if they typed them during the meeting",
    ),
    Probe(
        name="staff_pizza_photo_needs_shipping",
        role="staff",
        pattern=r"your pizza photo|the fix you shipped",
        holds=lambda s: bool(s.vars["s_shipped_tuesday"]),
        why="refers to the player answering Tuesday's 'get back to shipping' call",
    ),
    Probe(
        name="staff_shielded_holdouts",
        role="staff",
        pattern=r"asked the organisers to stop|stopped the chasing",
        holds=lambda s: bool(s.vars["s_shielded_holdouts"]),
        why="refers to the player asking the organisers to leave the holdouts alone",
    ),
    Probe(
        name="staff_woken_by_nadella_needs_sleep",
        role="staff",
        pattern=r"buzzes itself awake",
        holds=lambda s: bool(s.vars["s_slept_sunday"]),
        why="the phone wakes the player only if they chose to sleep on Sunday night",
    ),
    Probe(
        name="staff_home_from_the_meeting",
        role="staff",
        pattern=r"home from the meeting",
        holds=lambda s: bool(s.vars["s_sunday_meeting"]),
        why="only a player who went to Sunday night's meeting comes home from it",
    ),
    Probe(
        name="staff_walkout_never_closed",
        role="staff",
        pattern=r"walkout on Friday was the first crack",
        holds=lambda s: bool(s.vars["s_walked_out"]) and not s.visited("staff_a4_slack"),
        why="a player who walked back in saw the walkout fizzle; it cannot then be the crack the weekend never closed",
    ),
    Probe(
        name="staff_recruiter_card_kept",
        role="staff",
        pattern=r"card from the café",
        holds=lambda s: bool(s.vars["s_kept_card"]),
        why="the recruiter's card is in the wallet only if the player kept it",
    ),
    Probe(
        name="staff_chant_needs_chanting",
        role="staff",
        pattern=r"liked the chant|[Yy]our own voice in that hall|shouted his phrase",
        holds=lambda s: s.took("staff_a1_party.chant"),
        why="only a player who joined the chant at the holiday party can remember chanting",
    ),
]
