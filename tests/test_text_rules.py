"""The rules backend: labels and cues on hand-written examples, VADER agreement, the interface."""

from __future__ import annotations

import csv
import json

import numpy as np
import pyarrow as pa
import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from conftest import shared_path
from socialaudit import model, text
from socialaudit.text import lexicons, rules, sentiment

# -- hand-written examples: (text, expected label, a cue that must be among the reasons) --------

INBOUND = [
    ("@acme my order still hasn't arrived after two weeks", "complaint", "hasn't arrived"),
    ("I was charged twice and nobody answers my emails", "complaint", "charged twice"),
    ("@acme the app keeps crashing every time I open it", "complaint", "keeps crashing"),
    ("Worst customer service ever. Never again.", "complaint", "worst"),
    ("Thanks for nothing @acme, my flight is cancelled", "complaint", "thanks for nothing"),
    ("@acme why is my refund taking so long? It's been 3 weeks", "complaint", "refund"),
    ("@acme do you ship to Canada?", "question", "?"),
    ("@acme what time does the Leeds store open on Sunday", "question", "@user what"),
    ("How do I reset my password?", "question", "?"),
    ("Can someone help me change my delivery address please", "question", "help me"),
    ("@acme thank you for the quick reply, great service!", "praise", "thank you"),
    ("Love the new flavour, you guys rock", "praise", "you guys rock"),
    ("Huge thanks to Maria at the Leeds store, she was brilliant", "praise", "brilliant"),
    ("picked up a bag of beans for the weekend", "other", None),
    ("sitting in the shop with a book this morning", "other", None),
]

BRAND = [
    (
        "Flash sale: 30% off all hoodies until midnight. Shop now at the link!",
        "promotion",
        "30% off",
    ),
    ("Use code SPRING15 for 15% off your first order.", "promotion", "use code"),
    ("Our new espresso machine is available now for $499. Order yours today.", "promotion", "$4"),
    ("Free shipping on every order this weekend only.", "promotion", "free shipping"),
    (
        "How to keep your sourdough starter alive while you travel: a short guide.",
        "expertise",
        "how to",
    ),
    (
        "5 mistakes people make when cleaning a cast-iron pan (and how to avoid them).",
        "expertise",
        "5 mistakes",
    ),
    ("Tip: back up your phone before installing any major update.", "expertise", "tip"),
    (
        "Did you know? Storing coffee in the fridge makes it go stale faster.",
        "expertise",
        "did you know",
    ),
    ("What's your go-to order on a Monday morning? Tell us below!", "engagement", "tell us"),
    (
        "Which would you rather have: a new flavour or the old one back?",
        "engagement",
        "which would you",
    ),
    ("Caption this photo from our team retreat!", "engagement", "caption this"),
    (
        "Which brewing method should we write a guide for next: AeroPress or moka pot?",
        "engagement",
        # a post that opens with a question to its readers: the question is the cue
        "which brewing method should we write a guide for next: aeropress or moka pot?",
    ),
    (
        "Had the best weekend at the lake with my wife and kids, feeling recharged.",
        "personal",
        "with my",
    ),
    (
        "I can't believe my little girl turns five today. Where does the time go?",
        "personal",
        "i can't believe",
    ),
    ("So tired after my flight home, need a nap before dinner lol", "personal", "so tired"),
    (
        "GIVEAWAY! Follow us, like this post and tag a friend for a chance to win a year of tea.",
        "like_bait",
        "tag a friend",
    ),
    ("RT to win a signed jersey! Winner announced Friday.", "like_bait", "rt to win"),
    ("Like if you love Fridays!", "like_bait", "like if"),
    (
        "We're excited to announce our new store opening in Leeds on 3 May.",
        "announcement",
        "announce",
    ),
    ("Our Harbour Street shop is open late on Fridays this month.", "announcement", "open late"),
    ("We're hiring! Join our support team in Berlin.", "announcement", "we're hiring"),
    (
        "Introducing our spring menu, launching next week in every store.",
        "announcement",
        "introducing",
    ),
    (
        "@jane_doe So sorry to hear that! Please DM us your order number and we'll sort it out.",
        "care_reply",
        "please dm",
    ),
    ("@mike We're looking into this now, thanks for your patience.", "care_reply", "we're looking"),
    ("@ann Glad we could help!", "care_reply", "glad we could"),
    ("@ann see you soon", "care_reply", None),  # a reply of a care account: no cue, the context
    ("Photos from last night.", "other", None),
    ("Rainy day in Leeds.", "other", None),  # a care account (the default): not personal
]


@pytest.mark.parametrize(("message", "intent", "cue"), INBOUND)
def test_inbound_intent_and_its_cues(message: str, intent: str, cue: str | None) -> None:
    row = text.classify([message]).to_pylist()[0]
    assert row["intent"] == intent
    assert row["content_type"] is None  # only brand posts have a content type
    cues = json.loads(row["cues"])
    if cue is not None:
        assert cue in cues[intent]
    # the intent order: complaint > question > praise
    assert row["is_complaint"] == (intent == "complaint")
    if intent == "question":
        assert row["is_question"] and not row["is_complaint"]
    if intent == "praise":
        assert row["is_praise"] and not row["is_question"] and not row["is_complaint"]


@pytest.mark.parametrize(("message", "content_type", "cue"), BRAND)
def test_brand_content_type_and_its_cues(message: str, content_type: str, cue: str | None) -> None:
    row = text.classify([message], from_brand=[True]).to_pylist()[0]
    assert row["content_type"] == content_type
    assert row["intent"] == "other"  # brand posts get no intent flags
    assert not (row["is_question"] or row["is_complaint"] or row["is_praise"])
    cues = json.loads(row["cues"])
    if cue is None:
        assert "content_type" not in cues
    else:
        assert cue in cues["content_type"]


