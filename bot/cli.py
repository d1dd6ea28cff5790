"""The `gridsafe` command: run the bot, migrate the database, import the roster, create invites."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot import texts
from bot.clock import SystemClock
from bot.domain.errors import (
    AlreadyBound,
    AmbiguousPerson,
    AmbiguousPlace,
    BadPeriod,
    CannotMove,
    NotFound,
    PlacesInvalid,
    ReasonTooLong,
    RosterInvalid,
    SeveralPeople,
    TickInFuture,
    TooLong,
    UnknownPlace,
)
from bot.domain.people import Role
from bot.domain.roster import validate
from bot.logs import configure_logging, masked_output
from bot.places_file import read_places
from bot.roster_file import RosterFileError, read_roster
from bot.services.backup import restore_backup, take_backup
from bot.services.container import Services
from bot.settings import Settings, SettingsError, load_settings
from bot.table_file import TableFileError
from handlers.telegram.app import build_application
from sandbox.web import LOOPBACK, SandboxSite
from sandbox.world import SandboxOverlap, World
from storage.backup import NoDatabase, SnapshotDamaged, TargetNotEmpty
from storage.database import Database, DatabaseGone, DatabaseMissing, require_database
from storage.migrations import available, migrate
from storage.restore import BackupInvalid, DatabaseInUse, PhotosDamaged, Problem, ProblemKind, TargetExists, TooNew

EXIT_FAILED = 1
EXIT_CONFIG = 2
# Done, but not all of it: a backup without some damaged photos (a timer's failure, yet the backup is usable).
EXIT_INCOMPLETE = 3


class CliError(Exception):
    """A failure to report to the operator in one sentence."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    # Opt in to PTB 22's timedelta RetryAfter.retry_after, silencing its deprecation path.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(Path(args.config), os.environ)
    except SettingsError as exc:
        print(texts.config_invalid(str(exc)), file=sys.stderr)
        return EXIT_CONFIG
    with masked_output(settings.telegram.token.get_secret_value(), settings.wecom.secrets()):
        try:
            args.func(settings, args)
        except SettingsError as exc:
            print(texts.config_invalid(str(exc)), file=sys.stderr)
            return EXIT_CONFIG
        except CliError as exc:
            print(exc, file=sys.stderr)
            return exc.code
        except DatabaseMissing as exc:
            print(texts.database_missing(exc.path, exc.media_dir, exc.files), file=sys.stderr)
            return EXIT_FAILED
        except Exception:
            # Printed here, inside the mask: Python would print it after main() returned (the token in plain text,
            # e.g. python-telegram-bot's "The token `…` was rejected" when the token is revoked).
            traceback.print_exc()
            return EXIT_FAILED
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridsafe", description=texts.CLI_HELP["description"])
    parser.add_argument("-c", "--config", default="config.toml", help=texts.CLI_HELP["config"])
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help=texts.CLI_HELP["run"])
    run.add_argument("--sandbox-without-token", action="store_true", help=texts.CLI_HELP["run_sandbox"])
    run.set_defaults(func=_run)

    sandbox = commands.add_parser("sandbox", help=texts.CLI_HELP["sandbox"])
    sandbox.add_argument("--port", type=int, help=texts.CLI_HELP["port"])
    sandbox.add_argument("--host", default="127.0.0.1", help=texts.CLI_HELP["host"])
    sandbox.add_argument("--reset", action="store_true", help=texts.CLI_HELP["reset"])
    sandbox.set_defaults(func=_sandbox)

    mig = commands.add_parser("migrate", help=texts.CLI_HELP["migrate"])
    mig.add_argument("--create-database", action="store_true", help=texts.CLI_HELP["create_database"])
    mig.set_defaults(func=_migrate)

    roster = commands.add_parser("roster", help=texts.CLI_HELP["roster"]).add_subparsers(
        required=True, metavar="ACTION"
    )
    imp = roster.add_parser("import", help=texts.CLI_HELP["roster_import"])
    imp.add_argument("file", type=Path, help=texts.CLI_HELP["roster_file"])
    imp.add_argument("--apply-removals", action="store_true", help=texts.CLI_HELP["apply_removals"])
    imp.set_defaults(func=_roster_import)

    places = commands.add_parser("places", help=texts.CLI_HELP["places"]).add_subparsers(
        required=True, metavar="ACTION"
    )
    places_import = places.add_parser("import", help=texts.CLI_HELP["places_import"])
    places_import.add_argument("file", type=Path, help=texts.CLI_HELP["places_file"])
    places_import.set_defaults(func=_places_import)

    person = commands.add_parser("person", help=texts.CLI_HELP["person"]).add_subparsers(
        required=True, metavar="ACTION"
    )
    deactivate = person.add_parser("deactivate", help=texts.CLI_HELP["person_deactivate"])
    deactivate.add_argument("name", help=texts.CLI_HELP["person_name"])
    deactivate.add_argument("--at", help=texts.CLI_HELP["person_at"])
    deactivate.set_defaults(func=_person)
    move = person.add_parser("move", help=texts.CLI_HELP["person_move"])
    move.add_argument("name", help=texts.CLI_HELP["person_name"])
    move.add_argument("--to", required=True, help=texts.CLI_HELP["person_to"])
    move.add_argument("--at", help=texts.CLI_HELP["person_at"])
    move.set_defaults(func=_person)

    invite = commands.add_parser("invite", help=texts.CLI_HELP["invite"])
    invite.add_argument("--role", required=True, choices=[r.value for r in Role], help=texts.CLI_HELP["role"])
    invite.add_argument("--town", help=texts.CLI_HELP["town"])
    invite.add_argument("--village", help=texts.CLI_HELP["village"])
    invite.add_argument("--name", help=texts.CLI_HELP["name"])
    invite.add_argument("--reason", help=texts.CLI_HELP["reason"])
    invite.set_defaults(func=_invite)

    tick = commands.add_parser("tick", help=texts.CLI_HELP["tick"])
    tick.add_argument("--at", required=True, type=datetime.fromisoformat, help=texts.CLI_HELP["tick_at"])
    tick.add_argument("--dry-run", action="store_true", help=texts.CLI_HELP["tick_dry_run"])
    tick.set_defaults(func=_tick)

    export = commands.add_parser("export", help=texts.CLI_EXPORT_HELP["export"])
    export.add_argument("--month", help=texts.CLI_EXPORT_HELP["month"])
    export.add_argument("-o", "--output", type=Path, help=texts.CLI_EXPORT_HELP["output"])
    export.add_argument("--geojson", type=Path, help=texts.CLI_EXPORT_HELP["geojson"])
    export.set_defaults(func=_export)

    backup = commands.add_parser("backup", help=texts.CLI_BACKUP_HELP["backup"])
    backup.add_argument("dir", metavar="DIR", type=Path, help=texts.CLI_BACKUP_HELP["backup_dir"])
    backup.set_defaults(func=_backup)

    restore = commands.add_parser("restore", help=texts.CLI_BACKUP_HELP["restore"])
    restore.add_argument("dir", metavar="DIR", type=Path, help=texts.CLI_BACKUP_HELP["restore_dir"])
    restore.add_argument("--force", action="store_true", help=texts.CLI_BACKUP_HELP["force"])
    restore.add_argument(
        "--accept-missing-photos", action="store_true", help=texts.CLI_BACKUP_HELP["accept_missing_photos"]
    )
    restore.set_defaults(func=_restore)

    for sub in (run, sandbox, mig, imp, deactivate, move, invite, tick, export, backup, restore):
        sub.add_argument("-c", "--config", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _require_token(settings: Settings, args: argparse.Namespace) -> str:
    token = settings.telegram.token.get_secret_value()
    if not token:
        raise CliError(texts.token_missing(args.config), EXIT_CONFIG)
    return token


def _run(settings: Settings, args: argparse.Namespace) -> None:
    if args.sandbox_without_token and not settings.telegram.token.get_secret_value():
        args.port, args.host, args.reset = None, "127.0.0.1", False
        _sandbox(settings, args)
        return
    configure_logging(
        _require_token(settings, args), settings.logging.format, settings.logging.level, settings.wecom.secrets()
    )
    require_database(settings.storage.database, settings.storage.media_dir)  # before anything reaches Telegram
    app = build_application(settings, SystemClock())
    app.bot_data.stop_running = app.stop_running  # ends run_polling (it would stop the event loop of any other host)
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=settings.telegram.poll_timeout_seconds)
    fatal = app.bot_data.fatal
    if isinstance(fatal, DatabaseGone):
        raise CliError(texts.database_gone_stopped(fatal.path, replaced=fatal.replaced))


