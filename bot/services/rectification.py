"""Rectification use cases: 交办, 不属实, 重复, 整改, 复核, 不通过, 重新打开 and 改派, each re-checked when it completes."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta, tzinfo

import aiosqlite

from bot import screen, texts
from bot.chat.actions import move_buttons
from bot.clock import Clock
from bot.domain import dedupe, limits, recipients, vocabulary
from bot.domain.conversation import Ask, HazardConversation, current, first_ask, next_ask
from bot.domain.deadlines import check_deadline, may_keep, parse_deadline, rework_days
from bot.domain.errors import (
    DeadlineInPast,
    DeadlineTooFar,
    DeadlineUnreadable,
    EmptyAnswer,
    InvalidTransition,
    NoDraft,
    NoLongerOwner,
    NotAllowed,
    NotFound,
    SameOwner,
    StaleButton,
    TooLong,
    WrongInput,
)
from bot.domain.hazards import Hazard, Severity, Stage, Status, TimelineEvent
from bot.domain.lifecycle import Move, transition
from bot.domain.notifications import Message, Notification
from bot.domain.people import Actor, Person, Role
from bot.domain.periods import local_date
from bot.domain.policy import allowed_moves, can_view, denial
from bot.domain.recipients import Involved, Told
from bot.domain.typed_text import clean, clean_name
from bot.domain.voice import Voice, VoiceField, VoiceNote
from bot.logs import bind_hazard
from bot.services.cards import CardService
from bot.services.invites import CreatedInvite, InviteService
from bot.services.notify import Notifier
from bot.services.photo_intake import Batch, PhotoCollector, PhotoOutcome, PhotoUpload, discard_unused
from bot.services.voice import forwarded, spoken
from storage.database import Database
from storage.drafts import ConversationRepository
from storage.hazards import HazardRepository
from storage.media import MediaStore
from storage.place_choices import PlaceChoiceRepository
from storage.roster import RosterRepository
from storage.voice import HazardVoice, VoiceRepository

_HAZARD_NUMBER = re.compile(r"^#?\s*(\d{1,9})$")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Done:
    """A completed move: the hazard as it is now, and an invite to forward to an owner without Telegram."""

    hazard: Hazard
    move: Move
    owner_invite: CreatedInvite | None = None


class RectificationService:
    """Moves hazards through the loop; conversations are stored, every completion is guarded in the database."""

    def __init__(
        self,
        db: Database,
        hazards: HazardRepository,
        conversations: ConversationRepository,
        roster: RosterRepository,
        invites: InviteService,
        notifier: Notifier,
        media: MediaStore,
        clock: Clock,
        zone: tzinfo,
        deadline_days: dict[Severity, int],
        places: PlaceChoiceRepository,
        voices: VoiceRepository,
        cards: CardService,
    ) -> None:
        self._cards = cards
        self._db = db
        self._voices = voices
        self._hazards = hazards
        self._conversations = conversations
        self._roster = roster
        self._invites = invites
        self._notifier = notifier
        self._media = media
        self._photos = PhotoCollector(media)
        self._clock = clock
        self._zone = zone
        self._deadline_days = deadline_days
        self._places = places

    def today(self) -> date:
        """Today in the deployment's time zone (deadlines are local days)."""
        return local_date(self._clock.now(), self._zone)

    def default_days(self, hazard: Hazard) -> int:
        """The default term for the hazard's severity (general 7 days, major 30, configurable)."""
        return self._deadline_days[hazard.severity]

    def proposed_days(self, hazard: Hazard, move: Move) -> int | None:
        """The term a move's deadline question proposes; None: 保持原期限 (不通过 with time left, see rework_days)."""
        if move is not Move.REJECT:
            return self.default_days(hazard)
        today = self.today()
        assigned = None if hazard.assigned_at is None else local_date(hazard.assigned_at, self._zone)
        term = None if hazard.deadline is None or assigned is None else (hazard.deadline - assigned).days
        return rework_days(hazard.deadline, term, self.default_days(hazard), today)

    def may_keep(self, hazard: Hazard, move: Move) -> bool:
        """Whether the deadline question offers 保持原期限: 改派, and 不通过 while the deadline is in the future."""
        if move is Move.REASSIGN:
            return hazard.deadline is not None
        return move is Move.REJECT and may_keep(hazard.deadline, self.today())

    # ---- reading ----

    async def visible(self, actor: Actor, hazard_id: int) -> Hazard:
        """The hazard, if the actor may see it; outside their scope it is as if it did not exist."""
        hazard = await self._hazards.get(hazard_id)
        if hazard is None or not can_view(actor, hazard):
            former_owner = hazard is not None and actor.role is Role.OWNER
            if former_owner and await self._hazards.was_reassigned_from(hazard_id, actor.id):
                raise NoLongerOwner(hazard_id)  # they knew of it: say plainly it is no longer theirs
            raise NotFound(hazard_id)
        return hazard

    def moves(self, actor: Actor, hazard: Hazard) -> list[Move]:
        """The moves this actor may make on the hazard now (the buttons they are shown)."""
        return allowed_moves(actor, hazard)

    async def photos(self, hazard: Hazard, stage: Stage) -> list[str]:
        """A hazard's photos at one stage, by media-store name (how they are sent again)."""
        return [p.name for p in await self._hazards.photos(hazard.id, stage)]

    async def voices(self, hazard: Hazard) -> list[HazardVoice]:
        """The hazard's voice notes (a spoken description, spoken reasons and notes), oldest first."""
        return await self._voices.of_hazard(hazard.id)

    async def timeline(self, hazard: Hazard) -> list[TimelineEvent]:
        """Every change of the hazard, oldest first."""
        return await self._hazards.timeline(hazard.id)

    async def owner_options(self, hazard: Hazard) -> list[Person]:
        """Owners already known in the hazard's village, offered as buttons (改派: other than the current one); the
        责任人 of the hazard's place first (place_owner_id)."""
        owners = await self._roster.people_in(Role.OWNER, hazard.town_id, hazard.village_id)
        first = await self.place_owner_id(hazard)
        owners.sort(key=lambda o: o.id != first)  # stable: the rest keep their order
        return [o for o in owners if o.id != hazard.owner_id][: limits.MAX_OWNER_OPTIONS]

    async def place_owner_id(self, hazard: Hazard) -> int | None:
        """The 责任人 of the hazard's place, if it has one who is an active owner of the hazard's village."""
        owner_id = await self._places.owner_of_hazard(hazard.id)
        if owner_id is None:
            return None
        owner = await self._roster.person(owner_id)
        usable = (
            owner is not None and owner.active and owner.role is Role.OWNER and owner.village_id == hazard.village_id
        )
        return owner_id if usable else None

    async def conversation(self, actor: Actor) -> HazardConversation | None:
        """The actor's action in progress."""
        return await self._conversations.get(actor.id)

    async def cancel(self, actor: Actor) -> bool:
        """Drop the action in progress, its after-photos' files with it; True if there was one."""
        conversation = await self._conversations.get(actor.id)
        if conversation is None:
            return False
        await self._conversations.discard(actor.id)
        voice = [] if conversation.voice is None else [conversation.voice]
        await discard_unused(self._media, self._conversations, [*conversation.photos, *voice])
        return True

    # ---- starting ----

    async def begin(self, actor: Actor, hazard_id: int, move: Move) -> HazardConversation | Done:
        """A button on a hazard: re-authorized and re-checked against its current state."""
        hazard = await self.visible(actor, hazard_id)
        _authorize(actor, move, hazard)
        if transition(move, hazard.status, has_owner=hazard.owner_id is not None) is None:
            raise InvalidTransition(move)
        conversation = HazardConversation(
            person_id=actor.id,
            hazard_id=hazard.id,
            move=move,
            ask=first_ask(move) or Ask.NOTE,
            token=secrets.token_hex(4),
        )
        if first_ask(move) is None:
            return await self._complete(actor, conversation, hazard)
        await self._conversations.store(conversation, self._clock.now())
        return conversation

    # ---- answers ----

    async def choose_owner(self, actor: Actor, token: str, owner_id: int) -> HazardConversation:
        """An owner button (交办, 改派)."""
        conversation, hazard = await self._current(actor, token, Ask.OWNER)
        owner = await self._roster.person(owner_id)
        if owner is None or not owner.active or owner.role is not Role.OWNER or owner.village_id != hazard.village_id:
            raise StaleButton(owner_id)
        conversation.ask = _after_owner(conversation, owner.id, hazard)
        conversation.owner_id, conversation.new_owner_name, conversation.new_owner_phone = owner.id, None, None
        await self._conversations.store(conversation, self._clock.now())
        return conversation

    async def ask_new_owner(self, actor: Actor, token: str) -> HazardConversation:
        """新责任人: the owner's name comes next."""
        conversation, _ = await self._current(actor, token, Ask.OWNER)
        conversation.ask = Ask.OWNER_NAME
        await self._conversations.store(conversation, self._clock.now())
        return conversation

    async def choose_days(self, actor: Actor, token: str, days: int) -> Done:
        """A deadline button: so many days from today (its label was explicit: saved without an echo)."""
        conversation, hazard = await self._current(actor, token, Ask.DEADLINE, Ask.CONFIRM)
        if days not in limits.DEADLINE_CHOICES and days != self.proposed_days(hazard, conversation.move):
            raise StaleButton(days)
        deadline = check_deadline(self.today() + timedelta(days=days), self.today())
        return await self._complete(actor, conversation, hazard, deadline=deadline)

    async def keep_deadline(self, actor: Actor, token: str) -> Done:
        """保持原期限 (改派, 不通过): the owner keeps the deadline the hazard has now."""
        conversation, hazard = await self._current(actor, token, Ask.DEADLINE, Ask.CONFIRM)
        if not self.may_keep(hazard, conversation.move) or hazard.deadline is None:
            raise StaleButton(token)
        return await self._complete(actor, conversation, hazard, deadline=hazard.deadline)

    async def confirm_deadline(self, actor: Actor, token: str) -> Done:
        """确认 the typed deadline echoed back: saved now (checked again: the day may have turned meanwhile)."""
        conversation, hazard = await self._current(actor, token, Ask.CONFIRM)
        assert conversation.deadline is not None
        try:
            deadline = check_deadline(conversation.deadline, self.today())
        except (DeadlineInPast, DeadlineTooFar):
            await self._retype(conversation)
            raise
        return await self._complete(actor, conversation, hazard, deadline=deadline)

    async def retype_deadline(self, actor: Actor, token: str) -> HazardConversation:
        """重新输入: the deadline question again."""
        conversation, _ = await self._current(actor, token, Ask.CONFIRM)
        await self._retype(conversation)
        return conversation

    async def photos_done(self, actor: Actor, token: str) -> HazardConversation:
        """下一步 after the after-photos: the note comes next."""
        conversation, _ = await self._current(actor, token, Ask.PHOTOS)
        if not conversation.photos:
            raise WrongInput(Ask.PHOTOS)
        conversation.ask = _next(conversation, Ask.PHOTOS, hazard=None)
        await self._conversations.store(conversation, self._clock.now())
        return conversation

    async def answer_text(self, actor: Actor, text: str, voice: VoiceNote | None = None) -> HazardConversation | Done:
        """A typed answer: a new owner's name, a date, a reason, the original #N, or the rectification note; a spoken
        reason or note comes as its placeholder text with its voice note."""
        conversation = await self._conversations.get(actor.id)
        if conversation is None:
            raise NoDraft(actor.id)
        hazard = await self.visible(actor, conversation.hazard_id)
        text = clean(text)
        ask = conversation.ask
        wants_text = ask not in (Ask.DEADLINE, Ask.CONFIRM, Ask.ORIGINAL) and (
            ask is not Ask.PHOTOS or conversation.photos
        )
        if wants_text and vocabulary.is_empty_phrase(text):
            raise EmptyAnswer(ask)  # "好了" is no note, reason or name: asked again
        if ask in (Ask.OWNER, Ask.OWNER_NAME):
            await self._new_owner(conversation, hazard, text)
        elif vocabulary.KEEP_DEADLINE_TYPED.match(text) and ask in (Ask.DEADLINE, Ask.CONFIRM):
            if not self.may_keep(hazard, conversation.move) or hazard.deadline is None:
                raise DeadlineUnreadable(text)  # no deadline to keep: the question offers none
            return await self._complete(actor, conversation, hazard, deadline=hazard.deadline)  # the button's label
        elif ask in (Ask.DEADLINE, Ask.CONFIRM):  # echoed back, saved on 确认 (another date typed replaces it)
            conversation.deadline, conversation.ask = parse_deadline(text, self.today()), Ask.CONFIRM
        elif ask is Ask.REASON:
            conversation.reason = _bounded(text, limits.MAX_REASON)
            conversation.voice = voice
            after = next_ask(conversation.move, Ask.REASON, has_owner=hazard.owner_id is not None)
            if after is None:
                return await self._complete(actor, conversation, hazard)
            conversation.ask = after
        elif ask is Ask.ORIGINAL:
            return await self._complete(
                actor, conversation, hazard, duplicate_of=await self._original(actor, hazard, text)
            )
        elif ask in (Ask.PHOTOS, Ask.NOTE):
            if not conversation.photos:
                raise WrongInput(ask)
            conversation.reason = _bounded(text, limits.MAX_REASON)
            conversation.voice = voice
            return await self._complete(actor, conversation, hazard)
        await self._conversations.store(conversation, self._clock.now())
        return conversation

    # ---- after-photos ----

    async def collecting_photos(self, actor: Actor) -> bool:
        """Whether the actor is sending after-photos (so photos go here, not to a new report)."""
        conversation = await self._conversations.get(actor.id)
        return conversation is not None and conversation.ask is Ask.PHOTOS

    async def photo_room(self, actor: Actor) -> bool:
        """Whether one more after-photo would be kept."""
        conversation = await self._photo_conversation(actor)
        if self._photos.room(conversation, conversation.photos):
            return True
        await self._conversations.store(conversation, self._clock.now())
        return False

    async def add_photo(self, actor: Actor, upload: PhotoUpload) -> PhotoOutcome:
        """Keep an after-photo."""
        conversation = await self._photo_conversation(actor)
        outcome = self._photos.keep(conversation, conversation.photos, upload)
        if outcome is not PhotoOutcome.NOT_IMAGE:
            await self._conversations.store(conversation, self._clock.now())
        return outcome

    async def take_batch(self, actor: Actor) -> Batch[HazardConversation] | None:
        """The confirmation due after a batch of after-photos; resets the refused count."""
        conversation = await self._conversations.get(actor.id)
        if conversation is None or conversation.ask is not Ask.PHOTOS:
            return None
        batch = self._photos.take_batch(conversation, conversation.photos)
        await self._conversations.store(conversation, self._clock.now())
        return batch

    async def unconfirmed(self) -> list[int]:
        """People whose latest after-photos were kept but never confirmed (the process stopped before the timer)."""
        return [
            conversation.person_id
            for conversation in await self._conversations.all()
            if conversation.ask is Ask.PHOTOS and self._photos.unconfirmed(conversation, conversation.photos)
        ]

    # ---- inside ----

    async def _photo_conversation(self, actor: Actor) -> HazardConversation:
        conversation = await self._conversations.get(actor.id)
        if conversation is None or conversation.ask is not Ask.PHOTOS:
            raise NoDraft(actor.id)
        return conversation

    async def _current(self, actor: Actor, token: str, *asks: Ask) -> tuple[HazardConversation, Hazard]:
        conversation = current(await self._conversations.get(actor.id), token, _ask, asks)
        return conversation, await self.visible(actor, conversation.hazard_id)

    async def _retype(self, conversation: HazardConversation) -> None:
        conversation.ask, conversation.deadline = Ask.DEADLINE, None
        await self._conversations.store(conversation, self._clock.now())

    async def _new_owner(self, conversation: HazardConversation, hazard: Hazard, text: str) -> None:
        """A typed owner: remembered in the conversation; the roster changes only when the move completes."""
        match = vocabulary.NAME_AND_PHONE.match(text)
        name, phone = (match.group(1).strip(), match.group(2)) if match else (text, None)
        name = _bounded(clean_name(name), limits.MAX_NAME)
        known = await self._roster.same_person(
            name=name, role=Role.OWNER, town_id=hazard.town_id, village_id=hazard.village_id
        )
        conversation.ask = _after_owner(conversation, known, hazard)
        conversation.owner_id, conversation.new_owner_name, conversation.new_owner_phone = known, name, phone

    async def _typed_owner(self, tx: aiosqlite.Connection, conversation: HazardConversation, hazard: Hazard) -> int:
        """The typed owner on the roster now (added, or the same name's phone updated and reactivated)."""
        assert conversation.new_owner_name is not None
        person_id, _ = await self._roster.upsert_person(
            tx,
            name=conversation.new_owner_name,
            role=Role.OWNER,
            town_id=hazard.town_id,
            village_id=hazard.village_id,
            phone=conversation.new_owner_phone,
            now=self._clock.now(),
        )
        return person_id

    async def _original(self, actor: Actor, hazard: Hazard, text: str) -> int:
        match = _HAZARD_NUMBER.match(text)
        if match is None:
            raise WrongInput(Ask.ORIGINAL)
        original = int(match.group(1))
        if original == hazard.id:
            raise WrongInput(Ask.ORIGINAL)
        await self.visible(actor, original)
        return original

    async def _complete(
        self,
        actor: Actor,
        conversation: HazardConversation,
        hazard: Hazard,
        *,
        deadline: date | None = None,
        duplicate_of: int | None = None,
    ) -> Done:
        move = conversation.move
        hazard = await self.visible(actor, hazard.id)  # the state now, not when the conversation began
        _authorize(actor, move, hazard)
        reassign = move is Move.REASSIGN
        chooses_owner = move in (Move.ASSIGN, Move.REASSIGN)
        typed_owner = chooses_owner and conversation.new_owner_name is not None
        owner_id = conversation.owner_id if chooses_owner else hazard.owner_id
        step = transition(move, hazard.status, has_owner=owner_id is not None or typed_owner)
        if step is None:
            raise InvalidTransition(move)
        if step.to is not Status.ASSIGNED:
            deadline = hazard.deadline if step.to is not Status.REPORTED else None
        proxy = move is Move.SUBMIT and actor.role is Role.OFFICER
        kind = "submitted_by_proxy" if proxy else move.value
        note = conversation.reason if duplicate_of is None else f"#{duplicate_of}"
        reporter = await self._roster.person(hazard.reporter_id)
        assert reporter is not None
        former = hazard.owner_id if reassign else None
        if former is not None and owner_id == former:
            raise SameOwner(former)
        former_conversation = None if former is None else await self._conversations.get(former)
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if typed_owner:
                owner_id = await self._typed_owner(tx, conversation, hazard)
                if former is not None and owner_id == former:
                    raise SameOwner(former)  # rolls the new person back too
            if reassign:
                assert former is not None and owner_id is not None and deadline is not None
                moved = await self._hazards.reassign(
                    tx, hazard.id, expected_owner=former, owner_id=owner_id, deadline=deadline, now=now
                )
            else:
                moved = await self._hazards.move(
                    tx,
                    hazard.id,
                    expected=hazard.status,
                    to=step.to,
                    closure=step.closure,
                    owner_id=owner_id,
                    deadline=deadline,
                    duplicate_of=duplicate_of,
                    now=now,
                )
            if not moved:
                raise InvalidTransition(move)
            if move is Move.SUBMIT:
                await self._hazards.add_photos(tx, hazard.id, Stage.AFTER, conversation.photos, now)
            event_id = await self._hazards.add_event(
                tx,
                hazard_id=hazard.id,
                actor_id=actor.id,
                kind=kind,
                from_status=hazard.status,
                to_status=step.to,
                note=note,
                now=now,
                account=actor.telegram_user_id,
                from_owner_id=former,
                to_owner_id=owner_id if reassign else None,
            )
            voice = spoken(note, conversation.voice) if duplicate_of is None else None
            if voice is not None:
                await self._voices.add(
                    tx, hazard_id=hazard.id, event_id=event_id, field=VoiceField.NOTE, note=voice, now=now
                )
            after = await self._hazards.get_in(tx, hazard.id)
            notifications = await self._notifications(
                after, move, actor, reporter, event_id, conversation, proxy, former, hazard.owner_bound
            )
            for notification in notifications:
                await self._notifier.enqueue(tx, notification, now)
            await self._notifier.settle(tx, dedupe.hazard_subject(hazard.id))
            ended = former_conversation is not None and former_conversation.hazard_id == hazard.id
            if former is not None and ended:
                await self._conversations.delete(tx, former)  # their 提交整改 in progress ends with the move
            await self._conversations.delete(tx, actor.id)
        if ended and former_conversation is not None:  # its after-photos' files with it
            await discard_unused(self._media, self._conversations, former_conversation.photos)
        bind_hazard(hazard.id)
        log.info("hazard %s by person %s: %s -> %s", kind, actor.id, hazard.status.value, step.to.value)
        await self._cards.after_move(after, move, actor, event_id, {n.person_id for n in notifications})
        invite = None
        if move in (Move.ASSIGN, Move.REOPEN, Move.REJECT, Move.REASSIGN) and after.owner_id and not after.owner_bound:
            invite = await self._invites.create_for(after.owner_id, created_by=actor.id)
        return Done(after, move, invite)

    async def _notifications(
        self,
        hazard: Hazard,
        move: Move,
        actor: Actor,
        reporter: Person,
        event_id: int,
        conversation: HazardConversation,
        proxy: bool,
        former: int | None,
        former_bound: bool,
    ) -> list[Notification]:
        people = Involved(
            reporter_id=reporter.id,
            reporter_role=reporter.role,
            owner_id=hazard.owner_id,
            owner_bound=hazard.owner_bound,
            supervisors=tuple(await self._roster.ids_with_role(Role.SUPERVISOR, hazard.town_id)),
            admins=tuple(await self._roster.ids_with_role(Role.ADMIN)),
        )
        told = recipients.of_move(move, hazard.status, hazard.severity, actor.id, people, former, former_bound)
        shows_photos = any(r.told in (Told.OWNER, Told.REVIEW) for r in told)
        before = await self.photos(hazard, Stage.BEFORE) if shows_photos else []  # read once for every card
        note = spoken(conversation.reason, conversation.voice)
        # A spoken reason or note goes to everyone told of the move, as its text (the placeholder) does; a spoken
        # description goes with the cards that show the description (the owner's, the review card).
        said = [] if note is None else [forwarded(note, hazard.id)]
        described = [
            forwarded(v.note, hazard.id)
            for v in await self._voices.of_hazard(hazard.id)
            if v.field is VoiceField.DESCRIPTION
        ]
        return [
            Notification(
                person_id=recipient.person_id,
                dedupe_key=dedupe.hazard_event(hazard.id, event_id, recipient.told, recipient.person_id),
                message=_with_voices(
                    self._message(hazard, move, recipient.told, conversation, proxy, before),
                    (described if _shows_description(move, recipient.told) else []) + said,
                ),
                urgent=recipient.told is Told.ADMIN,
            )
            for recipient in told
        ]

    def _message(
        self, hazard: Hazard, move: Move, told: Told, conversation: HazardConversation, proxy: bool, before: list[str]
    ) -> Message:
        """What one recipient of a move is shown; every message about a move carries its reason, if one was given."""
        today = self.today()
        reason = None if move is Move.SUBMIT else conversation.reason  # a submission's note is for the reviewers
        if told is Told.PROXY:
            proxy_submit = move_buttons(hazard.id, [Move.SUBMIT], proxy=True)
            return Message(
                hazard_id=hazard.id, text=texts.proxy_card(hazard, today, move, reason), buttons=proxy_submit
            )
        if told is Told.REPORTER:
            return Message(hazard_id=hazard.id, text=texts.reporter_update(hazard, move, today, reason))
        if told is Told.OWNER and move is Move.VERIFY:
            return Message(hazard_id=hazard.id, text=texts.owner_closed(hazard))
        if told is Told.OWNER:
            submit = move_buttons(hazard.id, [Move.SUBMIT])
            text = texts.owner_card(hazard, move, today, reason)
            return Message(hazard_id=hazard.id, text=text, photos=before, pin=screen.pin(hazard), buttons=submit)
        if told is Told.REVIEW:
            after = [p.name for p in conversation.photos]
            review = move_buttons(hazard.id, [Move.VERIFY, Move.REJECT])
            text = texts.review_card(hazard, len(before), len(after), conversation.reason, proxy=proxy, today=today)
            return Message(hazard_id=hazard.id, text=text, photos=before + after, buttons=review)
        if told is Told.ADMIN:
            return Message(hazard_id=hazard.id, text=texts.admin_update(hazard, move, today, reason))
        assert told is Told.FORMER_OWNER
        return Message(hazard_id=hazard.id, text=texts.reassigned_away(hazard))


