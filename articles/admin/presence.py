"""The open article form's heartbeat: the browser says every half minute that its person still
has the story open, and hears who else has (see articles.presence)."""

from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse

from .. import presence


def heartbeat_view(model_admin, request, object_id):
    """POST: record the heartbeat, answer with the others on the story. POST with `left`: the
    form was closed. Only for a story this person may see; any other is answered as one that
    is not there, so that nobody learns of a story, or who works on it, by guessing its id."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    article = model_admin.get_object(request, object_id)
    if article is None or not model_admin.has_view_or_change_permission(request, article):
        raise Http404("No such story.")
    if request.POST.get("left"):
        presence.record_leaving(article, request.user)
        return HttpResponse(status=204)
    presence.record_heartbeat(article, request.user)
    others = presence.others_on(article, request.user)
    return JsonResponse(
        {"others": presence.as_json(others), "every": presence.HEARTBEAT.total_seconds()}
    )
