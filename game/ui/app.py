"""The Textual app: owns the story, the saves, the profile and the settings; screens ask it to act.

`make_app` builds it for the command line and for the tests alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar

from textual import work
from textual.app import App
from textual.events import Resize
from textual.geometry import Size
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import get_current_worker

from ..engine import CandidError, ChoiceError, SaveError, StoryError
from ..engine.compiler import Story
from ..engine.conditions import Value
from ..engine.i18n import _, language, set_language
from ..engine.play import Game, Keeper, started
from ..engine.saves import AUTOSAVE, Profile, SaveStore, data_home
from .commands import GameCommands
from .lang import localize_bindings
from .loading import Loading
from .notices import reload_failed_text, reloaded_note, replace_question
from .screens import ConfirmScreen, PlayScreen, ReplayScreen, SettingsScreen, TitleScreen, TooSmallScreen
from .settings import Settings, config_home

MIN_WIDTH, MIN_HEIGHT = 60, 20
WATCH_INTERVAL = 0.5


class CandidApp(Loading):
    CSS_PATH: ClassVar = [
        "app.tcss",
        "screens/title.tcss",
        "screens/play.tcss",
        "screens/ending.tcss",
        "screens/dialogs.tcss",
        "screens/map.tcss",
        "screens/settings.tcss",
    ]
    COMMANDS: ClassVar = App.COMMANDS | {GameCommands}
    NOTIFICATION_TIMEOUT: ClassVar[float] = 4
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 - Textual types it as an instance attribute
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]  # noqa: RUF012 - as above

    def __init__(
        self,
        story: Story,
        *,
        role: str | None = None,
        start: str | None = None,
        overrides: Mapping[str, Value] | None = None,
        watch: bool = False,
        replay: bool = False,
        data_folder: Path,
        config_folder: Path,
        lang: str | None = None,
    ) -> None:
        super().__init__()
        self.story = story
        self.lang = set_language(lang) if lang else language()
        """The language the story and the interface are in."""
        self.role = role
        self.start = start
        self.overrides = dict(overrides or {})
        self.watching = watch
        self.replaying = replay
        self.author = watch or start is not None or bool(overrides)
        self.data_home = data_folder
        self.config_home = config_folder
        self.store = SaveStore(story, data_folder)
        self.profile = Profile(data_folder)
        self.keeper = Keeper(self.store, self.profile, self.warn, self.previous_kept)
        """Where every play-through's autosave and endings go (see engine/play.py)."""
        self.settings = Settings.load(config_folder)
        self.title = story.title
        localize_bindings(self)

    def get_default_screen(self) -> Screen[Any]:
        return TitleScreen()

    def on_mount(self) -> None:
        self.apply_settings()
        if self.replaying:
            self.call_later(self.ask_replay)
        elif self.start is not None or self.role is not None:
            # `candid play --role board` (or `--from`) means that game, straight away.
            self.call_later(self.ask_new_game, self.role)
        if self.watching:
            self.watch_story()
        self.check_size()

    def on_resize(self, event: Resize) -> None:
        # This runs before Textual records the new size, so the event's size is the one to trust.
        self.check_size(event.size)

    def check_size(self, size: Size | None = None) -> None:
        """Cover everything with a plea for room while the terminal is too small, at any moment."""
        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not small:
            # A screen opened over the plea (the command palette) goes with it.
            while any(isinstance(s, TooSmallScreen) for s in self.screen_stack[1:]):
                self.pop_screen()

    def apply_settings(self, save: bool = False) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.animation_level = "none" if self.settings.reduced_motion else "full"
        play = self.play_screen()
        if play is not None:
            play.apply_settings()
        if save:
            try:
                self.settings.save(self.config_home)
            except OSError as exc:
                self.notify(_("Settings could not be saved: {reason}").format(reason=exc.strerror), severity="error", markup=False)

    def open_settings(self) -> None:
        self.push_screen(SettingsScreen())

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # A new note replaces the notes before it, so they never pile up over the game; warnings and
        # errors stay until their own time is up.
        for old in list(self._notifications):
            if old.severity == "information":
                self._unnotify(old, refresh=False)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def deliver_screenshot(self, filename: str | None = None, path: str | None = None, time_format: str | None = None) -> str | None:
        """The palette's screenshot: to Downloads if there is such a folder, else beside the saves."""
        if path is None and not self.is_web:
            from platformdirs import user_downloads_path

            folder = user_downloads_path()
            if not folder.is_dir():
                folder = self.data_home / "screenshots"
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    self.show_error(
                        SaveError(_("cannot save the screenshot in {folder}: {reason}").format(folder=folder, reason=exc.strerror or exc))
                    )
                    return None
            path = str(folder)
        return super().deliver_screenshot(filename, path, time_format)

    # --- the game -------------------------------------------------------------------------------
    def in_progress(self) -> tuple[str, int] | None:
        """The game a new one would replace, as (scene title, choices taken), if it has any choice:
        the game being played, or else the autosaved one."""
        play = self.play_screen()
        if play is not None and play.controller.saving:
            session = play.session
            return (session.scene.model.title, len(session.history)) if session.history else None
        found = next((s for s in self.store.slots() if s.slot == AUTOSAVE), None)
        if found is None or found.steps == 0:
            return None
        scene = self.story.scenes.get(found.scene)
        return (scene.model.title if scene else found.scene, found.steps)

    def confirm_replace(self, what: str, then: Callable[[], None]) -> None:
        """Run `then` at once when there is no game in progress to lose; otherwise ask first."""
        current = self.in_progress()
        if current is None:
            then()
            return
        self.push_screen(ConfirmScreen(replace_question(what, *current)), lambda yes: then() if yes else None)

    def ask_new_game(self, role: str | None) -> None:
        self.confirm_replace("new", lambda: self.new_game(role))

    def new_game(self, role: str | None) -> None:
        try:
            session = started(self.story, role, start=self.start, overrides=self.overrides)
        except ChoiceError as exc:
            self.show_error(exc)
            return
        self.play(Game(session, self.keeper))

    def ask_replay(self) -> None:
        """The title screen's "Replay history", which asks for a role when there is a choice."""
        if isinstance(self.screen, TitleScreen):
            self.screen.action_replay()

    def replay(self, role: str | None) -> None:
        """Walk the role's historical path from its start (see ReplayScreen)."""
        try:
            session = started(self.story, role)
        except ChoiceError as exc:
            self.show_error(exc)
            return
        self.back_to_title()
        # Following history is not the player's own game: nothing is saved until they branch off.
        self.push_screen(ReplayScreen(Game(session, self.keeper, saving=False)))
        self.check_size()

    def play(self, game: Game) -> None:
        self.back_to_title()
        self.push_screen(PlayScreen(game))
        self.check_size()

    def back_to_title(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.check_size()

    def play_screen(self) -> PlayScreen | None:
        return next((s for s in reversed(self.screen_stack) if isinstance(s, PlayScreen)), None)

    def warn(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)

    def show_error(self, error: CandidError) -> None:
        message = error.message
        if isinstance(error, SaveError) and error.moved_to:
            message += "\n" + _("The file was moved to {path}.").format(path=error.moved_to)
        self.notify(message, title=error.title, severity="error", markup=False, timeout=12)

    # --- live reload (authors) ------------------------------------------------------------------
    def _mtimes(self) -> dict[Path, float]:
        found: dict[Path, float] = {}
        for path in self.story.folder.rglob("*.y*ml"):
            try:
                found[path] = path.stat().st_mtime
            except OSError:
                continue
        return found

    @work(thread=True, exclusive=True, group="watch")
    def watch_story(self) -> None:
        worker = get_current_worker()
        seen = self._mtimes()
        while not worker.is_cancelled:
            time.sleep(WATCH_INTERVAL)
            now = self._mtimes()
            if now == seen:
                continue
            seen = now
            try:
                from ..engine.localize import load_localized  # the translation layer: only for another language

                story, _audit = load_localized(self.story.folder, self.lang)
            except StoryError as exc:
                self.call_from_thread(self.reload_failed, exc)
                continue
            self.call_from_thread(self.reloaded, story)

    def reloaded(self, story: Story) -> None:
        """Swap in the new story and take the player back to where they were, as far as it fits."""
        lost = self.swap_story(story)
        if lost is None:
            return
        self.notify(reloaded_note(lost), severity="warning" if lost else "information", markup=False)

    def swap_story(self, story: Story) -> list[str] | None:
        """Put `story` in the running game's place; the steps that no longer fit (None if the game could not move)."""
        play = self.play_screen()
        store = SaveStore(story, self.data_home)
        lost: list[str] = []
        if play is not None:
            try:
                lost = play.controller.rebase(story, store)
            except ChoiceError as exc:
                self.show_error(exc)
                return None
        self.story = story
        self.store = self.keeper.store = store
        self.title = story.title
        if play is not None:
            # Dialogs and an ending shown for the old story go; the ending returns if still reached.
            while self.screen is not play and len(self.screen_stack) > 1:
                self.pop_screen()
            play.show_scene()
            self.check_size()
        return lost

    def switch_language(self, lang: str) -> None:
        """Settings' language row: the interface and the story in `lang` at once. A translation
        changes no id, so the game in progress carries on where it is."""
        set_language(lang)
        self.lang = lang
        try:
            from ..engine.localize import load_localized

            story, _audit = load_localized(self.story.folder, lang)
        except StoryError as exc:
            self.reload_failed(exc)
            return
        self.swap_story(story)
        localize_bindings(self)
        for screen in self.screen_stack:
            redraw = getattr(screen, "retranslate", None)
            if redraw is not None:
                self.call_later(redraw)

    def reload_failed(self, error: StoryError) -> None:
        self.notify(reload_failed_text(error), title=error.title, severity="error", markup=False, timeout=20)


def make_app(
    story: Story,
    *,
    role: str | None = None,
    start: str | None = None,
    overrides: Mapping[str, Value] | None = None,
    watch: bool = False,
    replay: bool = False,
    home: Path | None = None,
    lang: str | None = None,
) -> CandidApp:
    """The app, for the command line and the tests. `home` holds saves, profile and settings.

    `replay` opens on the historical path instead of the title screen.
    """
    return CandidApp(
        story,
        role=role,
        start=start,
        overrides=overrides,
        watch=watch,
        replay=replay,
        data_folder=home or data_home(),
        config_folder=home or config_home(),
        lang=lang,
    )


def run_app(
    story: Story,
    *,
    role: str | None = None,
    start: str | None = None,
    overrides: Mapping[str, Value] | None = None,
    watch: bool = False,
    lang: str | None = None,
) -> int:
    return _run(make_app(story, role=role, start=start, overrides=overrides, watch=watch, lang=lang))


def run_replay(story: Story, *, role: str | None = None, lang: str | None = None) -> int:
    """`candid replay`: the title screen's "Replay history", straight away (asking for a role if needed)."""
    return _run(make_app(story, role=role, replay=True, lang=lang))


def _run(app: CandidApp) -> int:
    result = app.run()
    # A crash (an unhandled exception) leaves no result but a return code of 1: exit with it.
    if app.return_code:
        return app.return_code
    return result if isinstance(result, int) else 0
