"""The project's own hand-written cue lexicons: the words and patterns that decide each label.

Every `Lexicon` is a named set of cues with a weight. `rules.py` counts each lexicon's matches in
a text and adds up the weights per label; the cues that matched are what the `cues` column shows.
Other modules reuse them (the content checks, the draft linter): import the objects by name,
e.g. `from socialaudit.text.lexicons import PROMOTION, GIVEAWAY`, and call `lexicon.find(text)`
for the cues in one text or `lexicon.pattern` for the regular expression (RE2 and Python `re`
syntax alike).

How a cue is written:

* `words`: literal words or phrases, lower case; a space matches any run of white space, the
  apostrophe matches ' and ’, and a word boundary is added at each end. `"on hold"` matches
  "ON  hold" but not "moonhold".
* `patterns`: regular expressions for what a word list cannot say ("for 3 hours", "$25",
  "50% off"); they carry their own boundaries.

Texts are matched in lower case with @handles replaced by `@user` and links by `http`, so that
a handle like @AmazonHelp never reads as "help".

Nothing here was learned from data: the lists were written by hand from the cues people use in
customer care and marketing, and adjusted by reading misclassified examples (see docs/text.md).
They are not derived from, and must not be generated from, the labelled data sets in
../shared/data, whose licences forbid redistributing anything learned from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..urls import LINK


@dataclass(frozen=True)
class Lexicon:
    """A named set of cues for one label, with the weight one match adds to that label's score."""

    name: str
    doc: str
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    weight: float = 1.0
    lang: str = "en"  # the language of the cues (ISO 639-1): texts in it are read with them

    @cached_property
    def pattern(self) -> str:
        """One regular expression matching any cue (on lower-cased, normalised text)."""
        # Longest first, so that "still waiting" wins over "still"; then alphabetical, so that
        # the pattern (and the rules' version, a digest of it) is the same in every process.
        words = sorted(set(self.words), key=lambda w: (-len(w), w))
        parts = [_word_regex(w) for w in words]
        parts += list(self.patterns)
        return "(?:" + "|".join(parts) + ")"

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def find(self, text: str) -> list[str]:
        """The cues of this lexicon in one text (normalised as the classifier does)."""
        return [m.group(0) for m in self.regex.finditer(normalise(text))]


def _word_regex(phrase: str) -> str:
    body = r"\s+".join(re.escape(part) for part in phrase.split())
    body = body.replace("'", "['’]")
    # RE2's \b is ASCII: a boundary beside "é" never matches, so words that start or end with a
    # letter outside ASCII ("qué", "atención") get none at that end.
    start = r"\b" if re.match(r"[A-Za-z0-9_]", phrase) else ""
    end = r"\b" if re.search(r"[A-Za-z0-9_]$", phrase) else ""
    return start + body + end


def cues(text: str) -> tuple[str, ...]:
    """Cues written as one comma-separated list (white space inside a phrase is one space)."""
    return tuple(c for c in (" ".join(part.split()) for part in text.split(",")) if c)


_MENTION = re.compile(r"@\w+")
_LINK = re.compile(LINK)


def normalise(text: str) -> str:
    """What the lexicons are matched against: lower case, handles and links replaced."""
    return _LINK.sub("http", _MENTION.sub("@user", text)).lower().replace("’", "'")


# Regular-expression building blocks.
_NUM = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|several|many|few|"
    r"couple of)"
)
_NEG = (
    r"(?:not|never|no longer|didn't|didnt|don't|dont|doesn't|doesnt|won't|wont|can't|cant|"
    r"cannot|couldn't|couldnt|haven't|havent|hasn't|hasnt|wasn't|wasnt|isn't|isnt|aren't|arent|"
    r"weren't|werent|wouldn't|wouldnt|still not|yet to)"
)
_SPAN = r"(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?|wks?|months?)"


# -- inbound: complaints ----------------------------------------------------------------------

COMPLAINT = Lexicon(
    "complaint",
    "Problems: failures, delays, losses, wrong or missing things, charges, poor service.",
    words=cues(
        """
        broken, broke, breaks, not working, isn't working, stopped working, doesn't work,
        does not work, didn't work, won't work, not work, keeps crashing, crashed, crashing,
        crashes, freezing, freezes, frozen, glitch, glitches, bug, bugs, buggy, error, errors, fail,
        failed, fails, failing, failure, outage, down again, is down, went down, down since,
        no service, no signal, no internet, no wifi, no power, no connection, slow, too slow,
        invalid, delayed, delay, delays, late, cancelled, canceled, cancellation, cancelling,
        missed, stranded, stuck, diverted, overbooked, bumped, denied, refused, refusing, declined,
        rejected, lost, missing, damaged, smashed, wrong, never arrived, never received,
        not received, haven't received, hasn't arrived, not delivered, not delivering,
        yet to receive, awaiting, still waiting, refund, refunded, money back, charged, overcharged,
        double charged, fee, fees, rip off, ripoff, scam, waste, wasted, lied, lie, lying,
        misleading, waiting, waited, wait time, on hold, no response, no reply, no answer, no one,
        nobody, ignored, ignoring, unanswered, hung up, disconnected, unable, won't let,
        wouldn't let, not able, not allowing, ripping off, charging me twice, charged twice, twice,
        shocking, infuriating, dumb, regret, regretting, not heard back, haven't heard back,
        no update, no updates, hangs up, hanging up, out of stock, unreliable, unorganized,
        unorganised, unsafe, dangerous, no respect, out of control, scamming, mistreated, blackout,
        switched off, not on, no call, asap, i'm done with, done with you, erroneously, terrified,
        impersonating, take action, shit together, not at all, at all, no way to, without any,
        no reason, for no reason, not allowed, problem, problems, issue, issues, trouble, fix,
        please fix, fix this, sort it out, bring back, where is my, where's my, worst, terrible,
        horrible, awful, bad, poor, pathetic, useless, ridiculous, unacceptable, disgusting,
        disgrace, disgraceful, shameful, shame, appalling, rubbish, crap, crappy, garbage, trash,
        joke, sucks, suck, rude, incompetent, unprofessional, disorganized, disorganised,
        disappointed, disappointing, disappointment, unhappy, upset, frustrated, frustrating,
        annoyed, annoying, angry, furious, fed up, sick of, tired of, never again, switching to,
        cancel my, complaint, complain, not happy, not impressed, not ok, not okay, not acceptable,
        not good, not cool, come on, wtf, smh, ugh, #fail, #epicfail, #badservice,
        #customerservicefail, nothing happens, nothing works, nothing helped, nothing there helped,
        no luck, still no luck, doesn't seem to, didn't seem to, does not seem to, doesn't help,
        didn't help, tried that, i've tried, i have tried, tried everything, already tried,
        already restarted, doesn't make any sense, makes no sense, no sense, hacked, defective,
        faulty, no assistance, messed up, screwed up, inconvenienced, taking back, assaulted,
        can no longer, no longer able, could do better, zero stars, one star, 1 star, impossible,
        too many, expired, not possible, won't give, wouldn't give, fought with, delete my account,
        still takes, unavailable, not available, no option, no options, doesn't let, won't let me,
        can't even, cannot even, for the love of god, killing my, drains, draining,
        overheating, logged out, locked out, wrong item, wrong order, never got, didn't get,
        haven't got, not showing, disappeared, skipping,
        skips, cutting out, cuts out, lagging, lag, won't load, won't play, not playing,
        won't open, can't log, can't login, can't access, can't find, can't get, why would you,
        lip service, false advertising, misled, lost customer, lost a customer, losing customers,
        getting worse, even worse, downgrade,
        nope, no change, no difference, no difference in, still the same, same problem,
        same issue, same thing, same again, still happening, still happens, still broken,
        still no use, no use, didn't change anything, nothing changed, nothing has changed,
        did nothing, does nothing, over and over, over and over again, ffs, incorrect,
        inaccurate, mislabeled, mislabelled, misspelled, misspelt, mixed up, duplicated,
        duplicates, gone missing, out of date, mouldy, moldy, rotten, stale, misplaced,
        none of it worked, none of that worked, none of them worked, none of these worked,
        nothing worked, neither worked, shouldn't have to, should not have to, shouldn't be,
        should not be, should be able to, shouldn't need to, not useful, unusable,
        """
    ),
    patterns=(
        r"#\w*(?:fail|sucks|worst|never|stink|boycott|disap|nogood|notcool|shame|angry|lost)\w*",
        # (not "#nowplaying", "#november", "#notebook": "#no" that opens a word of its own)
        r"#(?:bad|poor|stop)\w+|#not(?:happy|good|cool|ok|okay|impressed|fair|again|acceptable)\w*|"
        r"#no(?:fun|good|service|signal|wifi|internet|respect|thanks|more|excuse|help|reply)\w*",
        # durations of waiting: "for 3 hours", "over two weeks", "2+ hrs"
        rf"\b(?:for|over|after|about|nearly|almost|than) (?:over |more than |an? |the )?"
        rf"{_NUM}\+? ?{_SPAN}\b",
        rf"\b\d+\+? ?{_SPAN} (?:late|delay\w*|wait\w*|on hold|later|now|ago)\b",
        r"\b(?:days|hours|weeks) late\b",
        # a failure said with a negated verb: "not getting", "never arrived", "didn't get"
        rf"\b{_NEG} (?:\w+ )?(?:get|getting|got|receiv\w*|work\w*|load\w*|allow\w*|accept\w*|"
        r"answer\w*|respond\w*|repl\w*|heard|hear|help\w*|arriv\w*|appear\w*|deliver\w*|"
        r"show\w*|connect\w*|open\w*|print\w*|sync\w*|turn\w*|charg\w*|find|fix\w*|log\w*|"
        r"sign\w*|access\w*|download\w*|play\w*|stream\w*|call\w*|come|came|send|sent|refund\w*|"
        r"resolv\w*|solv\w*|updat\w*|install\w*|activat\w*|pick\w*|return\w*|see|use|using|"
        r"change|edit|modify|select|hear|stop|remove|cancel|export|save|add|delete|upload|"
        r"search|view|watch|listen|buy|pay|order|book|reach|skip|adjust|click|tap|press|scroll|"
        r"navigate|move|shuffle|link|switch|transfer|verify|hear|load|make|join|rejoin|complete|"
        r"finish|enter|reset|recover|restore|retrieve|unlock)\b",
        # a fault that repeats: "keeps saying I need to confirm", "songs keep appearing"
        r"\bkeeps? (?:on )?(?:getting|saying|asking|crashing|freezing|stopping|skipping|"
        r"playing|appearing|happening|logging|sending|charging|failing|dropping|buffering|"
        r"repeating|showing|popping|telling|restarting|rebooting|closing|disconnecting|"
        r"pausing|loading|glitching|lagging|cutting)\b",
        r"\bno (?:one|body) (?:is |has |will )?(?:help|answer|respond|repl|call|get)\w*",
        r"\b(?:i|we) (?:expect|expected|paid|was promised|were promised)\b",
        # something that is no longer there or no longer works: "isn't on Spotify anymore"
        rf"\b{_NEG} (?:\w+ ){{0,3}}(?:anymore|any more)\b",
        rf"\b{_NEG} (?:\w+ )?available\b",
        # the step the brand asked for is done and did not help: "I've done that and
        # reinstalled", "it's already up to date", "everything is updated to the newest"
        r"\b(?:i've|i have|i had|i already|already|i've already|i have already) "
        r"(?:done|did|tried|reinstalled|restarted|rebooted|updated|cleared|deleted|reset|"
        r"logged out|signed out|uninstalled)\b",
        r"\b(?:is|it's|its|are|they're|everything is|everything's|all) (?:already )?"
        r"(?:the )?(?:(?:most )?up to date|up-to-date|updated|the latest|on the latest|"
        r"the newest)\b",
        # a promise not kept: "they'll call you back in 15 minutes but they never do"
        r"\bbut (?:they|you|it|he|she|nobody|no one) (?:never|didn't|did not|don't|do not|"
        r"won't|haven't|hasn't|still)\b",
        # a foreign body found in what was bought: "I found a hair in food I bought"
        r"\bfound (?:a |an |some |two |loads of )?(?:\w+ )?(?:hair|hairs|insect|bug|fly|worm|"
        r"maggots?|glass|plastic|metal|mould|mold|stone)\b",
        r"\bu+g+h+\b|\bargh+\b",  # "ughhhh"
    ),
    weight=1.0,
)

