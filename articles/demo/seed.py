"""A synthetic newsroom at size: years of made-up stories, for benchmarks and for trying the site.

`seed_newsroom(100_000)` writes eight sections, sixty authors, a thousand tags and two dozen
pictures (the cast), then the articles with their bylines, tags, sources and a few corrections:
BATCH_SIZE articles at a time, written with bulk inserts, one transaction per batch. Every word
is put together here from the word lists below; nothing is a real story.

The cast is the same whatever the seed, so a second run with `add=True` reuses it; the seed
decides the articles. The same seed, the same starting newsroom and the same clock give the same
articles, byte for byte.

bulk_create() skips Article.save(), so the rows are given here what save() and the workflow
would give them: a UUID, a body already in its sanitised form, publication times (copied onto
the tags' and bylines' links too, as publishing does), and created/modified times that date from
the story rather than from the seeding.
"""

import io
import random
import time
from bisect import bisect
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate
from uuid import UUID

from django.core.files.base import ContentFile
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from ..caching import content_changed
from ..images.renditions import make_renditions
from ..models import (
    Article,
    ArticleTag,
    Author,
    Byline,
    Correction,
    Image,
    Licence,
    Reference,
    Section,
)
from .pictures import PAINTERS

BATCH_SIZE = 2_000
YEARS = 5
PICTURE_COUNT = 24
PICTURE_SIZE = (960, 540)
# Pictures the seed drew are stored here, which is how a later run finds them again.
PICTURE_FOLDER = "images/seeded"
AUTHOR_COUNT = 60
TAG_COUNT = 1_000

# Shares of the articles, by workflow state; the rest are published.
DRAFT_SHARE = 0.02
IN_REVIEW_SHARE = 0.005
UNPUBLISHED_SHARE = 0.003
SCHEDULED_SHARE = 0.002
WITH_PICTURE_SHARE = 0.85
CORRECTED_SHARE = 0.01
UPDATED_SHARE = 0.03


class NewsroomNotEmpty(Exception):
    """The newsroom has articles already and adding to them was not asked for."""


@dataclass
class SeedResult:
    articles: int
    published: int
    scheduled: int
    drafts: int
    sections: int
    authors: int
    tags: int
    pictures: int
    bylines: int
    taggings: int
    references: int
    corrections: int
    seconds: float

    def summary(self):
        return (
            f"Seeded {self.articles:,} articles ({self.published:,} published, "
            f"{self.scheduled:,} scheduled, {self.drafts:,} drafts) with {self.bylines:,} "
            f"bylines, {self.taggings:,} tags, {self.references:,} sources and "
            f"{self.corrections:,} corrections; {self.sections} sections, {self.authors} "
            f"authors, {self.tags:,} tags, {self.pictures} pictures; in {self.seconds:.1f} s"
        )


# The cast: sections and what their stories are about.


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    name: str
    description: str
    subjects: tuple[str, ...]
    actors: tuple[str, ...]
    painters: tuple[str, ...]


SECTIONS = [
    SectionSpec(
        "city", "City",
        "Council decisions, transport, housing and the streets of Harbour City.",
        ("bus route", "tram extension", "housing plan", "parking scheme", "cycle lane",
         "library service", "street-lighting contract", "bin collection service",
         "council budget", "rent cap", "planning application", "road repair programme",
         "night bus", "park renovation", "school crossing", "market hall", "ferry timetable",
         "public toilet block", "bridge repair", "allotment waiting list", "recycling scheme",
         "speed limit", "tower block refit"),
        ("councillors", "residents", "the mayor's advisers", "traders",
         "transport committee members", "tenants' groups", "planners", "housing officers",
         "neighbours", "civic society members"),
        ("street_plan", "transit_map", "skyline"),
    ),
    SectionSpec(
        "business", "Business",
        "The port, the high streets and the people who make a living in Harbour City.",
        ("port expansion", "container trade", "shipyard", "high-street rent review",
         "ferry operator", "fish market", "software start-up", "bakery chain", "brewery",
         "jobs market", "office conversion", "small-business grant", "shipping line",
         "energy support fund", "warehouse plan", "cargo terminal", "credit union",
         "business rates relief", "food hall", "hotel trade", "boatyard"),
        ("chamber of commerce members", "shop owners", "investors", "harbour officials",
         "dock workers", "union representatives", "economists", "landlords",
         "the port's directors", "small employers"),
        ("bar_chart", "shopfronts", "skyline"),
    ),
    SectionSpec(
        "politics", "Politics",
        "City Hall, the council chamber and the campaigns that decide who runs Harbour City.",
        ("council election", "budget vote", "mayoral race", "ward boundary review",
         "party leadership contest", "transparency code", "lobbying register", "coalition deal",
         "local referendum", "turnout campaign", "expenses review", "devolution deal",
         "committee shake-up", "by-election", "petition", "spending review",
         "standards inquiry"),
        ("opposition councillors", "ruling group councillors", "campaigners",
         "election officials", "council leaders", "party members",
         "standards committee members", "voters", "independent candidates"),
        ("bar_chart", "skyline"),
    ),
    SectionSpec(
        "culture", "Culture",
        "Theatre, music, galleries and the life of the city after work.",
        ("theatre season", "jazz festival", "gallery opening", "film club", "city orchestra",
         "poetry prize", "street art trail", "museum extension", "folk night", "book fair",
         "opera revival", "community choir", "dance school", "comedy club",
         "photography show", "craft market", "open studios weekend", "music venue",
         "puppet theatre"),
        ("organisers", "artists", "arts council officers", "critics", "audiences", "curators",
         "musicians", "festival directors", "volunteers"),
        ("stage", "sound_rings", "bauhaus"),
    ),
    SectionSpec(
        "science", "Science & Environment",
        "The harbour, the weather, the night sky and the research done in the city.",
        ("seagrass survey", "air-quality monitor", "tidal energy scheme", "observatory",
         "heatwave plan", "water-quality test", "bird count", "storm season",
         "solar roof scheme", "coastal erosion study", "research vessel", "tree-planting scheme",
         "flood barrier", "river clean-up", "bat survey", "wind farm", "oyster reef",
         "pollen forecast", "meteor shower"),
        ("researchers", "marine biologists", "environment agency scientists", "volunteers",
         "university researchers", "climate campaigners", "engineers", "astronomers",
         "wildlife trust staff"),
        ("underwater", "night_sky", "bar_chart"),
    ),
    SectionSpec(
        "sport", "Sport",
        "Harbour City's clubs, courts and races, from the regatta to the Sunday league.",
        ("rowing regatta", "harbour swim", "football club", "cricket ground", "city marathon",
         "youth league", "sailing club", "boxing gym", "stadium plan", "rugby derby",
         "netball team", "cycle race", "swimming pool", "athletics track", "tennis centre",
         "darts league", "skate park"),
        ("the club's owners", "supporters", "coaches", "league officials", "players",
         "sports council members", "parents", "season-ticket holders"),
        ("stage", "skyline", "bauhaus"),
    ),
    SectionSpec(
        "health", "Health",
        "Hospitals, surgeries and the care Harbour City relies on.",
        ("hospital waiting list", "GP surgery", "ambulance service", "mental health service",
         "dental practice", "vaccination drive", "maternity unit", "care home",
         "walk-in clinic", "pharmacy network", "community nursing team", "blood donation drive",
         "hospice", "eye clinic", "sexual health service"),
        ("health trust managers", "patients", "nurses", "doctors", "patient representatives",
         "carers", "hospital managers", "public health officials"),
        ("bar_chart", "skyline"),
    ),
    SectionSpec(
        "education", "Education",
        "Schools, colleges and the university, and what they mean for families.",
        ("school admissions policy", "college funding formula", "university campus",
         "exam season", "school meals service", "teacher shortage", "nursery scheme",
         "adult education centre", "apprenticeship scheme", "school bus service",
         "special needs provision", "student housing block", "school repair programme",
         "languages course", "coding club", "school library"),
        ("head teachers", "parents", "governors", "students", "education committee members",
         "university staff", "teachers' unions", "pupils"),
        ("bauhaus", "bar_chart", "street_plan"),
    ),
]

