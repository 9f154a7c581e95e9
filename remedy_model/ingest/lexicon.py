"""The keyword lexicon: which words tag a fault type, a vulnerable group, a carer, a death.

Every pattern is a regular expression matched on lower-cased text whose quotes and dashes are
plain ASCII (see :func:`remedy_model.ingest.layout.plain_lower`). Fault types are looked for
only in *finding* sentences: those that say something went wrong (:data:`FINDING`), are not
negated (:data:`NEGATED`) and, unless the whole complaint was upheld, do not merely report what
the complainant says (:data:`ALLEGATION`). Recommendations to apologise for, review or train on
something also count, since they name the fault they put right.

Examples of what tags what:

>>> tag_faults("the care plan failed to set out the support he could expect")
['care_plan']
>>> tag_faults("the council failed to provide suitable respite for two years")
['respite_not_provided']
>>> sorted(tag_faults("it did not assess her needs as a carer and did not explain its charges"))
['carer_assessment', 'charging', 'communication']
>>> tag_vulnerable("a young man with a severe learning disability and epilepsy")
['learning_disability']
>>> is_finding("We found no evidence of fault by the Council.")
False
>>> is_finding("The Council failed to review the plan.")
True
"""

from __future__ import annotations

import re

# --- fault types -------------------------------------------------------------------------------

