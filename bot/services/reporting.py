"""Reporting use cases: a report in progress, step by step, until it becomes hazard #N."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import tzinfo

from bot import screen, texts
from bot.chat.actions import PlaceReview, button, move_buttons
from bot.clock import Clock
from bot.domain import dedupe, limits, recipients, vocabulary
from bot.domain.conversation import current
from bot.domain.errors import (
    EmptyAnswer,
    NoDraft,
    NotAllowed,
    StaleButton,
    TooLong,
    WrongInput,
)
from bot.domain.hazards import Hazard, Severity, Stage, Status
from bot.domain.lifecycle import Move
from bot.domain.notifications import Message, Notification, Priority
from bot.domain.people import Actor, Role, Scope
from bot.domain.photos import Photo
from bot.domain.policy import Action, can
from bot.domain.recipients import Involved, Told
from bot.domain.report import EDITABLE, ReportDraft, Step
from bot.domain.typed_text import clean
from bot.domain.voice import Voice, VoiceField, VoiceNote
from bot.logs import bind_hazard
from bot.services.additions import HazardAdditions
from bot.services.notify import Notifier
from bot.services.photo_intake import Batch, PhotoCollector, PhotoOutcome, PhotoUpload, discard_unused
from bot.services.voice import forwarded, spoken
from storage.database import Database
from storage.drafts import DraftRepository
from storage.hazards import HazardRepository
from storage.media import MediaStore
from storage.place_choices import PlaceChoiceRepository
from storage.roster import RosterRepository
from storage.voice import VoiceRepository

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Summary:
    """The draft as shown before submitting, with open hazards it may duplicate."""

    draft: ReportDraft
    lookalikes: list[int]


class ReportingService:
    """Runs report conversations; all state is in the database."""

    def __init__(
        self,
        db: Database,
        drafts: DraftRepository,
        hazards: HazardRepository,
        roster: RosterRepository,
        notifier: Notifier,
        media: MediaStore,
        clock: Clock,
        categories: list[str],
        zone: tzinfo,
        places: PlaceChoiceRepository,
        new_place_type: str,
        voices: VoiceRepository,
    ) -> None:
        self._db = db
        self._voices = voices
        self._drafts = drafts
        self._hazards = hazards
        self._roster = roster
        self._notifier = notifier
        self._media = media
        self._photos = PhotoCollector(media)
        self._clock = clock
        self._additions = HazardAdditions(db, drafts, hazards, roster, notifier, clock)
        self.categories = categories
        self._zone = zone
        self._places = places
        self._new_place_type = new_place_type  # the type a place added while reporting has until it is filed

    # ---- starting and leaving ----

    async def draft(self, actor: Actor) -> ReportDraft | None:
        """The actor's report in progress."""
        return await self._drafts.get(actor.id)

    async def start(self, actor: Actor) -> ReportDraft:
        """Begin a report, or return the one in progress so the person continues where they were."""
        self._require_reporter(actor)
        draft = await self._drafts.get(actor.id)
        if draft is None:
            draft = await self._new_draft(actor)
        return draft

    async def describe_first(self, actor: Actor, text: str) -> ReportDraft:
        """A description typed before any photo, with nothing in progress: a report begins with it, and the photos
        that follow are its photos (the description step is then already answered)."""
        self._require_reporter(actor)
        text = clean(text)
        if not text or vocabulary.is_empty_phrase(text):
            raise EmptyAnswer(Step.DESCRIPTION)
        if len(text) > limits.MAX_DESCRIPTION:
            raise TooLong(limits.MAX_DESCRIPTION)
        draft = await self._drafts.get(actor.id) or self._blank_draft(actor)
        if draft.step is not Step.PHOTOS or draft.photos:
            raise WrongInput(draft.step)
        draft.description = text
        await self._drafts.store(draft, self._clock.now())
        return draft

    async def cancel(self, actor: Actor) -> bool:
        """Drop the report in progress and its photos; True if there was one."""
        draft = await self._drafts.get(actor.id)
        if draft is None:
            return False
        await self._drafts.discard(actor.id)
        await discard_unused(self._media, self._drafts, [*draft.photos, *draft.after_photos, *_voice_of(draft)])
        return True

    # ---- photos ----

    async def photo_room(self, actor: Actor) -> bool:
        """Whether one more photo would be kept (so an 11th is not even downloaded)."""
        self._require_reporter(actor)
        draft = await self._drafts.get(actor.id)
        if draft is None:
            return True
        if draft.step not in (Step.PHOTOS, Step.AFTER_PHOTOS):
            raise WrongInput(draft.step)
        if self._photos.room(draft, _kept(draft)):
            return True
        await self._drafts.store(draft, self._clock.now())
        return False

    async def add_photo(self, actor: Actor, upload: PhotoUpload) -> PhotoOutcome:
        """Keep a photo (starting a report if none is in progress); a caption becomes the description."""
        self._require_reporter(actor)
        # A new report is stored together with its first photo, in one write made after the photo is on disk: while
        # another process holds the database's lock, the photo waits there, not only in memory.
        draft = await self._drafts.get(actor.id)
        if draft is None:
            draft = self._blank_draft(actor)
            draft.follows = await self._additions.just_reported(actor)
        if draft.step not in (Step.PHOTOS, Step.AFTER_PHOTOS):
            raise WrongInput(draft.step)
        outcome = self._photos.keep(draft, _kept(draft), upload)
        if outcome is PhotoOutcome.NOT_IMAGE:
            return outcome
        if outcome is PhotoOutcome.OVER_LIMIT:
            await self._drafts.store(draft, self._clock.now())
            return outcome
        caption = clean(upload.caption or "")
        if (
            caption
            and not vocabulary.is_empty_phrase(caption)
            and draft.description is None
            and draft.step is Step.PHOTOS
            and len(caption) <= limits.MAX_DESCRIPTION
        ):
            draft.description = caption
        await self._drafts.store(draft, self._clock.now())
        return PhotoOutcome.ADDED

    async def take_batch(self, actor: Actor) -> Batch[ReportDraft] | None:
        """The confirmation due after a batch of photos; resets the refused count."""
        draft = await self._drafts.get(actor.id)
        if draft is None or draft.step not in (Step.PHOTOS, Step.AFTER_PHOTOS):
            return None
        batch = self._photos.take_batch(draft, _kept(draft))
        await self._drafts.store(draft, self._clock.now())
        return batch

    async def unconfirmed(self) -> list[int]:
        """People whose latest photos were kept but never confirmed (the process stopped before the batch's timer)."""

        def waiting(draft: ReportDraft) -> bool:
            collecting = draft.step in (Step.PHOTOS, Step.AFTER_PHOTOS)
            return collecting and self._photos.unconfirmed(draft, _kept(draft))

        return [draft.person_id for draft in await self._drafts.all() if waiting(draft)]

    async def next(self, actor: Actor, token: str) -> ReportDraft:
        """下一步 after photos."""
        draft = await self._current(actor, token, Step.PHOTOS, Step.AFTER_PHOTOS)
        if not (draft.after_photos if draft.step is Step.AFTER_PHOTOS else draft.photos):
            raise WrongInput(draft.step)
        return await self._advance(draft)

    # ---- answers ----

    async def answer_text(self, actor: Actor, text: str, voice: VoiceNote | None = None) -> ReportDraft:
        """A typed answer to the current step (description, place, 跳过 for the location); a spoken description comes
        as its placeholder text with its voice note."""
        draft = await self._drafts.get(actor.id)
        if draft is None:
            raise NoDraft(actor.id)
        text = clean(text)
        if not text:
            raise WrongInput(draft.step)
        word = vocabulary.plain(text)
        if draft.follows is not None:
            raise WrongInput(draft.step)  # 补充到 #N or 新的隐患 first: the words may be about either
        if draft.step is Step.PHOTOS and not draft.photos:
            return await self.describe_first(actor, text)  # a (new) description before the photos
        if draft.step in (Step.PHOTOS, Step.DESCRIPTION) and draft.photos:
            if vocabulary.is_empty_phrase(text):
                raise EmptyAnswer(draft.step)  # "好了" is no description: asked again
            if len(text) > limits.MAX_DESCRIPTION:
                raise TooLong(limits.MAX_DESCRIPTION)
            draft.description = text
            draft.voice = voice
        elif draft.step is Step.CATEGORY and text in self.categories:
            draft.category = text
        elif draft.step is Step.SEVERITY and word in vocabulary.SEVERITY_ANSWERS:
            draft.severity = vocabulary.SEVERITY_ANSWERS[word]
        elif draft.step is Step.PLACE:
            if vocabulary.is_empty_phrase(text):
                raise EmptyAnswer(draft.step)
            if len(text) > limits.MAX_PLACE:
                raise TooLong(limits.MAX_PLACE)
            draft.place = text
        elif draft.step is Step.LOCATION and word == vocabulary.SKIP:
            draft.location_given = True
        elif draft.step is Step.AFTER_NOTE:  # 即查即改: what was done, or 跳过
            if vocabulary.is_empty_phrase(text):
                raise EmptyAnswer(draft.step)  # "好了" is no note: asked again (跳过 says there is none)
            if len(text) > limits.MAX_REASON:
                raise TooLong(limits.MAX_REASON)
            draft.after_note, draft.after_note_given = (None if text == vocabulary.SKIP else text), True
        else:
            raise WrongInput(draft.step)
        return await self._advance(draft)

    async def choose_category(self, actor: Actor, token: str, index: int) -> ReportDraft:
        """A category button."""
        draft = await self._current(actor, token, Step.CATEGORY)
        if not 0 <= index < len(self.categories):
            raise StaleButton(index)
        draft.category = self.categories[index]
        return await self._advance(draft)

    async def choose_severity(self, actor: Actor, token: str, severity: Severity) -> ReportDraft:
        """一般隐患 / 重大隐患."""
        draft = await self._current(actor, token, Step.SEVERITY)
        draft.severity = severity
        if severity is Severity.MAJOR:
            draft.fixed_on_spot, draft.after_photos = False, []
            draft.after_note, draft.after_note_given = None, False
        return await self._advance(draft)

    async def village_options(self, actor: Actor) -> list[tuple[int, str]]:
        """Villages a supervisor may report for: those of their town."""
        assert actor.town_id is not None
        return await self._roster.villages_of(actor.town_id)

    async def village_name(self, draft: ReportDraft) -> str:
        """The name of the draft's village, as shown in the summary."""
        assert draft.village_id is not None
        return await self._roster.village_label(draft.village_id)

    async def choose_village(self, actor: Actor, token: str, village_id: int) -> ReportDraft:
        """A village button (supervisors); re-checked against the policy, as callback data is never trusted."""
        draft = await self._current(actor, token, Step.VILLAGE)
        town_id = await self._roster.town_of_village(village_id)
        if town_id is None or not can(actor, Action.REPORT, Scope(town_id=town_id, village_id=village_id)):
            raise StaleButton(village_id)
        draft.village_id = village_id
        return await self._advance(draft)

    async def choose_place(self, actor: Actor, token: str, index: int) -> ReportDraft:
        """A suggested place button."""
        draft = await self._current(actor, token, Step.PLACE)
        if not 0 <= index < len(draft.place_options):
            raise StaleButton(index)
        draft.place = draft.place_options[index]
        return await self._advance(draft)

    async def place_options(self, actor: Actor) -> ReportDraft:
        """Offer places already used in the village (kept in the draft, so buttons carry only an index)."""
        draft = await self._current(actor, None, Step.PLACE)
        assert draft.village_id is not None
        draft.place_options = await self._hazards.places_used(draft.village_id, limits.PLACE_SUGGESTIONS)
        await self._drafts.store(draft, self._clock.now())
        return draft

    async def set_location(self, actor: Actor, latitude: float, longitude: float) -> ReportDraft:
        """A Telegram location for the hazard."""
        draft = await self._drafts.get(actor.id)
        if draft is None:
            raise NoDraft(actor.id)
        if draft.step is not Step.LOCATION:
            raise WrongInput(draft.step)
        draft.latitude, draft.longitude, draft.location_given = latitude, longitude, True
        return await self._advance(draft)

    async def fix_on_spot(self, actor: Actor, token: str) -> ReportDraft:
        """即查即改: a general hazard fixed on the spot; asks for the after-photo next."""
        draft = await self._current(actor, token, Step.SUMMARY)
        if draft.severity is not Severity.GENERAL:
            raise StaleButton("major hazards cannot be fixed on the spot")
        draft.fixed_on_spot = True
        return await self._advance(draft)

    async def skip_note(self, actor: Actor, token: str) -> ReportDraft:
        """跳过 the note of a hazard fixed on the spot."""
        draft = await self._current(actor, token, Step.AFTER_NOTE)
        draft.after_note, draft.after_note_given = None, True
        return await self._advance(draft)

    async def edit(self, actor: Actor, token: str, step: Step | None) -> ReportDraft:
        """修改: with no step, stay on the summary (the handler offers the steps); with one, ask it again."""
        draft = await self._current(actor, token, Step.SUMMARY)
        if step is None:
            return draft
        if step not in EDITABLE:
            raise StaleButton(step)
        draft.reopen(step)
        await self._drafts.store(draft, self._clock.now())
        return draft

    async def summary(self, actor: Actor) -> Summary:
        """The draft before submitting, with open hazards of the same category at the same place."""
        draft = await self._current(actor, None, Step.SUMMARY)
        assert draft.category is not None and draft.place is not None and draft.village_id is not None
        return Summary(draft, await self._hazards.open_lookalikes(draft.village_id, draft.category, draft.place))

    # ---- photos for a hazard already reported (补充到 #N) ----

    async def begin_adding(self, actor: Actor, hazard_id: int) -> ReportDraft:
        """补充照片 on the card: the photos sent next are offered to the hazard. NotFound, NotAllowed, or
        InvalidTransition (closed); WrongInput while a report with photos or words is in progress."""
        hazard = await self._additions.addable(actor, hazard_id)
        draft = await self._drafts.get(actor.id)
        if draft is not None and (draft.photos or draft.description is not None or draft.step is not Step.PHOTOS):
            raise WrongInput(draft.step)
        draft = draft or self._blank_draft(actor)
        draft.follows = hazard.id
        await self._drafts.store(draft, self._clock.now())
        return draft

    async def as_new(self, actor: Actor, token: str) -> ReportDraft:
        """新的隐患: the photos begin a report of their own."""
        draft = await self._current(actor, token, Step.PHOTOS)
        if draft.follows is None:
            raise StaleButton(token)
        draft.follows = None
        await self._drafts.store(draft, self._clock.now())
        return draft

    async def add_to(self, actor: Actor, token: str, hazard_id: int) -> tuple[Hazard, int]:
        """补充到 #N: the draft's photos join the hazard's before-photos, with a timeline event; the town's supervisors
        are told in one line. Returns the hazard and how many photos were added."""
        draft = await self._current(actor, token, Step.PHOTOS)
        if draft.follows != hazard_id or not draft.photos:
            raise StaleButton(token)
        hazard = await self._additions.addable(actor, hazard_id)
        return hazard, await self._additions.add(actor, hazard, draft)

    # ---- submitting ----

    async def submit(self, actor: Actor, token: str) -> Hazard:
        """Turn the draft into hazard #N with its photos, first events and notifications, in one transaction.

        Pressing 提交 of a report already submitted (a double tap, or after a crash cut the answer off) gives that
        hazard again, and nothing else happens.
        """
        try:
            draft = await self._current(actor, token, Step.SUMMARY)
        except StaleButton:
            if (earlier := await self._hazards.submitted_from(actor.id, token)) is not None:
                return earlier
            raise
        assert draft.description and draft.category and draft.severity and draft.place and draft.village_id
        town_id = await self._roster.town_of_village(draft.village_id)
        assert town_id is not None
        now = self._clock.now()
        status = Status.SUBMITTED if draft.fixed_on_spot else Status.REPORTED
        people = Involved(
            reporter_id=actor.id,
            reporter_role=actor.role,
            owner_id=None,
            owner_bound=False,
            supervisors=tuple(await self._roster.ids_with_role(Role.SUPERVISOR, town_id)),
            admins=tuple(await self._roster.ids_with_role(Role.ADMIN)),
        )
        async with self._db.transaction() as tx:
            place_id, new_place = draft.place_id, False
            if draft.new_place:
                place_id, new_place = await self._places.add_pending(
                    tx,
                    town_id=town_id,
                    village_id=draft.village_id,
                    name=draft.place,
                    type_=self._new_place_type,
                    actor_id=actor.id,
                    now=now,
                )
            if place_id is not None:
                await self._places.use(tx, place_id)
            hazard_id = await self._hazards.insert(
                tx,
                town_id=town_id,
                village_id=draft.village_id,
                reporter_id=actor.id,
                description=draft.description,
                category=draft.category,
                severity=draft.severity,
                place=draft.place,
                latitude=draft.latitude,
                longitude=draft.longitude,
                status=status,
                fixed_on_spot=draft.fixed_on_spot,
                draft_token=draft.token,
                now=now,
                place_id=place_id,
            )
            await self._hazards.add_photos(tx, hazard_id, Stage.BEFORE, draft.photos, now)
            reported = await self._hazards.add_event(
                tx,
                hazard_id=hazard_id,
                actor_id=actor.id,
                kind="reported",
                from_status=None,
                to_status=Status.REPORTED,
                note=None,
                now=now,
                account=actor.telegram_user_id,
            )
            if draft.fixed_on_spot:
                await self._hazards.add_photos(tx, hazard_id, Stage.AFTER, draft.after_photos, now)
                await self._hazards.add_event(
                    tx,
                    hazard_id=hazard_id,
                    actor_id=actor.id,
                    kind="fixed_on_spot",
                    from_status=Status.REPORTED,
                    to_status=Status.SUBMITTED,
                    note=draft.after_note,
                    now=now,
                    account=actor.telegram_user_id,
                )
            voice = spoken(draft.description, draft.voice)
            if voice is not None:
                await self._voices.add(
                    tx, hazard_id=hazard_id, event_id=reported, field=VoiceField.DESCRIPTION, note=voice, now=now
                )
            hazard = await self._hazards.get_in(tx, hazard_id)
            for recipient in recipients.of_report(people, hazard.severity):
                alert = self._admin_alert if recipient.told is Told.MAJOR else self._supervisor_alert
                await self._notifier.enqueue(tx, alert(hazard, recipient.person_id, draft), now)
            if new_place and place_id is not None:
                for person_id in people.supervisors:  # one message each: the new place, 确认 / 驳回
                    await self._notifier.enqueue(tx, _place_notice(hazard, place_id, person_id), now)
            await self._drafts.delete(tx, actor.id)
        bind_hazard(hazard.id)
        log.info("hazard reported by person %s: %s, %s", actor.id, hazard.severity.value, hazard.status.value)
        return hazard

    async def mine(self, actor: Actor, limit: int = 20) -> list[Hazard]:
        """The officer's own reports, newest first."""
        return await self._hazards.reported_by(actor.id, limit)

    # ---- for the place step (bot/services/report_places.py) ----

    async def at_step(self, actor: Actor, token: str | None, *steps: Step) -> ReportDraft:
        """The actor's draft if a press with this token (None: a typed answer) belongs to one of these steps."""
        return await self._current(actor, token, *steps)

    async def keep(self, draft: ReportDraft) -> None:
        """Store the draft as it is (still at its step)."""
        await self._drafts.store(draft, self._clock.now())

    async def advance(self, draft: ReportDraft) -> ReportDraft:
        """Store the draft at its next step."""
        return await self._advance(draft)

    # ---- inside ----

    def _require_reporter(self, actor: Actor) -> None:
        if not can(actor, Action.REPORT):
            raise NotAllowed(Action.REPORT)

    def _blank_draft(self, actor: Actor) -> ReportDraft:
        return ReportDraft(
            token=secrets.token_hex(4),
            person_id=actor.id,
            village_id=actor.village_id,
            chooses_village=actor.village_id is None,  # a supervisor picks a village of their town
            started_at=self._clock.now(),
        )

    async def _new_draft(self, actor: Actor) -> ReportDraft:
        draft = self._blank_draft(actor)
        await self._drafts.store(draft, self._clock.now())
        return draft

    async def _current(self, actor: Actor, token: str | None, *steps: Step) -> ReportDraft:
        return current(await self._drafts.get(actor.id), token, _step, steps)

    async def _advance(self, draft: ReportDraft) -> ReportDraft:
        draft.step = draft.next_step()
        await self._drafts.store(draft, self._clock.now())
        return draft

    def _supervisor_alert(self, hazard: Hazard, person_id: int, draft: ReportDraft) -> Notification:
        moves = [Move.VERIFY, Move.REJECT] if hazard.fixed_on_spot else [Move.ASSIGN, Move.INVALID, Move.DUPLICATE]
        return Notification(
            person_id=person_id,
            dedupe_key=dedupe.new_hazard(hazard.id, person_id, Told.NEW),
            message=Message(
                hazard_id=hazard.id,
                text=texts.new_hazard_card(
                    hazard, len(draft.photos), len(draft.after_photos), self._zone, draft.after_note
                ),
                photos=[p.name for p in draft.photos + draft.after_photos],
                pin=screen.pin(hazard),
                buttons=move_buttons(hazard.id, moves),
                voices=_voices(hazard, draft),
            ),
            urgent=hazard.severity is Severity.MAJOR,
            priority=Priority.PROMPT,
        )

    def _admin_alert(self, hazard: Hazard, person_id: int, draft: ReportDraft) -> Notification:
        return Notification(
            person_id=person_id,
            dedupe_key=dedupe.new_hazard(hazard.id, person_id, Told.MAJOR),
            message=Message(
                hazard_id=hazard.id,
                text=texts.major_hazard_alert(hazard, len(draft.photos), self._zone),
                photos=[p.name for p in draft.photos],
                pin=screen.pin(hazard),
                voices=_voices(hazard, draft),
            ),
            urgent=True,
        )