PLACES = (
    "Eastgate", "Ferry Square", "Market Street", "the Old Docks", "Lighthouse Steps",
    "Northbank", "Saltmarsh", "Copper Hill", "Riverside", "Canal Street", "Westmoor",
    "the Corn Exchange", "Beacon Hill", "Tanner's Row", "Quayside", "Millbrook",
    "Harrow Fields", "Southport Road", "Kingsmead", "Ropewalk Lane", "Gullwing Bay",
    "Chapel Green", "Foundry Yard", "Lantern Wharf", "Dock Road", "Heron Park",
    "the Glassworks Quarter", "Orchard Rise", "Station Parade", "Fisher's Hythe",
    "Wexcombe", "Brackley End", "Sandgate", "the Ropeworks", "Marram Point", "Low Town",
)

FIRST_NAMES = (
    "Ada", "Amir", "Anouk", "Bea", "Callum", "Chidi", "Dara", "Elif", "Emeka", "Esme", "Farah",
    "Finn", "Greta", "Hamza", "Hana", "Idris", "Ines", "Jun", "Kasia", "Kofi", "Lena", "Luca",
    "Maeve", "Malik", "Nadia", "Niamh", "Oskar", "Paloma", "Quinn", "Rafael", "Rosa", "Sami",
    "Saoirse", "Tariq", "Thea", "Tobias", "Uma", "Wen", "Yara", "Zofia",
)
SURNAMES = (
    "Abbot", "Adeyemi", "Baptiste", "Bellamy", "Carvalho", "Chen", "Dalgleish", "Dimitrov",
    "Eriksen", "Fairweather", "Farouk", "Gallagher", "Haddad", "Halloran", "Iwu", "Jansen",
    "Kaur", "Kowalczyk", "Lambert", "Lindgren", "Mbeki", "Moreau", "Nakamura", "Novak",
    "O'Rourke", "Okoro", "Pellegrini", "Quartey", "Rahman", "Rossi", "Santos", "Sorensen",
    "Tanaka", "Thorne", "Ueda", "Varga", "Wainwright", "Whitlock", "Yilmaz", "Zeller",
)
ROLES = (
    "covers {a} and {b}", "reports on {a}, with a particular eye on {b}",
    "writes about {a} and, when the news allows, {b}", "is the Courier's {s} correspondent",
    "edits the {s} pages and reports on {a}", "has followed {a} and {b} for more than a decade",
)
BIO_ENDINGS = (
    "Before joining the Courier, {P} worked on a weekly paper up the coast.",
    "{P} grew up in {place} and still lives a short walk from the harbour.",
    "{P} trained as a lawyer before moving into journalism.",
    "{P} is happiest with a spreadsheet and a council agenda.",
    "Readers with a tip can reach {P} through the newsroom.",
    "{P} once spent a winter on a research ship in the North Sea.",
    "{P} has won two regional press awards.",
    "",
)