FAULT_LEXICON: dict[str, str] = {
    "assessment_delay": (
        r"delay\w*\s+(?:[\w'-]+\s+){0,4}(?:(?:re)?assess|review|the\s+assessment)|"
        r"assess\w*\s+(?:[\w'-]+\s+){0,4}(?:delay|too\s+long|late\b)|"
        r"(?:not|never)\s+(?:been\s+)?assessed\s+(?:until|for\s+(?:months|years))|"
        r"(?:wait|waited|waiting)\s+(?:[\w'-]+\s+){0,4}(?:for\s+)?(?:an?\s+)?(?:assessment|review)|"
        r"assessed\s+(?:[\w'-]+\s+){0,2}in\s+a\s+timely\s+way"
    ),
    "assessment_flawed": (
        r"assessment\s+(?:was|were)\s+(?:flawed|inadequate|incomplete|not\s+person-centred|"
        r"wrong|unreliable)|not\s+person-centred|flawed\s+assessment|"
        r"(?:did\s+not|failed\s+to)\s+(?:properly\s+)?(?:consider|take\s+into\s+account)\s+"
        r"(?:[\w'-]+\s+){0,4}(?:information|needs|wishes)\s+(?:[\w'-]+\s+){0,3}(?:assess|available)"
    ),
    "care_not_provided": (
        r"fail\w*\s+to\s+(?:meet|provide|arrange)\s+(?:[\w'-]+\s+){0,6}(?:care|needs|support|"
        r"services?|package)|"
        r"(?:did\s+not|not)\s+(?:receive|get|provided?\s+with)\s+(?:[\w'-]+\s+){0,4}(?:care|support|"
        r"services?)|lack\s+of\s+(?:support\s+)?services|unmet\s+(?:eligible\s+)?needs|"
        r"(?:needs|care|support)\s+(?:were|was)\s+(?:not|never)\s+(?:met|provided)|"
        r"meet\s+(?:[\w'-]+\s+){0,3}(?:eligible\s+|basic\s+)?care\s+needs|missed\s+(?:care\s+)?calls|"
        r"without\s+(?:any\s+)?(?:care|support)\b|no\s+(?:day\s+)?services"
    ),
    "care_quality": (
        r"poor\s+(?:quality\s+)?care|quality\s+of\s+(?:the\s+)?care|pressure\s+(?:sore|ulcer)|"
        r"(?:adequate|proper|appropriate)\s+care|neglect\w*|painkillers?|medication|"
        r"(?:care|service)\s+(?:was|were)\s+(?:poor|inadequate|unsafe)"
    ),
    "care_plan": r"(?<!health and )(?<!health & )\bcare\s+(?:and\s+support\s+)?plans?\b",
    "respite_not_provided": (
        r"respite\b(?:\s+\w+){0,8}\s+(?:not|lost|never|missed|cancel)|"
        r"(?:lack|loss)\s+of\s+(?:[\w'-]+\s+){0,2}respite|lost\s+(?:[\w'-]+\s+){0,6}respite|"
        r"(?:fail\w*|not)\s+(?:[\w'-]+\s+){0,3}(?:provide|arrange)\s+(?:[\w'-]+\s+){0,4}respite|"
        r"without\s+(?:[\w'-]+\s+){0,2}respite|no\s+(?:\w+\s+)?respite|short\s+breaks?\s+"
        r"(?:[\w'-]+\s+){0,4}(?:not|never)"
    ),
    "carer_assessment": (
        r"carers?'?s?'?\s+(?:needs\s+)?assessments?|assess\w*\s+(?:[\w'-]+\s+){0,3}carer'?s?'?\s+"
        r"needs|needs\s+as\s+(?:[a-z]+\s+)?(?:[a-z]'s\s+|[a-z]+'s\s+)?carer|carers'?\s+support|"
        r"support\s+(?:[\w'-]+\s+){0,3}as\s+(?:a|his|her|their)\s+carer"
    ),
    "direct_payments": r"direct\s+payments?",
    "charging": (
        r"\bcharg(?:e|es|ed|ing)\b(?!\s+of\s+the\s+(?:case|complaint))|care\s+fees?|"
        r"financial\s+assessment|top-?up|invoice|\bfees\b|\bdebt\b|(?:respite\s+)?care\s+cost"
    ),
    "safeguarding": r"safeguard\w*|place\s+of\s+safety|protect\w*\s+(?:her|him|them)\s+from\s+harm",
    "hospital_discharge": (
        r"discharg\w*\s+(?:[\w'-]+\s+){0,3}(?:from\s+)?hospital|hospital\s+discharge"
    ),
    "transition": (
        r"\btransition\w*|move\w*\s+(?:[\w'-]+\s+){0,3}(?:into|to)\s+adult(?:hood|\s+services|"
        r"\s+life)|preparing\s+for\s+adulthood"
    ),
    "mental_capacity_dols": (
        r"mental\s+capacity|capacity\s+(?:was\s+|to\s+|assessment|assessed|to\s+make|to\s+decide)|"
        r"deprivation\s+of\s+liberty|\bdols\b|best\s+interests?\s+(?:decision|assessment|meeting)|"
        r"(?:her|his|their|[a-z]+'s)\s+capacity\b"
    ),
    "communication": (
        r"communicat\w*|fail\w*\s+to\s+(?:explain|inform|tell|update|consult|contact|keep\s+"
        r"\w+\s+informed|share|involve|respond\s+to\s+(?:her|his|their)\s+(?:letters|emails|"
        r"calls|concerns))|did\s+not\s+(?:explain|inform|tell|update|consult|contact|involve)|"
        r"should\s+(?:also\s+)?have\s+(?:consulted|contacted|told|informed|explained|involved)|"
        r"(?:not|never)\s+(?:told|informed|consulted|kept\s+informed|updated)|"
        r"lack\s+of\s+co-?ordinat|someone\s+else'?s\s+responsibility|poor\s+information"
    ),
    "complaint_handling": (
        r"complaints?\s+(?:handling|process|procedure|response|investigation)|"
        r"(?:respond|response)\w*\s+to\s+(?:[\w'-]+\s+){0,2}complaint|handl\w*\s+(?:of\s+)?"
        r"(?:\w+\s+)?complaint|stage\s+(?:one|two|1|2)\b"
    ),
    "record_keeping": (
        r"record[- ]keeping|(?:keep|kept|maintain\w*)\s+(?:proper\s+|accurate\s+|adequate\s+)?"
        r"records|(?:no|poor|inadequate|incomplete)\s+records?|did\s+not\s+record|not\s+recorded"
    ),
    "sen_ehcp": (
        r"education,?\s+health\s+and\s+care\s+plan|\behcp?s?\b|\behc\s+plans?|special\s+"
        r"educational\s+needs|\bsend?\b\s+(?:regulations|transfer|statement|provision|support)|"
        r"statement\s+of\s+(?:special\s+educational\s+)?needs|transfer\s+process"
    ),
    "education_provision": (
        r"(?:loss|lack|out)\s+of\s+(?:\w+\s+)?(?:education|school)|(?:full-time|suitable|"
        r"alternative)\s+(?:education|provision)|education\s+(?:provision|was\s+not)|"
        r"(?:provide|arrange)\s+(?:[\w'-]+\s+){0,3}education|missed\s+(?:\w+\s+)?(?:school|education)"
    ),
    "placement_residential": (
        r"care\s+homes?|residential\s+(?:care|placement|home)|nursing\s+homes?|"
        r"step-down\s+(?:bed|placement)|(?:his|her|the)\s+placement\b"
    ),
    "continuing_healthcare": (
        r"continuing\s+health\s*care|\bchc\b|(?:full|fully)\s+(?:funded\s+)?health\s*care\s+"
        r"funding|health\s*care\s+funding"
    ),
    "housing_adaptations": (
        r"adaptations?\b|disabled\s+facilities\s+grants?|\bdfgs?\b|stair\s*lift|level\s+access|"
        r"wet\s+room"
    ),
}
"""Fault type -> pattern. The codebook's fault vocabulary, minus ``other``."""

