"""The synthetic newsroom at size: years of made-up articles, for benchmarks and trying the site.

`seed_newsroom(100_000)` writes eight sections, sixty authors, a thousand tags and two dozen
images (the cast), then the articles with their bylines, tags, sources and a few corrections:
BATCH_SIZE articles at a time, written with bulk inserts, one transaction per batch. Every word
is put together from the word lists in words.py; nothing is a real article.

The cast is the same whatever the seed, so a second run with `add=True` reuses it; the seed
decides the articles. The same seed, the same starting newsroom and the same clock give the same
articles, byte for byte.

bulk_create() skips Article.save(), so the rows are given here what save() and the workflow
would give them: a UUID, a body already in its sanitised form, publication times (copied onto
the tags' and bylines' links too, as publishing does), and created/modified times that date from
the article rather than from the seeding.

- words: the word lists every article is put together from;
- cast: the sections, authors, tags and images, and writing them;
- writer: making up one article and what goes with it;
- seeding: seed_newsroom(), which writes the cast and the articles in batches.
"""