TAG_WORDS = (
    "housing", "transport", "buses", "trams", "cycling", "parking", "roads", "bridges",
    "ferries", "harbour", "port", "shipping", "fishing", "docks", "jobs", "wages", "rents",
    "energy", "taxes", "budget", "elections", "democracy", "courts", "policing", "crime",
    "fire service", "flooding", "weather", "climate", "wildlife", "birds", "trees", "parks",
    "beaches", "pollution", "recycling", "water", "astronomy", "research", "university",
    "schools", "colleges", "exams", "childcare", "libraries", "museums", "theatre", "music",
    "jazz", "film", "art", "books", "poetry", "dance", "festivals", "food", "restaurants",
    "pubs", "markets", "shops", "tourism", "hotels", "football", "rugby", "cricket", "rowing",
    "sailing", "swimming", "athletics", "hospitals", "doctors", "nursing", "care homes",
    "mental health", "dentistry", "pharmacies", "ageing", "young people", "families",
    "disability", "heritage", "architecture", "planning", "history", "religion",
    "volunteering", "charities", "technology", "start-ups", "broadband", "science", "trade",
)
TAG_QUALIFIERS = (
    "council", "city", "community", "local", "public", "night", "winter", "summer", "youth",
    "school", "harbour", "coastal", "neighbourhood", "family", "student", "riverside",
    "northbank", "eastgate", "weekend", "independent", "affordable", "green", "digital",
    "historic", "new", "rural", "emergency", "seasonal", "volunteer", "national",
)

# Pictures: what each painter's illustration shows, for its alt text and caption.
PICTURE_TEXT = {
    "skyline": ("Illustration of a city skyline at dusk: rows of buildings against an orange "
                "sky, a low sun and the piers of a river barrier.",
                "Harbour City from the river at dusk."),
    "underwater": ("Illustration of a harbour bed: long green blades of seagrass, small fish "
                   "and light falling through the water.",
                   "The inner harbour, as divers describe it."),
    "bar_chart": ("Illustrated bar chart: bars of uneven height rising from left to right, "
                  "the last one highlighted.",
                  "The figures, year by year."),
    "shopfronts": ("Illustration of a row of shopfronts with coloured awnings and signs above "
                   "a pavement.",
                   "Shops on one of the city's high streets."),
    "stage": ("Illustration of a theatre stage: red curtains drawn back, spotlights on an "
              "empty floor.",
              "The stage before the audience comes in."),
    "sound_rings": ("Illustration of concentric rings of colour spreading out like sound "
                    "waves from a point.",
                    "Music, drawn."),
    "night_sky": ("Illustration of a night sky full of stars over a dark hill with a small "
                  "observatory dome.",
                  "The sky over Beacon Hill."),
    "street_plan": ("Illustrated street plan: a grid of streets, trees and small figures, with "
                    "a river along the bottom.",
                    "The streets concerned, in plan."),
    "transit_map": ("Illustrated transport map: coloured lines crossing at round stations.",
                    "The routes, as the network map shows them."),
    "bauhaus": ("Illustration of a grid of flat shapes, circles, half moons and stripes, in "
                "bold colours.",
                "A graphic from the Courier's design desk."),
}
PICTURE_CREDITS = (
    ("Courier graphics desk", Licence.ALL_RIGHTS_RESERVED, ""),
    ("Ines Carvalho / Courier", Licence.CC_BY, "https://courier.harbourcity.example/ines"),
    ("Harbour City Council", Licence.USED_WITH_PERMISSION, ""),
    ("Kofi Adeyemi", Licence.CC_BY_SA, "https://photos.example.org/kofi-adeyemi"),
    ("Port of Harbour City Authority", Licence.HANDOUT, ""),
    ("City Archive", Licence.PUBLIC_DOMAIN, "https://archive.harbourcity.example/"),
    ("Yara Lindgren", Licence.CC0, ""),
    ("Harbour Wire", Licence.CC_BY_ND, "https://wire.example.net/"),
)

# Words for the stories.

LABEL_WEIGHTS = {
    Article.Label.NEWS: 78, Article.Label.ANALYSIS: 8, Article.Label.OPINION: 6,
    Article.Label.EXPLAINER: 4, Article.Label.REVIEW: 3, Article.Label.SPONSORED: 1,
}
NEWS_OUTCOMES = (
    "to be reviewed after complaints", "approved despite objections", "delayed until {season}",
    "faces £{n}m shortfall", "set for {n}% rise", "wins national award",
    "returns after {n}-year absence", "put on hold pending inquiry", "to expand to {place2}",
    "draws record numbers", "scaled back after consultation", "criticised in new report",
    "gets the go-ahead", "back on track, say organisers", "under pressure as costs climb",
    "to close for {n} weeks", "moves to {place2}", "divides opinion", "in doubt after vote",
    "enters its final phase", "cut by a third", "saved by last-minute deal",
    "to be decided in {season}", "doubles in a year", "falls short of target",
)
ACTOR_VERBS = (
    "back", "reject", "question", "welcome", "challenge", "call for changes to",
    "vote to pause", "demand answers over", "celebrate", "raise alarm over",
)
WHY_ENDINGS = (
    "matters more than it looks", "keeps running late", "costs more every year",
    "is worth a second look", "divides its neighbours", "finally has a plan",
)
OPINION_HEADLINES = (
    "The {subject} in {place} deserves better than this",
    "Let's be honest about the {subject}",
    "{Place} cannot wait any longer for a {subject} that works",
    "I changed my mind about the {subject}",
    "What the row over the {subject} says about Harbour City",
)
COMMITTEES = ("planning committee", "full council", "scrutiny panel", "cabinet",
              "finance committee", "licensing committee")
SEASONS = ("spring", "the summer", "the autumn", "the new year", "next winter")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
VENUES = ("the Ropeworks", "the Corn Exchange", "the Lantern Theatre", "St Brannoc's Hall",
          "the Glasshouse", "the Old Customs House", "Quayside Arts")

