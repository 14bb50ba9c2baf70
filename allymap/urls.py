"""Every URL allymap answers. Ids are random; no name or alias ever appears in a URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from allymap.web import views

ID = "<str:intervention_id>"
PERSON = "<str:person_id>"

urlpatterns = [
    path("", views.home, name="home"),
    path("setup/", views.setup, name="setup"),
    path("unlock/", views.unlock, name="unlock"),
    path("recover/", views.recover, name="recover"),
    path("lock/", views.lock, name="lock"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("exit/", views.quick_exit, name="exit"),
    path("away/", views.away, name="away"),
    path("about/", views.about, name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("interventions/", views.intervention_list, name="interventions"),
    path("interventions/new/", views.intervention_start, name="intervention_start"),
    path(f"i/{ID}/", views.intervention, name="intervention"),
    path(f"i/{ID}/people/new/", views.person_add, name="person_add"),
    path(f"i/{ID}/people/{PERSON}/", views.person, name="person"),
    path(f"i/{ID}/people/{PERSON}/reflect/", views.reflect, name="reflect"),
    # Personal mode serves its few small static files itself; hosted mode may too.
    re_path(r"^static/(?P<path>.+)$", serve, {"document_root": settings.STATIC_ROOT}),
]