FAULT_RES = {name: re.compile(pattern) for name, pattern in FAULT_LEXICON.items()}

FINDING = re.compile(
    r"\bfail(?:ed|ure|ures|ing|s)?\b|\bfaults?\b|\bdelay\w*|\bdid\s+not\b|\bshould\s+(?:also\s+)?"
    r"have\b|\bcould\s+have\b|\bnot\s+properly\b|\binadequate\w*|\bpoor\b|\black\s+of\b|"
    r"\bwithout\b|\bunable\b|\blost\b|\bloss\s+of\b|\bnever\b|\bmissed\b|\bunreasonabl\w*|"
    r"\bincorrect\w*|\bwrong\w*|\bno\s+(?:suitable|respite|support|service|services|care|"
    r"education|provision)\b|\btoo\s+long\b|\blonger\s+than\b|\bunnecessar\w*|\bcompounded\b|"
    r"\bshortcomings?\b|\bnot\s+person-centred\b|\bincomplete\b|\bin\s+a\s+timely\s+way\b|"
    r"\bapologi[sz]e\w*\s+(?:[\w'-]+\s+){0,6}for\b|\bmaladministration\b|\bservice\s+failure\b|"
    r"\binsufficient\b|\bnot\s+(?:provide|provided|receive|received|assess|assessed|consider|"
    r"considered|follow|followed|explain|explained|meet|met)\b"
)
"""A sentence that says something went wrong."""

NEGATED = re.compile(
    r"\bno\s+evidence\b|\bno\s+fault\b|\bnot\s+at\s+fault\b|\bwithout\s+fault\b|"
    r"\b(?:not|no)\s+(?:find|found)\s+(?:any\s+)?fault\b|\bfound\s+no\b|\bno\s+grounds\b|"
    r"\bnot\s+convinced\b|\bdo\s+not\s+consider\b|\bdid\s+not\s+find\b|\bcannot\s+criticise\b|"
    r"\bno\s+reason\s+to\s+(?:criticise|disagree)\b|\bworked\s+(?:well|together\s+smoothly)\b|"
    r"\beffective\s+joint\s+working\b|\bnot\s+(?:a\s+)?fault\b|\bwas\s+not\s+fault\b|"
    r"\bno\s+(?:significant\s+)?injustice\b|\bnot\s+(?:warrant|justify)\b"
)
"""A sentence that says something did *not* go wrong."""