SENTENCES = (
    "{Actor} said the {subject} had been discussed at length over the past {n} months.",
    "Figures published in {month} show a change of {n} per cent on the same period last year.",
    "People in {place} have long argued that a change to the {subject} was overdue.",
    "A report to the council last {month} set out three options, none of them cheap.",
    "The cost has risen from £{n}m to more than £{n2}m since the plan was first drawn up.",
    "{Actor} have asked for a public meeting before any final decision is taken.",
    "Not everyone is convinced.",
    "The first phase is expected to be finished by {season}.",
    "Similar schemes elsewhere have had mixed results.",
    "About {n} people responded to the consultation, most of them from {place}.",
    "The decision will be reviewed after {n} months.",
    "Critics point out that the same promise was made {n} years ago.",
    "Those behind the {subject} say it will pay for itself within a decade.",
    "{Actor} told the Courier they had not been consulted.",
    "The next meeting of the committee is due in {month}.",
    "The numbers vary from week to week, but the trend is clear.",
    "It is the {ordinal} time in {n} years that the {subject} has come before the council.",
    "Around {n} jobs depend on it, according to {actor}.",
    "Documents seen by the Courier suggest the timetable has already slipped.",
    "A spokesperson said the details were still being worked out.",
    "In {place}, opinion is split roughly down the middle.",
    "The money comes partly from a national fund and partly from local reserves.",
    "Supporters say the {subject} will make {place} a better place to live.",
    "Opponents fear it will push costs onto those least able to pay.",
    "Nothing will change for at least {n} weeks.",
    "The plans can be read at {place} library and on the council's website.",
    "{Actor} in {place2} are watching closely.",
    "The last big change to the {subject} came more than {n} years ago.",
    "On a grey morning in {month}, the queue stretched halfway along {place}.",
    "The final figure will not be known until {season}.",
    "It is a modest change, but one that people notice every day.",
    "Those who use the {subject} most were the last to hear about the change.",
    "An independent review is expected to report by {season}.",
    "For now, the advice is to check before setting out.",
    "The Courier asked {actor} for comment but had not heard back by the time of writing.",
    "The proposal goes before the full council in {month}.",
    "Officers have been asked to come back with a cheaper option.",
    "A petition against the change has gathered {n}00 signatures.",
    "Campaigners in {place} say they will not give up.",
    "The idea is not new: it was first floated {n} years ago.",
    "{Actor} described the outcome as a compromise nobody loves.",
    "The work will be carried out in stages to keep disruption down.",
    "Some of the money has already been spent on surveys and design.",
    "Questions were raised about who would pay if costs rose further.",
    "The Courier has counted at least {n} similar cases in the past five years.",
    "A final report is due in {month}, after a delay of {n} weeks.",
    "Several speakers at the meeting asked why the figures had not been published sooner.",
    "The council insists the timetable is realistic.",
    "Local groups in {place2} have offered to help.",
    "Elsewhere in the region, the same approach has been tried with some success.",
    "It is not clear what happens if the deadline is missed.",
    "Those who work nearby will be the first to notice the difference.",
    "The last time anything like this was attempted, it ran {n} months late.",
    "Parts of {place} will be affected from {month}.",
    "{Actor} have promised a full response within {n} days.",
    "Much depends on a funding decision expected in {season}.",
    "A smaller version of the scheme ran in {place} for {n} weeks some years ago.",
    "The details are set out in a {n}-page document published this week.",
    "The annual bill comes to about £{n}0,000.",
    "Letters to the Courier on the subject have been running at {n} a week.",
)
QUOTES = (
    "We have waited a long time for this, and we want to see it done properly.",
    "Nobody asked the people who actually live here.",
    "It is a good start, but it is only a start.",
    "The figures speak for themselves.",
    "We will keep pushing until something changes.",
    "I have never seen anything like it in thirty years.",
    "This is about fairness, plain and simple.",
    "We are listening, and we will adjust the plans where we can.",
    "It has made a real difference to our customers.",
    "Everyone agrees on the problem; nobody agrees on the answer.",
    "We simply cannot carry on as we are.",
    "Give it a year and people will wonder what the fuss was about.",
)
QUOTE_SOURCES = (
    "a spokesperson for {actor}", "who has lived in {place} for {n} years",
    "one of the organisers", "speaking after the meeting", "a local business owner",
    "chair of the {place} residents' association", "who runs a café on {place}",
)
SUBHEADS = (
    "What happens next", "The cost", "A long time coming", "Who decides", "The view from {place}",
    "What the figures show", "Questions remain", "How we got here", "The other side",
)
LIST_ITEMS = (
    "a public meeting in {month}", "a revised timetable", "an independent review",
    "extra money from reserves", "a trial period of {n} weeks", "new signs in {place}",
    "monthly progress reports", "a hotline for residents", "a second consultation",
)
REFERENCE_TITLES = (
    "{Subject}: annual report {year}", "Minutes of the {committee}, {month} {year}",
    "Consultation response: the {subject}", "{Subject} statistics, {year}",
    "Review of the {subject} in {place}", "Freedom of information response on the {subject}",
    "Briefing note: {subject}", "{Place} survey {year}",
)
PUBLISHERS = (
    ("Harbour City Council", "www.harbourcity.example"),
    ("Port of Harbour City Authority", "port.harbourcity.example"),
    ("Harbour City University", "university.harbourcity.example"),
    ("Office for Regional Statistics", "stats.example.org"),
    ("Harbour Health Trust", "health.harbourcity.example"),
    ("Coastal Environment Agency", "coast.example.gov"),
    ("Harbour City Chamber of Commerce", "chamber.harbourcity.example"),
    ("", ""),
)
REFERENCE_NOTES = ("Shared with the Courier before publication.", "Summary only.",
                   "Obtained under freedom of information.", "Page 12 onwards.")
CORRECTIONS = (
    (Correction.Kind.CORRECTION, "An earlier version of this story gave the wrong date for "
     "the meeting. It is on the {n}th of {month}, not the {n2}th."),
    (Correction.Kind.CORRECTION, "An earlier version misspelled the name of {place}."),
    (Correction.Kind.CLARIFICATION, "This story has been changed to make clear that the "
     "figure of £{n}m is an estimate."),
    (Correction.Kind.UPDATE, "This story was updated after {actor} responded."),
    (Correction.Kind.EDITORS_NOTE, "This story has been updated with figures published "
     "after it first appeared."),
)
# How many sources a story cites, 0 to 4: cumulative percentages.
REFERENCE_COUNT_WEIGHTS = (15, 45, 75, 90, 100)
# The hours stories go out at, and how often: a newsroom is busiest in the working day.
HOUR_WEIGHTS = (1, 0, 0, 0, 0, 1, 3, 6, 8, 9, 9, 8, 7, 8, 8, 8, 7, 6, 5, 4, 3, 3, 2, 1)


