from django.shortcuts import render

from gongkai.documents.selectors import documents_public


def home(request):
    latest = documents_public().select_related("organisation").order_by("-published_at")[:10]
    return render(request, "portal/home.html", {"latest": latest})
