"""The demo's content: the sections, authors and articles of The Harbour City Courier.

The article bodies live in bodies/, next to this file, one <slug>.html per article; the wire
article is a text file in the agency's format.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.utils.text import slugify

from ..models import Licence

BODIES_DIR = Path(__file__).resolve().parent / "bodies"

COURIER_GRAPHICS = "Courier graphics desk"


@dataclass(frozen=True)
class DemoSection:
    slug: str
    name: str
    description: str
    position: int


@dataclass(frozen=True)
class DemoAuthor:
    slug: str
    name: str
    bio: str


@dataclass(frozen=True)
class DemoImage:
    painter: str
    seed: int
    alt_text: str
    caption: str = ""
    credit: str = COURIER_GRAPHICS
    licence: str = Licence.ALL_RIGHTS_RESERVED
    credit_url: str = ""


@dataclass(frozen=True)
class DemoReference:
    title: str
    publisher: str = ""
    url: str = ""
    days_ago: int | None = None
    note: str = ""


@dataclass(frozen=True)
class DemoArticle:
    """One article; its body is bodies/<slug>.html.

    `publish_at` is relative to the time of loading: negative for an article already out, positive
    for a scheduled one, None for a draft.
    """

    slug: str
    headline: str
    standfirst: str
    section: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    image: DemoImage
    references: tuple[DemoReference, ...]
    publish_at: timedelta | None
    label: str = "news"


@dataclass(frozen=True)
class DemoWireArticle:
    """An article in wire format, imported the way the agency's copy is."""

    filename: str
    section: str
    author: str
    tags: tuple[str, ...]
    standfirst: str
    image: DemoImage
    publish_at: timedelta

    @property
    def text(self):
        return (BODIES_DIR / self.filename).read_text(encoding="utf-8")

    @property
    def slug(self):
        # The importer's slug for a headline that is not taken yet.
        headline = next(line.strip() for line in self.text.splitlines() if line.strip())
        return slugify(headline)[:200].strip("-")


SECTIONS = [
    DemoSection("city", "City", "Council decisions, transport, housing and the streets of "
                "Harbour City.", 0),
    DemoSection("business", "Business", "The port, the high streets and the people who make "
                "a living in Harbour City.", 1),
    DemoSection("culture", "Culture", "Theatre, music, galleries and the life of the city "
                "after work.", 2),
    DemoSection("science", "Science & Environment", "The harbour, the weather, the night sky "
                "and the research done in the city.", 3),
]

AUTHORS = [
    DemoAuthor("maren-quist", "Maren Quist",
               "Maren covers City Hall, transport and housing. She joined the Courier after "
               "six years on a regional news desk, and still takes the 14 bus to work."),
    DemoAuthor("tomas-lindqvist", "Tomás Lindqvist",
               "Tomás is the Courier's business correspondent, reporting on the port, shipping "
               "and the city's small firms. Before journalism he was a clerk in the harbour "
               "master's office."),
    DemoAuthor("priya-castellano", "Priya Castellano",
               "Priya is the Courier's culture editor. She writes about theatre, music and the "
               "visual arts, and has reviewed more than 600 performances in Harbour City."),
    DemoAuthor("jonah-whitfield", "Jonah Whitfield",
               "Jonah reports on science and the environment, from the water quality of the "
               "harbour to the city's flood defences. He trained as a coastal geologist."),
    DemoAuthor("aisha-brennan", "Aisha Brennan",
               "Aisha is the Courier's data reporter. She turns council spreadsheets, port "
               "statistics and readers' surveys into stories and charts."),
]


def _ago(days=0, hours=0, minutes=0):
    return -timedelta(days=days, hours=hours, minutes=minutes)