COMPLAINT_REPORT = Lexicon(
    "complaint_report",
    "Faults told flatly, with no word of blame: what happens ('it happens on wifi and data', "
    "'stops playing', 'greyed out'), what is missing ('still don't have my order', 'says "
    "delivered'), a step tried that did not help ('neither of those worked', 'tried "
    "restarting'). Counted like `complaint` (the same weight); a lexicon of its own because one "
    "pattern of both made RE2's automaton too large to stay fast.",
    words=cues(
        """
        still don't have, still do not have, still dont have, don't have my, haven't been able to,
        have not been able to, hasn't been able to, not been able to, never been able to,
        greyed out, grayed out, endless spinner, infinite loop, infinite reload, stops responding,
        stopped responding, unresponsive, stops playing, stop playing, stopped playing,
        stops working, stop working, music stops, music pauses, turns off, shuts off, shuts down,
        cuts off, signs itself out, logged itself out, logs itself out, logged me out, logs me out,
        signed me out, disappear, disappears, vanished, not let me, now it's gone,
        now they're gone, all gone, no longer there, same results, same result, no changes,
        happens again, happening again, also happens, it happens, it's happening, its happening,
        happens every time, happens whenever, happens when, happens on, happens with, happening on,
        happening with, same on, same with, same for my, getting this too, having this too,
        having the same, same here, says delivered, marked as delivered, shows delivered,
        double charge, took my money, taken my money, no sound, no audio, blank screen,
        black screen, white screen, disconnects, acting weird, acting up, acts weird, playing up,
        a mess, quite a mess, hot mess, miss the old, when i don't want it to,
        without my permission, without asking me, removed and reinstalled,
        uninstalled and reinstalled, deleted and reinstalled, none of these apply, doesn't apply,
        don't apply, not listened to, shitty, bullshit, what the fuck, what the hell, i hate,
        hate it when, hate when, hate how, hate that, hate this, hate the, hate your,
        neither helped, none helped, neither of them helped, happened again, never goes away,
        won't go away, doesn't go away, got deleted, were deleted, been deleted, deleted again,
        even though i have paid, even though i've paid, i have paid, i've paid, already paid,
        stopping mid, stops mid, stopped mid, mid song, plays a different, piss me off, pissed off,
        pissing me off, pisses me off, pissed, counterfeit, fake, can't be trusted, disturbing,
        stupid, bothers me, annoys me, happens in, happening in, happens across, happens for,
        happens to, happening to, happens everywhere, happens all the time, mine doesn't,
        mine does not, mine won't, mine isn't, but mine, but we don't, just not that one,
        just not mine, can't seem to, cant seem to, cannot seem to, couldn't seem to, redirects me,
        redirect me, takes me back to, sends me back to, kicks me out, kicked me out, kicked out,
        kick out, is not there, isn't there, aren't there, are not there, or i'm leaving,
        i'm leaving your, or i'll cancel, or i will cancel, completely stops, stops completely,
        it stops, just stops, still nothing, has happened on, happened on all, has happened with,
        froze, froze up, just froze, i tried, we tried, also tried, even tried, nothing yet,
        nothing back, heard nothing, had nothing, i was told, was told i, yet i didn't,
        yet i haven't, but i didn't, this is the second time, this is the third time, can't keep,
        instead of the one, don't care, you don't care, clearly don't care,
        not letting me, isn't letting me, is not letting me, not been dispatched,
        hasn't been dispatched, not dispatched, hasn't shipped, not been shipped, powering off,
        powers off, turning off, turns itself off, on its own, by itself, was working,
        it was working, used to work, gone off, went off again, let me down, letting me down,
        let us down, ripped, torn, fraying, fell apart, falls apart, came apart, coming apart,
        stopped charging, stolen, stole my, half full, half empty, subpar, sub par, worthless,
        deceiving, deceptive, extortion, nasty, charging me extra, charged me extra, got rid of,
        get rid of the, taken away, took away, discontinued, what's up with, whats up with,
        what is up with, what's going on with, whats going on with, haven't had one,
        not even close, no meat, no way out, left in the dark, been waiting, keep waiting,
        racist, offends, offended, offensive, bullying, harassing, harassment, hassling,
        held hostage, hostage, screeching, squeaky, squeaked, scratchy, sliced, invisible,
        zero interest, lack of, suffered, regreting, weren't full, wasn't full, isn't full,
        not full, endless loop, blue screen, bluescreen, bluescreens, why are you doing this,
        messing with me, why did you take away, why did you get rid of, take away the,
        """
    ),
    patterns=(
        # a service down: "all my websites are down", "why are the apps down?!"
        r"\b(?:apps?|site|sites|website|websites|servers?|service|network|internet|broadband|"
        r"wifi|wi-fi|system|systems|page|login|email)\s+(?:is|are|was|were|been|has\s+been|"
        r"have\s+been|went|goes|going|keeps\s+going|still)\s+down\b",
        r"\bdown\s*(?:again|[?!])",
        # a step the customer cannot take: "i cant proceed", "can't redeem my code"
        r"\b(?:can't|cant|cannot|couldn't|couldnt|unable\s+to|not\s+able\s+to)\s+(?:\w+\s+)?"
        r"(?:proceed|continue|redeem|claim|renew|dm|message|checkout|check\s+out|submit|apply)\b",
        # a request to stop what the brand does: "please stop tagging me", "can u stop adding"
        r"\b(?:please|pls|plz|can\s+you|can\s+u|could\s+you)\s+stop\s+\w+ing\b",
        # something foreign in what was bought: "a piece of glass in one of your cans"
        r"\b(?:piece|pieces|bits?|shards?|chunks?)\s+of\s+(?:glass|plastic|metal|bone|wire)\b",
        # time gone since the order: "2.5 hours since we ordered"
        r"\b\d+(?:\.\d+)?\s*(?:min(?:ute)?s?|hours?|hrs?|days?|weeks?)\s+since\b",
        # "no Unidays codes are working"
        r"\bno\s+(?:\w+\s+){0,2}(?:is|are|seem\s+to\s+be)\s+working\b",
        # the fault again elsewhere: "Babyface didn't sing this one either", "not on my iPad
        # either" ("either" that ends a clause follows a negation; a pattern from the negation to
        # it, over a bounded span of any words, made this lexicon's pass several times slower)
        r"\beither\s*(?:[.!?,;:)]|$)",
        # "Neither of those worked.", "none of the steps helped"
        r"\b(?:neither|none)\s+of\s+(?:those|these|them|the\s+\w+)\s+(?:worked|helped|did\s+anything|"
        r"fixed\s+it|work)\b",
        # a step tried: "Tried resetting my settings .. restarting my phone"
        r"\btried\s+(?:resetting|restarting|rebooting|reinstalling|uninstalling|deleting|clearing|"
        r"logging|signing|updating|turning|switching|unplugging|removing|downloading|"
        r"redownloading|reconnecting)\b",
        # the brand's answer does not fit: "Using an iPhone so don't think that really applies"
        r"\b(?:doesn't|does not|don't|do not)\s+(?:think\s+(?:that|it|this)\s+)?(?:really\s+)?"
        r"appl(?:y|ies)\b",
    ),
    weight=1.0,
)