def _sandbox(settings: Settings, args: argparse.Namespace) -> None:
    try:
        world = World(settings)
    except SandboxOverlap as exc:
        raise CliError(texts.sandbox_overlap(str(exc)), EXIT_CONFIG) from exc
    # The sandbox prints its one line; the bot's routine INFO lines would bury it.
    configure_logging(
        "",
        settings.logging.format,
        "WARNING" if settings.logging.level == "INFO" else settings.logging.level,
        settings.wecom.secrets(),
    )
    if args.reset:
        world.wipe()
    port = settings.sandbox.port if args.port is None else args.port
    asyncio.run(_serve_sandbox(world, args.host, port))


async def _serve_sandbox(world: World, host: str, port: int) -> None:
    try:
        site = await SandboxSite.open(world, host, port)
    except OSError as exc:
        raise CliError(texts.sandbox_port_busy(host, port, exc.strerror or str(exc))) from exc
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        if host not in LOOPBACK:
            print(texts.sandbox_host_warning(host), file=sys.stderr, flush=True)
        data_dir = world.base_settings.sandbox.data_dir
        print(
            texts.sandbox_started(site.url, data_dir, world.base_settings.storage.database),
            flush=True,
        )
        await stop.wait()
    finally:
        await site.close()


def _migrate(settings: Settings, args: argparse.Namespace) -> None:
    if not args.create_database:
        require_database(settings.storage.database, settings.storage.media_dir)

    async def go() -> None:
        db = await Database.open(settings.storage.database)
        try:
            applied = await migrate(db)
        finally:
            await db.close()
        version = len(available())
        path = settings.storage.database
        if applied:
            print(texts.migrated_applied(version, len(applied), path))
        else:
            print(texts.migrated(version, path))

    asyncio.run(go())


