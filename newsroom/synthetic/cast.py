"""The synthetic newsroom's cast: its sections, authors, tags and images, drawn from fixed
generators so that they are the same whatever the seed, and written to what is missing of them."""

import io
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.text import slugify
from taggit.models import Tag

from articles.demo.images import PAINTERS
from articles.images.renditions import make_renditions
from articles.models import Author, Image, Licence, Section

from .words import (
    BIO_ENDINGS,
    FIRST_NAMES,
    IMAGE_CREDITS,
    IMAGE_TEXT,
    PLACES,
    ROLES,
    SURNAMES,
    TAG_QUALIFIERS,
    TAG_WORDS,
)

IMAGE_COUNT = 24
IMAGE_SIZE = (960, 540)
# Images the seed drew are stored here, which is how a later run finds them again.
IMAGE_FOLDER = "images/seeded"
AUTHOR_COUNT = 60
TAG_COUNT = 1_000


# The cast: sections and what their articles are about.


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


def image_specs():
    rng = random.Random("newsroom-pictures")  # nosec B311  # repeatable demo data, no secret
    painters = list(PAINTERS)
    specs = []
    for number in range(IMAGE_COUNT):
        painter = painters[number % len(painters)]
        alt_text, caption = IMAGE_TEXT[painter]
        credit, licence, credit_url = IMAGE_CREDITS[number % len(IMAGE_CREDITS)]
        specs.append({
            "painter": painter, "seed": 1000 + number, "name": f"{painter}-{number + 1:02d}.jpg",
            "alt_text": alt_text, "caption": caption, "credit": credit, "licence": licence,
            "credit_url": credit_url,
            "copyright_notice": f"© {2021 + rng.randrange(5)} {credit}"
            if licence == Licence.ALL_RIGHTS_RESERVED else "",
        })
    return specs


def draw_jpeg(painter, seed):
    """A small image drawn by one of the demo's painters, as JPEG bytes."""
    width, height = IMAGE_SIZE
    canvas = PAINTERS[painter](random.Random(seed), width * 2, height * 2).reduce(2)  # nosec B311  # repeatable demo art, no secret
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


# Writing the cast.


def write_sections():
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


def write_authors():
    existing = {author.slug: author for author in Author.objects.all()}
    specs = author_specs()
    Author.objects.bulk_create(
        Author(slug=spec.slug, name=spec.name, bio=spec.bio)
        for spec in specs if spec.slug not in existing
    )
    by_slug = {author.slug: author for author in Author.objects.filter(
        slug__in=[spec.slug for spec in specs])}
    return [(by_slug[spec.slug], spec.sections) for spec in specs]


def write_tags():
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


def write_images(stored, renditions):
    """The cast's images: those an earlier seeding stored, or new ones."""
    images = list(Image.objects.filter(file__startswith=f"{IMAGE_FOLDER}/").order_by("pk"))
    if images:
        return images
    storage = Image._meta.get_field("file").storage
    for spec in image_specs():
        name = storage.save(f"{IMAGE_FOLDER}/{spec['name']}",
                            ContentFile(draw_jpeg(spec["painter"], spec["seed"])))
        stored.append(name)
        image = Image.objects.create(
            file=name, width=IMAGE_SIZE[0], height=IMAGE_SIZE[1],
            alt_text=spec["alt_text"], caption=spec["caption"], credit=spec["credit"],
            credit_url=spec["credit_url"], licence=spec["licence"],
            copyright_notice=spec["copyright_notice"],
        )
        if renditions:
            stored.extend(make_renditions(image))
        images.append(image)
    return images


def painter_of(image):
    """The painter of a seeded image, from its file name: images/seeded/skyline-01.jpg."""
    return image.file.name.rsplit("/", 1)[-1].rsplit("-", 1)[0]