def _place_notice(hazard: Hazard, place_id: int, person_id: int) -> Notification:
    """A supervisor's message about a place added while reporting (待核实), with 确认 / 驳回."""
    buttons = [
        button(texts.BUTTON_CONFIRM_PLACE, PlaceReview(place_id, confirm=True)),
        button(texts.BUTTON_REJECT_PLACE, PlaceReview(place_id, confirm=False)),
    ]
    return Notification(
        person_id=person_id,
        dedupe_key=dedupe.new_place(place_id, hazard.id, person_id),
        message=Message(text=texts.new_place_card(hazard), buttons=[buttons]),
        priority=Priority.PROMPT,
    )


def _voice_of(draft: ReportDraft) -> list[VoiceNote]:
    return [] if draft.voice is None else [draft.voice]


def _voices(hazard: Hazard, draft: ReportDraft) -> list[Voice]:
    """The spoken description, forwarded with the new hazard's card."""
    note = spoken(draft.description, draft.voice)
    return [] if note is None else [forwarded(note, hazard.id)]


def _kept(draft: ReportDraft) -> list[Photo]:
    """The photos the draft's step collects: the after-photos when fixed on the spot, else the hazard's."""
    return draft.after_photos if draft.step is Step.AFTER_PHOTOS else draft.photos


def _step(draft: ReportDraft) -> Step:
    return draft.step