def _roster_import(settings: Settings, args: argparse.Namespace) -> None:
    try:
        entries = validate(read_roster(args.file))
    except RosterFileError as exc:
        raise CliError(str(exc)) from exc
    except RosterInvalid as exc:
        raise CliError(texts.roster_rejected(exc.problems)) from exc

    async def go() -> None:
        services = await Services.open(settings, SystemClock())
        try:
            summary = await services.roster.import_entries(entries, apply_removals=args.apply_removals)
        finally:
            await services.close()
        print(
            texts.roster_imported(
                towns=summary.towns,
                villages=summary.villages,
                added=summary.added,
                updated=summary.updated,
                unchanged=summary.unchanged,
            )
        )
        print(texts.roster_removals(summary.removals, applied=summary.removals_applied, file=str(args.file)))

    asyncio.run(go())


def _places_import(settings: Settings, args: argparse.Namespace) -> None:
    async def go() -> None:
        services = await Services.open(settings, SystemClock())
        try:
            entries = await services.places.validate(read_places(args.file))
            imported = await services.places.import_entries(entries)
        except TableFileError as exc:
            raise CliError(str(exc)) from exc
        except PlacesInvalid as exc:
            raise CliError(texts.places_rejected(exc.problems, exc.count)) from exc
        finally:
            await services.close()
        print(
            texts.places_imported(
                imported.places.added,
                imported.places.updated,
                imported.places.unchanged,
                imported.owners_added,
                imported.owners_updated,
            )
        )

    asyncio.run(go())