COMPLAINT_FAULT = Lexicon(
    "complaint_fault",
    "A fault described in a care follow-up, often in neutral or cheerful words that VADER reads "
    "as positive (docs/labelling.md, fifth round: what goes wrong, where or when): how long it "
    "has been so ('been like this for the past hour'), when it happens ('it usually happens "
    "after I search'), what it makes the author do ('makes me wait again', 'requires a "
    "restart'), an answer that does not fit ('totally unrelated to my post'), a gripe said "
    "plainly ('not very appealing', 'pointless'). Weighs as a strong cue: one alone outweighs a "
    "positive score. A lexicon of its own, counted beside `complaint_report`, for RE2's sake.",
    words=cues(
        """
        been like this, been like that, always been like this, always been like that,
        been this way, been that way, still like this, still like that, it's like this again,
        makes me wait, make me wait, made me wait, making me wait, just happened again,
        happens everytime, happened everytime,
        unrelated to my, totally unrelated, completely unrelated, nothing to do with my,
        not what i asked, not what i was asking, doesn't answer my, didn't answer my,
        does not answer my, did not answer my, more help than, than just a link,
        than just being linked, standard answer, #standardanswer, canned answer, canned response,
        copy paste answer, slower than, don't like how, don't like the way, don't like it when,
        do not like how, something is off, something's off, something seems off,
        something is wrong, something's wrong, seems to be broken, pointless, force close,
        force quit, force stop, does it again, doing it again, did it again, still does it,
        still doing it, still does this, still doing this, 💩, hurry up, been happening for,
        been happening since, has been happening, have been happening, has been happened,
        wouldn't even, won't even, doesn't even, help or not, actually help or,
        from working, when it should be, when they should be, money somewhere else,
        money elsewhere, business elsewhere, business somewhere else, something's not right,
        something is not right, something isn't right, is the same way, does the same thing,
        same thing happens, never ends, non-answer,
        non answer, unnecessary,
        """
    ),
    patterns=(
        # how long it has been so: "for the past 8 minutes", "for the last few days"
        rf"\bfor\s+(?:the\s+)?(?:past|last)\s+(?:{_NUM}\s+)?{_SPAN}\b",
        # when it happens: "it usually happens every time after I search", "happens each time"
        r"\b(?:it|this|that)\s+(?:usually|always|only|still|sometimes|often|also|even)\s+"
        r"happen(?:s|ed)\b",
        r"\bhappen(?:s|ed)\s+(?:every\s?time|each\s+time|whenever|as\s+soon\s+as|right\s+after|"
        r"after\s+(?:i|we)|only\s+when)\b",
        # something the app does of its own accord: "the light goes off on its own"
        r"\b(?:goes|went|turns|turned|switches|switched|shuts|stops|stopped|changes|changed|skips|"
        r"skipped|pauses|paused|resets|jumps|jumped)\s+(?:\w+\s+)?(?:on\s+its\s+own|by\s+itself)\b",
        # a workaround the fault forces: "requires phone restart", "I had to close the app"
        # ("didn't even have to restart" is blanked first: `not_complaint`)
        r"\b(?:have|had|has|require|requires|required|having)\s+to\s+(?:\w+\s+)?"
        r"(?:restart|reboot|reinstall|re-install|close\s+the\s+app|force|log\s+out|sign\s+out|"
        r"unplug|kill)\b",
        r"\brequires?\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+)?(?:restart|reboot|reinstall)\b",
        # a flat "but doesn't." that ends a clause: "looks like it's playing a song. But doesn't."
        r"\bbut\s+(?:it\s+|they\s+|that\s+)?(?:doesn't|does\s+not|didn't|did\s+not|won't|"
        r"will\s+not|isn't|don't)\s*(?:[.!?]|$)",
        # "could not make it work", "can't get it to work"
        r"\b(?:could\s+not|couldn't|couldnt|can't|cant|cannot|can\s+not)\s+(?:make|get)\s+"
        r"(?:it|this|that|them)\s+(?:to\s+)?work\b",
        # a gripe said plainly: "the black bars are not very appealing"
        r"\b(?:not|isn't|aren't|wasn't|weren't)\s+(?:very|really|that|so)\s+(?:appealing|nice|"
        r"pleasant|helpful|useful|user.friendly|intuitive|clear|reliable|accurate|smart|"
        r"convenient|practical|good|great)\b",
        # what the author pays for: "i'm paying premium", "we pay for premium"
        r"\b(?:i'm|i\s+am|im|i|we're|we\s+are|we)\s+(?:\w+\s+)?pay(?:ing)?\s+(?:for\s+)?"
        r"(?:premium|a\s+premium|the\s+premium)\b",
        # how long the author must wait: "how long do I need to wait for my refund"
        r"\bhow\s+(?:long|much\s+longer)\s+(?:do|will|should|must|would)\s+(?:i|we)\s+"
        r"(?:need\s+to\s+|have\s+to\s+)?(?:wait|keep\s+waiting)\b",
        r"\bover\s*(?:\+|&)\s*over\b",
        # still, said of the fault: "it's still happening", "I still get ads", "still showing"
        r"\bstill\s+(?:getting|seeing|showing|shows|happening|happens|occurring|occurs|stuck|"
        r"crashing|skipping|freezing|says|saying|asking|logging|buffering|loading|appears|"
        r"appearing|pops\s+up|popping\s+up|comes\s+up|coming\s+up)\b",
        # "This is the 3rd notice!!", "this is my fourth email"
        r"\bthis\s+is\s+(?:the|my)\s+(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth)\s+"
        r"(?:notice|time|reminder|email|call|request|message|attempt|tweet|ticket)\b",
        # "there is just no way I can remember", "I don't want it to act like a wallpaper"
        r"\bno\s+way\s+(?:i|we)\s+(?:can|could)\b",
        # "that was happening as well", "it happens on my laptop too"
        r"\bhappen(?:s|ing|ed)\s+(?:\w+\s+){0,4}?(?:as\s+well|too)\b",
        # "it keeps switching to the other songs", "takes forever to load" (not "it started
        # happening yesterday": the date the fault began is a bare fact, docs/labelling.md)
        r"\bkeeps?\s+(?:on\s+)?(?:switching|moving|jumping|changing|going\s+back|shuffling|"
        r"resetting|reverting|coming\s+back|adding|removing|deleting|muting)\b",
        r"\btakes\s+(?:forever|ages|so\s+long|too\s+long|a\s+long\s+time|way\s+too\s+long|"
        r"large\s+amounts?\s+of\s+time)\b",
        r"\bnever\s+(?:gave|gives|showed|shows|sent|loads|loaded|appeared|appears)\b",
        # "I can't control the app with my headphones"
        r"\b(?:can't|cant|cannot|can\s+not|couldn't)\s+(?:\w+\s+)?(?:control|pause|resume|cast|"
        r"rewind)\b",
        r"\b(?:don't|do\s+not|dont)\s+want\s+(?:it|spotify|the\s+app|this|that)\s+to\b",
        # "it just happened again", "Just happened, it's an ad for ..." (not "just happened to")
        r"\bjust\s+happened\s*(?:again\b|today\b|now\b|twice\b|it's\b|its\b|[.!,;:]|$)",
    ),
    weight=1.5,
)

COMPLAINT_STRONG = Lexicon(
    "complaint_strong",
    "Cues that on their own make a message a complaint, whatever its other words.",
    words=cues(
        """
        worst, terrible, horrible, awful, unacceptable, ridiculous, pathetic, disgusting,
        disgraceful, appalling, useless, incompetent, never again, sucks, rip off, ripoff, scam,
        not working, doesn't work, does not work, stopped working, isn't working, still waiting,
        still haven't, still not, still no, never arrived, never received, haven't received,
        money back, overcharged, double charged, no response, no reply, hung up, fed up, sick of,
        disappointed, frustrated, frustrating, lost my, lost our, #fail, no service, not happy,
        not impressed, complaint, rubbish service, poor service, bad service, terrible service,
        customer service sucks, could do better, do better, having a problem, having problems,
        having an issue, having issues, having trouble, having difficulty, having difficulties,
        what a joke, such a joke, absolute joke, still don't have, still do not have,
        haven't been able to, have not been able to,
        """
    ),
    weight=1.5,
)

SARCASM = Lexicon(
    "sarcasm",
    "Sarcastic thanks and praise for a failure: these outweigh the polite words around them.",
    words=cues(
        """
        thanks for nothing, thank you for nothing, great job not, way to go, just great,
        just what i needed, love how, love that, love when, love it when, gotta love, got to love,
        thanks for the canned, thank you for the canned, nice try, yeah right, real nice,
        good job not, k cool, cool thanks, thanks then, lovely of you to, yay for,
        cheers for nothing,
        """
    ),
    # ("thanks a lot" and "nice one" are sincere far more often than not in a care thread, and
    # "so much for" is sarcasm only where no thanks leads into it: "thank you so much for your
    # help" is thanks)
    patterns=(
        r"(?:^(?:@user\s+)*|[.!?,;:]\s*|\b(?:well|oh|yeah|and|welp)\s+)so\s+much\s+for\b",
        r"\b(?:thanks?|thank you)(?:\s+(?:a lot|so much|very much))? for (?:not\b|never\b|sending the wrong|the wrong|losing|ruining|"
        r"wasting|cancel\w*|charging|delay\w*|making me|leaving|ignoring|stranding|breaking)",
        # love of a failure: "love losing connection", "love being put on hold", "loving the
        # 40 minute wait"
        r"\b(?:love|loving|gotta\s+love|just\s+love)\s+(?:losing|waiting|being\s+(?:charged|told|"
        r"ignored|put\s+on\s+hold|kept|left|cut\s+off|logged\s+out|disconnected)|paying\s+for|"
        r"getting\s+(?:charged|disconnected|logged\s+out|kicked|cut\s+off)|having\s+to|"
        r"the\s+(?:\d+\s+)?(?:minute|hour|day)\s+wait)\b",
        # thanks to the brand for a failure: "thanks @VW for your fantastic car seizing up"
        r"\b(?:thanks?|thank\s+you)\s+(?:@user\s+)+for\s+(?:\w+\s+){0,4}(?:seizing|breaking|"
        r"crashing|dying|failing|losing|ruining|cancel\w*|delaying|overcharging|ignoring)\b",
    ),
    weight=2.0,
)

COMPLAINT_WEAK = Lexicon(
    "complaint_weak",
    "Hints of a complaint that need company: still, again, negated verbs, pointed questions.",
    words=cues(
        """
        still, again, yet again, every time, every single time, again?, hasn't, haven't, didn't,
        doesn't, don't, won't, isn't, wasn't, aren't, not even, can't, cannot, couldn't, cant, wont,
        dont, didnt, doesnt, isnt, wasnt, havent, hasnt, no longer, supposed to, promised, paid for,
        pay for, paying for, seriously, really?, why is, why does, why do, why did, why are,
        why can't, why won't, why isn't, why would, why am i, how come, how can you, excuse me,
        what happened to, how is this, how hard is it, how long, when will, where is,
        what's going on, whats going on, finally, instead of, even though, only to, at all,
        any notice, without, keeps, kept, gone, deleted, removed, reset, resets, stopped, worse,
        no, nope, not, nothing, tried, already, literally, apparently, supposedly, used to,
        fuck, fucking, fucked, shit, damn, dammit, goddamn, randomly,
        for some reason, automatically, weird, i'm afraid, i fear, sigh, so sad, i'm sad,
        ☹, ☹️, 🙁, 😞, 😡, 😠, 🤬, 😤, 😒,
        """
    ),
    patterns=(
        r"\b\d+(?:st|nd|rd|th) time\b",
        r"\b(?:second|third|fourth|fifth|multiple|several|many) times?\b",
        r"\bstill (?:\w+ing|nothing|can't|cannot|don't|doesn't)\b",
        r"\?!|!\?",
    ),
    weight=0.5,
)

NOT_COMPLAINT = Lexicon(
    "not_complaint",
    "Idioms whose words of complaint say none: they are blanked before the complaint cues "
    "are counted ('no problem', 'not gonna lie', 'I will not cancel').",
    words=cues(
        """
        no problem, no problems, not a problem, not a big deal, no big deal, not big deal,
        no issue, no issues, not an issue, no worries, not bad, not too bad, didn't mind,
        didnt mind, don't mind, dont mind, do not mind, wouldn't mind, no complaints, can't complain, cannot complain,
        not gonna lie, not going to lie, won't lie, ngl, to be honest, can't wait, cannot wait,
        couldn't be happier, can't thank you enough, cannot thank you enough, will not cancel,
        won't cancel, not going to cancel, not cancelling, not canceling, never had a problem,
        never had an issue, no longer an issue, no longer a problem, not anymore, no fuss,
        if it happens again, if it happens, if it does it again, if it starts again,
        should it happen again, in case it happens, if it happens again i'll, holy shit,
        love that song, love that album, love that playlist, love that feature, love that idea,
        love that one, love that you, love how fast, love how quick, love how easy,
        love how helpful, love how responsive, love when you, when it breaks, if it breaks,
        when it happens again, next time it happens, next time it does, done what i can,
        sorry if i sounded rude, sorry if i was rude, sorry if that sounded rude,
        sorry if i came across as rude, sorry for being rude, sorry i was rude,
        resolving my complaint, resolved my complaint, resolving my issue, resolved my issue,
        resolving the issue, resolving the problem, fixing the issue, fixing the problem,
        not having the same issue, not having the same issues, not having the issue,
        not having any issues, not having any problems, no longer having, bug report,
        waiting for the result, waiting for the results, waiting for results,
        didn't even have to, didn't even need to, didn't have to, did not have to, no need to,
        """
    ),
)

