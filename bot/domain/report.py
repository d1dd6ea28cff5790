"""A report in progress: its fields, its steps, and which step comes next."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel

from bot.domain.hazards import Severity
from bot.domain.photos import Photo
from bot.domain.voice import VoiceNote


class Step(StrEnum):
    """The steps of the report conversation, in order."""

    PHOTOS = "photos"
    DESCRIPTION = "description"
    CATEGORY = "category"
    SEVERITY = "severity"
    VILLAGE = "village"  # supervisors only: which village of their town
    PLACE = "place"
    LOCATION = "location"
    SUMMARY = "summary"
    AFTER_PHOTOS = "after_photos"  # 即查即改: the after-photo of a hazard fixed on the spot
    AFTER_NOTE = "after_note"  # 即查即改: what was done (the rectification note), or 跳过


# Steps a person may go back to from the summary (修改).
EDITABLE = (Step.PHOTOS, Step.DESCRIPTION, Step.CATEGORY, Step.SEVERITY, Step.VILLAGE, Step.PLACE, Step.LOCATION)


class ReportDraft(BaseModel):
    """Everything given so far; stored after every step so a restart loses nothing."""

    token: str  # in every button of this draft, so buttons of a cancelled draft are recognised as stale
    person_id: int
    village_id: int | None  # fixed for an officer; chosen by a supervisor
    chooses_village: bool = False
    step: Step = Step.PHOTOS
    photos: list[Photo] = []
    after_photos: list[Photo] = []
    refused_photos: int = 0  # photos over the limit since the last batch confirmation
    confirmed_photos: int = 0  # photos the person has been told about ("已收到 N 张照片")
    description: str | None = None
    voice: VoiceNote | None = None  # the description was spoken: it holds the voice's placeholder
    category: str | None = None
    severity: Severity | None = None
    place: str | None = None
    place_options: list[str] = []  # free text: places named in the village's earlier reports (it has no inventory)
    place_id: int | None = None  # the place of the village's inventory (底数清单) chosen
    new_place: bool = False  # `place` is a new place, added as 待核实 when the report is submitted
    naming_place: bool = False  # 新场所 was pressed: the next text typed is the new place's name
    # Texts searched for at the place step, each offered as a new place by a button carrying its index (a button
    # cannot carry the text: 64 bytes), so an older search's button adds that search's text.
    place_searches: list[str] = []
    latitude: float | None = None
    longitude: float | None = None
    location_given: bool = False  # a location was sent or 跳过 was chosen
    fixed_on_spot: bool = False
    after_note: str | None = None  # 即查即改: what was done, stored as the rectification note
    after_note_given: bool = False  # the note was written or 跳过 was chosen
    # The open hazard these photos may be for (a photo right after 提交, or 补充照片): 补充到 #N or 新的隐患 is asked.
    follows: int | None = None
    started_at: datetime

    def next_step(self) -> Step:
        """The first step still missing something, or the summary when all is given."""
        if not self.photos:
            return Step.PHOTOS
        if self.description is None:
            return Step.DESCRIPTION
        if self.category is None:
            return Step.CATEGORY
        if self.severity is None:
            return Step.SEVERITY
        if self.village_id is None:
            return Step.VILLAGE
        if self.place is None:
            return Step.PLACE
        if not self.location_given:
            return Step.LOCATION
        if self.fixed_on_spot and not self.after_photos:
            return Step.AFTER_PHOTOS
        if self.fixed_on_spot and not self.after_note_given:
            return Step.AFTER_NOTE
        return Step.SUMMARY

    def clear_place(self) -> None:
        """Forget the place given, so the place step is asked again from its first screen."""
        self.place, self.place_id, self.new_place, self.naming_place = None, None, False, False
        self.place_searches = []

    def reopen(self, step: Step) -> None:
        """Clear a step's answer (修改) so the conversation asks it again, then returns to the summary."""
        if step is Step.PHOTOS:
            self.photos = []
        elif step is Step.DESCRIPTION:
            self.description = None
        elif step is Step.CATEGORY:
            self.category = None
        elif step is Step.SEVERITY:
            self.severity = None
            self.fixed_on_spot = False
            self.after_photos = []
            self.after_note, self.after_note_given = None, False
        elif step is Step.VILLAGE and self.chooses_village:
            self.village_id = None
            self.clear_place()
        elif step is Step.PLACE:
            self.clear_place()
        elif step is Step.LOCATION:
            self.latitude = self.longitude = None
            self.location_given = False
        self.step = self.next_step()