ALLEGATION = re.compile(
    r"\b(?:says?|said|complain\w*|alleg\w*|believes?|feels?|felt|claims?|argues?|"
    r"raised\s+concerns?|concerns?\s+(?:that|about))\b"
)
"""A sentence that reports what someone says rather than what the Ombudsman found."""

IMPROVEMENT = re.compile(
    r"\b(?:review|reviews|reviewed|amend|amends|update|revise|revised|change|changes)\s+"
    r"(?:[\w'-]+\s+){0,3}(?:procedures?|polic(?:y|ies)|practices?|processes|guidance|arrangements|"
    r"templates?|letters|timescales?|training)\b|\btrain(?:ing)?\s+(?:[\w'-]+\s+){0,2}(?:staff|"
    r"officers|practitioners|managers|workers)|\b(?:staff|officers)\s+(?:[\w'-]+\s+){0,3}"
    r"(?:training|trained|reminded)|\baction\s+plan\b|\bremind\w*\s+(?:its\s+)?(?:staff|officers)|"
    r"\bshare\s+(?:the\s+)?learning\b|\blessons\s+learn\w*|\bensure\s+(?:such|this|that\s+this|"
    r"these)\s+(?:events?|problems?|failings?|faults?|mistakes?)\s+do(?:es)?\s+not\s+"
    r"(?:happen|occur|recur)|\bdo(?:es)?\s+not\s+(?:happen|occur|recur)\s+again\b|"
    r"\bquality\s+(?:monitoring|assurance)\b|\bensure\s+(?:[\w'-]+\s+){0,2}(?:in\s+future|future)\b|"
    r"\bsample\s+of\b|\bservice\s+improvements?\b|\b(?:new|revised)\s+(?:\w+\s+)?polic(?:y|ies)\b|"
    r"\btraining\s+(?:event|session|programme)s?\b|\bprocedures?\s+to\s+ensure\b|"
    r"\breview\s+how\b|\b(?:agree|introduce|produce|create|put\s+in\s+place|draw\s+up|adopt)\w*"
    r"\s+(?:[\w'-]+\s+){0,3}(?:protocol|procedures?|polic(?:y|ies)|guidance|checklist|process)\b"
)
"""A recommendation or action that changes how the body works (``service_improvements``)."""


def is_finding(sentence: str, *, allow_allegation: bool = False) -> bool:
    """True if ``sentence`` (lower-cased) states a fault, not negated, not only alleged."""
    low = sentence.lower()
    if not FINDING.search(low) or NEGATED.search(low):
        return False
    return allow_allegation or not ALLEGATION.search(low)


def fault_matches(sentence: str) -> list[tuple[str, re.Match[str]]]:
    """(fault type, match) for every fault type whose pattern occurs in ``sentence``."""
    out = []
    for name, regex in FAULT_RES.items():
        m = regex.search(sentence)
        if m:
            out.append((name, m))
    return out


def tag_faults(sentence: str) -> list[str]:
    """Fault types named in a finding sentence (lower-cased), in vocabulary order."""
    return [name for name, _ in fault_matches(sentence.lower())]


# --- vulnerable groups -------------------------------------------------------------------------