BAD_SUPPORT = Lexicon(
    "bad_support",
    "Complaints about the support itself: nobody answers, long holds, unhelpful agents.",
    words=cues(
        """
        customer service, customer support, customer care, cust svc, support team, your support,
        your agent, your agents, agent, agents, representative, rep, reps, on hold, hold music,
        no response, no reply, no answer, not replied, not responded, hasn't replied,
        haven't replied, never replied, never responded, hung up, disconnected, ignored, ignoring,
        transferred, runaround, run around, nobody, no one, no help, not helpful, unhelpful,
        useless, live chat, chat, called, calling, phone, emailed, email, dm'd, dmed, messaged,
        service, cs, automated, spoke to, spoke with, talked to, support, helpline, call center,
        call centre, query, ticket, form to fill, supervisor, manager,
        """
    ),
)

# -- inbound: questions and requests ----------------------------------------------------------

QUESTION_START = Lexicon(
    "question_start",
    "A message that opens (after @handles) with a question word or an inverted auxiliary.",
    patterns=(
        r"^(?:@user\s+|[.,:]\s*)*(?:how|what|what's|whats|why|where|which|whom|whose|anyone|"
        r"anybody|wondering|(?:when|who) (?:will|is|are|do|does|did|can|should|would|was)|"
        r"(?:can|could|can't|is|isn't|are|aren't|am|do|does|doesn't|did|didn't|will|would|"
        r"should|shall|may|might|have|has|was|were|any) (?:you|u|i|we|it|there|this|that|my|"
        r"your|ur|anyone|someone|somebody|they|he|she)\b)",
        # a demand that opens the message: "Change your hold music", "Hi!! DM", "Refund me"
        r"^(?:@user\s+|[.,:]\s*)*(?:(?:hi|hey|hello|please|pls|plz)\W+)*(?:change|stop|fix|"
        r"refund|cancel|remove|sort|contact|call|email|check|send|give|explain|reply|respond|"
        r"answer|unblock|unlock|reset|reactivate|restore)\s+(?:me|my|your|this|it|the|us|our)\b",
        r"^(?:@user\s+|[.,:]\s*)*(?:(?:hi|hey|hello|please|pls|plz)\W+)*dm(?:\s+me)?\W*$",
    ),
)

CANNOT_FOLLOW = Lexicon(
    "cannot_follow",
    "A reply that cannot take the step the brand asked for ('I don't have a receipt', 'I can't, "
    "I switch devices'): it still needs help, a question.",
    patterns=(
        r"^(?:@user\s+)*(?:(?:no|sorry|unfortunately|but|well|nope)\W+)*(?:i|we) (?:can't|cant|"
        r"cannot|can not|couldn't|don't have|do not have|dont have|haven't got|have no|"
        r"no longer have|didn't get|did not get|never got)\b",
    ),
)

QUESTION_CARE = Lexicon(
    "question_care",
    "Asks of a care thread with no request word: to be kept posted (docs/labelling.md, fifth "
    "round), the same question as another customer's, a hope for the brand's help, a matter "
    "to raise with its managers.",
    words=cues(
        """
        keep me posted, keep me updated, keep me informed, keep me noted, keep me in the loop,
        keep us posted, keep us updated, keep us informed, keep me up to date, same inquiry,
        same enquiry, same query, same question, same request, hope i get your, hope i get some,
        hope you can help, hoping you can help, hope someone can help, hoping someone can help,
        hope to hear from you, hope to hear back, hoping to hear back, hope you can sort,
        raise this issue, raise this with, raise it with, raise the issue with,
        """
    ),
)

QUESTION = Lexicon(
    "question",
    "Questions and requests for help or information addressed to the brand.",
    words=cues(
        """
        any idea, any ideas, anyone know, does anyone, do you know, do you have, can you, could you,
        would you, will you, can i, could i, how do i, how can i, how to, where can i, where do i,
        what do i, is there, is it possible, please help, pls help, plz help, help me, help please,
        need help, i need, we need, need to know, i want to know, want to know, let me know,
        please advise, pls advise, advise, any update, any updates, update on, wondering,
        i was wondering, looking for, trying to find, please confirm, can someone, could someone,
        someone please, please reply, please respond, please call, please dm, dm me, how long,
        when will, what is the, what's the, whats the, how much, is this, are you, any way,
        anyway to, info on, information on, question, help, please, pls, plz, fix it, fix this,
        fix the, fix your, i would like, i'd like, would like to, want my, i want, we want,
        who do i contact, who should i, pm me, dm me, contact me, call me, get back to me,
        pay attention, need you to, you need to, y'all need, sort this, sort it, look into,
        speak to, talk to, explain, explanation, tell me, send me, give me, i'm trying to,
        im trying to, trying to, how do you, what happened, supposed to do, what now,
        """
    ),
    patterns=(r"\?",),
)

NOT_QUESTION = Lexicon(
    "not_question",
    "Request words that request nothing: thanks for the help already given, agreeing to the "
    "brand's offer ('please do'). Each match takes one question cue back.",
    words=cues(
        """
        for the help, for your help, for all the help, for all your help, for helping,
        appreciate the help, appreciate your help, appreciate all the help,
        for helping me, help was, helped me, please do, yes please, if you want, when i want,
        time i want, whenever i want, did help, that helped, it helped, this helped,
        helped a lot, really helped, help section, help page, help center, help centre,
        """
    ),
    # thanks for help with words between: "for your fast and good help"
    patterns=(r"\bfor\s+(?:your|the|all\s+(?:the|your))\s+(?:\w+\s+){1,3}help\b",),
)

# -- inbound: thanks and praise ---------------------------------------------------------------

# An interjection however drawn out ("oooh", "ahh", "awww", "wooow", "yaaay", "hahaha", "omg"):
# beside a thanks it adds nothing, and a thanks may follow it and still open the message.
INTERJECTION = (
    r"\b(?:o+h*|a+h+|a+w+h*|w+o+w*|y+a+y+|o+m+g+|h+a+(?:h+a+)+|h+e+(?:h+e+)+|lo+l|y+e+s+|"
    r"y+a+s+|w+h+o+a+)\b"
)

# A thanks and the words that may stand between it and what it is for: "thank you all for",
# "thanks again guys for", "thank you so much for".
_THANKS_LEAD = (
    r"\b(?:thanks?|thank\s*(?:you|u|ya)|thx|many\s+thanks|cheers)"
    r"(?:\s+(?:so|very|much|a\s+lot|again|all|guys|you\s+guys|y'all|everyone|both|team|"
    r"folks|once\s+more))*"
)

THANKS = Lexicon(
    "thanks",
    "Thanks and appreciation.",
    words=cues(
        """
        thanks, thank you, thank u, thx, thnx, ty, tysm, thanks so much, many thanks,
        much appreciated, appreciate it, appreciate you, appreciated, grateful, cheers, kudos,
        shout out, shoutout, props, hats off, thankyou, thank youu, thankss, thanx, tyvm,
        thank ya, thanks a bunch, thanks a million, big thanks, huge thanks, thnks, thnx, thks,
        tks, tq, thxs, thankful, so thankful, thanks a mill, thanks a mil, bless you, bless u,
        bless ya, god bless, merci, merci beaucoup, danke, danke schön, gracias, grazie, obrigado, obrigada,
        tack, takk, kiitos, arigato, appreciate the, i appreciate, i do appreciate, appreciate that,
        appreciate how, super appreciate, really appreciate, is appreciated, it is appreciated,
        thank you kindly, thanks heaps, much obliged, ta very much, thanku, thankyu, tnx,
        merci bien, mille mercis, vielen dank, danke sehr, bedankt, dank je, dank u, dankjewel,
        grazie mille, muito obrigado, muito obrigada, dziękuję, dzięki, спасибо, teşekkürler,
        teşekkür ederim, terima kasih, makasih, ありがとう, ありがとうございます,
        ありがとうございました, 有難う, どうも, 谢谢, 謝謝, 感谢, 감사합니다, 고마워요, 고맙습니다, شكرا,
        """
    ),
    # drawn-out spellings: "thankssss", "thank youuu", "thankyouuu", "graciaaas"
    patterns=(r"\bthanks{2,}\b", r"\bthank\s*yo+u+\b", r"\bthank\s*u+\b", r"\bgracia+s+\b"),
)

PRAISE = Lexicon(
    "praise",
    "Words of praise for the brand, its people or its products.",
    words=cues(
        """
        love, loved, loving, love you, love it, great, awesome, amazing, excellent, fantastic,
        brilliant, wonderful, superb, outstanding, impressive, impressed, best, the best, perfect,
        fabulous, incredible, stellar, top notch, first class, 5 stars, five stars, well done,
        good job, great job, nice job, great work, great service, good service, helpful, so helpful,
        very helpful, friendly, so quick, so fast, super fast, speedy, smooth, pleasure, delighted,
        recommend, rock, rocks, rocked, you guys rock, beautiful, lovely, yay, woohoo, favorite,
        favourite, <3, ❤, ❤️, 😍, 🙌, 👏, 😍, fab, fabulous, no fuss, sorted it, sorted,
        fixed it, that worked, it works, works now, legend, lifesaver, life saver,
        appreciate your, sweet, so sweet, so kind, very kind, looking good, looks good,
        looks great, looking great, you guys are, above and beyond, made my day, saved the day,
        saved my day, keep up the good work, keep it up, happy customer, so happy, very happy,
        really happy, pleased, enjoying, enjoyed, really enjoy, thrilled, hero, heroes, superstar,
        champ, nailed it, came in clutch, came through, 10/10, splendid, terrific, exceptional,
        surpassed expectations, exceeded expectations, exceeded my expectations, very capable,
        phenomenal, attentive, cutest, luv, 💯, 💚, 💙, 💜, 💛, 🧡, ♥, ♥️, 🥰, 😘,
        exactly what i needed, just what i needed, couldn't be happier, could not be happier,
        credit where it's due, credit where credit's due, credit where credit is due,
        on the ball, ace, aces, brill, cracking, bravo, much love, good stuff, great stuff,
        a gem, gem, on point, pleasantly surprised, hassle free, hassle-free, painless, courteous,
        so good, really good, so nice, very nice, mvp, goat, 🐐, 🤩, 💕, 💖, 💗, 😻, killing it,
        good at their job, good at your job, good at their jobs, great at their job,
        great at your job, wicked, how good it is, how good it was, friendliest, nicest,
        kindest, ⭐, 5 ⭐,
        """
    ),
)

