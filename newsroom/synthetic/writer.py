"""Made-up articles, one at a time from a seeded generator, each with its bylines, tags,
sources and now and then a correction, and the times and workflow states of a batch."""

from bisect import bisect
from dataclasses import dataclass
from datetime import timedelta
from itertools import accumulate
from uuid import UUID

from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article

from .cast import SECTIONS, SectionSpec, painter_of
from .words import (
    ACTOR_VERBS,
    FIRST_NAMES,
    HOUR_WEIGHTS,
    LABEL_WEIGHTS,
    LIST_ITEMS,
    NEWS_OUTCOMES,
    OPINION_HEADLINES,
    PUBLISHERS,
    QUOTE_SOURCES,
    QUOTES,
    REFERENCE_COUNT_WEIGHTS,
    REFERENCE_NOTES,
    REFERENCE_TITLES,
    SENTENCES,
    SUBHEADS,
    SURNAMES,
    VENUES,
    WHY_ENDINGS,
    Slots,
)

YEARS = 5

# Shares of the articles, by workflow state; the rest are published.
DRAFT_SHARE = 0.02
IN_REVIEW_SHARE = 0.005
UNPUBLISHED_SHARE = 0.003
SCHEDULED_SHARE = 0.002
WITH_IMAGE_SHARE = 0.85


@dataclass
class SeededArticle:
    article: Article
    spec: SectionSpec
    authors: list  # author ids, in byline order
    tags: list  # tag ids
    references: list  # (position, title, publisher, url, date, note)
    correction: tuple | None = None  # (kind, text, time)


class ArticleWriter:
    """Makes up articles, one at a time, from a seeded generator."""

    def __init__(self, rng, sections, authors, tags, images, taken_slugs):
        self.rng = rng
        self.sections = sections
        self.section_slugs = list(sections)
        self.specs = {spec.slug: spec for spec in SECTIONS}
        # Ids: the articles refer to the cast by id only.
        self.everyone = [author.pk for author, _ in authors]
        self.staff = {
            slug: [author.pk for author, beats in authors if slug in beats] or self.everyone
            for slug in sections
        }
        self.tags = [tag.pk for tag in tags]
        # Zipf-like popularity: the first tags are on many articles, most on a few hundred.
        self.tag_weights = list(accumulate(1 / (rank + 8) for rank in range(len(tags))))
        self.images_by_section = {
            slug: [image for image in images
                   if painter_of(image) in self.specs[slug].painters] or images
            for slug in sections
        }
        self.taken_slugs = taken_slugs
        self.labels = list(LABEL_WEIGHTS)
        self.label_weights = list(accumulate(LABEL_WEIGHTS.values()))
        self.hours = list(accumulate(HOUR_WEIGHTS))
        self.people = [f"{first} {last}" for first in FIRST_NAMES for last in SURNAMES]
        self.sentences = {slug: self._sentence_pool(self.specs[slug]) for slug in sections}

    def _fill(self, template, spec, **extra):
        return template.format_map(Slots(self.rng, spec, extra))

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
        # No template twice in one article: each gives one of the sentences made from it.
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
        # clean_body() would make of it (the tests hold it to that), without the cost per article.
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
        """An unsaved article and what goes with it, as a SeededArticle."""
        rng = self.rng
        section_slug = rng.choice(self.section_slugs)
        label = self.labels[bisect(self.label_weights, rng.random() * self.label_weights[-1])]
        if label == Article.Label.REVIEW and section_slug != "culture" and rng.random() < 0.8:
            section_slug = "culture"
        spec = self.specs[section_slug]
        headline = self.headline(spec, label)
        images = self.images_by_section[section_slug]
        article = Article(
            uuid=UUID(int=rng.getrandbits(128), version=4),
            headline=headline[:200],
            slug=self.slug(headline),
            standfirst=self.standfirst(spec),
            body=self.body(spec),
            label=label,
            section_id=self.sections[section_slug].pk,
            lead_image_id=rng.choice(images).pk if rng.random() < WITH_IMAGE_SHARE else None,
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
        return SeededArticle(article, spec, authors, tags, references)

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