def _person(settings: Settings, args: argparse.Namespace) -> None:
    async def go() -> None:
        services = await Services.open(settings, SystemClock())
        roster = services.roster
        try:
            person = await roster.one(args.name, args.at)
            done = (
                await roster.deactivate(person)
                if getattr(args, "to", None) is None
                else await roster.move(person, args.to)
            )
        except NotFound as exc:
            raise CliError(texts.person_not_found(args.name, args.at)) from exc
        except SeveralPeople as exc:
            raise CliError(texts.person_choices(args.name, exc.people) + texts.PERSON_CLI_AT) from exc
        except CannotMove as exc:
            raise CliError(texts.PERSON_CANNOT_MOVE[exc.reason]) from exc
        except UnknownPlace as exc:
            unknown = texts.unknown_village(exc.village) if exc.village else None
            raise CliError(unknown or texts.unknown_town(exc.town or "")) from exc
        except AmbiguousPlace as exc:
            village = str(args.to).rpartition("/")[2]
            raise CliError(texts.invite_chat_ambiguous_village(village)) from exc
        finally:
            await services.close()
        print(texts.removal_report(done))

    asyncio.run(go())


def _invite(settings: Settings, args: argparse.Namespace) -> None:
    token = _require_token(settings, args)
    role = Role(args.role)

    async def go() -> None:
        username = await _bot_username(settings, token)
        services = await Services.open(settings, SystemClock())
        try:
            created = await services.invites.create(
                role, town=args.town, village=args.village, name=args.name, reason=args.reason
            )
        except (UnknownPlace, AmbiguousPlace, AmbiguousPerson, NotFound, AlreadyBound, ReasonTooLong) as exc:
            raise CliError(_invite_refusal(exc, role, args)) from exc
        except TooLong as exc:
            raise CliError(texts.name_too_long(exc.limit), EXIT_CONFIG) from exc
        finally:
            await services.close()
        person = created.person
        expires = created.expires_at.astimezone(settings.locale.zone).strftime("%Y-%m-%d %H:%M")
        print(
            texts.cli_invite_created(
                name=person.name,
                scope=texts.scope_label(person.town_name, person.village_name),
                role=person.role,
                expires=expires,
                link=f"https://t.me/{username}?start={created.code}",
                code=created.code,
            )
        )

    asyncio.run(go())


def _invite_refusal(exc: Exception, role: Role, args: argparse.Namespace) -> str:
    if isinstance(exc, UnknownPlace):
        if role is Role.SUPERVISOR and not args.town:
            return texts.invite_needs_town(role)
        if role in (Role.OFFICER, Role.OWNER) and not args.village:
            return texts.invite_needs_village(role)
        if exc.village:
            return texts.unknown_village(exc.village)
        return texts.unknown_town(exc.town or "")
    if isinstance(exc, AmbiguousPlace):
        return texts.ambiguous_village(args.village)
    if isinstance(exc, AmbiguousPerson):
        return texts.invite_needs_name(texts.scope_label(args.town, args.village), exc.args[0], role)
    if isinstance(exc, AlreadyBound):
        return texts.invite_needs_reason(exc.name)
    if isinstance(exc, ReasonTooLong):
        return texts.invite_reason_too_long(exc.limit)
    return texts.INVITE_NEEDS_NEW_NAME


def _tick(settings: Settings, args: argparse.Namespace) -> None:
    at: datetime = args.at
    if at.tzinfo is None:
        at = at.replace(tzinfo=settings.locale.zone)

    async def go() -> None:
        services = await Services.open(settings, SystemClock())
        try:
            result = await services.reminders.run_pass(at, dry_run=args.dry_run)
            lines = await services.reminders.describe(result.notifications)
        except TickInFuture as exc:
            zone = settings.locale.zone
            raise CliError(texts.tick_in_future(exc.at.astimezone(zone), exc.now.astimezone(zone))) from exc
        finally:
            await services.close()
        count = len(result.notifications)
        print(texts.pass_preview(count) if args.dry_run else texts.pass_done(count))
        for name, first_line in lines:
            print(f"- {name}: {first_line}")

    asyncio.run(go())


async def _bot_username(settings: Settings, token: str) -> str:
    telegram = settings.telegram
    request = HTTPXRequest(proxy=telegram.proxy_url or None)
    bot = Bot(token, base_url=telegram.base_url, base_file_url=telegram.base_file_url, request=request)
    try:
        async with bot:
            return bot.username
    except TelegramError as exc:
        raise CliError(texts.bot_unreachable(telegram.base_url, str(exc))) from exc


