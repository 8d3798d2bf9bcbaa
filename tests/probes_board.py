"""Continuity probes for the board role: sentences and the facts about the play-through they assert.

Each probe names the review point (story review of 2026-12-01, section 5) or the later fix it guards.
A probe's `holds` reads only what the player has met so far: the variables, the scenes visited and
the choices taken (`Seen`).
"""

from __future__ import annotations

from continuity import Probe, Seen

# Every choice before the August dinner in which the board asked, held, capped or required something.
ASSERTIVE_BEFORE_AUGUST = (
    "board_a1_demo_day.ask_account",
    "board_a1_million.cap_signups",
    "board_a1_trust_safety.standing_report",
    "board_a1_microsoft.ask_for_terms",
    "board_a1_plus.ring_fence",
    "board_a1_gpt4.hold_for_review",
    "board_a2_superalignment.ask_for_ledger",
)

# Scenes before the Friday Meet: none of them may narrate the Monday after (review §5.4).
BEFORE_THE_MEET = frozenset({"board_a3_cf_confront", "board_a3_counting", "board_a4_apec", "board_a4_cf_stand_down"})


def _flag(name: str) -> object:
    return lambda s: bool(s.vars[name])


def _not_flag(name: str) -> object:
    return lambda s: not s.vars[name]


def _silent(s: Seen) -> bool:
    return not any(s.took(key) for key in ASSERTIVE_BEFORE_AUGUST)


def _probe(name: str, pattern: str, holds: object, why: str, scenes: frozenset[str] | None = None) -> Probe:
    return Probe(name=name, role="board", pattern=pattern, holds=holds, why=why, scenes=scenes)  # type: ignore[arg-type]