def test_sentiment_follows_complaint_and_praise() -> None:
    t = text.classify(
        [
            "my bag still hasn't arrived",  # no negative word, but a complaint: negative
            "thank you so much, the staff were wonderful",
            "the store opens at 9",
        ]
    )
    assert t["sentiment"].to_pylist() == ["negative", "positive", "neutral"]
    scores = t["sentiment_score"].to_pylist()
    assert scores[1] > 0.5 and scores[2] == 0.0
    assert json.loads(t["cues"][0].as_py())["sentiment"] == ["vader 0"]


def test_sentiment_of_requests_near_complaints_and_closing_thanks() -> None:
    t = text.classify(
        [
            # VADER reads the politeness as warmth (0.64); a request is positive from 0.7 only
            "@acme I have a connection at six, can you help? Thank you",
            "@acme the new lounge looks great",  # as warm, but no request: positive
            # complaint cues short of a complaint ("why does", "again") in a neutral message
            "@acme why does the app log me out again",
            # closing thanks that ask and complain of nothing: no praise to answer, but warm
            "@acme we are at the gate now, thanks",
        ]
    )
    scores = t["sentiment_score"].to_pylist()
    assert rules.POSITIVE_AT <= scores[0] < rules.REQUEST_POSITIVE_AT
    assert rules.POSITIVE_AT <= scores[1] < rules.REQUEST_POSITIVE_AT
    assert scores[2] == 0.0
    assert rules.PRAISE_AT <= scores[3] < rules.POSITIVE_AT
    assert t["intent"].to_pylist() == ["question", "praise", "question", "other"]
    assert t["sentiment"].to_pylist() == ["neutral", "positive", "negative", "positive"]


def test_every_content_type_and_intent_is_covered() -> None:
    assert {c for _, c, _ in BRAND} == {c.value for c in model.ContentType}
    assert {i for _, i, _ in INBOUND} == {i.value for i in model.Intent}


# -- the interface ----------------------------------------------------------------------------


def test_classify_keeps_order_and_schema_and_takes_arrow() -> None:
    texts = pa.chunked_array([["worst service ever", None], ["", "do you open on Sunday?"]])
    t = text.classify(texts, pa.array([False, None, True, False]))
    assert t.schema == text.LABEL_SCHEMA
    assert t.num_rows == 4
    assert t["intent"].to_pylist() == ["complaint", "other", "other", "question"]
    assert t["content_type"].to_pylist() == [None, None, "other", None]
    assert set(t["backend"].to_pylist()) == {"rules"}
    assert set(t["backend_version"].to_pylist()) == {rules.version()}


def test_empty_input_gives_an_empty_table() -> None:
    t = text.classify([])
    assert t.num_rows == 0 and t.schema == text.LABEL_SCHEMA


