"""``watwerkt incident ...``: the incident, its dated updates and recovery targets."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from watwerkt.catalogue.models import Organisation
from watwerkt.incidents import cli, services
from watwerkt.incidents.markdown import to_html
from watwerkt.incidents.models import IMPACTS, OPEN_PHASES, PHASES, Incident, IncidentUpdate
from watwerkt.incidents.services import SECTIONS
from watwerkt.lib.i18n import LANGUAGES
from watwerkt.status import targets
from watwerkt.status.values import parse_date
from watwerkt.status.writing import Actor

INCIDENT_HELP = "the incident's id (watwerkt incident list shows them)"
SECTION_OPTIONS = {name: f"--{name.replace('_', '-')}" for name in SECTIONS}


class Command(BaseCommand):
    help = "Create incidents, post and publish dated updates, resolve, set recovery targets."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a draft incident")
        create.add_argument("title", metavar="TITLE", help="in the organisation's language")
        create.add_argument("--slug", help="its id in URLs (default: made from the title)")
        create.add_argument("--phase", default="investigating", help=", ".join(OPEN_PHASES))
        create.add_argument("--impact", default="major", help=", ".join(IMPACTS))
        create.add_argument("--started", metavar="WHEN", help="when it began (default: now)")
        self._details(create)
        update = actions.add_parser("update", help="change an incident's title, phase, sections")
        update.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        update.add_argument("--title", metavar="TEXT", help="a new title (in --lang)")
        update.add_argument("--phase", help=", ".join(PHASES))
        update.add_argument("--reopen", action="store_true", help="allow the phase to go back")
        update.add_argument("--impact", help=", ".join(IMPACTS))
        update.add_argument("--started", metavar="WHEN", help="when it began")
        update.add_argument(
            "--preview", action="store_true", help="print the sections, save nothing"
        )
        self._details(update)
        post = actions.add_parser("post", help="post a dated update (a draft unless --publish)")
        post.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        post.add_argument(
            "body", metavar="TEXT", help="Markdown in the organisation's language; - reads stdin"
        )
        post.add_argument("--phase", help=f"{', '.join(PHASES)} (default: the incident's)")
        post.add_argument("--reopen", action="store_true", help="allow the phase to go back")
        post.add_argument("--publish", action="store_true", help="publish it at once")
        post.add_argument(
            "--preview", action="store_true", help="print it as published, save nothing"
        )
        cli.add_language_options(post, "update")
        publish = actions.add_parser("publish", help="publish a draft update (and the incident)")
        publish.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        publish.add_argument("--update", type=int, metavar="ID", help="which draft (when several)")
        publish.add_argument("--reopen", action="store_true", help="allow the phase to go back")
        publish.add_argument("--preview", action="store_true", help="print it, publish nothing")
        resolve = actions.add_parser("resolve", help="mark the incident resolved")
        resolve.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        resolve.add_argument("body", metavar="TEXT", nargs="?", help="a last update saying so")
        resolve.add_argument("--at", metavar="WHEN", help="when it ended (default: now)")
        cli.add_language_options(resolve, "update")
        postmortem = actions.add_parser("postmortem", help="publish what happened, once resolved")
        postmortem.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        postmortem.add_argument("body", metavar="TEXT", help="Markdown; - reads stdin")
        cli.add_language_options(postmortem, "postmortem")
        target = actions.add_parser("target", help="add or change a recovery target")
        target.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        target.add_argument("text", metavar="TEXT", nargs="?", help="what will work again")
        target.add_argument("--id", type=int, help="the target to change (default: add one)")
        target.add_argument("--by", metavar="DATE", help="target date (YYYY-MM-DD, or none)")
        target.add_argument("--service", help="the service it is about (none: no service)")
        target.add_argument("--system", help="the system it is about (none: no system)")
        reached = target.add_mutually_exclusive_group()
        reached.add_argument(
            "--reached",
            nargs="?",
            const="now",
            metavar="WHEN",
            help="mark it reached (now, or when)",
        )
        reached.add_argument("--not-reached", action="store_true", help="not reached after all")
        cli.add_language_options(target, "target")
        list_ = actions.add_parser("list", help="list incidents, drafts included")
        show = actions.add_parser("show", help="show an incident with its updates and targets")
        show.add_argument("incident", metavar="INCIDENT", help=INCIDENT_HELP)
        for sub in (create, update, post, publish, resolve, postmortem, target, list_, show):
            sub.add_argument("--org", help="organisation id (needed when there are several)")
            sub.add_argument("--actor", default="cli", help=argparse.SUPPRESS)

    def _details(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--lang",
            choices=LANGUAGES,
            help="language of the texts given (default: the organisation's)",
        )
        for name, option in SECTION_OPTIONS.items():
            parser.add_argument(option, dest=name, metavar="TEXT", help=f"section {name}")
        parser.add_argument("--services", metavar="A,B", help="affected services ('' for none)")
        parser.add_argument("--systems", metavar="X,Y", help="affected systems ('' for none)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = targets.organisation(options["org"])
            self.actor = Actor(options["actor"], "cli")
            getattr(self, f"do_{options['action']}")(org, options)
        except (ValueError, targets.TargetError) as exc:
            raise CommandError(str(exc)) from None

    def say(self, line: str) -> None:
        self.stdout.write(line)

    # -- the incident --

    def _sections(self, org: Organisation, options: dict[str, Any]) -> dict[str, dict[str, str]]:
        language = options["lang"] or org.language
        return {
            name: {language: cli.text(options[name])}
            for name in SECTIONS
            if options[name] is not None
        }

    def do_create(self, org: Organisation, options: dict[str, Any]) -> None:
        language = options["lang"] or org.language
        incident = services.create_incident(
            org,
            {language: cli.text(options["title"])},
            self.actor,
            slug=options["slug"],
            impact=options["impact"],
            phase=options["phase"],
            started_at=cli.moment(org, options["started"]),
            sections=self._sections(org, options),
            services=cli.services(org, options["services"]) or (),
            systems=cli.systems(org, options["systems"]) or (),
        )
        self.say(f"created draft incident {org.slug}/{incident.slug}")

    def do_update(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        language = options["lang"] or org.language
        sections = self._sections(org, options)
        if options["preview"]:
            rendered = {
                f"{name} [{language}]": to_html(t[language]) for name, t in sections.items()
            }
            self.say(cli.preview_lines(f"preview of {org.slug}/{incident.slug}:", rendered))
            return
        services.edit_incident(
            incident,
            self.actor,
            title={language: cli.text(options["title"])} if options["title"] else None,
            impact=options["impact"],
            phase=options["phase"],
            reopen=options["reopen"],
            started_at=cli.moment(org, options["started"]),
            sections=sections,
            services=cli.services(org, options["services"]),
            systems=cli.systems(org, options["systems"]),
        )
        self.say(f"{org.slug}/{incident.slug}: {incident.phase}, saved")

    # -- updates --

    def do_post(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        body = cli.translations(org, options["body"], options)
        if options["preview"]:
            rendered = services.preview(body, org)
            phase = options["phase"] or incident.phase
            self.say(
                cli.preview_lines(f"preview of an update to {incident.slug} ({phase}):", rendered)
            )
            return
        update = services.post_update(
            incident,
            body,
            self.actor,
            phase=options["phase"],
            reopen=options["reopen"],
            publish=options["publish"],
        )
        if options["publish"]:
            self.say(f"published update {update.pk}: {org.slug}/{incident.slug} is {update.phase}")
        else:
            self.say(
                f"posted draft update {update.pk} to {org.slug}/{incident.slug}; "
                f"publish it with: watwerkt incident publish {incident.slug}"
            )

    def _draft(self, incident: Incident, wanted: int | None) -> IncidentUpdate:
        drafts = list(incident.updates.filter(published_at__isnull=True).order_by("id"))
        if wanted is not None:
            found = next((u for u in drafts if u.pk == wanted), None)
            if found is None:
                ids = ", ".join(str(u.pk) for u in drafts) or "none"
                raise services.IncidentError("update", f"no draft update {wanted}; drafts: {ids}")
            return found
        if not drafts:
            raise services.IncidentError(
                "update", "no draft update to publish; post one with: watwerkt incident post"
            )
        if len(drafts) > 1:
            ids = ", ".join(str(u.pk) for u in drafts)
            raise services.IncidentError(
                "update", f"several drafts ({ids}); say which with --update"
            )
        return drafts[0]

    def do_publish(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        update = self._draft(incident, options["update"])
        if options["preview"]:
            rendered = {language: to_html(text) for language, text in update.body.items()}
            title = f"preview of update {update.pk} to {incident.slug} ({update.phase}):"
            self.say(cli.preview_lines(title, rendered))
            return
        services.publish_update(update, self.actor, reopen=options["reopen"])
        self.say(f"published update {update.pk}: {org.slug}/{incident.slug} is {update.phase}")

    def do_resolve(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        body = cli.translations(org, options["body"], options)
        services.resolve(incident, self.actor, body=body or None, at=cli.moment(org, options["at"]))
        self.say(f"resolved {org.slug}/{incident.slug} at {cli.when(incident.resolved_at, org)}")

    def do_postmortem(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        body = cli.translations(org, options["body"], options)
        update = services.postmortem(incident, body, self.actor)
        self.say(f"published postmortem {update.pk} of {org.slug}/{incident.slug}")

    # -- recovery targets --

    def do_target(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        text = cli.translations(org, options["text"], options)
        links = self._links(org, options)
        if options["id"] is None:
            if not text:
                raise services.IncidentError("text", "a new target needs a text")
            if options["reached"] or options["not_reached"]:
                raise services.IncidentError("reached", "add the target first, then reach it")
            added = services.add_target(incident, text, self.actor, **links)
            self.say(f"added target {added.pk} to {org.slug}/{incident.slug}")
            return
        found = incident.targets.filter(pk=options["id"]).first()
        if found is None:
            ids = ", ".join(str(t) for t in incident.targets.values_list("pk", flat=True))
            raise services.IncidentError(
                "id", f"no target {options['id']}; targets: {ids or 'none'}"
            )
        if options["reached"]:
            now = options["reached"] == "now"
            links["reached_at"] = timezone.now() if now else cli.moment(org, options["reached"])
        elif options["not_reached"]:
            links["reached_at"] = None
        due = links.pop("target", ...)
        services.edit_target(found, self.actor, text=text or None, due=due, **links)
        self.say(f"target {found.pk} of {org.slug}/{incident.slug} saved")

    def _links(self, org: Organisation, options: dict[str, Any]) -> dict[str, Any]:
        links: dict[str, Any] = {}
        if options["by"] is not None:
            links["target"] = None if options["by"] == "none" else parse_date(options["by"])
        if options["service"] is not None:
            found = cli.services(org, "" if options["service"] == "none" else options["service"])
            links["service"] = found[0] if found else None
        if options["system"] is not None:
            found_systems = cli.systems(
                org, "" if options["system"] == "none" else options["system"]
            )
            links["system"] = found_systems[0] if found_systems else None
        return links

    # -- reading --

    def do_list(self, org: Organisation, options: dict[str, Any]) -> None:
        for incident in Incident.objects.filter(organisation=org):
            state = "published" if incident.published_at else "draft"
            title = org.text(incident.title, org.language).text
            self.say(
                f"{incident.slug:<24} {incident.phase:<13} {state:<9} "
                f"{cli.when(incident.started_at, org)}  {title}"
            )

    def do_show(self, org: Organisation, options: dict[str, Any]) -> None:
        incident = cli.incident(org, options["incident"])
        self.say("\n".join(show_lines(org, incident)))


def show_lines(org: Organisation, incident: Incident) -> list[str]:
    published = cli.when(incident.published_at, org) if incident.published_at else "draft"
    lines = [
        f"{org.slug}/{incident.slug} ({published})",
        f"title: {org.text(incident.title, org.language).text}",
        f"phase: {incident.phase}  impact: {incident.impact}",
        f"started: {cli.when(incident.started_at, org)}  "
        f"resolved: {cli.when(incident.resolved_at, org)}",
        "services: " + (", ".join(s.slug for s in incident.affected_services.all()) or "-"),
        "systems: " + (", ".join(s.slug for s in incident.affected_systems.all()) or "-"),
    ]
    for name in SECTIONS:
        for language, text in getattr(incident, name).items():
            lines.append(f"{name} [{language}]: {text}")
    lines.append("updates:")
    for u in incident.updates.order_by("-created_at", "-id"):
        state = cli.when(u.published_at, org) if u.published_at else "draft"
        lines.append(f"  {u.pk}: {u.phase} ({state}) [{', '.join(sorted(u.body))}] by {u.author}")
        lines.extend(f"    {line}" for line in org.text(u.body, org.language).text.splitlines())
    lines.append("targets:")
    for t in incident.targets.all():
        reached = f"reached {cli.when(t.reached_at, org)}" if t.reached_at else "not reached"
        due = t.target.isoformat() if t.target else "no date"
        lines.append(f"  {t.pk}: {due}, {reached}: {org.text(t.text, org.language).text}")
    return lines