PROBES: list[Probe] = [
    # §5.1: one flag was set by filling the seat and by leaving it empty.
    _probe(
        "toner_seat_filled",
        r"Georgetown seat (after|in October)|replaced Helen Toner|took Helen Toner's seat|joined only in October"
        r"|seat changing hands|new director in the Georgetown seat",
        _flag("b_seat_filled"),
        "a new director sits in Toner's old seat only when the board filled it",
    ),
    _probe(
        "board_of_six",
        r"[Ff]our of the six|Six seats|the four who voted|You were four\.",
        _not_flag("b_seat_empty"),
        "with Toner's seat left empty the board has five members and three votes",
    ),
    _probe(
        "board_of_five",
        r"[Tt]hree of the five|Five seats|the three who voted|You were three\.|board of three",
        _flag("b_seat_empty"),
        "only an empty seat makes the board five",
    ),
    # §5.2: a warned Microsoft was still 'told only shortly before'.
    _probe(
        "microsoft_not_warned",
        r"told only shortly before|hear at almost the same moment",
        _not_flag("b_warned_microsoft"),
        "the player warned Microsoft a day ahead",
    ),
    _probe(
        "microsoft_warned",
        r"[Ww]arned (on Thursday|yesterday)|Redmond was warned|warning them on Thursday|was told on Thursday"
        r"|known since this morning|warn Redmond",
        _flag("b_warned_microsoft"),
        "only a board that warned Microsoft can refer to the warning",
    ),
    # §5.3: the long published account was ignored in four places.
    _probe(
        "no_long_post_one_example",
        r"one documented example|one concrete example",
        _not_flag("b_full_account"),
        "the board published a long account of its reasons",
    ),
    _probe(
        "no_long_post_first_explanation",
        r"first explanation of the firing anyone has given",
        _not_flag("b_full_account"),
        "the board's long post explained the firing before the memo",
    ),
    _probe(
        "no_long_post_blog_sentence",
        r"sentence on a blog",
        _not_flag("b_full_account"),
        "the board published more than one sentence",
    ),
    _probe(
        "news_broke_at_noon",
        r"spent the morning guessing",
        lambda s: False,
        "the firing was announced at 12:23; no one could guess at it all morning",
    ),
    _probe(
        "long_post_exists",
        r"long post",
        lambda s: bool(s.vars["b_full_account"]) or s.scene == "board_a4_cf_full_account",
        "only a board that published the long account can refer to it",
    ),
    # §5.4: standing down narrated Monday, then the story went back to Friday noon.
    _probe("no_monday_before_the_meet", r"\bOn Monday\b", lambda s: False, "these scenes come before Friday noon", BEFORE_THE_MEET),
    # §5.5 and §5.10: Shear before he was appointed, and accepting before the player chose.
    _probe(
        "shear_appointed",
        r"Shear(?! as interim CEO on Sunday)",
        lambda s: s.scene == "board_a5_shear" or s.took("board_a5_shear.name_shear") or s.took("board_a5_shear.name_shear_and_speak"),
        "Shear is mentioned as interim chief executive on a path where the board never named him",
    ),
    _probe(
        "shear_accepts_after_the_vote",
        r"\bHe accepts\b|Shear accepts",
        lambda s: False,
        "the player has not yet chosen whether to name him",
        frozenset({"board_a5_shear"}),
    ),
    _probe(
        "merger_second_approach",
        r"This time the answer",
        lambda s: s.visited("board_a6_anthropic"),
        "'this time' needs an earlier approach to Anthropic",
    ),
    _probe(
        "merger_worried_by_letter",
        r"What worries them is the letter",
        lambda s: s.visited("board_a6_letter"),
        "the staff letter has not been seen on this path",
    ),
    _probe(
        "microsoft_team_exists",
        r"The Microsoft team has an address",
        lambda s: s.visited("board_a5_microsoft"),
        "Microsoft's offer to the founders was never shown on this path",
    ),
    # §5.6: the Brockman decision was skipped after giving reasons at the Meet.
    _probe(
        "president_kept",
        r"kept for continuity",
        lambda s: s.took("board_a4_the_chair.keep_as_president"),
        "the player never decided to keep Brockman as president",
    ),
    _probe(
        "president_removed",
        r"why he\s+is gone too|removed him as president too|Why both\s+founders|president was removed too",
        _flag("b_brockman_out"),
        "Brockman was kept as president",
    ),
    # §5.7: DevDay 'from outside' next to the notice-rule briefing.
    _probe(
        "devday_from_outside",
        r"from outside, along\s+with everyone else",
        _not_flag("b_launch_rule"),
        "under the notice rule management briefed the board before DevDay",
    ),
    _probe("notice_rule", r"notice rule", _flag("b_launch_rule"), "the board never adopted a notice rule"),
    # §5.8: 'approved by silence' after an active year.
    _probe("approved_by_silence", r"by silence", _silent, "the board asked, held or required something before August"),
    # §5.9: the dangling 'too' after a hidden paragraph.
    _probe(
        "researchers_noticed_too",
        r"noticed too",
        lambda s: int(s.vars["mission"]) < 55,
        "'too' refers to a tally that is only shown when the mission has slipped",
    ),
    # Early wins referred to later must have happened.
    _probe(
        "march_review",
        r"March review|March reviewers|review in March(?! 2024)|the reviewers' summary|outside reviewers wrote in March",
        lambda s: s.visited("board_a1_cf_gpt4_review"),
        "GPT-4 was never held for an outside review",
    ),
    _probe(
        "december_waitlist",
        r"December filters|waitlist in\s+December|December's\s+waitlist|winter's waitlist",
        _flag("b_growth_cap"),
        "the board never held a sign-up cap in December",
    ),
    _probe("compute_reports", r"compute reports", _flag("b_compute_ledger"), "the board never asked for compute reports"),
    _probe(
        "safety_committee",
        r"safety committee|committee minutes|your\s+committees",
        _flag("b_safety_committee"),
        "the board never created a safety committee",
    ),
    _probe(
        "rebuke_letter",
        r"rebuke letter|letter of rebuke|October letter|after the rebuke",
        _flag("b_censure"),
        "the board never rebuked the CEO",
    ),
    _probe(
        "store_held",
        r"store you\s+held back|the one you made wait",
        _flag("b_store_hold"),
        "the board never held the GPT Store",
    ),
    _probe(
        "confronted_him",
        r"confronted him|blinds down",
        lambda s: s.visited("board_a3_cf_confront"),
        "the board never met the CEO before the vote",
    ),
    _probe("record_sent", r"sent him the record", _flag("b_record_sent"), "the board never sent the CEO its record"),
    _probe(
        "reasons_promised",
        r"promised the CEO|promise you made on the call|told the CEO the reasons",
        _flag("b_reasons_promised"),
        "the board made no promise at the Meet",
    ),
    _probe(
        "review_demanded",
        r"condition you set|outside review you put on the table",
        _flag("b_review_demanded"),
        "the board never made a review a condition",
    ),
    _probe("shear_spoke", r"Shear spoke to the staff", _flag("b_shear_spoke"), "the board never asked Shear to speak that night"),
    _probe(
        "morning_planned",
        r"briefing for the staff went out|counsel's briefing on Friday",
        _flag("b_morning_planned"),
        "the board prepared nothing for the morning after",
    ),
    _probe("called_nadella", r"Nadella took your call", _flag("b_called_nadella"), "the board never called Nadella"),
    _probe("anthropic_declined", r"Amodei's answer", _not_flag("b_faced_staff"), "the board never approached Amodei on this path"),
    _probe(
        "refused_on_saturday",
        r"closed door|four-sentence statement|refused to bargain",
        _flag("b_refused_talks"),
        "the board did not refuse the Saturday talks",
    ),
    _probe("counsel_memo", r"January memo", _flag("b_msft_terms"), "counsel never wrote the January memo on Microsoft"),
]