def _cap(text):
    return text[:1].upper() + text[1:]


def _ordinal(number):
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(number, "sixth")


class _Slots(dict):
    """The words a template asks for, each drawn when first asked for; "{Place}" capitalised."""

    def __init__(self, rng, spec, given):
        super().__init__(given)
        self.rng = rng
        self.spec = spec

    def __missing__(self, key):
        rng, spec = self.rng, self.spec
        if key[0].isupper():
            value = _cap(str(self[key[0].lower() + key[1:]]))
        elif key == "subject":
            value = rng.choice(spec.subjects)
        elif key in ("actor", "actor2"):
            value = rng.choice(spec.actors)
        elif key in ("place", "place2"):
            value = rng.choice(PLACES)
        elif key == "n":
            value = rng.randint(2, 40)
        elif key == "n2":
            value = self["n"] + rng.randint(1, 30)
        elif key == "month":
            value = rng.choice(MONTHS)
        elif key == "season":
            value = rng.choice(SEASONS)
        elif key == "ordinal":
            value = _ordinal(rng.randint(2, 5))
        elif key == "committee":
            value = rng.choice(COMMITTEES)
        else:
            raise KeyError(key)
        self[key] = value
        return value


# The cast, drawn from a fixed generator: the same whatever the seed.


@dataclass(frozen=True)
class AuthorSpec:
    slug: str
    name: str
    bio: str
    sections: tuple[str, ...]


def author_specs():
    rng = random.Random("newsroom-authors")  # nosec B311  # repeatable demo data, no secret
    names = rng.sample([f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES],
                       AUTHOR_COUNT)
    specs = []
    for number, name in enumerate(names):
        section = SECTIONS[number % len(SECTIONS)]
        # One in five also writes for another section.
        extra = (rng.choice(SECTIONS),) if rng.random() < 0.2 else ()
        sections = tuple(dict.fromkeys(spec.slug for spec in (section, *extra)))
        first = name.split()[0]
        a, b = rng.sample(TAG_WORDS, 2)
        role = rng.choice(ROLES).format(a=a, b=b, s=section.name.lower())
        ending = rng.choice(BIO_ENDINGS).format(P=first, place=rng.choice(PLACES))
        specs.append(AuthorSpec(slugify(name), name, f"{first} {role}. {ending}".strip(),
                                sections))
    return specs


def tag_names():
    rng = random.Random("newsroom-tags")  # nosec B311  # repeatable demo data, no secret
    names = list(TAG_WORDS)
    combined = [f"{qualifier} {word}" for qualifier in TAG_QUALIFIERS for word in TAG_WORDS]
    rng.shuffle(combined)
    names += combined[: TAG_COUNT - len(names)]
    # Popular tags first: the order is the order of popularity.
    rng.shuffle(names)
    return names


def picture_specs():
    rng = random.Random("newsroom-pictures")  # nosec B311  # repeatable demo data, no secret
    painters = list(PAINTERS)
    specs = []
    for number in range(PICTURE_COUNT):
        painter = painters[number % len(painters)]
        alt_text, caption = PICTURE_TEXT[painter]
        credit, licence, credit_url = PICTURE_CREDITS[number % len(PICTURE_CREDITS)]
        specs.append({
            "painter": painter, "seed": 1000 + number, "name": f"{painter}-{number + 1:02d}.jpg",
            "alt_text": alt_text, "caption": caption, "credit": credit, "licence": licence,
            "credit_url": credit_url,
            "copyright_notice": f"© {2021 + rng.randrange(5)} {credit}"
            if licence == Licence.ALL_RIGHTS_RESERVED else "",
        })
    return specs


def draw_jpeg(painter, seed):
    """A small picture drawn by one of the demo's painters, as JPEG bytes."""
    width, height = PICTURE_SIZE
    canvas = PAINTERS[painter](random.Random(seed), width * 2, height * 2).reduce(2)  # nosec B311  # repeatable demo art, no secret
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


# Writing the cast.


def _sections():
    sections = {}
    for position, spec in enumerate(SECTIONS):
        section = (Section.objects.filter(slug=spec.slug).first()
                   or Section.objects.filter(name=spec.name).first())
        if section is None:
            section = Section.objects.create(
                slug=spec.slug, name=spec.name, description=spec.description, position=position
            )
        sections[spec.slug] = section
    return sections


def _authors():
    existing = {author.slug: author for author in Author.objects.all()}
    specs = author_specs()
    Author.objects.bulk_create(
        Author(slug=spec.slug, name=spec.name, bio=spec.bio)
        for spec in specs if spec.slug not in existing
    )
    by_slug = {author.slug: author for author in Author.objects.filter(
        slug__in=[spec.slug for spec in specs])}
    return [(by_slug[spec.slug], spec.sections) for spec in specs]


def _tags():
    """The cast's tags, most popular first; a name whose slug another tag has is left out."""
    names = tag_names()
    existing = {}
    taken = set()
    for tag in Tag.objects.all():
        existing[tag.name] = tag
        taken.add(tag.slug)
    missing = []
    for name in names:
        slug = slugify(name, allow_unicode=True)
        if name not in existing and slug not in taken:
            missing.append(Tag(name=name, slug=slug))
            taken.add(slug)
    Tag.objects.bulk_create(missing)
    by_name = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    return [by_name[name] for name in names if name in by_name]