VULNERABLE_LEXICON: dict[str, str] = {
    "child": (
        r"\b(?:child|children|a\s+boy|a\s+girl|young\s+person|teenager|pupil|toddler|baby|"
        r"infant|disabled\s+child(?:ren)?)\b|\b(?:was|is|aged)\s+(?:[1-9]|1[0-7]|one|two|three|"
        r"four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
        r"seventeen)\b(?!\s*(?:years?\s+ago|%|per|weeks|months|days|hours|am|pm|:))|"
        r"\bschool\s+year\s+\d|\byear\s+(?:[1-9]|1[0-3])\b(?=\s|,|\))|\bspecial\s+school\b"
    ),
    "learning_disability": r"learning\s+(?:disabilit\w*|difficult\w*)|\bdown'?s\s+syndrome\b",
    "dementia": r"dementia|alzheimer",
    "physical_disability": (
        r"physical(?:ly)?\s+disab\w*|wheelchair|cerebral\s+palsy|parkinson|huntingt?on|"
        r"multiple\s+sclerosis|motor\s+neurone|paralys\w*|amputat\w*|spina\s+bifida|muscular\s+dystrophy|"
        r"profoundly\s+disabled|severely\s+disabled|ventilat\w*|visual\s+impairment|blind\b|deaf\b"
    ),
    "mental_health": (
        r"mental\s+health\s+(?:team|trust|needs|condition|problems?|illness|issues|services?|"
        r"act|crisis|difficulties)|mental\s+illness|psychiatric\s+(?:illness|condition|hospital|ward|unit|care|diagnosis)|schizophren\w*|bipolar|"
        r"psychosis|depression|anxiety\s+disorder|psychotherap\w*|sectioned|personality\s+disorder"
    ),
    "end_of_life": (
        r"end\s+of\s+(?:her|his|their)?\s*life|end-of-life|palliative|terminal(?:ly)?\s+ill|"
        r"\bdying\b|last\s+(?:few\s+)?(?:days|weeks)\s+of\s+(?:her|his|their)\s+life|hospice"
    ),
    "older_person": (
        r"\belderly\b|\bolder\s+(?:person|people|man|woman|lady|adult)|\baged\s+(?:[6-9]\d|1[01]\d)"
        r"\b|\b(?:[6-9]\d|1[01]\d)\s+years?\s+old\b|\bpensioner|\bin\s+(?:her|his)\s+(?:[6-9]0s)"
    ),
    "autism": r"autis\w*|\basd\b|asperger",
}
"""Vulnerable group -> pattern (the codebook's ``vulnerable`` vocabulary)."""

VULNERABLE_RES = {name: re.compile(pattern) for name, pattern in VULNERABLE_LEXICON.items()}


VULNERABLE_GATES: dict[str, tuple[str, ...]] = {
    "child": (
        "child",
        "boy",
        "girl",
        "young person",
        "teenager",
        "pupil",
        "toddler",
        "baby",
        "infant",
        "was ",
        "is ",
        "aged",
        "school",
        "year ",
    ),
    "learning_disability": ("learning", "down"),
    "dementia": ("dementia", "alzheimer"),
    "physical_disability": (
        "physical",
        "wheelchair",
        "palsy",
        "parkinson",
        "hunting",
        "sclerosis",
        "motor neurone",
        "paraly",
        "amputat",
        "spina",
        "dystrophy",
        "disabled",
        "ventilat",
        "visual",
        "blind",
        "deaf",
    ),
    "mental_health": (
        "mental",
        "psychiatric",
        "schizophren",
        "bipolar",
        "psychosis",
        "depression",
        "anxiety disorder",
        "psychotherap",
        "sectioned",
        "personality disorder",
    ),
    "end_of_life": ("end of", "end-of", "palliative", "terminal", "dying", "last", "hospice"),
    "older_person": ("elderly", "older", "aged", "old", "pensioner", "0s"),
    "autism": ("autis", "asd", "asperger"),
}
"""Words one of which must occur for a group's pattern to be tried (a fast pre-check)."""

FLAG_GATES: dict[str, tuple[str, ...]] = {
    "CARER": ("care", "caring"),
    "RESPITE_LOST": ("respite", "short break"),
    "RESPITE_AMOUNT": ("respite", "short break"),
    "DIED": ("died", "passed away", "deceased", "the late", "death", "estate", "bereave"),
}
"""The same pre-check for the flag patterns."""


def gate_open(low: str, words: tuple[str, ...], start: int = 0, end: int | None = None) -> bool:
    """True if any of ``words`` occurs in ``low[start:end]`` (cheap substring tests)."""
    end = len(low) if end is None else end
    return any(low.find(w, start, end) >= 0 for w in words)


