"""Generated prose for benchmarks: paragraphs that read like fan fiction.

Narration and dialogue built from small phrase lists, with a cast whose
names recur, speech verbs and unattributed turns, so the reading engine has
the same work to do as on real chapters. Deterministic for a seed; nothing
here is anyone's story.

>>> chapter = Prose(seed=1).chapter(words=300)
>>> 250 <= len(chapter.split()) <= 400
True
>>> Prose(seed=1).chapter(words=300) == chapter
True
"""

from __future__ import annotations

import bisect
import itertools
import random

CAST = [
    ("Anna", "Berg", "she"),
    ("Jonas", "Holm", "he"),
    ("Mira", "Lind", "she"),
    ("Tomas", "Ek", "he"),
    ("Elin", "Sand", "she"),
    ("Karl", "Dahl", "he"),
]
PLACES = ["the kitchen", "the station", "the harbour", "the library", "the old mill", "the square"]
THINGS = ["the letter", "a lamp", "the map", "her coat", "the key", "a cup of tea", "the ticket"]
WEATHER = ["It had rained all night.", "The wind came off the water.", "Snow lay on the roofs."]
ACTIONS = [
    "{name} put {thing} down on the table and looked out at the rain.",
    "{name} crossed {place} without hurrying, as if nobody were waiting.",
    "For a while {name} said nothing, turning {thing} over in {poss} hands.",
    "{name} had not slept, and it showed in the way {pron} stood by the door.",
    "It was late when {name} came back to {place}, and the lights were low.",
    "{name} laughed, which surprised everyone, {name2} most of all.",
]
LINES = [
    "You came back.",
    "I said I would.",
    "Where were you all night?",
    "It doesn't matter now. Sit down.",
    "Do you think they know?",
    "Everyone knows. That's the trouble with a small town.",
    "I kept the letter. I don't know why.",
    "Then read it to me.",
    "Not tonight.",
    "You always say that.",
]
VERBS = ["said", "asked", "whispered", "replied", "muttered"]

# A made-up vocabulary with Zipf frequencies, so words range from everywhere to
# one work in thousands, as in real text (a search benchmark needs both).
_SYLLABLES = [a + b for a in "bdfgklmnprstvz" for b in ("a", "e", "i", "o", "u", "ar", "en", "ol")]
VOCABULARY = [
    "".join(parts)
    for parts in itertools.islice(itertools.product(_SYLLABLES, repeat=3), 0, None, 37)
][:20_000]
_ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))


class Prose:
    """A seeded source of paragraphs, chapters and titles."""

    def __init__(self, seed: int = 0) -> None:
        self.random = random.Random(seed)

    def _person(self) -> tuple[str, str, str]:
        return self.random.choice(CAST)

    def narration(self) -> str:
        first, last, pron = self._person()
        other = self._person()[0]
        template = self.random.choice(ACTIONS)
        sentence = template.format(
            name=self.random.choice([first, f"{first} {last}"]),
            name2=other,
            thing=self.random.choice(THINGS),
            place=self.random.choice(PLACES),
            pron=pron,
            poss="her" if pron == "she" else "his",
        )
        return f"{sentence} {self.random.choice(WEATHER)} {self.musing(pron)}"

    def word(self) -> str:
        """A vocabulary word, common ones far more often than rare ones."""
        return VOCABULARY[bisect.bisect(_ZIPF, self.random.random() * _ZIPF[-1])]

    def musing(self, pron: str) -> str:
        return f"{pron.capitalize()} thought of the {self.word()} and the {self.word()}."

    def dialogue(self) -> str:
        first, _, pron = self._person()
        line = self.random.choice(LINES)
        shape = self.random.randrange(3)
        if shape == 0:  # no speech verb at all
            return f'"{line}"'
        verb = self.random.choice(VERBS)
        if shape == 1:
            return f'"{line.rstrip(".")}," {first} {verb}.'
        return f'{first} looked up. "{line}" {pron.capitalize()} waited.'

    def paragraph(self) -> str:
        return self.narration() if self.random.random() < 0.45 else self.dialogue()

    def chapter(self, *, words: int) -> str:
        """Blank-line paragraphs until about ``words`` words."""
        paragraphs: list[str] = []
        count = 0
        while count < words:
            paragraph = self.paragraph()
            paragraphs.append(paragraph)
            count += len(paragraph.split())
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        return f"{self.random.choice(THINGS).title()} at {self.random.choice(PLACES).title()}"