PRAISE_YOU = Lexicon(
    "praise_you",
    "Praise said to the brand itself ('you guys are amazing', 'y'all are the best', 'your support "
    "team is great'): praise even beside an acknowledgement, a question or a complaint.",
    patterns=(
        r"\b(?:you|u|y'all|yall|ya'll|you guys|you all|your\s+(?:team|staff|support|service|"
        r"support\s+team|customer\s+service|app|people))(?:\s+(?:are|r|is|'re|have\s+been|"
        r"has\s+been)|['’](?:re|ve\s+been))"
        r"\s+(?:(?:so|really|truly|literally|just|always|absolutely|the|simply|a|an)\s+)*"
        r"(?:amazing|awesome|great|best|brilliant|fantastic|wonderful|excellent|incredible|"
        r"legends?|stars?|superb|greatest|cutest|lovely|helpful|the\s+best|heroes|rock\s*stars?|"
        r"sweet|kind|so\s+kind|nice|so\s+nice|the\s+greatest|stellar|phenomenal|lifesavers?|"
        r"life\s+savers?|the\s+mvp|on\s+point|aces?|a\s+gem|gems)\b",
        r"\b(?:you|y'all|you guys)\s+(?:have|got)\s+the\s+(?:best|greatest|nicest|friendliest)\b",
        # "you're a star", "ur the best", "youre amazing"
        r"\b(?:youre|ur)\s+(?:(?:so|really|truly|just|always|absolutely|the|a|an)\s+)*"
        r"(?:amazing|awesome|great|best|brilliant|fantastic|wonderful|excellent|incredible|"
        r"legends?|stars?|superb|greatest|lovely|helpful|heroes|sweet|kind|nice|lifesavers?)\b",
        # the brand's people: "your staff at Leeds were brilliant", "the agent I spoke to was
        # so helpful"
        r"\b(?:your|the)\s+(?:\w+\s+){0,2}(?:staff|team|agent|agents|rep|reps|representative|crew|"
        r"driver|technician|technicians|engineer|employee|employees|lady|guy|gentleman|advisor|"
        r"adviser|support|service|people)(?:\s+[\w']+){0,4}?\s+(?:was|were|is|are|has\s+been|"
        r"have\s+been)\s+(?:(?:so|really|very|super|truly|absolutely|extremely|incredibly|just|"
        r"beyond|a|an)\s+)*(?:amazing|awesome|great|brilliant|fantastic|wonderful|excellent|"
        r"incredible|superb|lovely|helpful|friendly|kind|patient|attentive|outstanding|"
        r"exceptional|fabulous|stars?|legends?|the\s+best|sound|(?:good|great)\s+at\s+"
        r"(?:their|your|its|the)\s+jobs?)\b",
        # what the brand did: "you guys rock", "y'all came through", "you nailed it"
        r"\b(?:you|u|y'all|yall|ya'll|you guys|you all)\s+(?:(?:really|totally|truly|just|"
        r"always|finally)\s+)?(?:rock|rocked|came\s+through|come\s+through|nailed\s+it|"
        r"saved\s+(?:the|my)\s+(?:day|night|life|weekend)|made\s+my\s+day|are\s+a\s+star|"
        r"are\s+stars|are\s+killing\s+it)\b",
    ),
)

THANKS_FOR = Lexicon(
    "thanks_for",
    "Thanks that say what for ('thank you for the aquarium music'): not a closing politeness.",
    patterns=(_THANKS_LEAD + r"\s+for\b",),
)

THANKS_FILLER = Lexicon(
    "thanks_filler",
    "Words that go with a thanks and add nothing to it ('thanks so much again, guys'): a "
    "message of thanks and these alone is a standalone thanks, praise whatever its sentiment.",
    words=cues(
        """
        so, very, much, a lot, lots, again, once again, really, oh, aw, aww, awww, ah, guys,
        you guys, y'all, you all, all, team, both, mate, man, dude, babe, love, sir, you,
        u, x, xx, xxx, xo, lol, haha, :d, heaps, tons, loads, just, and, again!, also, too,
        kindly, huge, big, a bunch, a million, bud, buddy, hun, huns, fam, folks, everyone,
        everybody, friend, friends, ya, yall, omg, wow, woo, woohoo, hahaha, hehe, truly,
        as always, as ever, cool, very cool, so cool, こちらこそ, 本当に, ほんとうに, どうも,
        """
    ),
    # interjections however drawn out: "oooh", "ahh", "awww", "wooow", "yaaay", "hahaha"
    patterns=(r"@user", INTERJECTION),
)


NOT_PRAISE = Lexicon(
    "not_praise",
    "Praise words in phrases that praise nothing: idioms and wishes. Each match takes one "
    "thanks or praise cue back.",
    words=cues(
        """
        for the love of, would love, i'd love, id love, love to know, love to see, love to get,
        love to have, love it if, would be great, would be nice, best way, the best way,
        best regards, great deal of, not great, not the best, not so great, thanks in advance,
        thank you in advance, thanks anyway, thanks for nothing, no thanks, love how, love that,
        just great, all the best, best wishes, best of luck, not pleased, not very pleased,
        not enjoying, not so happy, not very happy, not really happy, not a hero,
        i'd appreciate, i would appreciate, i'll appreciate, would appreciate, would be appreciated,
        will be appreciated, would be lovely, would be awesome, would be amazing, would be perfect,
        would be cool, don't recommend, do not recommend, wouldn't recommend, would not recommend,
        not recommend, less than helpful, not helpful, not very helpful, not so helpful,
        not that helpful, amazing how, best case, at best,
        best friend, best friends, best buy, best western, great western, love song, love songs,
        love island, perfect velvet, 🙃, best-selling, best selling, bestselling, best seller,
        best sellers, best price, best prices, best deal, best deals, best of, greatest hits,
        the best part of, best part of a, next best, second best, previously worked,
        used to work, it used to work,
        """
    ),
    # a praise word negated: "not exceptional", "wasn't that helpful", "never very quick"
    patterns=(
        r"\b(?:not|isn't|isnt|wasn't|wasnt|aren't|arent|weren't|never)\s+(?:(?:so|that|very|"
        r"really|too|particularly|exactly)\s+)?(?:great|good|exceptional|amazing|awesome|helpful|"
        r"impressive|impressed|perfect|friendly|fast|quick|brilliant|excellent|fantastic)\b",
        # a wish however it is said: "it'd be awesome if", "would've been great to know"
        r"\b(?:would|it'd|itd)\s+(?:be|have\s+been|'ve\s+been|ve\s+been)\s+"
        r"(?:(?:so|really|very|super|pretty)\s+)?(?:great|nice|awesome|amazing|lovely|perfect|cool|"
        r"good|helpful|fantastic|brilliant|wonderful)\b",
        # praise on a condition: "if this can be fixed that's great", "if so, it'd be perfect"
        r"\bif\b[^.!?]{0,80}?\b(?:that's|thats|that\s+is|that'd\s+be|that\s+would\s+be|"
        r"it's|will\s+be)\s+(?:(?:so|really|very|super|pretty)\s+)?(?:great|awesome|amazing|"
        r"perfect|lovely|brilliant|fantastic|wonderful)\b",
        # a request's politeness: "would be greatly appreciated", "will be much appreciated"
        r"\b(?:would|will|'d)\s+be\s+(?:greatly|much|really|very\s+much|hugely|highly|most|so)\s+"
        r"appreciated\b",
        # a polite concession before the point: "That's great, but ...", "sounds good and all, but"
        r"\b(?:that's|thats|that\s+is|it's|its|sounds|looks)\s+(?:(?:all|really|very|so)\s+)?"
        r"(?:great|good|nice|awesome|cool|fine|lovely|amazing)(?:\s+and\s+all)?[\s,.!]*"
        r"(?:but|however|although|though|except)\b",
        # ... with a short clause between: "Sounds great, I really miss it. But it's been months"
        r"\b(?:that's|thats|sounds|looks)\s+(?:great|good|nice|awesome|cool|lovely|amazing)"
        r"[\s,.!]+[^.!?]{0,40}[.!?]\s*(?:but|however)\b",
        # thanks that lead into the point: "Thanks DB but when I click ...", "I appreciate the
        # response, although none of these apply"
        r"^(?:@user\s+)*(?:thanks?|thank\s*(?:you|u)|thx|ty|(?:i\s+)?appreciate\s+\w+(?:\s+\w+)?)"
        r"(?:\s+\w+)?[\s,.!]*(?:but|however|although|though)\b",
        # grudging thanks: "thanks for at least telling me"
        r"\b(?:thanks?|thank\s*(?:you|u))\s+(?:\w+\s+)?for\s+at\s+least\b",
        # praise of a song, an album or a friend, not of the brand: "my favourite album",
        # "love this song", "her voice is amazing"
        r"\b(?:favou?rite|fave|fav|best|greatest)\s+(?:song|songs|album|albums|track|tracks|"
        r"artist|artists|band|bands|singer|singers|rapper|ep|single|record|tune|tunes|podcast|show|"
        r"movie|film|book|team|player)\b",
        r"\b(?:love|loved|loving|luv)\s+(?:this|that|his|her|their|these|those|my)\s+"
        r"(?:song|songs|album|albums|track|tracks|band|artist|music|voice|lyrics|tune|ep|single|"
        r"guy|girl|man|woman|boy|dog|cat|show|movie|film)\b",
    ),
)

THANKS_FOR_HELP = Lexicon(
    "thanks_for_help",
    "Thanks for something the brand did (its help, its answer, its fix) or word that the help "
    "worked. That is sincere thanks whatever the story around it, which is often of the "
    "problem that was solved, and so negative to a sentiment lexicon; it is not the thanks "
    "that close a request ('thanks in advance').",
    patterns=(
        # "thanks (so much) for the quick reply", "thank you for your help", "thanks for
        # reaching out / getting back / looking into it"
        _THANKS_LEAD + r"\s+for\s+(?:(?:the|your|all\s+(?:the|your)|such\s+a|a)\s+)?"
        r"(?:(?:quick|fast|speedy|prompt|swift|kind|great|helpful|timely)\s+)?"
        r"(?:help|helping|assistance|support|advice|tip|tips|fix|looking\s+into|sorting|"
        r"fixing|following\s+up|time|effort|patience|time\s+and\s+effort|explanation|"
        r"clarification|heads\s+up|suggestion|suggestions|recommendation|workaround|solution|"
        r"attention)\b",
        # thanks that say what was good about the answer: "thanks for your prompt responses"
        # (praise beside an acknowledgement too: docs/labelling.md, fifth round)
        _THANKS_LEAD + r"\s+for\s+(?:(?:the|your|all\s+(?:the|your)|such\s+a|a)\s+)?"
        r"(?:(?:very|super|so|really)\s+)?(?:quick|fast|speedy|prompt|swift|rapid|kind|helpful)\s+"
        r"(?:reply|replies|response|responses|answer|answers)\b",
        # "appreciate your help", "I appreciate the quick response"
        r"\bappreciate\s+(?:your|the|all\s+your)\s+(?:(?:quick|fast|prompt|kind)\s+)?"
        r"(?:help|assistance|support|reply|response|patience)\b",
        # the brand's help worked: "that helped", "that fixed it" ("thanks, that fixed it!")
        # ("it worked" is left out: it tells the history of a fault as often, "it worked for a
        # few weeks")
        r"\b(?:that|this)\s+(?:\w+\s+)?(?:really\s+)?(?:helped|fixed\s+it|did\s+the\s+trick|"
        r"solved\s+it|worked)\b",
        r"\b(?:you|it|he|she|they)\s+(?:really\s+)?(?:helped|fixed\s+it|solved\s+it)\b",
        # a step the brand gave that works: "Restarting does resolve the issue. Thanks."
        r"\b(?:does|did)\s+(?:resolve|fix|solve|sort)\s+(?:it|the\s+(?:issue|problem))\b",
        r"\bdid\s+help\b(?:\s*(?:[!.,:;)]|$|a\s+lot|thanks?|thx))",
        r"\b(?:you|they|he|she|your\s+\w+)\s+(?:solved|fixed|sorted|resolved)\s+(?:my|the|it|this)\b",
    ),
)