ARTICLES = [
    DemoArticle(
        slug="market-street-car-free-weekends",
        headline="Market Street to go car-free at weekends in eighteen-month trial",
        standfirst="Councillors approved a trial that closes the busiest stretch of Market "
        "Street to traffic from Friday evening to Sunday night, with deliveries moved to the "
        "early morning.",
        section="city",
        authors=("maren-quist",),
        tags=("transport", "city council", "Market Street"),
        image=DemoImage(
            "street_plan", 11,
            alt_text="Illustrated street plan of a city centre: one long street coloured "
            "orange, lined with trees and dotted with people, and a river along the bottom.",
            caption="The closure covers Market Street between the Corn Exchange and Ferry "
            "Square; buses move one block south to Dock Road.",
        ),
        references=(
            DemoReference("Market Street Weekend Closure: Trial Plan", "Harbour City Council",
                          "https://www.harbourcity.example/council/market-street-trial", 34),
            DemoReference("Pedestrian and Traffic Counts, Market Street",
                          "Harbour City Council Transport Department", days_ago=61),
            DemoReference("Members' Survey on a Weekend Closure",
                          "Market Street Traders' Association",
                          note="Shared with the Courier before the vote."),
        ),
        publish_at=_ago(days=1, hours=2, minutes=15),
    ),
    DemoArticle(
        slug="port-traffic-new-deep-water-berth",
        headline="Port traffic climbs 12% as new deep-water berth opens for business",
        standfirst="Harbour City handled more containers last quarter than in any quarter on "
        "record, helped by a quay that can take ships too big for the old berths.",
        section="business",
        authors=("tomas-lindqvist", "aisha-brennan"),
        tags=("port", "economy", "shipping"),
        image=DemoImage(
            "bar_chart", 23,
            alt_text="Illustrated bar chart: teal bars rising unevenly from left to right, the "
            "last and tallest bar in gold, with a white trend line above them.",
            caption="Containers handled at Harbour City, quarter by quarter. The latest "
            "quarter, in gold, is the busiest on record.",
            credit="Aisha Brennan / Courier",
            licence=Licence.CC_BY,
            credit_url="https://courier.harbourcity.example/authors/aisha-brennan/",
        ),
        references=(
            DemoReference("Quarterly Traffic Report", "Port of Harbour City Authority",
                          "https://port.harbourcity.example/reports/quarterly", 3),
            DemoReference("Berth 9 Deep-Water Quay: Planning Statement",
                          "Harbour City Council Planning Committee",
                          "https://www.harbourcity.example/planning/berth-9"),
            DemoReference("Statement on Staffing at Berth 9", "Harbour Workers' Union",
                          days_ago=4),
        ),
        publish_at=_ago(days=2, hours=1, minutes=40),
    ),
    DemoArticle(
        slug="seagrass-returns-to-inner-harbour",
        headline="Seagrass is growing back in the inner harbour, divers' survey finds",
        standfirst="Meadows that vanished in the 1970s now cover almost four hectares near the "
        "Lighthouse Steps, a sign that cleaner water is reaching the bed of the bay.",
        section="science",
        authors=("jonah-whitfield",),
        tags=("environment", "harbour", "marine life"),
        image=DemoImage(
            "underwater", 31,
            alt_text="Illustration of a seagrass meadow on a harbour bed: long green blades "
            "swaying under shafts of light, with small fish and bubbles above.",
            caption="Eelgrass now grows on almost four hectares of the inner harbour bed.",
            credit="Harbour City University Marine Ecology Group",
            licence=Licence.CC_BY_SA,
            credit_url="https://marine.harbourcity-uni.example/",
        ),
        references=(
            DemoReference("Inner Harbour Seagrass Survey",
                          "Harbour City University Marine Ecology Group",
                          "https://marine.harbourcity-uni.example/seagrass-survey", 4),
            DemoReference("Quay Road Storm Overflow Scheme: Completion Report",
                          "Harbour City Water", days_ago=300),
            DemoReference("Harbour Moorings Policy", "Port of Harbour City Authority",
                          "https://port.harbourcity.example/moorings"),
        ),
        publish_at=_ago(days=3, hours=3, minutes=5),
    ),
    DemoArticle(
        slug="jazz-festival-free-waterfront-stage",
        headline="Jazz festival adds a free stage on the waterfront",
        standfirst="A third of this year's concerts will be on an open-air stage at Ferry "
        "Square with no ticket needed, as organisers try to reach listeners who have never "
        "been to a jazz club.",
        section="culture",
        authors=("priya-castellano", "aisha-brennan"),
        tags=("music", "festivals", "Old Port", "arts"),
        image=DemoImage(
            "sound_rings", 8,
            alt_text="Illustration of a floating stage on a barge at night, three musicians "
            "silhouetted inside, with rings of colour spreading across the sky and a string "
            "of lights overhead.",
            caption="The free stage will sit on a barge moored at the edge of Ferry Square.",
            credit="Harbour City Jazz Festival",
            licence=Licence.USED_WITH_PERMISSION,
            credit_url="https://www.harbourjazz.example/",
        ),
        references=(
            DemoReference("Festival Programme", "Harbour City Jazz Festival",
                          "https://www.harbourjazz.example/programme", 3),
            DemoReference("Audience Survey: Summary of Results", "Harbour City Jazz Festival",
                          days_ago=90),
            DemoReference("Events Fund Awards", "Harbour City Council",
                          "https://www.harbourcity.example/events-fund"),
        ),
        publish_at=_ago(days=4, hours=4, minutes=30),
    ),
    DemoArticle(
        slug="canal-street-small-firms",
        label="analysis",
        headline="A bakery, a bike shop and a bookbinder: the small firms filling Canal Street",
        standfirst="Two years ago one in three shopfronts on Canal Street was empty. Short "
        "leases and help with the rent have brought the number down to four.",
        section="business",
        authors=("tomas-lindqvist",),
        tags=("small business", "economy", "Canal Street"),
        image=DemoImage(
            "shopfronts", 41,
            alt_text="Illustration of a row of brightly painted shopfronts with striped "
            "awnings along a canal, reflected in the water.",
            caption="Of Canal Street's 58 shopfronts, four now stand empty.",
            licence=Licence.CC0,
        ),
        references=(
            DemoReference("Open Doors: Two-Year Evaluation",
                          "Harbour City Council Economic Development",
                          "https://www.harbourcity.example/open-doors/evaluation", 20),
            DemoReference("Register of Vacant Commercial Units", "Harbour City Council",
                          days_ago=30),
            DemoReference("Letter to the Council on Lease Renewals", "Canal Street Traders"),
        ),
        publish_at=_ago(days=5, hours=20, minutes=10),
    ),
    DemoArticle(
        slug="flood-barrier-test-closes-riverside-promenade",
        headline="Flood barrier test will close Riverside Promenade for two nights",
        standfirst="Engineers will raise all eleven gates of the River Leat barrier in the "
        "first full test since it was built; the riverside path will shut from 8 p.m. to "
        "6 a.m.",
        section="city",
        authors=("maren-quist", "jonah-whitfield"),
        tags=("flooding", "harbour", "transport"),
        image=DemoImage(
            "skyline", 17,
            alt_text="Illustration of a city skyline at dusk across a river, the sun setting "
            "between the buildings and a row of barrier piers with red lights in the water.",
            caption="The eleven gates of the River Leat barrier have never all been raised "
            "at once.",
            licence=Licence.CC_BY_ND,
        ),
        references=(
            DemoReference("River Leat Barrier: Operating Manual and Test Schedule",
                          "Harbour City Council Flood Resilience Team", days_ago=15),
            DemoReference("Storm Surge Projections for the Harbour City Coast",
                          "Harbour City University Coastal Research Unit",
                          "https://coast.harbourcity-uni.example/projections", 210),
            DemoReference("Flood Resilience Phase Two: Consultation", "Harbour City Council",
                          "https://www.harbourcity.example/floods/consultation", 9),
        ),
        publish_at=_ago(days=7, hours=16, minutes=45),
    ),
    DemoArticle(
        slug="old-ropeworks-reopens-for-theatre",
        label="review",
        headline="The Old Ropeworks reopens as a home for the city's small theatre companies",
        standfirst="After a two-year restoration, the 180-metre Victorian rope shed on the Old "
        "Port now holds two studio stages, rehearsal rooms and a café, and six companies have "
        "moved in.",
        section="culture",
        authors=("priya-castellano",),
        tags=("theatre", "Old Port", "arts"),
        image=DemoImage(
            "stage", 5,
            alt_text="Illustration of an empty stage between red curtains, a spotlight "
            "falling on a coil of rope in the middle of the wooden floor.",
            caption="The larger of the two new studio theatres seats 120 under the building's "
            "original roof trusses.",
            credit="Old Ropeworks Trust",
            licence=Licence.HANDOUT,
            credit_url="https://www.oldropeworks.example/",
        ),
        references=(
            DemoReference("Old Ropeworks Conservation Management Plan",
                          "Harbour City Heritage Trust"),
            DemoReference("Opening Season Programme", "Old Ropeworks Trust",
                          "https://www.oldropeworks.example/whats-on", 12),
            DemoReference("Ropeworks Appeal: Final Report to Donors", "Old Ropeworks Trust",
                          days_ago=40),
        ),
        publish_at=_ago(days=9, hours=6, minutes=20),
    ),
    # Not on the site yet: a draft, and an article scheduled for tomorrow.
    DemoArticle(
        slug="route-14-what-riders-told-us",
        headline="Route 14: what 912 riders told us about the city's longest bus line",
        standfirst="More than 900 readers answered our questions about the 14. Here is what "
        "they said, and what the transit authority says it will change.",
        section="city",
        authors=("aisha-brennan",),
        tags=("transport", "city council", "buses"),
        image=DemoImage(
            "transit_map", 14,
            alt_text="Schematic map of five coloured bus lines crossing the city in straight "
            "runs and diagonal turns, with stops shown as white circles.",
            caption="Route 14 runs 23 kilometres from Northfield to the container terminal.",
            credit="Aisha Brennan / Courier",
        ),
        references=(
            DemoReference("Route 14 Readers' Questionnaire", "The Harbour City Courier",
                          days_ago=10, note="912 responses over three weeks."),
            DemoReference("Bus Network Review: Terms of Reference",
                          "Harbour City Transit Authority",
                          "https://transit.harbourcity.example/network-review", 45),
        ),
        publish_at=None,
    ),
    DemoArticle(
        slug="gallery-season-three-exhibitions",
        label="explainer",
        headline="Three exhibitions to see as the gallery season opens",
        standfirst="A forgotten generation of poster artists, a room full of the tide and the "
        "art school's graduates: our pick of the new season.",
        section="culture",
        authors=("priya-castellano",),
        tags=("arts", "exhibitions", "Old Port"),
        image=DemoImage(
            "bauhaus", 3,
            alt_text="Abstract illustration: a grid of flat coloured tiles, each holding a "
            "simple shape, circles, half moons, stripes and triangles in red, navy, ochre and "
            "teal.",
            caption="The season's posters take their colours from the shipping lines' old "
            "advertisements.",
            licence=Licence.CC_BY,
        ),
        references=(
            DemoReference("Posters from the Port: Exhibition Guide", "Quayside Gallery",
                          "https://www.quaysidegallery.example/posters", 2),
            DemoReference("Tidal: Notes on the Installation", "Old Ropeworks Trust"),
            DemoReference("Galleries: What's On", "Harbour City Council",
                          "https://www.harbourcity.example/whats-on/galleries"),
        ),
        publish_at=timedelta(days=1),
    ),
]

WIRE_ARTICLE = DemoWireArticle(
    filename="observatory-wire.txt",
    section="science",
    author="jonah-whitfield",
    tags=("astronomy", "environment", "Beacon Hill"),
    standfirst="Visitors will be able to book free twenty-minute sessions at the city's "
    "largest telescope, restored by volunteers over three winters.",
    image=DemoImage(
        "night_sky", 2,
        alt_text="Illustration of an observatory dome on a dark hilltop under a starry sky, a "
        "telescope pointing out of the open slit and the lights of the city below.",
        credit_url="https://www.beaconhill-astro.example/",
    ),
    publish_at=_ago(hours=5, minutes=25),
)