def _shows_description(move: Move, told: Told) -> bool:
    """Whether the message of a move shows the hazard's description (the owner's card, the review card)."""
    return told is Told.REVIEW or (told is Told.OWNER and move is not Move.VERIFY)


def _with_voices(message: Message, voices: list[Voice]) -> Message:
    return message.model_copy(update={"voices": voices}) if voices else message


def _authorize(actor: Actor, move: Move, hazard: Hazard) -> None:
    refused = denial(actor, move, hazard)
    if refused is not None:
        raise NotAllowed(move, denial=refused)


def _next(conversation: HazardConversation, answered: Ask, *, hazard: Hazard | None) -> Ask:
    """The question after `answered`, for a step that never completes the move by itself."""
    after = next_ask(conversation.move, answered, has_owner=hazard is not None and hazard.owner_id is not None)
    assert after is not None, (conversation.move, answered)
    return after


def _after_owner(conversation: HazardConversation, owner_id: int | None, hazard: Hazard) -> Ask:
    """The question after the owner (改派 refuses the owner the hazard already has)."""
    if conversation.move is Move.REASSIGN and owner_id is not None and owner_id == hazard.owner_id:
        raise SameOwner(owner_id)
    return _next(conversation, Ask.OWNER, hazard=hazard)


def _bounded(text: str, limit: int) -> str:
    if not text:
        raise WrongInput("empty")
    if len(text) > limit:
        raise TooLong(limit)
    return text


def _ask(conversation: HazardConversation) -> Ask:
    return conversation.ask