THANKS_FOR_REPLY = Lexicon(
    "thanks_for_reply",
    "Thanks for an answer (the reply, the info, getting back): praise when the message asks "
    "and complains of nothing; beside a fault still there it is politeness.",
    patterns=(
        _THANKS_LEAD + r"\s+for\s+(?:(?:the|your|all\s+(?:the|your)|such\s+a|a)\s+)?"
        r"(?:(?:quick|fast|speedy|prompt|swift|kind|great|helpful|timely)\s+)?"
        r"(?:reply|replies|replying|response|responses|responding|answer|answers|info|"
        r"information|update|"
        r"reaching\s+out|getting\s+back)\b",
    ),
)

HELP_WORKED = Lexicon(
    "help_worked",
    "Word that the fault is gone ('it's working now', 'back to normal', 'all sorted'): "
    "beside a thanks, sincere thanks for help that worked; it also takes back complaint cues "
    "of the story told before it.",
    patterns=(
        r"\b(?:it's|its|it is|everything's|everything is|all|mine's|mine is|it|they're|they are)"
        r"\s+(?:\w+\s+)?(?:working|functioning|sorted|fixed|resolved|back|up|good|well|fine)\s+"
        r"(?:now|again|today|fine|perfectly|normally|to normal)\b",
        r"\b(?:working|sorted|fixed|resolved|solved) (?:now|again)\b",
        r"\bback\s+(?:working|online|on\s+track|to\s+working)\b",
        r"\b(?:works|working|worked)\s+like\s+a\s+charm\b|\bup\s+and\s+working\b",
        r"\bworking\s+(?:\d+\s*%|perfectly|properly|great|normally)\s+(?:now|again)\b",
        r"\b(?:seems|seem|it's|its|it\s+is|much|way|works|working|running)\s+(?:a\s+lot\s+|much\s+|"
        r"way\s+|so\s+much\s+)?better\s+now\b",
        r"\b(?:solved|sorted|fixed|resolved)\s+it\s+(?:by|with|myself)\b",
        r"\b(?:i'm|im|i\s+am|we're|we\s+are)\s+(?:finally\s+)?back\s+in\b",
        r"\b(?:back\s+)?up\s+and\s+running\b",
        r"\b(?:now|again) working\b",
        r"\bback to normal\b",
        r"\ball (?:is )?(?:well|good|sorted)\b",
        r"\b(?:got|get) it (?:to work|working|sorted|fixed)\b",
        r"\b(?:worked out|works now|working fine|works fine|works perfectly|works flawlessly|"
        r"working perfectly|flawlessly|recovered|figured it out)\b",
        r"\b(?:solved|fixed|sorted|resolved) (?:the|my) (?:issue|problem)\b",
        r"\b(?:problem|issue|all)\s+(?:solved|sorted|fixed|resolved)\b",
        # "It worked!", "Clearing worked, thx", "that did it", "the flow option did the trick":
        # "worked" ends its clause (not "it worked for a few weeks", the history of a fault)
        r"\bworked(?:\s+(?:now|again|perfectly|great|fine|like\s+a\s+charm))?\s*"
        r"(?:[!.,;:)]|$|(?:thanks?|thank|thx|cheers|ty)\b)",
        r"\b(?:did|does|done)\s+the\s+trick\b",
        r"\b(?:that|this|which)(?:'s|\s+has)?\s+(?:did|done|sorted|fixed)\s+it\b",
        r"\b(?:got|get) it (?:all )?(?:resolved|figured out|sorted out)\b",
        # "everything seems normal now", "that made a huge difference"
        r"\b(?:everything|all|it)\s+(?:seems|looks|is)\s+(?:to\s+be\s+)?(?:normal|fine|good|ok|"
        r"okay)\s+(?:now|again)\b",
        r"\b(?:made|makes|making)\s+(?:a\s+)?(?:huge|big|massive|real|world\s+of)\s+difference\b",
        r"(?:^(?:@user\s+|\W+)*|\b(?:it|this|that)\s+(?:now\s+|finally\s+)?)seems?\s+to\s+"
        r"(?:have\s+)?(?:worked|work\s+now|be\s+(?:working|fixed|sorted|resolved))\b",
        r"\b(?:fixed|sorted|resolved)\s+itself\b",
        r"\b(?:finally|now)\s+able\s+to\b",
        r"\bi\s+can\s+\w+(?:\s+\w+)?\s+(?:now|again)\b",
        r"\balready\s+(?:fixed|sorted|resolved|solved|working)\b",
        r"\b(?:problem|issue)\s+(?:is|was|has\s+been|got|seems\s+to\s+have\s+been)\s+"
        r"(?:solved|fixed|resolved|sorted|gone)\b",
        r"\bseems?\s+to\s+have\s+(?:fixed|solved|sorted|resolved)\s+(?:it|the|my)\b",
        r"\bnow\s+(?:it's|its|it\s+is|everything's|everything\s+is|it)\s+(?:all\s+)?"
        r"(?:working|works|fine|good|sorted|fixed)\b",
        r"\bdid\s+work\b(?:\s*(?:[!.,:;)]|$|thanks?|thx))",
        r"\b(?:that|this|which|it)\s+(?:solves|fixes|sorts|resolves)\s+(?:my|the|it)\b",
        # "it FINALLY went through"
        r"\b(?:finally|it|payment|order)\s+(?:finally\s+)?went\s+through\b",
        # "restarting fixed it", "the update resolved the issue"
        r"\b(?:\w+ing|restart|reboot|reinstall|update|that|this|it)\s+(?:fixed|solved|sorted|"
        r"resolved)\s+(?:it|the\s+(?:issue|problem))\b",
        # "Now works, thanks!", "It works again.", "it's been resolved thank you though"
        r"\bnow\s+works\b|\b(?:it|everything|all)\s+works\s+again\b",
        r"\b(?:it's|its|it\s+has|that's|that\s+has|everything's|everything\s+has)\s+been\s+"
        r"(?:resolved|fixed|sorted|solved)\b",
        # "it started working ok for now", "started working again"
        r"\b(?:started|starts|began)\s+working\s+(?:again|ok|okay|fine|now|properly|normally)\b",
        # "it's alright now", "It's working, now", "it appears to be working", "Solved. Thx",
        # "solved it by downloading the desktop app", "appears to have been resolved"
        r"\b(?:it's|its|it\s+is|everything's|everything\s+is)\s+(?:all\s+)?(?:alright|ok|okay|"
        r"working)[\s,]+now\b",
        r"\b(?:seems?|appears?)\s+to\s+(?:be\s+working|have\s+been\s+(?:resolved|fixed|solved|"
        r"sorted))\b",
        r"^(?:@user\s+)*(?:(?:ok|okay|yes|yep|all|hey|hi)\W+)*(?:solved|sorted|fixed|resolved)\s*"
        r"(?:[!.,:;)]|$|(?:thanks?|thank|thx|cheers|ty)\b)",
        r"\b(?:i|i've|i\s+have|we|just|finally)\s+(?:solved|sorted|fixed|resolved|figured\s+out)"
        r"\s+it\b",
    ),
)

HELP_FAILED = Lexicon(
    "help_failed",
    "The brand's help did not work: each match takes a `thanks_for_help` cue back.",
    patterns=(
        r"\b(?:none\s+of|neither\s+of|nothing\s+of|not|never|hardly)\s+(?:(?:that|this|it|them|"
        r"those|these|you)\s+)?(?:really\s+)?(?:helped|fixed\s+it|did\s+the\s+trick|"
        r"solved\s+it|worked)\b",
        r"\b(?:not|isn't|isnt|aren't|arent|wasn't|hasn't been|still not|never|no longer)\s+"
        r"(?:\w+\s+)?(?:working|sorted|fixed|resolved|back to normal|recovered)\b",
        r"\b(?:nothing|neither|none|n't|nt|doesn't|doesnt|didn't|didnt|hasn't|hasnt|haven't|havent)\s+"
        r"(?:(?:really|seem\s+to|seemed\s+to|seem\s+to\s+have)\s+)?(?:help|helped|worked|fixed\s+it|"
        r"did\s+the\s+trick|done\s+the\s+trick)\b",
        r"\b(?:doesn't|doesnt|does not|don't|dont|didn't|didnt)\s+seem\s+to\s+(?:have\s+)?"
        r"(?:worked|work|be\s+(?:working|fixed|sorted|resolved))\b",
        r"\bnot\s+(?:finally\s+|now\s+)?able\s+to\b",
        # "that didn't work" (not "if this doesn't work", a plan)
        r"\b(?:that|this|it|which|nothing)\s+(?:still\s+)?(?:didn't|didnt|did\s+not|won't|wont|"
        r"will\s+not)\s+work\b",
        # a diagnosis, not a fix: "everything else works fine", "it works fine on my tablet"
        r"\b(?:else|others?|rest)\s+(?:\w+\s+)?(?:works|work|is\s+working|are\s+working|working)\s+"
        r"(?:fine|perfectly|normally|well)\b",
        r"\bworks?\s+(?:fine|perfectly|normally|well)\s+(?:on|in|with)\s+(?:my|the|other|another|"
        r"a\s+different)\b",
    ),
)

ACKNOWLEDGEMENT = Lexicon(
    "acknowledgement",
    "Replies that close a conversation: ok, will do, sounds good. Thanks that come with them "
    "are an acknowledgement, not praise the brand owes a reply to.",
    patterns=(
        r"^(?:@user\s+)*(?:ok|okay|k|kk|alright|all right|sure|yes|yep|yeah|no worries|"
        r"will do|sounds good|got it|noted|understood|fine|done)\b"
        r"[\s,.!:)-]*(?:thanks?|thank you|thx|ty|cheers)?",
        # words of praise close a conversation only alone ("Great, thanks!"), not when they
        # praise something ("Great job on the new blend")
        # ("Cool, thank you 😀" is a short thanks with a word of delight, like "Sweet, thanks!":
        # labelled praise)
        r"^(?:@user\s+)*(?:nice|good|gotcha|right|great)(?:\s*(?:$|[,.!:)-]|thanks?\b|"
        r"thank you|thx\b|ty\b|cheers))",
        r"\b(?:will do|sounds good|got it|gotcha|i'll try|will try|i will try|i'm waiting|"
        r"waiting for|i'll wait|will wait|i shall|i'll do that|i will do that|i'll check|"
        r"will check|looks like it|fingers crossed|fingers are crossed|just did|i did it|"
        r"i've sent|i have sent|just sent|sent (?:it|them|you|to you|over)|i'll dm|will dm)\b",
        # a step done, said as a sentence of its own: "Thanks, sent DM", "Thanks. DM sent.",
        # "thanks i dm'd you", "Will send details now"
        r"(?:^|[.!,:;]\s*|\bthanks?\s+|\bthank\s+you\s+)(?:@user\s+)*(?:(?:i|i've|i\s+have|just|i\s+just|"
        r"will|i'll|i\s+will)\s+)*(?:sent|sending|send|dm'd|dmed|dm'ed|pm'd|pmed|messaged|emailed|"
        r"replied|responded|answered)"
        r"(?:\s+(?:you|u|your|ya|you\s+guys|it|them))?(?:\s+(?:an?|the))?(?:\s+(?:dm|pm|message|email|"
        r"e-mail|details|screenshots?|info))?\s*(?:[.!,:;)]|$|now|over|through|thru|separately|"
        r"via|to)",
        r"(?:^|[.!,:;]\s*|\bthanks?\s+|\bthank\s+you\s+(?:very\s+much\s+)?)(?:@user\s+)*(?:the\s+|my\s+)?"
        r"(?:dm|pm|message|email)\s+(?:is\s+|has\s+been\s+)?(?:sent|done)\b",
        # "Thanks, have done so", "thank you, I've done that"
        r"(?:^|[.!,:;]\s*|\bthanks?\s+|\bthank\s+you\s+)(?:@user\s+)*(?:i\s+)?(?:have|'ve|i've)\s+"
        r"(?:now\s+|just\s+)?done\s+(?:so|that|it)\b",
        # "aww thanks! i will!": a step promised, as a sentence of its own
        r"(?:^|[.!]\s+|\bthanks?[\s!.,]+|\bthank\s+you[\s!.,]+)(?:@user\s+)*(?:i\s+will|i'll|"
        r"we\s+will|we'll)(?:\s+(?:do|try))?(?:\s+(?:it|that|so))?\s*(?:[.!,:;)]|$)",
    ),
)

