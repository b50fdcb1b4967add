"""The newsroom's images, from upload to page: everything but the model and its admin.

- `uploads`: an upload distrusted, checked and kept only as a clean copy; the pending folder
  where a good upload waits while its editor finishes the form.
- `details`: the credit, caption and licence a photo file carries (XMP, IPTC, EXIF).
- `forms`: the image form that puts those two together for the admin.
- `renditions`: the sizes and formats readers are served, made once and stored, and the
  <picture> and single files pages, feeds and metadata take from them.
- `backfill`: renditions for the whole library at once, as `make_renditions` asks.
- `thumbnails`: the small square the admin's lists show of an image.
- `duplicates`: the same photo already in the library, found by a digest of its pixels.
- `orphans`: image files no image names any more, found and removed.

The model is `articles.models.Image`; its admin is `articles.admin.image`; the commands
`make_renditions`, `clean_media` and `fill_image_digests` and the `images` template tags are thin
over this package. Only `details`, `forms`, `orphans`, `backfill` and `duplicates` import the
models, so the others can be imported from anywhere, the models included.
"""