def vulnerable_matches(text: str, original: str | None = None) -> list[tuple[str, re.Match[str]]]:
    """(group, first match) for every vulnerable group mentioned in lower-cased ``text``.

    With ``original`` (the same text in its own case), a match of several words that are all
    capitalised is a name ("Older People's Dashboard") and does not count.
    """
    out = []
    for name, regex in VULNERABLE_RES.items():
        for m in regex.finditer(text):
            if original is not None:
                words = original[m.start() : m.end()].split()
                if len(words) > 1 and all(w[:1].isupper() for w in words):
                    continue
            out.append((name, m))
            break
    return out


def tag_vulnerable(text: str) -> list[str]:
    """Vulnerable groups mentioned in ``text``, in vocabulary order."""
    return [name for name, _ in vulnerable_matches(text.lower())]


# --- carers, respite, deaths -------------------------------------------------------------------

CARER = re.compile(
    r"\binformal(?:ly)?\s+car(?:e|er|ers|ing)\b|\bunpaid\s+care|\bcarer'?s'?\s+(?:strain|needs|"
    r"assessments?|support)|\bcaring\s+(?:role|responsibilit)|"
    r"\b(?:his|her|their|[a-z]'s|[a-z]+'s)\s+(?:main\s+|primary\s+|informal\s+|family\s+|"
    r"unpaid\s+)?carers?\b|\bas\s+(?:a|the|his|her|their|[a-z]'s|[a-z]+'s)\s+(?:main\s+)?carer\b|"
    r"\bcarers'\s+(?:support|assessments?)|\bfamily\s+carers?\b"
)
"""An unpaid or family carer (``carer_impact``); paid "live-in carers" do not count."""

RESPITE_LOST = re.compile(
    r"(?:lack|loss)\s+of\s+(?:[\w'-]+\s+){0,3}respite|lost\s+(?:[\w'-]+\s+){0,8}respite|"
    r"respite\s+(?:[\w'-]+\s+){0,6}(?:not\s+(?:provided|arranged|available)|cancel\w*|stopped|"
    r"withdrawn|missed|lost)|(?:fail\w*|not)\s+(?:[\w'-]+\s+){0,3}(?:to\s+)?(?:provide|arrange)\s+"
    r"(?:[\w'-]+\s+){0,4}respite|without\s+(?:[\w'-]+\s+){0,2}respite|no\s+(?:suitable\s+)?respite|"
    r"short\s+breaks?\s+(?:[\w'-]+\s+){0,4}(?:not|never|stopped|cancel)|use\s+(?:[\w'-]+\s+){0,3}"
    r"respite\s+(?:[\w'-]+\s+){0,3}to\s+provide"
)
"""Respite or short breaks that should have been provided and were not (``respite_lost``)."""

RESPITE_AMOUNT = re.compile(
    r"\b(?P<num>\d{1,3}|[a-z]+(?:-[a-z]+)?)\s+(?P<unit>nights?|weeks?|days?)\s+(?:of\s+)?"
    r"(?:[\w'-]+\s+){0,2}(?:respite|short\s+breaks?)"
)
"""A stated amount of respite: "36 nights of respite" (``respite_lost_weeks``: nights / 7)."""

DIED = re.compile(
    r"\b(?:died|passed\s+away|deceased|the\s+late\s+(?:mrs?|ms|miss|dr|[a-z]+)|"
    r"(?:his|her|their|[a-z]'s|[a-z]+'s)\s+(?:sudden\s+|subsequent\s+)?death\b|"
    r"(?:his|her|their|[a-z]'s|[a-z]+'s)\s+estate\b|after\s+(?:she|he)\s+died|bereave\w*)"
)
"""The cared-for person died (``person_died``). "death of the tissue" does not count."""

PAYMENT_WITHOUT_SUM = re.compile(
    r"\b(?:pay|make|made|offer\w*|recommend\w*|agreed)\s+(?:[\w'-]+\s+){0,4}(?:a|an)\s+(?:[\w'-]+\s+){0,2}"
    r"(?:payment|sum|amount)\b(?!\s+of\s+£)|\bsymbolic\s+payment\b(?!\s+of\s+£)"
)
"""A remedy that mentions a payment without saying how much (``remedy_visible`` false)."""