# -- brand posts: content types ---------------------------------------------------------------

CARE_REPLY = Lexicon(
    "care_reply",
    "A brand's reply to a customer: apologies, requests to DM, offers of help.",
    words=cues(
        """
        sorry to hear, sorry about, sorry for, we're sorry, we are sorry, so sorry, apologize,
        apologise, apologies, our apologies, apologize for, dm us, send us a dm,
        send us a direct message, direct message, via dm, in dm, please dm, dm your, dm with,
        follow and dm, reach out, reach us, contact us, get in touch, please follow,
        we'd like to help, we'd love to help, we can help, happy to help, glad to help,
        here to help, let us know, we'll look into, look into this, looking into, we're looking,
        we are looking, our team will, the team will, specialist, escalate, passed this on,
        pass this on, thanks for your feedback, thanks for reaching out, thanks for letting us know,
        thank you for your patience, for your patience, understand your frustration, inconvenience,
        any further, glad to hear, glad we could, have a great day, have a good day, order number,
        account number, confirmation number, email address, zip code, which version, what version,
        ios version, device model, restart, reinstall, log out, sign out, clear the cache,
        try these steps, thanks for contacting us, thanks for confirming, keep us posted,
        here to assist, we've sent you, sent you a dm, work around, workaround, this article,
        support article, can you try, let's try, we'll get this,
        """
    ),
    patterns=(r"(?:^|\s)[\^*/]\s?[a-z]{1,3}\s*$",),  # agents' initials signing off: "^JS", "/DV"
)

GIVEAWAY = Lexicon(
    "like_bait",
    "Contests and giveaways run for likes, follows and shares (like-bait).",
    words=cues(
        """
        giveaway, give away, #giveaway, contest, #contest, competition, #competition, sweepstakes,
        raffle, to win, chance to win, win a, win an, win one, win tickets, win free, #win, winner, winners, prize, prizes, enter to win,
        retweet to win, rt to win, like and share, like & share, like + share, share to win,
        follow us and, follow and retweet, follow & retweet, follow + retweet, follow and rt,
        follow & rt, tag a friend, tag your friends, tag 3 friends, tag two friends, tag someone,
        double tap, like if, like this if, rt if, retweet if, share if, comment to win,
        comment below to enter, to enter, free to enter, #freebiefriday, freebie,
        """
    ),
    weight=1.5,
)

PROMOTION = Lexicon(
    "promotion",
    "Selling: offers, prices, discounts, calls to buy or book.",
    words=cues(
        """
        sale, on sale, sales, discount, discounts, deal, deals, offer, offers, special offer,
        limited time, limited edition, today only, this weekend only, ends tonight, ends soon,
        last chance, don't miss, hurry, while stocks last, shop now, shop our, buy, buy now,
        order now, order today, book now, book your, get yours, grab yours, pre-order, preorder,
        available now, now available, in stock, back in stock, free shipping, free delivery,
        promo code, coupon, voucher, use code, discount code, bogo, buy one get one, half price,
        black friday, cyber monday, clearance, price, prices, pricing, only $, from $, starting at,
        savings, subscribe, subscribe now, sign up, sign up now, link in bio, shop the, checkout,
        add to cart, new arrivals, new collection, try our, try it free, free trial, order yours,
        reserve your, get tickets, get your tickets, tickets on sale, happy hour, canvas print,
        available as, print available, for sale, merch, my course, my book, my ebook, preorder now,
        early bird, per month, /month, a month, pricing page, upgrade now, get premium,
        """
    ),
    patterns=(
        r"[$£€¥]\s?\d",
        r"\d\s?(?:usd|eur|gbp|dollars|euros|pounds)\b",
        r"\b\d{1,2}\s?% off\b",
        r"\b(?:up to|save) [$£€]?\d",
    ),
)

# On a person's account (one that does not do care), words of commerce alone ("I bought a
# license for $30", "I subscribe to a dozen channels", "tech sales bros") tell of the author's
# own dealings; a post sells only when it asks the reader to buy or pushes an offer
# (docs/labelling.md). These are those calls and offers; promotion's other cues count beside one.
CALL_TO_BUY = Lexicon(
    "call_to_buy",
    "A call to buy or an offer (get yours, use code, 20% off): what makes a person's post sell.",
    words=cues(
        """
        shop now, shop our, shop the, buy now, order now, order today, order yours, book now,
        book your, get yours, grab yours, get one, pre-order, preorder, use code, promo code,
        coupon, voucher, discount code, discount, discounts, on sale, for sale, special offer,
        limited time, limited edition, today only, this weekend only, ends tonight, ends soon,
        last chance, don't miss, hurry, while stocks last, free shipping, free delivery, bogo,
        buy one get one, half price, black friday, cyber monday, clearance, subscribe now,
        sign up now, link in bio, add to cart, new arrivals, new collection, try our, try it free,
        free trial, reserve your, get tickets, get your tickets, get your ticket, tickets on sale,
        early bird, upgrade now, get premium, canvas print, available as, print available,
        my course, my book, my ebook, in stock, back in stock, happy hour, check it out here,
        ticket sale, one day only,
        """
    ),
    patterns=(
        r"\b\d{1,2}\s?% off\b",
        r"\b(?:up to|save) [$£€]?\d",
        # an imperative that opens a sentence: "Subscribe to ...", "Buy it here"
        r"(?:^|[.!?:]\s+)(?:subscribe|sign up|buy|order|shop|grab)\b",
    ),
)

# A keyboard shortcut, "cmd+shift+p", "ctrl + delete", "⌘K": a tip in any language.
KEY_SHORTCUT = r"(?:\b(?:cmd|ctrl|control|alt|option|opt|shift|super|meta)\s?\+\s?\S|⌘\s?\S)"

EXPERTISE = Lexicon(
    "expertise",
    "Teaching and advice: how-to, tips, guides, insights, facts.",
    words=cues(
        """
        how to, how-to, here's how, heres how, learn how, learn about, learn to, learn from,
        learn what, learn why, learning, find out how, see how, tip, tips, #tip, #tips, protip,
        pro tip, guide, guides, tutorial, step by step, step-by-step, steps to, ways to, ways you,
        things to, mistakes, checklist, did you know, #didyouknow, fact, facts, myth, myths,
        research, study, studies, report, data shows, according to, insight, insights, lessons,
        advice, best practices, best practice, faq, explained, explanation, explains,
        explaining, why you, what you need to know,
        need to know, beginner, beginners, 101, webinar, how we, behind the scenes, the secret,
        secrets, hacks, strategy, strategies, trick, tricks, avoid,
        make sure, remember to, don't forget to, try this, #howto, #protip, #lifehack, til,
        today i learned, explainer, deep dive, write up, write-up, writeup, thread:, thread on,
        thread about, quick thread, short thread, mini thread, thread 👇, 🧵, cheatsheet,
        cheat sheet, docs, documentation, introduction to, intro to, getting started,
        under the hood, benchmark, benchmarks, benchmarking, performance, debugging, debug,
        optimizing, optimization, optimise, optimize, improving, speeding up, speed up,
        lessons learned, what i learned, i learned, learned, in production, use case, pattern,
        patterns, anti-pattern, refactor, refactoring, example, examples, demo, useful, handy,
        neat, great tool, nice tool, tool to, library for, how i, how we built,
        you can use, you can now, instead of, tl;dr, tldr, the trick, turns out, it turns out,
        reminder:, psa, psa:, how it works, this is how, behind-the-scenes, regular expressions,
        """
    ),
    patterns=(
        r"\b\d+ (?:ways|tips|steps|things|mistakes|reasons|ideas|lessons|rules)\b",
        # a title that opens "Understanding ...": an explainer
        r"^\W*understanding\b",
        # someone else's article shared: a resource ("@jaffathecake wrote about ...")
        r"@user (?:wrote|writes|has written) (?:about|up)\b",
        # a keyboard shortcut ("CMD+Option+v shows you ..."): a tip
        KEY_SHORTCUT,
    ),
)

ENGAGEMENT = Lexicon(
    "engagement",
    "Questions, polls and prompts put to the audience to start a conversation.",
    words=cues(
        """
        what's your, whats your, what is your, which one, which is your, which would you,
        what about you?, how about you?, and you?, what's yours?, what is yours?,
        does anyone know, anyone know, has anyone, any recommendations, recommendations?, lazyweb,
        would you rather, do you prefer, what do you think, what would you, how do you,
        how would you, who else, anyone else, tell us, let us know, share your, show us,
        comment below, in the comments, drop a, reply with, caption this, fill in the blank, poll,
        #poll, this or that, your favorite, your favourite, your thoughts, agree?,
        thoughts?, who's ready, who is ready, are you ready, raise your hand, have you ever,
        have you tried, how are you, happy monday, happy friday, happy weekend, tgif,
        good morning, gm, gm!, #mondaymotivation, #tbt, throwback, #throwbackthursday,
        #fridayfeeling, #wednesdaywisdom, should we, help us choose, help us decide, you decide,
        congrats, congratulations, well deserved, happy birthday, thanks for sharing,
        thanks for collecting, great talk, nice talk, cheers, nice one, good luck, big ups,
        shout out, shoutout, shout-out, kudos, hats off, props to,
        welcome, #trickortweet,
        """
    ),
    # A post that opens with a question to its readers.
    patterns=(
        r"^(?:which|what|who|where|how would|how do you|would you|do you|are you|have you|"
        r"should we|can you guess|if you)\b[^?]*\?",
        # a sincere question for the followers' help, anywhere in the post ("Is there a search
        # engine that ...?", "Can anyone recommend ...?")
        r"(?:^|[.!?:]\s+)(?:is there (?:a|an|any)|are there any|can (?:any|some)(?:one|body)|"
        r"could (?:any|some)(?:one|body)|does (?:any|some)(?:one|body)|"
        r"(?:any|some)(?:one|body) (?:have|got|use|using|tried)|"
        r"(?:do|does|did|have|has|can|could|would|will) any of you)\b[^?]*\?",
        # "Enjoy!", "take care and enjoy the rest of your trip": wished to someone, not "I enjoy"
        r"(?:^|[.!?,;:]\s*|@user\s+|\band\s+)enjoy\b",
    ),
    weight=1.2,
)