def _pictures(stored, renditions):
    """The cast's pictures: those an earlier seeding stored, or new ones."""
    images = list(Image.objects.filter(file__startswith=f"{PICTURE_FOLDER}/").order_by("pk"))
    if images:
        return images
    storage = Image._meta.get_field("file").storage
    for spec in picture_specs():
        name = storage.save(f"{PICTURE_FOLDER}/{spec['name']}",
                            ContentFile(draw_jpeg(spec["painter"], spec["seed"])))
        stored.append(name)
        image = Image.objects.create(
            file=name, width=PICTURE_SIZE[0], height=PICTURE_SIZE[1],
            alt_text=spec["alt_text"], caption=spec["caption"], credit=spec["credit"],
            credit_url=spec["credit_url"], licence=spec["licence"],
            copyright_notice=spec["copyright_notice"],
        )
        if renditions:
            stored.extend(make_renditions(image))
        images.append(image)
    return images


def _painter(image):
    """The painter of a seeded picture, from its file name: images/seeded/skyline-01.jpg."""
    return image.file.name.rsplit("/", 1)[-1].rsplit("-", 1)[0]


# Writing the stories.


@dataclass
class Story:
    article: Article
    spec: SectionSpec
    authors: list  # author ids, in byline order
    tags: list  # tag ids
    references: list  # (position, title, publisher, url, date, note)
    correction: tuple | None = None  # (kind, text, time)