# --- organisations and categories --------------------------------------------------------------

LONDON_BOROUGHS = frozenset(
    """barking and dagenham|barnet|bexley|brent|bromley|camden|croydon|ealing|enfield|greenwich|
    hackney|hammersmith and fulham|haringey|harrow|havering|hillingdon|hounslow|islington|
    kensington and chelsea|kingston upon thames|lambeth|lewisham|merton|newham|redbridge|
    richmond upon thames|southwark|sutton|tower hamlets|waltham forest|wandsworth|westminster|
    city of london""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
METROPOLITAN = frozenset(
    """bolton|bury|manchester|oldham|rochdale|salford|stockport|tameside|trafford|wigan|knowsley|
    liverpool|st helens|sefton|wirral|barnsley|doncaster|rotherham|sheffield|gateshead|
    newcastle upon tyne|newcastle|north tyneside|south tyneside|sunderland|birmingham|coventry|
    dudley|sandwell|solihull|walsall|wolverhampton|bradford|calderdale|kirklees|leeds|
    wakefield""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
COUNTIES_WITH_DISTRICTS = frozenset(
    """cambridgeshire|derbyshire|devon|east sussex|essex|gloucestershire|hampshire|hertfordshire|
    kent|lancashire|leicestershire|lincolnshire|norfolk|nottinghamshire|oxfordshire|
    staffordshire|suffolk|surrey|warwickshire|west sussex|worcestershire""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)

ORG_PATTERN = re.compile(
    r"\b(?:(?:London|Royal)\s+Borough\s+of\s+[A-Z][\w'-]+(?:\s+(?:and|upon)\s+[A-Z][\w'-]+)?|"
    r"(?:[A-Z][\w'.&-]+\s+){1,4}(?:County|City|Borough|District|Metropolitan\s+Borough)?\s*"
    r"Council|(?:[A-Z][\w'-]+\s+){1,5}(?:NHS\s+(?:Foundation\s+)?Trust|Clinical\s+"
    r"Commissioning\s+Group|Integrated\s+Care\s+Board))\b"
)
"""An organisation's name as it appears in running text ("Testshire County Council")."""


def org_type_of(name: str | None) -> str | None:
    """The codebook's ``org_type`` for an organisation name, or ``None`` when unsure.

    >>> org_type_of("Norfolk County Council"), org_type_of("London Borough of Sutton")
    ('county', 'london_borough')
    >>> org_type_of("Wigan Metropolitan Borough Council"), org_type_of("Cornwall Council")
    ('metropolitan', 'unitary')
    >>> org_type_of("Testvale District Council"), org_type_of("Sunrise Care Homes Ltd")
    ('district', 'care_provider')
    """
    if not name:
        return None
    low = re.sub(r"\s+", " ", name.lower()).strip()
    place = re.sub(
        r"^(?:the\s+)?(?:london|royal)\s+borough\s+of\s+|\s+(?:metropolitan\s+borough|"
        r"metropolitan\s+district|county|city|borough|district)?\s*council$",
        "",
        low,
    ).strip()
    if re.search(r"\bnhs\b|clinical commissioning|integrated care board|\bccg\b|\bicb\b", low):
        return "nhs_joint"
    if re.search(r"london borough|royal borough of (?:kensington|greenwich)", low) or (
        place in LONDON_BOROUGHS and "council" in low
    ):
        return "london_borough"
    if "metropolitan" in low or (place in METROPOLITAN and "council" in low):
        return "metropolitan"
    if "county council" in low:
        return "county"
    if re.search(r"\bdistrict council\b", low) or (
        re.search(r"\b(?:borough|city) council\b", low) and place in COUNTIES_WITH_DISTRICTS
    ):
        return "district"
    if "council" in low:
        return "unitary"
    if re.search(r"\b(?:ltd|limited|llp|plc|care|homes?|healthcare|services|agency)\b", low):
        return "care_provider"
    return "other"


CATEGORY_LEXICON: list[tuple[str, str]] = [
    (
        "Education > Special educational needs",
        r"\behcp?\b|education,?\s+health\s+and\s+care|"
        r"special\s+educational\s+needs|\bsend\b",
    ),
    ("Education > School transport", r"school\s+transport|home\s+to\s+school\s+transport"),
    (
        "Education > Alternative provision",
        r"alternative\s+provision|out\s+of\s+school|"
        r"education\s+other\s+than\s+at\s+school",
    ),
    (
        "Adult care services > Charging",
        r"\bcharg(?:e|es|ed|ing)\b|care\s+fees?|"
        r"financial\s+assessment|top-?up",
    ),
    ("Adult care services > Direct payments", r"direct\s+payments?"),
    ("Adult care services > Safeguarding", r"safeguard\w*"),
    ("Adult care services > Residential care", r"care\s+home|residential\s+care|nursing\s+home"),
    (
        "Adult care services > Domiciliary care",
        r"home\s+care|domiciliary|care\s+calls?|"
        r"care\s+agency",
    ),
    ("Adult care services > Transition from childrens services", r"\btransition"),
    (
        "Adult care services > Disabled facilities grants",
        r"disabled\s+facilities\s+grant|"
        r"adaptations?",
    ),
    ("Children's care services > Disabled children", r"disabled\s+child|short\s+breaks"),
    (
        "Children's care services > Friends and family carers",
        r"special\s+guardian|kinship|"
        r"friends\s+and\s+family\s+carer|connected\s+person",
    ),
    ("Children's care services > Fostering", r"foster\w*"),
    ("Children's care services > Looked after children", r"looked\s+after|care\s+leaver"),
    ("Children's care services > Child protection", r"child\s+protection"),
    (
        "Adult care services > Assessment and care plan",
        r"assess\w*|care\s+(?:and\s+support\s+)?"
        r"plan|care\s+act",
    ),
]
"""(category, pattern) pairs, most specific first, used when a document has no category line."""

_CATEGORY_RES = [(name, re.compile(pattern)) for name, pattern in CATEGORY_LEXICON]


def guess_category(low: str) -> tuple[str, re.Match[str]] | None:
    """The category whose words occur most often in lower-cased ``low`` (ties: listed first).

    >>> guess_category("she was charged care fees; the charges were wrong")[0]
    'Adult care services > Charging'
    """
    best: tuple[int, int, str, re.Match[str]] | None = None
    for rank, (name, regex) in enumerate(_CATEGORY_RES):
        matches = list(regex.finditer(low))
        if not matches:
            continue
        key = (len(matches), -rank)
        if best is None or key > best[:2]:
            best = (key[0], key[1], name, matches[0])
    if best is None or best[0] < 2:
        return None
    return best[2], best[3]


DECISION_WORDS: list[tuple[str, str]] = [
    (
        "closed_after_initial_enquiries",
        r"closed\s+after\s+initial\s+enquiries|"
        r"not\s+investigat\w*|withdrawn|premature|out\s+of\s+jurisdiction",
    ),
    ("not_upheld", r"not\s+upheld|no\s+maladministration|no\s+fault"),
    ("upheld", r"upheld|maladministration\s+and\s+injustice|fault\s+causing\s+injustice"),
]
"""Header "Decision : ..." text -> the codebook's ``decision`` value (first match wins)."""


def decision_of(header: str) -> str:
    """Map a decision header to the codebook vocabulary.

    >>> decision_of("Upheld: maladministration and injustice"), decision_of("Not upheld")
    ('upheld', 'not_upheld')
    >>> decision_of("Closed after initial enquiries - out of jurisdiction")
    'closed_after_initial_enquiries'
    """
    low = header.lower()
    for value, pattern in DECISION_WORDS:
        if re.search(pattern, low):
            return value
    return "other"