# Laughter talks with someone only in a reply: in an own post ("La sonrisa más cautivadora
# desde la Gioconda xD") it is the tone of a post about something else, which its other cues say.
LAUGHTER = Lexicon(
    "laughter",
    "Laughter (haha, lol): engagement in a reply to someone, no type of its own in an own post.",
    words=cues("haha, hahaha, lol"),
    patterns=(r"\b(?:ha){4,}\b",),
    weight=1.2,
)

# Agreement talks with someone only in a reply, as laughter does: in an own post "exactly" or
# "of course" ("in almost exactly the same way") is a word of the sentence, no question to anyone.
AGREEMENT = Lexicon(
    "agreement",
    "Agreement (exactly, me too): engagement in a reply to someone, no type in an own post.",
    words=cues("exactly, of course, agreed, indeed, same here, me too"),
    weight=1.2,
)

PERSONAL = Lexicon(
    "personal",
    "First-person private life: family, holidays, health, moods, opinions off the brand.",
    words=cues(
        """
        my wife, my husband, my kids, my son, my daughter, my mom, my mum, my dad, my family,
        my partner, my girlfriend, my boyfriend, my baby, my dog, my cat, my birthday, my bday,
        my weekend, my vacation, my holiday, my trip, my house, my home, my friends, my life,
        my car, my hair, my back, my head, i'm so tired, so tired, hungover, hangover, i'm sick,
        feeling sick, my cold, flu, my lunch, my dinner, my breakfast, my coffee, on vacation,
        on holiday, day off, vacation, holiday, beach, wedding, anniversary, i love my, i hate,
        i can't believe, can't wait to, i just, i'm going, i am going, i went, i had, i feel,
        i'm feeling, me and my, with my, selfie, #selfie, #me, lmao, omg,
        wish me luck, my cousin, my cousin's,
        politics, election, vote for, trump, biden, game tonight, my team, my age, my eyes,
        my desk, my office, my bike, my music, my band, my record, my song, lunch, dinner,
        breakfast, coffee, beer, wine, pizza, food, cooking, recipe, weather, rain, snow,
        sunny, summer, winter, spring, autumn, sunset, garden, cat, cats, dog, dogs, kitten,
        #caturday, puppy, music, song, album, record, band, concert, movie, film, book, novel,
        poem, podcast, i'm listening, i am listening, currently listening, been listening,
        bike, bikes, cycling, bike race, road race, tour de france, #tourdefrance, peloton,
        cyclists, playlist, running, hiking, football, soccer, basketball,
        baseball, god, death, die, life, heart, sleep, tired, wake up,
        birthday, kids, wife, husband, family, mum, mom, dad,
        travel, vacations, year in
        review, year-in-review, quote, anon, anonymous, yogi berra,
        """
    ),
)

FIRST_PERSON = Lexicon(
    "first_person",
    "A sentence that opens with I or my: a hint of a personal post, weaker than its topic.",
    patterns=(r"(?:^|[.!?]\s+)(?:i|i'm|im|i've|me|my)\b",),
    weight=0.4,
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)

ANNOUNCEMENT = Lexicon(
    "announcement",
    "News from the brand: launches, openings, events, hiring, changes, results.",
    words=cues(
        """
        announce, announcing, announcement, we're excited, we are excited, excited to, thrilled to,
        proud to, pleased to, happy to announce, introducing, meet the, meet our, launch, launches,
        launched, launching, just launched, just released, just shipped, shipped, now open,
        grand opening, coming soon, is here, are here, out now, is out, are out, released,
        new release, new version, new feature, new features, available from, big news,
        exciting news, #news, press release, welcome to, join us, join our, we're hiring,
        we are hiring, hiring, #hiring, job opening, careers, the event, this event, our event,
        an event, upcoming event, #event, event in, event on, event at, webinar, conference,
        speaking at, i'm speaking, talk at, my talk, slides, we're live, going live, live now,
        save the date, mark your calendar, closed on, opening hours, holiday hours, open late,
        open until, open on, reopening, reopen, milestone, award, awarded, winner of,
        partnership, partnering with, service update, service disruption, disruption, outage,
        maintenance, scheduled maintenance, delays on, we are aware, we're aware, is now available,
        now supports, changelog, v1, v2, v3, 1.0, 2.0, beta, alpha, open source, open sourced,
        new post, new blog post, blog post, i wrote, i've written, new episode,
        day 1, 0/100, 1/100, got my ticket, got my tickets, major release, first release, release notes,
        latest release,
        meetup, meet-up, kicks off, kicking off, takes place,
        will take place, we're looking for, we are looking for,
        is hiring, now hiring, apply now, join the team, new job, new role, i'm joining,
        i am joining, excited to join, reopened, resumed, suspended, restored, back up and running,
        service alert, travel update, #update, update:, delays, minor delays, severe delays,
        good service, planned closure, engineering works, diverted, closures,
        i made, i've made, i just made, i built, i've built, i just built, just published, i published, i've published, just pushed,
        is live, now live, my latest, announced, just announced,
        """
    ),
    # (a challenge's hashtag, #100DaysOfCode, is on every day's post: only its first day, "1/100",
    # announces it; the others are what they show)
    # (a rocket that opens a post launches something: "🚀 my-lib 🚀 http"; further on it is
    # often only emphasis, "queries más rápidas 🚀")
    # (the author's own project named as his: "my solo side project http", docs/labelling.md)
    patterns=(
        r"\bv\d+(?:\.\d+)+\b",
        r"^\W*🚀",
        r"\bmy (?:\pL+ ){0,2}(?:side |pet )?project\b",
        # a new job: "looking forward to join the @acme team"
        r"\bjoin(?:ing)? (?:the |our )?@user[^\pL]*team\b",
    ),
    weight=0.8,
)

# The day something takes place, "This Wednesday 14th May", "on May 14", "next Friday": an
# announcement cue in an own post (an event, a schedule); in a reply the day answers someone.
EVENT_DATE = Lexicon(
    "event_date",
    "A day or date in an own post: an announcement cue (an event or a schedule).",
    patterns=(
        r"\b(?:this|next|on)\s+(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
        r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH,
        _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?\b",
    ),
    weight=0.8,
)

# Everyday English words in tech_terms.txt that say nothing about the field on their own.
_NOT_FIELD = frozenset(
    [
        "go",
        "open",
        "source",
        "service",
        "workers",
        "less",
        "express",
        "spring",
        "map",
        "maps",
        "model",
        "models",
        "let",
        "var",
        "index",
        "unit",
        "grid",
        "fork",
        "branch",
        "promise",
        "promises",
        "thread",
        "threads",
        "memory",
        "alt",
        "src",
        "span",
        "ping",
        "release",
        "releases",
        "package",
        "packages",
        "cache",
        "query",
        "merge",
        "commit",
        "bundle",
        "prompt",
        "functional",
        "sketch",
        "notion",
        "slack",
        "arrow",
        "tiles",
        "carto",
        "int",
        "float",
        "string",
        "strings",
        "null",
        "vs",
        "cd",
        "mit",
        "mb",
        "gb",
        "kb",
        "tb",
        "alias",
        "env",
        "enum",
        "const",
        "func",
        "struct",
        "undefined",
        "nan",
        "byte",
        "bytes",
        "pr",
        "prs",
        "deploy",
        "open-source",
        "http",
        "https",
        "url",
        "urls",
        "uri",
        "gem",
    ]  # links are normalised to "http": never a field term
)


def tech_terms() -> tuple[str, ...]:
    """The words of tech_terms.txt (the field's vocabulary, see the file)."""
    from importlib import resources

    text = resources.files(__package__).joinpath("tech_terms.txt").read_text(encoding="utf-8")
    return tuple(
        w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")
    )


def field_words() -> tuple[str, ...]:
    """The words of tech_terms.txt that mark a post as being about the field."""
    return tuple(w for w in tech_terms() if w not in _NOT_FIELD)


FIELD = Lexicon(
    "field",
    "The vocabulary of software, the web and data (tech_terms.txt): a post in these words is "
    "about the field of a technical account, so expertise unless another type says otherwise.",
    words=field_words(),
    weight=0.6,
)

# -- what the content types are tried in, when several match equally --------------------------

CONTENT_LEXICONS: dict[str, Lexicon] = {
    "care_reply": CARE_REPLY,
    "like_bait": GIVEAWAY,
    "promotion": PROMOTION,
    "expertise": EXPERTISE,
    "engagement": ENGAGEMENT,
    "announcement": ANNOUNCEMENT,
    "personal": PERSONAL,
}

# Lexicons that adjust a content type's score without being one.
CONTENT_MODIFIERS: dict[str, Lexicon] = {
    "field": FIELD,
    "first_person": FIRST_PERSON,
    "laughter": LAUGHTER,
    "agreement": AGREEMENT,
    "event_date": EVENT_DATE,
    "call_to_buy": CALL_TO_BUY,
}

INBOUND_LEXICONS: dict[str, Lexicon] = {
    "complaint": COMPLAINT,
    "complaint_report": COMPLAINT_REPORT,
    "complaint_fault": COMPLAINT_FAULT,
    "complaint_strong": COMPLAINT_STRONG,
    "complaint_weak": COMPLAINT_WEAK,
    "sarcasm": SARCASM,
    "not_complaint": NOT_COMPLAINT,
    "bad_support": BAD_SUPPORT,
    "question": QUESTION,
    "question_start": QUESTION_START,
    "question_care": QUESTION_CARE,
    "not_question": NOT_QUESTION,
    "cannot_follow": CANNOT_FOLLOW,
    "thanks": THANKS,
    "praise": PRAISE,
    "praise_you": PRAISE_YOU,
    "not_praise": NOT_PRAISE,
    "thanks_for": THANKS_FOR,
    "thanks_filler": THANKS_FILLER,
    "thanks_for_help": THANKS_FOR_HELP,
    "thanks_for_reply": THANKS_FOR_REPLY,
    "help_worked": HELP_WORKED,
    "help_failed": HELP_FAILED,
    "acknowledgement": ACKNOWLEDGEMENT,
}

from .lexicons_es import SPANISH  # noqa: E402  (the Spanish twins, by the English one's name)

ALL_LEXICONS: dict[str, Lexicon] = {
    **INBOUND_LEXICONS,
    **CONTENT_LEXICONS,
    **CONTENT_MODIFIERS,
    **{f"{name}_es": lex for name, lex in SPANISH.items()},
}


def lexicon_for(name: str, lang: str) -> Lexicon | None:
    """The lexicon named `name` (the English one's name) in language `lang`, if there is one."""
    if lang == "es":
        return SPANISH.get(name)
    return ALL_LEXICONS.get(name) if lang == "en" else None