class StoryWriter:
    """Makes up articles, one at a time, from a seeded generator."""

    def __init__(self, rng, sections, authors, tags, pictures, taken_slugs):
        self.rng = rng
        self.sections = sections
        self.section_slugs = list(sections)
        self.specs = {spec.slug: spec for spec in SECTIONS}
        # Ids: the stories refer to the cast by id only.
        self.everyone = [author.pk for author, _ in authors]
        self.staff = {
            slug: [author.pk for author, beats in authors if slug in beats] or self.everyone
            for slug in sections
        }
        self.tags = [tag.pk for tag in tags]
        # Zipf-like popularity: the first tags are on many stories, most on a few hundred.
        self.tag_weights = list(accumulate(1 / (rank + 8) for rank in range(len(tags))))
        self.pictures_by_section = {
            slug: [image for image in pictures
                   if _painter(image) in self.specs[slug].painters] or pictures
            for slug in sections
        }
        self.taken_slugs = taken_slugs
        self.labels = list(LABEL_WEIGHTS)
        self.label_weights = list(accumulate(LABEL_WEIGHTS.values()))
        self.hours = list(accumulate(HOUR_WEIGHTS))
        self.people = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
        self.sentences = {slug: self._sentence_pool(self.specs[slug]) for slug in sections}

    def _fill(self, template, spec, **extra):
        return template.format_map(_Slots(self.rng, spec, extra))

    def _sentence_pool(self, spec, variants=12):
        """Each sentence template filled in a few ways: [[sentence, …] for each template]."""
        return [
            list(dict.fromkeys(self._fill(template, spec) for _ in range(variants)))
            for template in SENTENCES
        ]

    def headline(self, spec, label):
        rng = self.rng
        if label == Article.Label.OPINION:
            template = rng.choice(OPINION_HEADLINES)
        elif label == Article.Label.REVIEW:
            template = "Review: the {subject} at " + rng.choice(VENUES) + " {review}"
        elif label == Article.Label.EXPLAINER:
            template = rng.choice((
                "The {subject} in {place}: {n} things to know",
                "Why the {subject} in {place} " + rng.choice(WHY_ENDINGS),
                "What the {subject} means for {place}",
            ))
        elif label == Article.Label.ANALYSIS:
            template = rng.choice((
                "Behind the {subject}: who pays, and who gains",
                "The {subject} was meant to fix {place}. Has it?",
                "{n} years of the {subject}, in numbers",
            ))
        else:
            template = rng.choice((
                "{Place} {subject} " + rng.choice(NEWS_OUTCOMES),
                "{Subject} in {place} " + rng.choice(NEWS_OUTCOMES),
                "{Actor} " + rng.choice(ACTOR_VERBS) + " {subject} plan for {place}",
                "{Actor} say the {subject} " + rng.choice(
                    ("needs a rethink", "is working", "came too late", "must be protected")),
            ))
        review = rng.choice(("is a quiet triumph", "loses its nerve", "is worth the trip",
                             "tries too hard", "finds its voice"))
        return self._fill(template, spec, review=review)

    def standfirst(self, spec):
        return self._fill(self.rng.choice((
            "{Actor} say the {subject} in {place} will change how the city works, but the "
            "details are still unclear.",
            "The {subject} has been debated for {n} months. Here is what has been decided, "
            "and what has not.",
            "A decision on the {subject} is expected by {season}, after {actor} raised "
            "concerns about the cost.",
            "Figures seen by the Courier show the {subject} is {n} per cent over budget.",
            "For people in {place}, the {subject} is not an abstract question.",
            "{Actor} and {actor2} rarely agree. On the {subject}, they do.",
        )), spec, actor2=self.rng.choice(spec.actors))

    def body(self, spec):
        rng = self.rng
        pool = self.sentences[spec.slug]
        lead = self._fill(rng.choice((
            "{Actor} in {place} are weighing up what the decision means for them.",
            "The news was confirmed on a {weekday} {time}.",
            "It has taken {n} months to get to this point.",
            "For {n} years, the {subject} in {place} has been a sore point.",
        )), spec, weekday=rng.choice(("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")),
            time=rng.choice(("morning", "afternoon", "evening")))
        sizes = [2] + [rng.randint(2, 5) for _ in range(rng.randint(5, 9))]
        # No template twice in one story: each gives one of the sentences made from it.
        templates = rng.sample(range(len(pool)), min(sum(sizes), len(pool)))
        sentences = [rng.choice(pool[template]) for template in templates]
        quotes = rng.sample(QUOTES, 4)
        paragraphs = [f"<p>{lead} {' '.join(sentences[:2])}</p>"]
        start = 2
        for number, size in enumerate(sizes[1:]):
            chosen = sentences[start:start + size]
            start += size
            if not chosen:
                break
            if quotes and rng.random() < 0.25:
                quote = quotes.pop()[:-1]
                chosen.insert(rng.randrange(len(chosen) + 1), self._fill(
                    "“" + quote + ",” said {person}, " + rng.choice(QUOTE_SOURCES) + ".",
                    spec, person=rng.choice(self.people),
                ))
            if rng.random() < 0.1:
                chosen[0] = f"<strong>{chosen[0]}</strong>"
            if number == 1 and rng.random() < 0.3:
                host, path = rng.choice(PUBLISHERS[:-1])[1], slugify(rng.choice(spec.subjects))
                chosen.append(f'The full text is <a href="https://{host}/{path}" '
                              f'rel="noopener noreferrer">published online</a>.')
            paragraphs.append(f"<p>{' '.join(chosen)}</p>")
            if number == 1 and rng.random() < 0.3:
                paragraphs.append(f"<h2>{self._fill(rng.choice(SUBHEADS), spec)}</h2>")
            elif number == 2 and quotes and rng.random() < 0.15:
                paragraphs.append(f"<blockquote><p>{quotes.pop()}</p></blockquote>")
            elif number == 2 and rng.random() < 0.15:
                items = "".join(f"<li>{self._fill(item, spec)}</li>"
                                for item in rng.sample(LIST_ITEMS, 3))
                paragraphs.append(f"<p>The plan includes:</p><ul>{items}</ul>")
        # Only markup the allow-list keeps, written as the sanitiser writes it: the body is what
        # clean_body() would make of it (the tests hold it to that), without the cost per story.
        return "".join(paragraphs)

    def slug(self, headline):
        base = slugify(headline)[:180].strip("-") or "story"
        slug, number = base, 1
        while slug in self.taken_slugs:
            number += 1
            slug = f"{base}-{number}"
        self.taken_slugs.add(slug)
        return slug

    def article(self, published_at, status):
        """An unsaved article and what goes with it, as a Story."""
        rng = self.rng
        section_slug = rng.choice(self.section_slugs)
        label = self.labels[bisect(self.label_weights, rng.random() * self.label_weights[-1])]
        if label == Article.Label.REVIEW and section_slug != "culture" and rng.random() < 0.8:
            section_slug = "culture"
        spec = self.specs[section_slug]
        headline = self.headline(spec, label)
        pictures = self.pictures_by_section[section_slug]
        article = Article(
            uuid=UUID(int=rng.getrandbits(128), version=4),
            headline=headline[:200],
            slug=self.slug(headline),
            standfirst=self.standfirst(spec),
            body=self.body(spec),
            label=label,
            section_id=self.sections[section_slug].pk,
            lead_image_id=rng.choice(pictures).pk if rng.random() < WITH_PICTURE_SHARE else None,
            status=status,
        )
        count = rng.choices((1, 2, 3), cum_weights=(70, 93, 100))[0]
        authors = []
        while len(authors) < count:
            pool = self.staff[section_slug] if rng.random() < 0.85 else self.everyone
            author = rng.choice(pool)
            if author not in authors:
                authors.append(author)
        wanted = rng.randint(2, 5)
        tags = []
        while len(tags) < wanted:
            tag = self.tags[bisect(self.tag_weights, rng.random() * self.tag_weights[-1])]
            if tag not in tags:
                tags.append(tag)
        references = [
            self.reference(spec, published_at, position)
            for position in range(bisect(REFERENCE_COUNT_WEIGHTS, rng.random() * 100))
        ]
        return Story(article, spec, authors, tags, references)

    def reference(self, spec, published_at, position):
        """(position, title, publisher, url, date, note)"""
        rng = self.rng
        publisher, host = rng.choice(PUBLISHERS)
        year = (published_at or timezone.now()).year - rng.randint(0, 2)
        title = self._fill(rng.choice(REFERENCE_TITLES), spec, year=year)[:300]
        url = ""
        if host and rng.random() < 0.7:
            url = f"https://{host}/documents/{slugify(title)[:80]}"
        date = None
        if published_at and rng.random() < 0.6:
            date = (published_at - timedelta(days=rng.randint(1, 400))).date()
        note = rng.choice(REFERENCE_NOTES) if rng.random() < 0.15 else ""
        return (position, title, publisher, url, date, note)

    def times(self, count, now):
        """`count` publication times over the last YEARS years, oldest first."""
        rng = self.rng
        days = YEARS * 365
        start = now - timedelta(days=days)
        times = []
        for _ in range(count):
            hour = bisect(self.hours, rng.random() * self.hours[-1])
            times.append(start + timedelta(days=rng.randrange(days), hours=hour,
                                           minutes=rng.randrange(60)))
        times.sort()
        return [min(when, now - timedelta(minutes=1)) for when in times]

    def states(self, count):
        """The workflow state of each of `count` articles, oldest first."""
        rng = self.rng
        states = [Article.Status.PUBLISHED] * count
        scheduled = max(1, round(count * SCHEDULED_SHARE)) if count >= 20 else 0
        others = list(range(count - scheduled))
        shares = ((Article.Status.DRAFT, DRAFT_SHARE), (Article.Status.IN_REVIEW, IN_REVIEW_SHARE),
                  (Article.Status.UNPUBLISHED, UNPUBLISHED_SHARE))
        wanted = [(status, max(1, round(count * share)) if count >= 20 else 0)
                  for status, share in shares]
        chosen = rng.sample(others, min(len(others), sum(number for _, number in wanted)))
        for status, number in wanted:
            for index in chosen[:number]:
                states[index] = status
            chosen = chosen[number:]
        return states, scheduled


