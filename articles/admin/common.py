from django.utils.html import format_html


def thumbnail(image, size=80):
    if image is None or not image.file:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" style="height:auto;max-height:{}px;object-fit:cover">',
        image.file.url,
        image.alt_text,
        size,
        size,
    )
