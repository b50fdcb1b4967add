"""The words the synthetic newsroom is made of: places, names, tags, and the templates and phrases
its headlines, standfirsts, bodies, sources and corrections are put together from."""

from articles.models import Article, Correction, Licence

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

# Images: what each painter's illustration shows, for its alt text and caption.
IMAGE_TEXT = {
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
IMAGE_CREDITS = (
    ("Courier graphics desk", Licence.ALL_RIGHTS_RESERVED, ""),
    ("Ines Carvalho / Courier", Licence.CC_BY, "https://courier.harbourcity.example/ines"),
    ("Harbour City Council", Licence.USED_WITH_PERMISSION, ""),
    ("Kofi Adeyemi", Licence.CC_BY_SA, "https://photos.example.org/kofi-adeyemi"),
    ("Port of Harbour City Authority", Licence.HANDOUT, ""),
    ("City Archive", Licence.PUBLIC_DOMAIN, "https://archive.harbourcity.example/"),
    ("Yara Lindgren", Licence.CC0, ""),
    ("Harbour Wire", Licence.CC_BY_ND, "https://wire.example.net/"),
)

# Words for the articles.

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
# How many sources an article cites, 0 to 4: cumulative percentages.
REFERENCE_COUNT_WEIGHTS = (15, 45, 75, 90, 100)
# The hours articles go out at, and how often: a newsroom is busiest in the working day.
HOUR_WEIGHTS = (1, 0, 0, 0, 0, 1, 3, 6, 8, 9, 9, 8, 7, 8, 8, 8, 7, 6, 5, 4, 3, 3, 2, 1)


def _cap(text):
    return text[:1].upper() + text[1:]


def _ordinal(number):
    return {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}.get(number, "sixth")


class Slots(dict):
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