@contextmanager
def _keeping_given_times(model, *names):
    """Let bulk_create() write the created/modified times given, not the time of seeding.

    auto_now and auto_now_add fields overwrite whatever they are given on insert; these stories
    were written years ago, so the fields take their given values while the block runs.
    """
    fields = [model._meta.get_field(name) for name in names]
    saved = [(field, field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def seed_newsroom(articles, seed=1, add=False, now=None, progress=None, renditions=True):
    """Write the cast (what is missing of it) and `articles` made-up articles.

    Refuses, with NewsroomNotEmpty, a newsroom that has articles unless `add` is true.
    `progress(done, total)` is called after each batch. Returns a SeedResult.
    """
    started = time.monotonic()
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    existing = Article.objects.count()
    if existing and not add:
        raise NewsroomNotEmpty(
            f"The newsroom already has {existing:,} articles; seed_demo fills an empty one "
            "(use --add to add to them)."
        )
    stored = []
    try:
        with transaction.atomic():
            sections = _sections()
            authors = _authors()
            tags = _tags()
            pictures = _pictures(stored, renditions)
    except BaseException:
        storage = Image._meta.get_field("file").storage
        for name in stored:
            storage.delete(name)
        raise

    # The articles depend on the seed and on how many there were before, so adding twice with
    # one seed does not write the same stories twice.
    rng = random.Random(f"newsroom-seed:{seed}:{existing}")  # nosec B311  # repeatable demo data, no secret
    taken = set(Article.objects.values_list("slug", flat=True)) if existing else set()
    writer = StoryWriter(rng, sections, authors, tags, pictures, taken)
    times = writer.times(articles, now)
    states, scheduled = writer.states(articles)
    totals = dict.fromkeys(("bylines", "taggings", "references", "corrections"), 0)
    if progress:
        progress(0, articles)
    for start in range(0, articles, BATCH_SIZE):
        batch = range(start, min(start + BATCH_SIZE, articles))
        stories = [_dated(writer, times[index], states[index], now,
                          scheduled=index >= articles - scheduled) for index in batch]
        for key, count in _write(stories).items():
            totals[key] += count
        # With DEBUG on, every statement is kept with its parameters: these are large.
        reset_queries()
        if progress:
            progress(batch.stop, articles)

    # Bulk inserts send no signals: say once that everything a reader sees has changed.
    content_changed()
    return SeedResult(
        articles=articles,
        published=sum(1 for index, state in enumerate(states)
                      if state == Article.Status.PUBLISHED and index < articles - scheduled),
        scheduled=scheduled,
        drafts=states.count(Article.Status.DRAFT),
        sections=len(sections),
        authors=len(authors),
        tags=len(tags),
        pictures=len(pictures),
        seconds=time.monotonic() - started,
        **totals,
    )


def _dated(writer, when, status, now, scheduled):
    """One story with its times set as the workflow would have set them."""
    rng = writer.rng
    if scheduled:
        when = now + timedelta(hours=rng.randint(1, 14 * 24), minutes=rng.randrange(60))
    story = writer.article(
        None if status in (Article.Status.DRAFT, Article.Status.IN_REVIEW) else when, status
    )
    article = story.article
    written = when - timedelta(hours=rng.randint(1, 8), minutes=rng.randrange(60))
    if scheduled:
        written = now - timedelta(hours=rng.randint(1, 48))
    article.created_at = article.modified_at = written
    if status in (Article.Status.PUBLISHED, Article.Status.UNPUBLISHED):
        article.published_at = article.first_published_at = when
        article.modified_at = when
        roll = rng.random()
        if not scheduled and roll < CORRECTED_SHARE + UPDATED_SHARE:
            updated = min(when + timedelta(hours=rng.randint(2, 72)), now)
            if updated - when > timedelta(minutes=1):
                article.updated_at = article.modified_at = updated
                if roll < CORRECTED_SHARE:
                    kind, text = rng.choice(CORRECTIONS)
                    story.correction = (kind, writer._fill(text, story.spec), updated)
    return story


def _insert(model, columns, rows):
    """Insert plain rows: for the many small rows that link articles to what they use.

    Model instances would cost more to make and to save than the rows themselves.
    """
    if not rows:
        return
    ops = connection.ops
    fields = [model._meta.get_field(name) for name in columns]
    # Dates are written as the backend stores them; everything else here is a str or an int.
    prepare = [
        (index, field) for index, field in enumerate(fields)
        if isinstance(field, models.DateField | models.DateTimeField)
    ]
    if prepare:
        rows = [list(row) for row in rows]
        for row in rows:
            for index, field in prepare:
                row[index] = field.get_db_prep_value(row[index], connection)
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # nosec B608  # quoted own names; values are parameters
        ops.quote_name(model._meta.db_table),
        ", ".join(ops.quote_name(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _write(stories):
    """Write a batch of stories and what goes with them, in one transaction; the row counts."""
    with transaction.atomic(), _keeping_given_times(Article, "created_at", "modified_at"):
        created = Article.objects.bulk_create([story.article for story in stories])
        bylines, taggings, references, corrections = [], [], [], []
        for article, story in zip(created, stories, strict=True):
            pk, at = article.pk, article.published_at
            bylines += [(pk, author, position, at)
                        for position, author in enumerate(story.authors)]
            taggings += [(pk, tag, at) for tag in story.tags]
            references += [(pk, *reference) for reference in story.references]
            if story.correction:
                corrections.append((pk, *story.correction))
        _insert(Byline, ("article", "author", "position", "published_at"), bylines)
        _insert(ArticleTag, ("content_object", "tag", "published_at"), taggings)
        _insert(Reference, ("article", "position", "title", "publisher", "url", "date", "note"),
                references)
        _insert(Correction, ("article", "kind", "text", "created_at"), corrections)
    return {"bylines": len(bylines), "taggings": len(taggings),
            "references": len(references), "corrections": len(corrections)}
