from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render


def healthz(request):
    """For the load balancer and docker-compose's health check: the process answers."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def about(request):
    """What the portal is, who runs it, and where its reference data comes from (the map's
    licence requires the credit "© Kartverket")."""
    return render(request, "about.html")