def _export(settings: Settings, args: argparse.Namespace) -> None:
    if args.output is None and args.geojson is None:
        raise CliError(texts.EXPORT_NEEDS_OUTPUT, EXIT_CONFIG)

    async def go() -> None:
        services = await Services.open(settings, SystemClock())
        try:
            period = services.statistics.period([args.month] if args.month else [], weeks=False)
            scope, label = texts.CITY, texts.period_label(period)
            if args.output is not None:
                written = await services.ledger.write_xlsx(None, period, args.output)
                print(
                    texts.exported_xlsx(
                        scope=scope, period=label, hazards=written.hazards, checks=written.checks, path=written.path
                    )
                )
                photos = await services.ledger.write_photos(None, written, None)  # on disk: every photo
                print(texts.exported_photos(scope, label, photos.photos, photos.path))
            if args.geojson is not None:
                count = await services.ledger.write_geojson(None, period, args.geojson)
                print(texts.exported_geojson(scope, label, count, args.geojson))
        except BadPeriod as exc:
            raise CliError(texts.BAD_MONTH, EXIT_CONFIG) from exc
        except OSError as exc:  # a folder that does not exist, no permission, a full disk
            raise CliError(texts.export_cannot_write(str(exc.filename or ""), exc.strerror or str(exc))) from exc
        finally:
            await services.close()

    asyncio.run(go())


def _backup(settings: Settings, args: argparse.Namespace) -> None:
    try:
        manifest = asyncio.run(take_backup(settings, SystemClock(), args.dir))
    except TargetNotEmpty as exc:
        raise CliError(texts.backup_target_not_empty(exc.path)) from exc
    except NoDatabase as exc:
        raise CliError(texts.backup_no_database(exc.path)) from exc
    except SnapshotDamaged as exc:
        raise CliError(texts.backup_database_damaged(exc.detail)) from exc
    size = manifest.database.size + sum(file.size for file in manifest.media)
    print(
        texts.backup_done(
            path=args.dir,
            schema=manifest.schema_version,
            hazards=manifest.counts.get("hazards", 0),
            media=len(manifest.media),
            size_bytes=size,
        )
    )
    if manifest.damaged_media:
        files = [texts.damaged_photo(d.reason, d.file) for d in manifest.damaged_media]
        raise CliError(texts.backup_media_damaged(len(files), settings.storage.media_dir, files), EXIT_INCOMPLETE)


def _restore(settings: Settings, args: argparse.Namespace) -> None:
    try:
        done = asyncio.run(
            restore_backup(
                settings, SystemClock(), args.dir, force=args.force, accept_missing_photos=args.accept_missing_photos
            )
        )
    except PhotosDamaged as exc:
        raise CliError(texts.restore_photos_damaged(exc.path, _problems(exc.problems))) from exc
    except BackupInvalid as exc:
        raise CliError(texts.restore_invalid(exc.path, _problems(exc.problems))) from exc
    except TooNew as exc:
        raise CliError(texts.restore_too_new(exc.backup_version, exc.supported)) from exc
    except DatabaseInUse as exc:
        raise CliError(texts.restore_in_use(exc.path)) from exc
    except TargetExists as exc:
        raise CliError(texts.restore_target_exists(exc.path)) from exc
    manifest = done.manifest
    print(
        texts.restore_done(
            path=args.dir,
            hazards=manifest.counts.get("hazards", 0),
            media=len(manifest.media)
            - sum(p.kind in (ProblemKind.MEDIA_MISSING, ProblemKind.MEDIA_CHANGED) for p in done.left_out),
            created=manifest.created_at.astimezone(settings.locale.zone).strftime("%Y-%m-%d %H:%M"),
            before=done.backup_version,
            after=done.schema_version,
        )
    )
    for path in done.kept_aside:
        print(texts.restore_kept_aside(path))
    if done.left_out:
        print(texts.restore_photos_left_out(_problems(done.left_out)))


def _problems(problems: list[Problem]) -> list[str]:
    return [texts.restore_problem(p.kind, p.subject) for p in problems]


if __name__ == "__main__":
    sys.exit(main())
