"""The password rule: what a member may choose at activation, at a reset, and what the
registration tells a newcomer to expect.

Length first (8 at least, as NIST SP 800-63B asks; room for long passphrases), then
whether it is guessable: zxcvbn's lists (the passwords of real breaches, common words and
names) and its patterns (keyboard rows, sequences, repeats, dates). A password typed on a
Russian keyboard is also checked as the same keys on a Latin one: ``пароль`` is the
breached ``gfhjkm``. The lists ship inside the package: nothing is fetched.

The member's own registration number, e-mail and phone are checked on their own
(:func:`check_not_personal`), so a reset can look at them only once the code proved who
is asking: the answer must not tell a stranger whose e-mail a phone number belongs to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from mlm_tui.core.errors import ValidationError
from mlm_tui.i18n import N_

PASSWORD_MIN = 8
# argon2 takes any length; a bound keeps a megabyte "password" from costing the server.
PASSWORD_MAX = 128
# zxcvbn's estimate below which a password falls to an online guesser within its budget
# (score 0-1: fewer than a million guesses).
ENOUGH_GUESSES = 10**6

# The Russian keyboard (ЙЦУКЕН) key by key on the Latin one it shares keys with.
_RUSSIAN_KEYS = str.maketrans(
    "йцукенгшщзхъфывапролджэячсмитьбюё",
    "qwertyuiop[]asdfghjkl;'zxcvbnm,.`",
)


PASSWORD_RULE = N_("A password has at least {n} characters, is not a common or easily "
                   "guessed one, and is not your registration number, e-mail or phone.")


def password_rule(render: Callable[[str, Mapping[str, object]], str] | None = None) -> str:
    """The rule in one sentence, the same on every screen that asks for a new password:
    worded by ``render`` (the client's, in the reader's language), in English without."""
    params = {"n": PASSWORD_MIN}
    return render(PASSWORD_RULE, params) if render else PASSWORD_RULE.format_map(params)


def validate_password(
    password: str,
    *,
    avoid: Iterable[str | None] = (),
    field: str = "new_password",
) -> None:
    """The whole rule; ``avoid`` holds the member's own registration number, e-mail and
    phone."""
    check_strength(password, field=field)
    check_not_personal(password, avoid, field=field)


def check_strength(password: str, *, field: str = "new_password") -> None:
    """Everything in the rule that does not depend on whose password it is."""
    if not password:
        raise ValidationError(N_("Choose a password."), field=field)
    if len(password) < PASSWORD_MIN:
        raise ValidationError(
            N_("The password needs at least {n} characters."),
            field=field,
         params={"n": PASSWORD_MIN})
    if len(password) > PASSWORD_MAX:
        raise ValidationError(
            N_("The password may have at most {n} characters."),
            field=field,
         params={"n": PASSWORD_MAX})
    if password.isdigit():
        raise ValidationError(N_("The password must not be only digits."), field=field)
    if len(set(password)) == 1:
        raise ValidationError(
            N_("The password must not be one character repeated."), field=field
        )
    if _guesses(password) < ENOUGH_GUESSES:
        raise ValidationError(
            N_("This password is too common or too easy to guess; choose another."),
            field=field,
        )


def check_not_personal(
    password: str, avoid: Iterable[str | None], *, field: str = "new_password"
) -> None:
    """Neither the member's registration number, e-mail or phone, nor built on them."""
    own = _own_words(avoid)
    if not own:
        return
    if password.casefold() in own or _guesses(password, own) < ENOUGH_GUESSES:
        raise ValidationError(
            N_("The password must not be your registration number, e-mail or phone."),
            field=field,
        )


def _guesses(password: str, own: Iterable[str] = ()) -> float:
    """How many guesses zxcvbn expects an attacker to need; the fewer of the password as
    typed and as the same keys on a Latin keyboard."""
    from zxcvbn import zxcvbn  # its lists are large: loaded when a password is checked

    inputs = sorted(own)
    typed = [password]
    latin = password.lower().translate(_RUSSIAN_KEYS)
    if latin != password.lower():
        typed.append(latin)
    return min(float(zxcvbn(text, user_inputs=inputs, max_length=PASSWORD_MAX)["guesses"])
               for text in typed)


def _own_words(avoid: Iterable[str | None]) -> set[str]:
    words = set()
    for value in avoid:
        if not value:
            continue
        folded = value.strip().casefold()
        words.add(folded)
        words.add(folded.partition("@")[0])  # the name part of an e-mail
        words.add(folded.removeprefix("+"))
    words.discard("")
    return words
