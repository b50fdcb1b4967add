"""Images in object storage: a real S3-compatible server on 127.0.0.1, reached over HTTP."""

import json
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.images.orphans import delete_orphaned_files
from articles.images.renditions import delete_image_files, make_renditions
from articles.models import Image, Licence
from newsroom.settings import object_storage, object_storage_origins

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(settings, s3_server, monkeypatch):
    """A fresh bucket, and the newsroom's uploads going to it as NEWSROOM_S3_* would say."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "newsroom-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "newsroom-test-secret")
    name = f"newsroom-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    # Readers fetch images straight from the bucket, as docs/deploy.md sets it up.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": object_storage(
            {
                "NEWSROOM_S3_BUCKET": name,
                "NEWSROOM_S3_ENDPOINT_URL": s3_server,
                "NEWSROOM_S3_REGION": "us-east-1",
            }
        ),
    }
    return client, name


def public_read_policy(bucket_name):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket_name}/*",
            }
        ],
    }


def stored_names(client, bucket_name):
    listing = client.list_objects_v2(Bucket=bucket_name)
    return {item["Key"] for item in listing.get("Contents", [])}


@pytest.fixture
def upload_image(bucket, make_upload):
    """Upload a credited image, as an editor would, and make its renditions: into the bucket."""

    def upload(name, alt_text, size=(640, 360)):
        image = Image.objects.create(
            file=make_upload(name, size=size),
            alt_text=alt_text,
            credit="Ana Ruiz / Courier",
            licence=Licence.CC_BY,
        )
        return image, make_renditions(image)

    return upload


def read_url(url):
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 — a local test server
        return response.status, response.headers["Content-Type"], response.read()


def test_an_upload_and_its_renditions_go_to_the_bucket_and_are_public(bucket, upload_image):
    client, bucket_name = bucket
    image, written = upload_image("quay.jpg", "Boats at the quay")

    names = stored_names(client, bucket_name)
    assert image.file.name in names
    assert written and set(written) <= names
    status, content_type, data = read_url(image.file.url)
    assert status == 200
    assert content_type == "image/jpeg"
    assert data[:2] == b"\xff\xd8"
    rendition = written[0]
    status, content_type, data = read_url(default_storage.url(rendition))
    assert status == 200
    assert content_type.startswith("image/")


def test_an_article_page_points_at_the_images_in_the_bucket(
    bucket, client, make_article, upload_image, s3_server
):
    image, _ = upload_image("depot.jpg", "The tram depot", size=(800, 450))
    article = make_article("Depot reopens", lead_image=image)

    page = client.get(article.get_absolute_url()).content.decode()

    assert f"{s3_server}/{bucket[1]}/" in page
    assert "/media/" not in page


def test_deleting_an_image_removes_its_files_from_the_bucket(bucket, upload_image):
    client, bucket_name = bucket
    image, _ = upload_image("pier.jpg", "The pier")
    assert len(stored_names(client, bucket_name)) > 1

    image.delete()
    delete_image_files(image)  # what the admin does once the deletion is committed

    assert stored_names(client, bucket_name) == set()


def test_files_no_image_names_are_cleared_from_the_bucket_once_old_enough(
    bucket, upload_image, clock
):
    """What an upload killed before its commit left: found by listing the bucket."""
    client, bucket_name = bucket
    image, written = upload_image("slipway.jpg", "The slipway")
    folder = image.file.name.rsplit("/", 1)[0]
    left_behind = [
        default_storage.save(f"{folder}/killed.jpg", ContentFile(b"a picture")),
        default_storage.save(f"{folder}/renditions/killed/1x1-160-abc.webp", ContentFile(b"x")),
    ]
    assert delete_orphaned_files().too_new == 2

    clock.advance(hours=2)
    sweep = delete_orphaned_files()

    assert sorted(sweep.removed) == sorted(left_behind)
    assert stored_names(client, bucket_name) == {image.file.name, *written}


def test_object_storage_is_configured_only_when_a_bucket_is_named():
    assert object_storage({}) is None
    settings = object_storage(
        {"NEWSROOM_S3_BUCKET": "news", "NEWSROOM_MEDIA_DOMAIN": "media.example.org"}
    )
    assert settings["BACKEND"] == "storages.backends.s3.S3Storage"
    assert settings["OPTIONS"]["bucket_name"] == "news"
    assert settings["OPTIONS"]["custom_domain"] == "media.example.org"
    assert settings["OPTIONS"]["querystring_auth"] is False
    assert settings["OPTIONS"]["file_overwrite"] is False
    # The page's Content-Security-Policy lets readers' browsers load the images from there.
    assert object_storage_origins(settings) == ["https://media.example.org"]
    local = object_storage(
        {"NEWSROOM_S3_BUCKET": "news", "NEWSROOM_S3_ENDPOINT_URL": "http://127.0.0.1:9000/"}
    )
    assert local["OPTIONS"]["addressing_style"] == "path"
    assert object_storage_origins(local) == ["http://127.0.0.1:9000"]
    aws = object_storage({"NEWSROOM_S3_BUCKET": "news", "NEWSROOM_S3_REGION": "eu-west-1"})
    assert object_storage_origins(aws) == [
        "https://news.s3.amazonaws.com",
        "https://news.s3.eu-west-1.amazonaws.com",
    ]