def test_worker_pool_gives_the_same_labels_as_one_process() -> None:
    texts = [m for m, _, _ in INBOUND] * 20
    brand = [False, True] * (len(texts) // 2)
    alone = text.classify(texts, brand, workers=1)
    pooled = text.classify(texts, brand, workers=2, batch_size=50)
    assert pooled.equals(alone)


def test_progress_reports_every_batch() -> None:
    seen: list[tuple[int, int]] = []
    text.classify(["hi"] * 25, batch_size=10, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(10, 25), (20, 25), (25, 25)]


def test_hostile_text_gives_valid_json_cues() -> None:
    nasty = 'refund!!! "broken" \\ problem\t\n\x00 =cmd|" /C calc\'!A0 \x1e\x1f worst'
    row = text.classify([nasty]).to_pylist()[0]
    cues = json.loads(row["cues"])
    assert row["is_complaint"] and "worst" in cues["complaint"]


def test_version_is_stable_and_reflects_lexicons() -> None:
    assert rules.version() == text.BACKEND_VERSION
    assert rules.version().startswith(rules.LOGIC_VERSION + ".")


# -- lexicons as a library --------------------------------------------------------------------


def test_lexicons_are_importable_and_findable() -> None:
    assert lexicons.GIVEAWAY.find("Retweet to WIN a prize!") == ["retweet to win", "prize"]
    assert lexicons.PROMOTION.find("Everything 20% off, shop now") == ["20% off", "shop now"]
    # handles and links never read as words
    assert lexicons.QUESTION.find("@AmazonHelp https://example.com/help") == []
    assert set(lexicons.CONTENT_LEXICONS) == {c.value for c in model.ContentType} - {"other"}
    for lex in lexicons.ALL_LEXICONS.values():
        assert lex.doc and (lex.words or lex.patterns)


def test_cues_are_one_comma_separated_list() -> None:
    assert lexicons.cues("a, b  c,\n d,") == ("a", "b c", "d")


# -- the vectorised VADER -----------------------------------------------------------------------

VADER_CASES = [
    "The food was good.",
    "The food was not good.",
    "The food was VERY GOOD!!!",
    "The service was kind of bad, but the coffee was great",
    "Never so happy :)",
    "I don't hate it",
    "no problems at all, love it 😍",
    "This is the worst. At least the staff were nice.",
    "Not bad at all",
    "Without doubt the best",
    "I feel :( today??",
]


@pytest.mark.parametrize("sentence", VADER_CASES)
def test_compound_agrees_with_vader(sentence: str) -> None:
    expected = SentimentIntensityAnalyzer().polarity_scores(sentence)["compound"]
    got = float(sentiment.compound(pa.array([sentence]))[0])
    assert got == pytest.approx(expected, abs=0.02)


# -- a quick look at real data -------------------------------------------------------------------


@pytest.mark.realdata
def test_rules_find_complaints_in_real_tweets() -> None:
    from sklearn.metrics import f1_score

    path = shared_path("complaints_preotiuc2019", "complaints-data_train70.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    t = text.classify([r[1] for r in rows])
    truth = np.array([r[2] == "1" for r in rows])
    f1 = f1_score(truth, t["is_complaint"].to_numpy(zero_copy_only=False), average="macro")
    assert f1 > 0.72  # bench/accuracy.py measured 0.76; VADER alone 0.63


# -- language, Spanish lexicons, context and confidence (issue 11) -------------------------------


def test_language_is_detected_and_spanish_is_read_with_spanish_cues() -> None:
    rows = text.classify(
        [
            "@iberia mi maleta no ha llegado todavía, ¿qué hago?",
            "@acme my suitcase still hasn't arrived, what do I do?",
            "@acme 👍",
        ]
    ).to_pylist()
    assert [r["lang"] for r in rows] == ["es", "en", "und"]
    es = json.loads(rows[0]["cues"])
    assert rows[0]["is_complaint"] and rows[0]["is_question"]
    assert "no ha llegado" in es["complaint"]
    assert rows[1]["is_complaint"]


def test_a_language_without_lexicons_gets_unknown_labels_with_the_reason() -> None:
    rows = text.classify(
        [
            "Mein Paket ist immer noch nicht angekommen, obwohl ich vor zwei Wochen bestellt habe.",
            "Heute erkläre ich, wie man mit Docker und Postgres eine Entwicklungsumgebung baut.",
        ],
        from_brand=[False, True],
    ).to_pylist()
    assert [r["lang"] for r in rows] == ["de", "de"]
    assert rows[0]["intent"] == "unknown" and not rows[0]["is_complaint"]
    assert rows[1]["content_type"] == "unknown"
    for r in rows:
        assert r["confidence"] == 0.0
        assert json.loads(r["cues"])["unknown"] == ["no lexicons for de"]


def test_a_reply_is_care_on_a_care_account_and_conversation_elsewhere() -> None:
    reply = "@sam see you at the meetup then"
    care, chat = text.classify(
        [reply, reply], from_brand=[True, True], is_reply=[True, True], care_account=[True, False]
    ).to_pylist()
    assert care["content_type"] == "care_reply"
    assert chat["content_type"] == "engagement"
    assert json.loads(chat["cues"])["content_context"] == ["a reply to someone"]


def test_every_label_has_a_confidence_and_clear_cases_are_surer() -> None:
    rows = text.classify(
        [
            "@acme worst service ever, my order never arrived and nobody answers",
            "@acme it is what it is",
            "Flash sale: 30% off all hoodies until midnight. Shop now!",
        ],
        from_brand=[False, False, True],
    ).to_pylist()
    assert all(0.0 < r["confidence"] <= 1.0 for r in rows)
    assert rows[0]["confidence"] > 0.9  # many strong complaint cues
    assert rows[2]["confidence"] > 0.8


def test_thanks_that_acknowledge_are_not_praise_but_a_standalone_thanks_is() -> None:
    ack, praise, closing = text.classify(
        ["@acme ok thanks", "@acme thank you so much, that fixed it!", "@acme can you help? thanks"]
    ).to_pylist()
    assert not ack["is_praise"] and not ack["is_question"]
    assert praise["is_praise"]
    assert closing["is_question"] and not closing["is_praise"]


LETTER_CASES = [
    "",
    "plain ascii, 123 & more!",
    "Ñandú: ¿qué tal? àéîõü ß",
    "emoji 😀🙈 and ✨ are not letters",
    "日本語のテキスト と 한국어 и кириллица",
    "مرحبا بالعالم",
    "mixed e\u0301 (a combining accent is not a letter)",
]


def test_letter_counts_count_what_re2_counts_as_letters() -> None:
    import pyarrow.compute as pc

    from socialaudit.text import language

    arr = pa.array(LETTER_CASES)
    expected = pc.count_substring_regex(arr, r"\pL").to_numpy(zero_copy_only=False)
    assert language.letter_counts(arr).tolist() == expected.tolist()
    # an offset slice reads its own bytes
    part = arr.slice(2, 3)
    assert language.letter_counts(part).tolist() == expected[2:5].tolist()


@pytest.mark.realdata
def test_letter_counts_match_re2_on_real_tweets() -> None:
    import pyarrow.compute as pc

    from socialaudit.text import language

    path = shared_path("complaints_preotiuc2019", "complaints-data_train70.csv")
    with path.open(encoding="utf-8", newline="") as f:
        words = language.words_only([r[1] for r in csv.reader(f)])
    expected = pc.count_substring_regex(words, r"\pL").to_numpy(zero_copy_only=False)
    assert language.letter_counts(words).tolist() == expected.tolist()


@pytest.mark.parametrize(
    ("message", "praise"),
    [
        # thanks for what the brand did, in a story of the problem it solved
        ("@acme Thanks for the quick reply! I got it to work after reinstalling, weird bug", True),
        ("@acme Not a big deal, it was strange though. Thanks for reaching out.", True),
        ("@acme Yep, that helped. Cheers!", True),
        ("@acme I appreciate your assistance, even if the outage is annoying", True),
        ("@iberia gracias por la ayuda, ya funciona", True),
        # the step worked, however it is said ("worked" ending its clause)
        ("@acme It worked! Thank you!", True),
        ("@acme Clearing the cache worked, thx", True),
        ("@acme Looks like the flow option did the trick. Thanks!", True),
        ("@acme Seems to have worked, thank you!", True),
        ("@acme Thanks! It did help.", True),
        ("@iberia ha funcionado, ¡gracias!", True),
        ("@acme Yes, that solves my problem. Thanks!!", True),
        ("@acme The issue has been resolved, thanks!", True),
        ("@acme I restarted it and now it's working, thanks", True),
        ("@iberia el problema ya está resuelto, gracias", True),
        ("@acme neither worked, thanks", False),
        ("@acme It didn't really help. Thanks", False),
        ("@acme it doesn't seem to be working, thanks", False),
        # the help did not work, or the thanks close a request
        ("@acme none of that worked, I still can't log in", False),
        ("@acme it worked fine yesterday, now it crashes, please help", False),
        ("@acme can you check my order? thanks in advance", False),
    ],
)
def test_thanks_for_the_brands_help_are_praise_whatever_the_story(
    message: str, praise: bool
) -> None:
    row = text.classify([message]).to_pylist()[0]
    assert row["is_praise"] is praise, row["cues"]


def test_a_brand_message_that_opens_with_a_handle_is_addressed_to_that_person() -> None:
    # A mention post (Mastodon) or a tweet with no reply link: its kind says post, its text
    # says it answers someone.
    text_ = "@sam 7 years here, always around to talk about it"
    care, chat = text.classify(
        [text_, text_], from_brand=[True, True], is_reply=[False, False], care_account=[True, False]
    ).to_pylist()
    assert care["content_type"] == "care_reply"
    assert chat["content_type"] == "engagement"


def test_a_reply_in_a_language_without_lexicons_is_told_by_its_context() -> None:
    reply = "@fhemberger Schade! Momentan wüsste ich niemanden, aber ich kann mich mal umhören."
    post = "Heute erkläre ich, wie man mit Docker und Postgres eine Entwicklungsumgebung baut."
    care, chat, own = text.classify(
        [reply, reply, post],
        from_brand=[True, True, True],
        is_reply=[True, True, False],
        care_account=[True, False, False],
    ).to_pylist()
    assert [r["lang"] for r in (care, chat, own)] == ["de", "de", "de"]
    assert care["content_type"] == "care_reply" and chat["content_type"] == "engagement"
    assert own["content_type"] == "unknown" and own["confidence"] == 0.0
    for r in (care, chat):
        cues = json.loads(r["cues"])
        assert cues["unread"] == ["no lexicons for de"] and "unknown" not in cues
        assert r["confidence"] == 0.5


def test_words_of_the_field_say_the_topic_and_the_cues_say_what_the_post_does() -> None:
    posts = [
        "Introducing the new Control Center in iOS 11. Learn more https://example.com/a",
        "Introducing rangeslider.js, a small JavaScript range slider https://example.com/b",
        "How to debug a slow SQL query with EXPLAIN ANALYZE https://example.com/c",
        "The UX of this JavaScript framework's site is awful, broken and so bad. Terrible.",
    ]
    rows = text.classify(
        posts,
        from_brand=[True] * 4,
        is_reply=[False] * 4,
        care_account=[False] * 4,
    ).to_pylist()
    assert [r["content_type"] for r in rows] == [
        "announcement",
        "announcement",
        "expertise",
        "other",
    ]
    assert "a gripe" in json.loads(rows[3]["cues"])["content_context"][0]


def test_a_titled_link_shared_is_a_resource_unless_a_cue_says_otherwise() -> None:
    posts = [
        "Playing around with transitioning background color - http://example.com/a",
        "My favourite holiday photos from the beach - http://example.com/b",
        "Playing around with transitioning background color http://example.com/c",
    ]
    rows = text.classify(
        posts, from_brand=[True] * 3, is_reply=[False] * 3, care_account=[False] * 3
    ).to_pylist()
    assert [r["content_type"] for r in rows] == ["expertise", "personal", "personal"]
    assert json.loads(rows[0]["cues"])["content_context"] == ["a titled link shared"]


@pytest.mark.parametrize(
    ("message", "praise"),
    [
        # a standalone thanks is praise whatever VADER says; a word of delight with it too
        ("@acme thank you so much 😩", True),
        ("@acme Sweet, thanks!", True),
        ("@acme Thanks. It's now working for me again", True),
        ("@acme gracias!!", True),
        # drawn-out spellings, thanks in another language, a vocative before "for"
        ("@acme Thank youuuu", True),
        ("@acme Thankssss (:", True),
        ("@acme Tack!", True),
        ("@acme thank you all for responding!", True),
        ("@iberia graciaaas", True),
        # an interjection before the thanks, however drawn out, still opens with it
        ("@acme OoooooOOOO thx fam!!", True),
        ("@acme Haha thx for your reply. Don't worry, it's fine", True),
        ("@iberia jajaja gracias!", True),
        # words of praise with the thanks, and praise said to the brand itself
        ("@acme Brilliant-thank you!", True),
        ("@acme I do appreciate the response", True),
        ("@acme You guys have the best support team!! I'll DM you now :)", True),
        ("@acme y'all are amazing! will do", True),
        ("@iberia sois los mejores, ¿podéis mirar mi reserva?", True),
        # a wish, a request's politeness or a negated praise word is not praise
        ("@acme I'd appreciate if someone replied", False),
        ("@acme it would be awesome if you could add a party mode", False),
        ("@acme I don't recommend this company", False),
        ("@acme it'd be awesome if something similar happened!", False),
        ("@acme That's great but I'm getting mariachi bands in my playlist", False),
        ("@iberia está genial, pero sigo sin poder facturar", False),
        # thanks that close other content, or that acknowledge a step, are not
        ("@acme iPhone 6S. Thanks", False),
        ("@acme Thanks! Will do.", False),
        ("@acme Just did, thanks!", False),
        ("@acme Okay, thank you", False),
        ("@acme It just closes and crashes. Thanks for the reply.", False),
    ],
)
def test_standalone_thanks_are_praise_closing_and_acknowledging_thanks_are_not(
    message: str, praise: bool
) -> None:
    row = text.classify([message]).to_pylist()[0]
    assert row["is_praise"] is praise, row["cues"]


def test_a_plea_for_help_beside_a_fault_is_a_complaint_whatever_vader_reads() -> None:
    # VADER reads "please help" and "thanks" as warmth (0.61 to 0.8); beside a fault they are
    # not counted against the complaint, and a plea with no fault is a question only
    t = text.classify(
        [
            "@acme my train is delayed and I will miss the connection, can you please help? Thank you",
            "@acme I am unable to save my runs. Please help.",
            "@acme I'm having a rather large issue. Please help.",
            "@acme I have a connection at six, can you please help?",
        ]
    ).to_pylist()
    assert [r["intent"] for r in t] == ["complaint", "complaint", "complaint", "question"]
    assert [r["sentiment_score"] >= rules.POSITIVE_AT for r in t] == [True] * 4


@pytest.mark.parametrize(
    ("message", "complaint", "cue"),
    [
        # faults told flatly: a service down, a step that cannot be taken, a request to stop
        ("@acme all my websites are down!", True, "websites are down"),
        ("@acme why..i cant proceed", True, "cant proceed"),
        ("@acme please stop tagging my name on your products!", True, "please stop tagging"),
        ("@acme there was a piece of glass in one of your cans", True, "piece of glass"),
        ("@acme 2.5 hours since we ordered our pizza", True, "hours since"),
        ("@acme is there a reason no discount codes are working?", True, "codes are working"),
        ("@acme the pocket has ripped after two wears", True, "ripped"),
        # thanks to the brand for a failure, the handle between: sarcasm
        ("thanks @acme for your fantastic car seizing up on the motorway", True, "for your"),
        # hashtags that open with "no" but say no complaint
        ("@acme listening to the new album #nowplaying", False, None),
        # a fault resolved or gone: no complaint
        ("@acme thanks for resolving my complaint", False, None),
        ("@acme checked again and I'm not having the same issues. Thanks", False, None),
    ],
)
def test_flat_fault_reports_and_sarcastic_thanks(
    message: str, complaint: bool, cue: str | None
) -> None:
    row = text.classify([message]).to_pylist()[0]
    assert row["is_complaint"] is complaint, row["cues"]
    if cue:
        assert any(cue in c for c in json.loads(row["cues"])["complaint"]), row["cues"]


def test_a_remark_naming_no_one_needs_more_than_one_word_of_anger_without_context() -> None:
    remarks = [
        "honestly terrified of what the future holds",
        "He really has a mental problem.",
    ]
    # texts alone (no context): a remark naming no one complains to no one on one angry word
    assert not any(text.classify(remarks)["is_complaint"].to_pylist())
    # the same words addressed to a brand, or read in a thread with it, are complaints
    assert all(text.classify([f"@acme {m}" for m in remarks])["is_complaint"].to_pylist())
    assert all(text.classify(remarks, is_reply=[True, True])["is_complaint"].to_pylist())
    # a fault told with several cues is a complaint even naming no one
    assert text.classify(["Worst insurance ever, still waiting for my refund"])[
        "is_complaint"
    ].to_pylist() == [True]


@pytest.mark.parametrize(
    ("message", "is_reply", "question", "complaint"),
    [
        # a follow-up in a care thread saying the fix did not help: a complaint and a question
        ("@acme Tried that, still not working", True, True, True),
        ("@acme No, that didn't work :(", True, True, True),
        ("@acme ya lo he probado y sigue igual", True, True, True),
        # a fault told to the brand in the second person, in a new message
        ("Dear @acme I found a hair in food I bought from you", False, True, True),
        # a rant naming the brand further on asks nothing
        ("My @acme app doesn't work ever, it won't let me order food", False, False, True),
        # a reply that cannot take the brand's step still needs help
        ("@acme I don't have a receipt", True, True, False),
        # idioms that say no complaint
        ("@acme no problem, not gonna lie I will not cancel", True, False, False),
    ],
)
def test_complaints_told_to_the_care_account_are_questions_too(
    message: str, is_reply: bool, question: bool, complaint: bool
) -> None:
    row = text.classify([message], is_reply=[is_reply]).to_pylist()[0]
    assert (row["is_question"], row["is_complaint"]) == (question, complaint), row["cues"]


def test_a_thread_continuation_with_no_cue_takes_the_type_of_the_post_it_continues() -> None:
    uncued = "Por aquí más info => https://example.com/notes"
    cued = "Spent the whole weekend repainting the kitchen with my kids"
    cont, alone, own_cue, to_someone = text.classify(
        [uncued, uncued, cued, "@ann " + uncued],
        from_brand=[True] * 4,
        is_reply=[False, False, False, True],
        care_account=[False] * 4,
        thread_type=["expertise", None, "expertise", "expertise"],
    ).to_pylist()
    assert cont["content_type"] == "expertise" and cont["confidence"] == 0.5
    assert json.loads(cont["cues"])["content_context"] == ["continues its author's thread"]
    assert alone["content_type"] != "expertise"
    assert own_cue["content_type"] == "personal"
    assert to_someone["content_type"] == "engagement"  # a reply to someone is no continuation


def test_a_photo_posted_with_a_short_caption_and_no_cue_is_the_authors_own_matter() -> None:
    photo, bare = text.classify(
        ["Look at this 🌞", "Look at this 🌞"],
        from_brand=[True, True],
        is_reply=[False, False],
        care_account=[False, False],
        media=[True, False],
    ).to_pylist()
    assert photo["content_type"] == "personal"
    assert json.loads(photo["cues"])["content_context"] == ["a photo or video with no cue"]
    assert bare["content_type"] == "other"


def test_a_persons_post_sells_only_with_a_call_to_buy() -> None:
    # words of commerce in a person's own story are not a pitch; a brand's are, and so is a call
    story = "Looks like I bought a Sublime 3 license for $30 in 2018, an upgrade is now $80."
    pitch = "My new course is out: 20% off this week, get yours here https://example.com/c"
    rows = text.classify(
        [story, pitch, story],
        from_brand=[True] * 3,
        is_reply=[False] * 3,
        care_account=[False, False, True],
    ).to_pylist()
    assert rows[0]["content_type"] != "promotion"
    assert rows[1]["content_type"] == "promotion"
    assert rows[2]["content_type"] == "promotion"  # a care account (a business) selling


def test_laughter_is_conversation_only_in_a_reply() -> None:
    rows = text.classify(
        ["@ana jajaja pues sí", "La sonrisa más cautivadora desde la Gioconda xD"],
        from_brand=[True, True],
        is_reply=[True, False],
        care_account=[False, False],
    ).to_pylist()
    assert rows[0]["content_type"] == "engagement"
    assert rows[1]["content_type"] == "personal"


def test_a_date_announces_in_an_own_post_not_in_a_care_reply() -> None:
    post = "Let's talk about JS! This Wednesday 14th May @FrankfurtJS - https://example.com/f"
    reply = "@sam the Lima route is suspended from 29 Oct until 24 March, sorry ^HL"
    rows = text.classify(
        [post, reply],
        from_brand=[True, True],
        is_reply=[False, True],
        care_account=[False, True],
    ).to_pylist()
    assert rows[0]["content_type"] == "announcement"
    assert rows[1]["content_type"] == "care_reply"


def test_private_life_told_to_someone_is_conversation() -> None:
    text_ = "@rollo my last job was mostly urgent requests, I had to check each one, I just quit"
    reply, post = text.classify(
        [text_, text_.removeprefix("@rollo ")],
        from_brand=[True, True],
        is_reply=[True, False],
        care_account=[False, False],
    ).to_pylist()
    assert reply["content_type"] == "engagement"
    assert post["content_type"] == "personal"


def _persons(posts: list[str], is_reply: list[bool] | None = None) -> list[str]:
    """The content types of posts by a person's account (one that does not do care)."""
    n = len(posts)
    rows = text.classify(
        posts,
        from_brand=[True] * n,
        is_reply=[False] * n if is_reply is None else is_reply,
        care_account=[False] * n,
    ).to_pylist()
    return [r["content_type"] for r in rows]


def test_a_short_caption_to_a_link_with_only_i_or_my_cannot_be_told() -> None:
    # "my" says whose the link is, not what it is about; with no link the words are the post
    short_link, es_link, no_link, longer = _persons(
        [
            "my tiny experiment https://example.com/h",
            "Mi experimento https://example.com/e",
            "I need a do-over today.",
            "I finally finished painting the fence this afternoon https://example.com/f",
        ]
    )
    assert short_link == "other"
    assert es_link == "other"
    assert no_link == "personal"
    assert longer == "personal"


def test_one_contest_word_on_a_persons_account_is_no_like_bait() -> None:
    race, gift = _persons(
        [
            "The best breakdown of that sprint win at the Giro https://example.com/v",
            "Can't go anymore: 2 conference tickets to give away, DM me",
        ]
    )
    assert race != "like_bait"
    assert gift == "like_bait"
    contest = "Our contest closes tonight, tag a friend to enter!"
    brand = text.classify([contest], from_brand=[True], is_reply=[False], care_account=[True])
    assert brand.to_pylist()[0]["content_type"] == "like_bait"


def test_event_as_a_programming_word_announces_nothing() -> None:
    loop, meetup = _persons(
        [
            "A visual walk through the JavaScript event loop and the callback queue http://x.co/a",
            "Slides and videos of the event are online now http://x.co/b",
        ]
    )
    assert loop == "expertise"
    assert meetup == "announcement"


def test_agreement_talks_with_someone_only_in_a_reply() -> None:
    reply, post = _persons(
        [
            "@lee exactly, same here",
            "A great essay, though we said it in almost exactly the same words years ago",
        ],
        is_reply=[True, False],
    )
    assert reply == "engagement"
    assert post != "engagement"
    es_reply, es_post = _persons(
        ["@ana tal cual, yo también", "Hice la paella tal cual la receta de mi abuela"],
        is_reply=[True, False],
    )
    assert es_reply == "engagement"
    assert es_post == "personal"


def test_private_life_wins_a_tie_with_teaching_words_outside_the_field() -> None:
    # (on a person's account; a business's tip about its products stays expertise)
    es, en, field = _persons(
        [
            "Resumen de unas vacaciones https://example.com/v",
            "Thanks to the coach at my daughter's match for showing how to lose gracefully",
            "How to profile a slow Python script, a short guide https://example.com/p",
        ]
    )
    assert es == "personal"
    assert en == "personal"
    assert field == "expertise"


def test_cheering_someone_and_showing_own_work() -> None:
    cheer, made, made_es = _persons(
        [
            "Lovely couple of days at the summit in Lisbon. Big ups to the organisers!",
            "I made a tiny tool that turns emoji into CSS gradients https://example.com/t",
            "He programado un bot que cambia mi avatar según el tiempo que hace https://x.co/b",
        ]
    )
    assert cheer == "engagement"
    assert made == "announcement"
    assert made_es == "announcement"
    built, how = _persons(
        [
            "I built a small colour picker to try out Svelte https://x.co/c",
            "How we built our colour picker in Svelte, step by step https://x.co/h",
        ]
    )
    assert built == "announcement"
    assert how == "expertise"


def test_an_uncued_post_about_the_working_days_tools_is_other() -> None:
    mail, office, home = _persons(
        [
            "Glad I looked in the spam folder before the deadline",
            "Nadie echa de menos las reuniones de dos horas en la oficina",
            "Finally got the fence painted before the kids came home",
        ]
    )
    assert mail == "other"
    assert office == "other"
    assert home == "personal"


def test_a_link_named_as_the_authors_own_project_announces_it() -> None:
    # (docs/labelling.md, third round: words that say the link is the author's own project)
    mine, mine_es, unnamed = _persons(
        [
            "my little weekend project https://example.com/p",
            "Mi nuevo proyecto https://x.co/p",
            "my tiny experiment https://example.com/h",
        ]
    )
    assert mine == "announcement"
    assert mine_es == "announcement"
    assert unnamed == "other"


def test_someone_elses_article_is_a_resource_shared() -> None:
    theirs, mine = _persons(
        [
            "Worth a read: @sam wrote about testing async code without mocks https://x.co/a",
            "New on the blog: I wrote about our first year as a team https://x.co/b",
        ]
    )
    assert theirs == "expertise"
    assert mine == "announcement"


def test_a_sincere_question_for_the_followers_help_is_engagement() -> None:
    en, es, statement = _persons(
        [
            "Tired of paywalled results. Is there a search engine that hides them?",
            "Lo he probado todo con el portátil nuevo. ¿Alguien usa un gestor de ventanas que "
            "no sea de mosaico?",
            "Tired of paywalled results. There is a search engine that hides them.",
        ]
    )
    assert en == "engagement"
    assert es == "engagement"
    assert statement != "engagement"


def test_a_spanish_how_to_title_teaches() -> None:
    how, ask = _persons(
        [
            "Cómo pasar el contenido de un archivo a un comando como parámetro https://x.co/c",
            "¿Cómo estáis pasando el verano?",
        ]
    )
    assert how == "expertise"
    assert ask == "engagement"


def test_a_sentence_taken_for_a_small_language_is_read_not_left_unknown() -> None:
    # the detector takes these plain sentences for Esperanto, Galician and Scots
    rows = text.classify(
        [
            "Estas son las peculiaridades de la plataforma https://x.co/q",
            "Y así cambio de escritorio desde la terminal https://x.co/t",
            "I wonder what Google's Slack bill looks like.",
        ],
        from_brand=[True] * 3,
        is_reply=[False] * 3,
        care_account=[False] * 3,
    ).to_pylist()
    assert [r["lang"] for r in rows] == ["eo", "gl", "sco"]
    assert [r["content_type"] for r in rows] == ["personal", "expertise", "other"]


def test_a_post_with_only_i_that_names_the_working_days_tools_is_other() -> None:
    slack, home = _persons(
        [
            "I wonder how big the company's Slack invoice is.",
            "I wonder how big the neighbours' water bill is.",
        ]
    )
    assert slack == "other"
    assert home == "personal"


@pytest.mark.parametrize(
    ("message", "praise"),
    [
        # thanks in a language with no lexicons, in a short message read with the English ones
        ("@acme どうもありがとうございました。", True),
        ("@acme vielen Dank!", True),
        ("@acme спасибо большое", True),
        # praise said to the brand or its people, however it is put
        ("@acme you're a star, sorted in minutes", True),
        ("@acme youre amazing", True),
        ("@acme the lady at your Leeds branch was so helpful", True),
        ("@acme your cabin crew on the flight home were brilliant", True),
        ("@acme y'all came through!!!", True),
        ("@acme oh you lot are so kind. the app still skips songs though", True),
        ("@acme Ace. Cheers a million.", True),
        ("@acme Just giving credit where it's due. Thank you", True),
        # the fault gone: with an exclamation it is good news even with no thanks; told
        # flatly it closes the thread
        ("@acme I wiped the cache and it worked!", True),
        ("@acme Yep I'm back in now, thanks!", True),
        ("@acme Back working. Thanks!", True),
        ("@acme thx - solved it by reinstalling the desktop app", True),
        ("@acme It works again.", False),
        # "best" that praises no brand, grudging thanks, thanks that lead into an objection
        ("Grab our best-selling phones this weekend http://x.co", False),
        ("@acme only their best of album is on there", False),
        ("@acme oh well, thanks for at least telling me now...", False),
        ("@acme Appreciate the reply, but every platform should let me block people", False),
        # a plan, not a failure: thanks for the help stand
        ("@acme Done, if this doesn't work I'll replace the phone. Thanks for your help", True),
        # a diagnosis is not a fix
        ("@acme That didn't work :/ it only works fine on my laptop", False),
        # warm thanks after words of one's own are praise; details, an acknowledgement or a
        # hedge before them are not
        ("@acme Glad to hear your team is on it. Thank you! 🙂", True),
        ("@acme the page loads like a charm now, thanks!", True),
        ("@acme Pixel 3, Android 10, version 8.5. Thanks!", False),
        ("@acme oh okay! thanks!", False),
        ("@acme Let's hope it comes back soon!! Thanks.", False),
    ],
)
def test_praise_said_in_other_words_and_what_is_not_praise(message: str, praise: bool) -> None:
    row = text.classify([message]).to_pylist()[0]
    assert row["is_praise"] is praise, row["cues"]


@pytest.mark.parametrize(
    ("message", "praise"),
    [
        # a loyal user's contentment beside a problem praises the product (fifth round); a
        # complaint that opens "the only problem is" does not
        ("@acme been with you since day one and this is the only problem I've had", True),
        ("@acme Fine. Used it for years and this has been my only issue, hope it gets fixed", True),
        ("@acme the only problem is the app keeps logging me out", False),
        # the brand's people praised as good at their job, beside a question
        ("@acme your care team is sound and good at their job, but can you add this album?", True),
        # praise on a condition, and a request's politeness, are no praise
        ("@acme if you can get this fixed by friday that's great. Pixel 4, Android 12", False),
        ("@acme a word on when it comes back would be greatly appreciated", False),
        # a thanks with a step promised acknowledges; thanks that say what was good about the
        # answer are praise beside an acknowledgement
        ("@acme oh thank you! I will!", False),
        ("@acme thanks, I've replied to the email", False),
        ("@acme Cheers, have done so :)", False),
        ("@acme thank you very much, DM is sent", False),
        ("@acme ok, I'll restart the router tonight. Thanks for the prompt replies", True),
        ("@acme logging out and back in does fix the issue. Thanks.", True),
        ("@acme wicked, thank you!", True),
        # thanks for trying, the fix found alone, are a standalone thanks
        ("@acme thanks Jo, but I sorted it myself in the end. have a nice evening", True),
        ("@acme Thank you but it's working now anyway", True),
        ("@acme Thanks, but that page still won't load", False),
        # the fault gone, told in other words, beside a thanks
        ("@acme all seems fine now, cheers everyone", True),
        ("@acme Hey, it's working today, thanks anyway :)", True),
        ("@acme thanks, turning off the battery saver made a huge difference", True),
        ("@acme got it all figured out! thanks though", True),
        # laughing or clapping emoji alone are a reaction of delight; a bare laugh is not
        ("@acme 🤣🤣", True),
        ("@acme 👏🏽👏🏽👏🏽", True),
        ("@acme hahaha", False),
        ("@acme 😂😂🙄", False),
        # stars and superlatives for the brand's people
        ("@acme 5 ⭐️s for Sam at the gate! nicest agent ever", True),
        # a concession before the point, a short clause between
        ("@acme Sounds great, I do miss it. But when will it be back?", False),
        # "best" in idioms praises nothing
        ("@acme it has been the best part of a year since I asked for this", False),
        ("@acme the chat is the next best thing, the phone is quicker though", False),
    ],
)
def test_praise_of_the_fifth_round_and_what_is_not(message: str, praise: bool) -> None:
    row = text.classify([message]).to_pylist()[0]
    assert row["is_praise"] is praise, row["cues"]


def test_an_apology_for_ones_own_tone_is_no_complaint() -> None:
    rude, apology = text.classify(
        ["@acme your agent was rude to me on the phone", "@acme thanks, sorry if I was rude"]
    ).to_pylist()
    assert rude["is_complaint"]
    assert not apology["is_complaint"]


def test_the_fields_words_include_the_language_standard_and_build_tools() -> None:
    es6, grunt = _persons(
        [
            "Preparing for ECMAScript 6, a new series https://x.co/m",
            "Trim your Grunt and Gulp builds with these https://x.co/g",
        ]
    )
    assert es6 == "expertise"
    assert grunt == "expertise"


def test_a_question_that_only_titles_a_link_of_the_field_is_a_resource_shared() -> None:
    title, asks, off_field = _persons(
        [
            "What do CSS container queries replace? https://x.co/q",
            "What do you all use CSS container queries for?",
            "Which of these two logos do you like more? https://x.co/b",
        ]
    )
    assert title == "expertise"
    assert asks == "engagement"
    assert off_field == "engagement"


def test_a_memes_caption_to_a_picture_is_other() -> None:
    field_joke, work_joke, told, lesson = _persons(
        [
            "When you rename one column in production https://x.co/m",
            "Cuando te asignan la reunión de los lunes otra vez https://x.co/r",
            "When you rename a column in production, migrate the readers first and the writers "
            "after: the old name stays valid until the last reader moved https://x.co/l",
            "Cómo renombrar una columna en producción sin cortar el servicio https://x.co/c",
        ]
    )
    assert field_joke == "other"
    assert work_joke == "other"
    assert told == "expertise"
    assert lesson == "expertise"


def test_more_cues_of_own_work_a_new_job_an_explainer_and_a_question_to_you_all() -> None:
    analysed, job, explainer, ask = _persons(
        [
            "He analizado los colores de mis últimas cien fotos y este es el resultado https://x.co/a",
            "Really looking forward to joining the @acme 🚀 team next month!",
            "Understanding hash tables in ten minutes https://x.co/h",
            "Looking for a plain wristwatch again. Do any of you still wear one?",
        ]
    )
    assert analysed == "announcement"
    assert job == "announcement"
    assert explainer == "expertise"
    assert ask == "engagement"


def test_a_post_that_closes_by_asking_the_followers_for_theirs_is_engagement() -> None:
    es, en = _persons(
        [
            "Mi rutina de trabajo: leer el correo, revisar las PR, programar un rato. "
            "¿Cuál es la vuestra?",
            "My morning routine: coffee, inbox, code review, then some coding. What's yours?",
        ]
    )
    assert es == "engagement"
    assert en == "engagement"


@pytest.mark.parametrize(
    "message",
    [
        # a fault described in a follow-up, in words VADER reads as cheerful or neutral
        "@acme It has been like this for the past 20 minutes",
        "@acme Always been like that. Reopening the app fixes it for a few minutes.",
        "@acme it mostly happens every time after I use the search box",
        "@acme Yes. It resets my timer and makes me wait all over again.",
        "@acme once the track changes, the repeat button goes off on its own",
        "@acme The app looks like it plays a song. But doesn't. Needs a phone restart.",
        "@acme Got the confirmation mail but could not make it work. Many thanks!",
        "@acme what you sent is all about another product... totally unrelated to my post",
        "@acme the grey bars are not very appealing on a screen this nice",
        "@acme it keeps adding other tracks and I'm paying premium for this",
        "@acme how long do I need to wait for my voucher? I answered the mail last week",
        "@acme This has been happening for most of the year now",
        "@acme Still doing it. I open a playlist, press shuffle and it plays in order.",
        "@acme new headphones today and I can't control the music with them",
        "@acme the singer shows as her stage name when it should be her real one",
        "@acme it runs fine on my laptop, but it happened on my old phone as well",
        "@acme on my playlists it keeps switching to the songs I have not downloaded",
    ],
)
def test_a_fault_described_in_a_follow_up_is_a_complaint_and_a_question(message: str) -> None:
    row = text.classify([message], is_reply=[True]).to_pylist()[0]
    assert row["is_complaint"], row["cues"]
    assert row["is_question"], row["cues"]


@pytest.mark.parametrize(
    "message",
    [
        "@acme lovely, keep me posted please!",
        "@acme hello, I have the same inquiry as this person. Thanks.",
        "@acme DM sent, hope I get your support on this",
    ],
)
def test_asks_of_a_care_thread_with_no_request_word_are_questions(message: str) -> None:
    row = text.classify([message], is_reply=[True]).to_pylist()[0]
    assert row["is_question"], row["cues"]


@pytest.mark.parametrize(
    "message",
    [
        # a workaround that was not needed, a "just happened to" with no fault, a question
        # about what one still gets, dislike of an artist
        "@acme All fine now, I didn't even have to restart the phone. Thanks!",
        "@acme It just happened to be the day our record came out, funny!",
        "@acme can I still get the student price if I already have premium?",
        "@acme I would love to block that band too, I really don't like them",
        # the date the fault began is a bare fact (docs/labelling.md, fifth round)
        "@acme It started happening yesterday",
        "@acme great, hopefully it will not take a long time",
    ],
)
def test_fault_words_that_tell_no_fault_are_no_complaint(message: str) -> None:
    row = text.classify([message], is_reply=[True]).to_pylist()[0]
    assert not row["is_complaint"], row["cues"]
