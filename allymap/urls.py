"""Every URL allymap answers. Ids are random; no name or alias ever appears in a URL."""

from __future__ import annotations

from django.conf import settings
from django.urls import path, re_path

from allymap.web.views import (
    account,
    brainstorm,
    compare,
    erasure,
    exchange,
    follow,
    gaps,
    general,
    interventions,
    leaving,
    people,
    pictures,
    positions,
    prints,
    roles,
    selfcheck,
    static,
    summary,
    team,
)

# Every failure renders in allymap's frame, with the quick exit (allymap/web/views/errors.py).
handler400 = "allymap.web.views.errors.bad_request"
handler403 = "allymap.web.views.errors.forbidden"
handler404 = "allymap.web.views.errors.not_found"
handler500 = "allymap.web.views.errors.server_error"

ID = "<str:intervention_id>"
PERSON = "<str:person_id>"

urlpatterns = [
    path("", general.home, name="home"),
    path("setup/", account.setup, name="setup"),
    path("unlock/", account.unlock, name="unlock"),
    path("recover/", account.recover, name="recover"),
    path("lock/", leaving.lock, name="lock"),
    path("keepalive/", leaving.keepalive, name="keepalive"),
    path("idle/", leaving.idle, name="idle"),
    path("exit/", leaving.quick_exit, name="exit"),
    path("away/", general.away, name="away"),
    path("about/", general.about, name="about"),
    path("safety/", general.safety, name="safety"),
    path("healthz", general.healthz, name="healthz"),
    path("print.css", prints.print_css, name="print_css"),
    path("interventions/", interventions.intervention_list, name="interventions"),
    path("interventions/new/", interventions.intervention_start, name="intervention_start"),
    path(
        "interventions/records/",
        interventions.intervention_records,
        name="intervention_records",
    ),
    path("interventions/import/", exchange.import_intervention, name="import"),
    path(f"i/{ID}/", interventions.intervention, name="intervention"),
    path(f"i/{ID}/export/", exchange.export, name="export"),
    path(f"i/{ID}/change/", interventions.intervention_change, name="intervention_change"),
    path(f"i/{ID}/team/", team.team, name="team"),
    path(f"i/{ID}/brainstorm/", brainstorm.brainstorm, name="brainstorm"),
    path(f"i/{ID}/compare/", compare.compare, name="compare"),
    path(f"i/{ID}/map/", pictures.ring_map, name="ring_map"),
    path(f"i/{ID}/hui/", pictures.hui, name="hui"),
    path(f"i/{ID}/roles/", roles.roles, name="roles"),
    path(f"i/{ID}/gaps/", gaps.gap_action, name="gaps"),
    path(f"i/{ID}/check-ins/", follow.check_ins, name="check_ins"),
    path(f"i/{ID}/staircase/", follow.staircase, name="staircase"),
    path(f"i/{ID}/timeline/", follow.timeline, name="timeline"),
    path(f"i/{ID}/self-check/", selfcheck.self_check, name="self_check"),
    path(f"i/{ID}/print/", prints.prints, name="prints"),
    path(f"i/{ID}/print/blank/", prints.print_blank, name="print_blank"),
    path(f"i/{ID}/print/team/", prints.print_member, name="print_member"),
    path(f"i/{ID}/print/ally/{PERSON}/", prints.print_ally, name="print_ally"),
    path(f"i/{ID}/people/new/", people.person_add, name="person_add"),
    path(f"i/{ID}/people/{PERSON}/", summary.person, name="person"),
    path(f"i/{ID}/people/{PERSON}/talked/", summary.talked_through, name="talked_through"),
    path(f"i/{ID}/people/{PERSON}/reflect/", positions.reflect, name="reflect"),
    path(f"i/{ID}/people/{PERSON}/change/", people.person_change, name="person_change"),
    path(f"i/{ID}/people/{PERSON}/remove/", people.person_remove, name="person_remove"),
    path(f"i/{ID}/people/{PERSON}/forget/", erasure.person_forget, name="person_forget"),
    path(f"i/{ID}/destroy/", erasure.intervention_destroy, name="intervention_destroy"),
    # Personal mode serves its few small static files itself (compressed, never a page);
    # hosted mode may too.
    re_path(r"^static/(?P<path>.+)$", static.static_file, {"document_root": settings.STATIC_ROOT}),
]
