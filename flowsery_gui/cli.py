"""`flowsery-goal`: validate and send goal events headless, for QA scripts and CI.

Also the window's keys, profiles and history from a terminal. No Qt here, even indirectly;
`requests`, `keyring` and `sqlite3` are imported only by the commands that use them, so that
`validate` starts fast. Each subcommand is one small function taking the parsed arguments
and returning an exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from flowsery_gui import version
from flowsery_gui.contract import (
    DEFAULT_BASE_URL,
    GOALS_PATH,
    KEY_PREFIX,
    Draft,
    Finding,
    NotJSON,
    Report,
    check_api_key,
    check_body_text,
    check_draft,
)
from flowsery_gui.exchange import mask_key

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.history import HistoryRow
    from flowsery_gui.keystore import KeyStoreError
    from flowsery_gui.profiles import Profile, ProfileStore

PROG = "flowsery-goal"
API_KEY_ENV = "FLOWSERY_API_KEY"
BASE_URL_ENV = "FLOWSERY_BASE_URL"

EXIT_OK = 0
EXIT_FAILED = 1  # validation errors, or the server answered with an error status
EXIT_USAGE = 2  # bad arguments or input, missing key, refused to send
EXIT_NO_RESPONSE = 3  # the request went out (or tried to) but no response came back
EXIT_KEYRING = 4  # the system keyring could not be used

CUSTOM_PROFILE = "custom"  # the history's profile for --base-url (or $FLOWSERY_BASE_URL) alone
STATUS_CLASSES = ("1xx", "2xx", "3xx", "4xx", "5xx", "failure")  # as history.STATUS_CLASSES
HEADLESS_ADVICE = (
    f"For headless use (CI, scripts), skip the keyring: put the key in the {API_KEY_ENV} "
    "environment variable instead."
)

DESCRIPTION = """\
Validate and send Flowsery custom goal events from a terminal or a CI job.

  validate  checks a JSON goal body against the API rules, offline; nothing is sent.
  send      builds a goal from options (or a JSON file), checks it, then POSTs it to
            {base}/api/v1/goals and explains the answer in plain words. Every
            exchange, failures included, is added to the history the window shows.
  key       stores, shows (masked) or deletes a profile's key in the system keyring.
  profile   lists, adds or removes profiles (the same ones the window shows).
  history   prints past exchanges, newest first, as text or JSON Lines.

The API key comes from the FLOWSERY_API_KEY environment variable when it is set, else
from the system keyring (the profile's entry). It is never printed (only its last 4
characters, as …abcd) and never written anywhere but the keyring."""

EPILOG = f"""\
examples:
  {PROG} validate goal.json
  echo '{{"name": "signup"}}' | {PROG} validate
  export FLOWSERY_API_KEY=flow_sk_...
  {PROG} send --name newsletter_signup --meta plan=pro --meta source=footer
  {PROG} send --json goal.json --base-url http://127.0.0.1:8765 --verbose
  {PROG} profile add Staging https://staging.example.com
  {PROG} key set --profile Staging < key.txt      (or type it: input is hidden)
  {PROG} send --profile Staging --name signup
  {PROG} history --limit 5 --status failure

environment:
  FLOWSERY_API_KEY       the API key to send; wins over any key in the keyring
  FLOWSERY_BASE_URL      the server when neither --base-url nor --profile is given
                         (default: the Production profile, {DEFAULT_BASE_URL})
  FLOWSERY_GUI_DATA_DIR  where the history lives (default: the user data folder)
  FLOWSERY_GUI_CONFIG_DIR  where the profiles file lives (default: the user config folder)

history: sends with --base-url (or FLOWSERY_BASE_URL) and no --profile are recorded
under the profile name "{CUSTOM_PROFILE}".

exit codes:
  0  valid body / the server accepted the request (2xx) / the key, profile or history
     command did its job (an empty history too)
  1  the body has errors (validate) / the server answered with an error status (send) /
     the profiles file could not be saved / the history could not be read
  2  usage error, unreadable or non-JSON input, invalid goal, no API key, unknown or
     built-in profile, the Sandbox profile without --base-url, or the app refused to
     send (for example a key over plain http:// to a remote host)
  3  no response: DNS, refused connection, timeout, TLS or dropped connection
  4  the system keyring could not be used (none available, locked, prompt dismissed)"""


def _positive_float(text: str) -> float:
    """argparse type: a number of seconds greater than zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _meta_pair(text: str) -> tuple[str, str]:
    """argparse type: one KEY=VALUE metadata pair (the value may contain '=')."""
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


class _VersionAction(argparse.Action):
    """`--version`, reading the package metadata only when asked (it costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"{PROG} {version()}")
        parser.exit()


def _print_findings(findings: Sequence[Finding], out: TextIO) -> None:
    """One line per finding, `severity path: message`, and its fix indented below."""
    for finding in findings:
        print(f"{finding.severity} {finding.path or '(body)'}: {finding.message}", file=out)
        if finding.fix is not None:
            print(f"  fix: {finding.fix}", file=out)


def _read_input(source: str) -> bytes:
    """The bytes of a file, or of stdin for '-'; raises OSError."""
    if source == "-":
        return sys.stdin.buffer.read()
    with open(source, "rb") as handle:
        return handle.read()


def _usage_error(command: str, message: str) -> int:
    print(f"{PROG} {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


# --- validate -------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a JSON body offline and list the findings."""
    try:
        raw = _read_input(args.file)
    except OSError as exc:
        print(f"{PROG}: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = check_body_text(raw)
    except NotJSON as exc:
        print(f"{PROG}: not JSON: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print_findings(report.findings, sys.stdout)
    if not report.findings:
        print("ok: valid goal body")
    return EXIT_OK if report.ok else EXIT_FAILED


# --- send -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where `send` goes: the profile recorded in history, the URL, whose keyring key to use."""

    profile: str
    base_url: str
    keyring_profile: str | None  # None: the key can only come from the environment
    explicit: bool = True  # False for the implicit Production default


def resolve_target(args: argparse.Namespace) -> Target | int:
    """--profile (its URL unless --base-url), else --base-url / $FLOWSERY_BASE_URL under the
    profile "custom", else Production. The Sandbox profile needs --base-url: no sandbox runs
    inside a one-shot CLI. Returns an exit code after saying why when it cannot."""
    if args.profile is not None:
        store = _profile_store()
        profile = _find_profile(store, args.profile, "send")
        if isinstance(profile, int):
            return profile
        if profile.kind == "sandbox":
            if not args.base_url:
                return _usage_error("send", _SANDBOX_REFUSAL)
            return Target(profile.name, args.base_url, None)
        return Target(profile.name, args.base_url or profile.base_url, profile.name)
    custom_url = args.base_url or os.environ.get(BASE_URL_ENV)
    if custom_url:
        return Target(CUSTOM_PROFILE, custom_url, None)
    from flowsery_gui.profiles import PRODUCTION

    return Target(PRODUCTION.name, PRODUCTION.base_url, PRODUCTION.name, explicit=False)


def resolve_api_key(target: Target) -> str | int:
    """$FLOWSERY_API_KEY when set, else the profile's key from the keyring; or an exit code
    after saying why there is none."""
    key = os.environ.get(API_KEY_ENV, "")
    if key:
        return key
    if target.keyring_profile is None:
        print(
            f"{PROG}: no API key: set the {API_KEY_ENV} environment variable to your Flowsery "
            "API key (it starts with flow_).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    name = target.keyring_profile
    try:
        stored = KeyStore().get(name)
    except KeyStoreError as exc:
        # With no keyring at all, the implicit default is simply "no key" (as before keyrings).
        if target.explicit or exc.reason != "no_backend":
            return _keyring_failed(exc)
        stored = None
    if stored:
        return stored
    print(
        f"{PROG}: no API key for profile {name}: store one with "
        f"`{PROG} key set --profile {name}` (it reads the key from stdin), or set the "
        f"{API_KEY_ENV} environment variable.",
        file=sys.stderr,
    )
    return EXIT_USAGE


def _build_report(args: argparse.Namespace) -> Report | int:
    """The checked body from the options or --json, or an exit code on a usage problem."""
    form_options = [
        args.name is not None,
        args.visitor_uid is not None,
        args.session_uid is not None,
        args.timezone is not None,
        bool(args.meta),
    ]
    if args.json is not None:
        if any(form_options):
            return _usage_error(
                "send",
                "--json cannot be combined with --name, --visitor-uid, --session-uid, "
                "--timezone or --meta",
            )
        try:
            raw = _read_input(args.json)
        except OSError as exc:
            print(f"{PROG}: cannot read {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            return check_body_text(raw)
        except NotJSON as exc:
            print(f"{PROG}: not JSON: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.name is None:
        return _usage_error("send", "give --name NAME (or --json FILE with a whole body)")
    draft = Draft(
        name=args.name,
        visitor_uid=args.visitor_uid or "",
        session_uid=args.session_uid or "",
        timezone=args.timezone or "",
        metadata=tuple(args.meta or ()),
    )
    return check_draft(draft)


def _print_exchange(exchange: Exchange, verbose: bool) -> None:
    """The status line, the explanation and the body; the request too when verbose."""
    from flowsery_gui.explain import explain

    if verbose:
        request = exchange.request
        print(f"> {request.method} {request.url}")
        for name, value in request.headers:
            print(f"> {name}: {value}")
        if request.body is not None:
            print(">")
            print(f"> {request.body}")
        print()
    for note in exchange.notes:
        print(f"note: {note}", file=sys.stderr)
    explanation = explain(exchange)
    response = exchange.response
    if response is None:
        print(f"{explanation.title}: {explanation.message}", file=sys.stderr)
        return
    status = " ".join(part for part in (str(response.status), response.reason) if part)
    print(f"{status} · {exchange.elapsed_ms:.0f} ms")
    print(explanation.message)
    if verbose:
        for name, value in response.headers:
            print(f"< {name}: {value}")
    parsed: Any = response.json()
    if parsed is not None:
        print(json.dumps(parsed, indent=2, ensure_ascii=False))
    elif response.body:
        print(response.body)


def cmd_send(args: argparse.Namespace) -> int:
    """Check a goal, then send it and explain the answer."""
    report = _build_report(args)
    if isinstance(report, int):
        return report
    if report.errors or report.body is None:
        print("Not sent: the goal has errors.", file=sys.stderr)
        _print_findings(report.findings, sys.stderr)
        return EXIT_USAGE
    _print_findings(report.warnings, sys.stderr)

    target = resolve_target(args)
    if isinstance(target, int):
        return target
    key = resolve_api_key(target)
    if isinstance(key, int):
        return key
    _print_findings([f for f in check_api_key(key) if f.code != "key.whitespace"], sys.stderr)
    key = key.strip()

    from flowsery_gui.client import GoalsClient, check_url_safety  # imports requests

    refusal = check_url_safety(target.base_url.rstrip("/") + GOALS_PATH, has_key=True)
    if refusal is not None:
        print(f"{PROG}: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    with GoalsClient(
        target.base_url, key, connect_timeout=args.connect_timeout, read_timeout=args.timeout
    ) as client:
        exchange = client.send_goal(report.body)
    _print_exchange(exchange, args.verbose)
    record_exchange(exchange, target.profile, report.body, key)
    if exchange.response is None:
        return EXIT_NO_RESPONSE
    return EXIT_OK if exchange.ok else EXIT_FAILED


def _history_off(reason: str) -> None:
    print(f"{PROG}: history is off: {reason}", file=sys.stderr)


def record_exchange(exchange: Exchange, profile: str, goal: dict[str, Any], key: str) -> None:
    """Append the exchange to history (key scrubbed). History trouble never breaks a send:
    it costs one line on stderr."""
    import sqlite3

    from flowsery_gui import paths
    from flowsery_gui.history import History, HistoryError

    try:
        history, message = History.open(paths.history_path(), secrets=lambda: (key,))
    except (HistoryError, sqlite3.Error, OSError) as exc:  # open() should say, not raise
        _history_off(str(exc).rstrip(".") + ". Sending still works.")
        return
    if history is None:
        _history_off((message or "").removeprefix("History is off: "))
        return
    if message:  # a damaged file was moved aside and a fresh one started
        print(f"{PROG}: {message}", file=sys.stderr)
    try:
        with history:
            history.append(exchange, profile=profile, source="cli", goal=goal, secrets=(key,))
    except HistoryError as exc:
        _history_off(exc.message)
    except (sqlite3.Error, OSError) as exc:
        _history_off(f"the history could not be written ({exc}).")


# --- profiles -------------------------------------------------------------------------------

_SANDBOX_REFUSAL = (
    "the Sandbox profile is the window's built-in sandbox; a one-shot command has none. "
    "Start one with `flowsery-sandbox` (it prints its URL and key), then send with "
    f"--base-url URL and its key in {API_KEY_ENV}."
)
_SANDBOX_WHERE = "built-in sandbox (flowsery-sandbox)"


def _profile_store() -> ProfileStore:
    """The profiles the window uses; a damaged file is reported (it was moved aside)."""
    from flowsery_gui.profiles import ProfileStore

    store = ProfileStore()
    if store.warning:
        print(f"{PROG}: {store.warning}", file=sys.stderr)
    return store


def _find_profile(store: ProfileStore, name: str, command: str) -> Profile | int:
    """The profile of that name (any case), or exit 2 listing the names there are."""
    profile = store.get(name)
    if profile is None:
        names = ", ".join(p.name for p in store.list())
        return _usage_error(command, f"there is no profile named {name!r} (profiles: {names})")
    return profile


def _columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines of left-aligned columns two spaces apart (the last one not padded)."""
    if not rows:
        return []
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return lines


def cmd_profile_list(args: argparse.Namespace) -> int:
    """Every profile: name, kind and base URL."""
    rows = [
        (p.name, p.kind, _SANDBOX_WHERE if p.kind == "sandbox" else p.base_url)
        for p in _profile_store().list()
    ]
    for line in _columns(rows):
        print(line)
    return EXIT_OK


def cmd_profile_add(args: argparse.Namespace) -> int:
    """Add a custom profile (its key goes in the keyring with `key set`)."""
    from flowsery_gui.profiles import ProfileStoreError

    try:
        profile = _profile_store().add(args.name, args.base_url)
    except ValueError as exc:
        return _usage_error("profile add", str(exc))
    except ProfileStoreError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Added profile {profile.name}: {profile.base_url}")
    print(f"Store its key with: {PROG} key set --profile {_shell_word(profile.name)}")
    return EXIT_OK


def cmd_profile_remove(args: argparse.Namespace) -> int:
    """Remove a custom profile, and its key from the keyring as the window does."""
    from flowsery_gui.profiles import ProfileStoreError

    store = _profile_store()
    found = _find_profile(store, args.name, "profile remove")
    if isinstance(found, int):
        return found
    if found.builtin:
        return _usage_error(
            "profile remove", f"{found.name} is a built-in profile and cannot be removed"
        )
    try:
        store.remove(found.name)
    except ProfileStoreError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Removed profile {found.name}.")
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    try:
        KeyStore().delete(found.name)
    except KeyStoreError as exc:
        if exc.reason != "no_backend":  # no keyring: no key was stored either
            print(
                f"{PROG}: note: its key could not be deleted from the keyring: {exc.message} "
                f"Retry with: {PROG} key delete --profile {_shell_word(found.name)}",
                file=sys.stderr,
            )
    return EXIT_OK


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)


# --- keys -------------------------------------------------------------------------------------


def _keyring_advice(exc: KeyStoreError) -> str:
    """The keystore's advice for a terminal: no "session only" (a one-shot command has no
    session), and the environment variable as the headless way instead."""
    from flowsery_gui.keystore import SESSION_ONLY_ADVICE

    first = {
        "no_backend": exc.advice.replace(SESSION_ONLY_ADVICE, "").strip(),
        "locked": exc.advice,
        "init": "Retry and accept the keyring's prompt.",
        "other": "Retry; if it keeps failing, check the keyring application.",
    }[exc.reason]
    return f"{first} {HEADLESS_ADVICE}".strip()


def _keyring_failed(exc: KeyStoreError) -> int:
    """Say what went wrong with the keyring and what to do; exit 4."""
    print(f"{PROG}: {exc.message}", file=sys.stderr)
    print(_keyring_advice(exc), file=sys.stderr)
    if exc.detail:
        print(f"  (the keyring said: {exc.detail})", file=sys.stderr)
    return EXIT_KEYRING


def _read_key(profile: str) -> str | None:
    """The key from stdin: a hidden prompt on a terminal, else one line. None when unreadable."""
    stream = sys.stdin
    if stream is None:
        return ""
    try:
        if stream.isatty():
            import getpass

            return getpass.getpass(f"API key for profile {profile} (input hidden): ").strip()
        return stream.readline().strip()
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return ""
    except (UnicodeDecodeError, OSError):
        return None


def cmd_key_set(args: argparse.Namespace) -> int:
    """Store a profile's key in the keyring, read from stdin (never from the command line)."""
    store = _profile_store()
    profile = _find_profile(store, args.profile, "key set")
    if isinstance(profile, int):
        return profile
    if profile.kind == "sandbox":
        return _usage_error(
            "key set", "the Sandbox profile uses the key its sandbox makes; nothing to store"
        )
    key = _read_key(profile.name)
    if key is None:
        return _usage_error("key set", "the key on stdin is not readable text")
    if not key:
        return _usage_error(
            "key set",
            f"no key on stdin: type it when asked, or pipe it in (`{PROG} key set --profile "
            f"{_shell_word(profile.name)} < key.txt`)",
        )
    if not key.startswith(KEY_PREFIX):
        print(
            f"{PROG}: warning: Flowsery API keys start with {KEY_PREFIX}; this one does not "
            "(the server will likely reject it). Stored anyway.",
            file=sys.stderr,
        )
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    keys = KeyStore()
    try:
        keys.set(profile.name, key)
    except KeyStoreError as exc:
        return _keyring_failed(exc)
    print(f"Stored the key {mask_key(key)} for profile {profile.name} in {keys.backend_name()}.")
    if os.environ.get(API_KEY_ENV):
        print(
            f"note: {API_KEY_ENV} is set and wins over the keyring when sending.", file=sys.stderr
        )
    return EXIT_OK


def cmd_key_status(args: argparse.Namespace) -> int:
    """Where each profile's key is, masked. Exit 4 when the keyring could not be asked."""
    from flowsery_gui.keystore import KeyStore

    store = _profile_store()
    if args.profile is not None:
        found = _find_profile(store, args.profile, "key status")
        if isinstance(found, int):
            return found
        profiles = [found]
    else:
        profiles = store.list()
    env_key = os.environ.get(API_KEY_ENV, "").strip()
    keys = KeyStore()
    problem: KeyStoreError | None = None
    rows: list[tuple[str, str, str]] = []
    for profile in profiles:
        if profile.kind == "sandbox":
            rows.append((profile.name, f"its own, made by the {_SANDBOX_WHERE}", ""))
            continue
        state = keys.state(profile.name)
        problem = problem or state.problem
        stored = state.label if state.kind == "stored" else ""
        if env_key:
            where = f"from ${API_KEY_ENV}"
            if stored:
                where += f" (wins over the key {stored}, {state.masked})"
            rows.append((profile.name, where, mask_key(env_key)))
        elif state.problem is not None:
            rows.append((profile.name, "unknown: keyring unavailable", ""))
        else:
            rows.append((profile.name, state.label, state.masked))
    for line in _columns(rows):
        print(line)
    if problem is not None:
        return _keyring_failed(problem)
    return EXIT_OK


def cmd_key_delete(args: argparse.Namespace) -> int:
    """Forget a profile's key (also the key of a profile removed since)."""
    from flowsery_gui.keystore import KeyStore, KeyStoreError

    found = _profile_store().get(args.profile)
    name = found.name if found is not None else args.profile.strip()
    keys = KeyStore()
    try:
        had = keys.get(name) is not None
        keys.delete(name)
    except KeyStoreError as exc:
        return _keyring_failed(exc)
    if had:
        print(f"Deleted the key of profile {name} from {keys.backend_name()}.")
    else:
        print(f"No key was stored for profile {name}.")
    return EXIT_OK


# --- history ----------------------------------------------------------------------------------


def _history_line(row: HistoryRow) -> tuple[str, ...]:
    from datetime import datetime, timezone

    when = datetime.fromtimestamp(row.started_at, tz=timezone.utc)
    status = str(row.status) if row.status is not None else f"no response ({row.failure_kind})"
    return (
        when.isoformat(timespec="seconds"),
        row.profile,
        row.goal_name or "-",
        status,
        f"{row.elapsed_ms:.0f} ms",
    )


def cmd_history(args: argparse.Namespace) -> int:
    """Past exchanges, newest first: one line each, or one JSON object per line."""
    from flowsery_gui import paths
    from flowsery_gui.history import Filters, History, HistoryError, record_to_json

    path = paths.history_path()
    if not path.exists():  # reading must not create an empty database
        if not args.json:
            print("No history yet.", file=sys.stderr)
        return EXIT_OK
    history, message = History.open(path)
    if message:
        print(f"{PROG}: {message}", file=sys.stderr)
    if history is None:
        return EXIT_FAILED
    filters = Filters(text=args.search or "", profile=args.profile, status_class=args.status)
    try:
        with history:
            limit = args.limit if args.limit > 0 else max(1, history.count(filters))
            rows = history.page(filters, limit=limit)
            if args.json:
                for record in history.iter_records(ids=[row.id for row in rows]):
                    print(json.dumps(record_to_json(record), ensure_ascii=False))
            elif rows:
                for line in _columns([_history_line(row) for row in rows]):
                    print(line)
            else:
                empty = filters == Filters() or history.count() == 0
                print("No history yet." if empty else "No matching exchanges.", file=sys.stderr)
    except HistoryError as exc:
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


# --- the parser -----------------------------------------------------------------------------


def _add_validate(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a JSON goal body offline",
        description="Check a JSON goal body against the API rules. Nothing is sent.",
        epilog="exit codes: 0 valid (warnings allowed), 1 errors found, 2 not JSON or unreadable",
    )
    parser.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="the JSON body; '-' reads stdin"
    )
    parser.set_defaults(handler=cmd_validate)


def _add_send(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="check and send one goal",
        description="Build a goal from the options (or take a whole body with --json), check "
        "it, and POST it. Nothing is sent when the goal has errors.",
        epilog=f"The key comes from ${API_KEY_ENV} when set, else from the keyring entry of "
        "the profile (--profile, default Production; none with --base-url alone). --base-url "
        "wins over the profile's URL. Every exchange is added to the history (without "
        f"--profile: under the profile {CUSTOM_PROFILE!r}). Exit codes: 0 accepted (2xx), 1 "
        "error status, 2 not sent (usage, invalid goal, no key, unknown profile, refused), "
        "3 no response, 4 keyring unavailable.",
    )
    goal = parser.add_argument_group("the goal")
    goal.add_argument("--name", help="goal name: a-z, 0-9, _ and -, 1 to 64 characters")
    goal.add_argument("--visitor-uid", metavar="V", help="the _fs_vid cookie value")
    goal.add_argument("--session-uid", metavar="S", help="the _fs_sid cookie value")
    goal.add_argument("--timezone", metavar="TZ", help="an IANA time zone such as Europe/Paris")
    goal.add_argument(
        "--meta",
        action="append",
        type=_meta_pair,
        metavar="KEY=VALUE",
        help="one metadata pair; repeat for more (up to 10), kept in order",
    )
    goal.add_argument(
        "--json",
        metavar="FILE",
        help="send this JSON body as is ('-' reads stdin); not with the options above",
    )
    target = parser.add_argument_group("where and how")
    target.add_argument(
        "--profile",
        metavar="NAME",
        help="send with this profile's base URL and its key from the keyring "
        "(see `profile list`; default Production)",
    )
    target.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the server; wins over the profile's (default ${BASE_URL_ENV}, else the "
        f"Production profile, {DEFAULT_BASE_URL})",
    )
    target.add_argument(
        "--connect-timeout",
        type=_positive_float,
        default=5.0,
        metavar="S",
        help="seconds to wait for a connection (default 5)",
    )
    target.add_argument(
        "--timeout",
        type=_positive_float,
        default=30.0,
        metavar="S",
        help="seconds to wait for the answer (default 30)",
    )
    target.add_argument(
        "--verbose", "-v", action="store_true", help="also print the request as sent (key masked)"
    )
    parser.set_defaults(handler=cmd_send)


def _needs_action(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """A handler for a command group given no action: its help on stderr, exit 2."""

    def handler(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return handler


def _add_key(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "key",
        help="store, show or delete a profile's API key in the system keyring",
        description="Keep each profile's API key in the system keyring (Secret Service, "
        "macOS Keychain, Windows Credential Manager): never in a file, never on the command "
        f"line. For headless use without a keyring, set ${API_KEY_ENV} instead.",
        epilog="exit codes: 0 done, 2 unknown profile or no key given, "
        "4 the keyring could not be used (the message says why and what to do)",
    )
    parser.set_defaults(handler=_needs_action(parser))
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    set_parser = actions.add_parser(
        "set",
        help="store a key, read from stdin",
        description="Store the profile's key in the keyring, replacing any. The key is read "
        "from stdin: typed at a hidden prompt on a terminal, or one line from a pipe or file. "
        "It is never taken from the command line (it would stay in your shell history).",
        epilog="exit codes: 0 stored, 2 unknown profile or no key, 4 keyring unavailable",
    )
    set_parser.add_argument("--profile", required=True, metavar="NAME", help="the profile")
    set_parser.set_defaults(handler=cmd_key_set)
    status = actions.add_parser(
        "status",
        help="where each profile's key is (masked)",
        description="For each profile: where its key comes from (the keyring, none, or "
        f"${API_KEY_ENV}, which wins when set) and its last 4 characters. Never the key.",
        epilog="exit codes: 0 done, 2 unknown profile, 4 keyring unavailable",
    )
    status.add_argument("--profile", metavar="NAME", help="only this profile (default: all)")
    status.set_defaults(handler=cmd_key_status)
    delete = actions.add_parser(
        "delete",
        help="forget a profile's key",
        description="Delete the profile's key from the keyring (no error when none is stored).",
        epilog="exit codes: 0 done, 4 keyring unavailable",
    )
    delete.add_argument("--profile", required=True, metavar="NAME", help="the profile")
    delete.set_defaults(handler=cmd_key_delete)


def _add_profile(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "profile",
        help="list, add or remove profiles",
        description="Profiles are named targets (a base URL; the key is in the keyring), the "
        "same ones the window shows. Production and Sandbox are built in.",
        epilog="exit codes: 0 done, 1 the profiles file could not be saved, 2 invalid name or "
        "URL, unknown profile, or a built-in profile",
    )
    parser.set_defaults(handler=_needs_action(parser))
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    listing = actions.add_parser("list", help="every profile: name, kind, base URL")
    listing.set_defaults(handler=cmd_profile_list)
    add = actions.add_parser("add", help="add a custom profile")
    add.add_argument("name", metavar="NAME", help="a name such as Staging")
    add.add_argument("base_url", metavar="BASE_URL", help="such as https://staging.example.com")
    add.set_defaults(handler=cmd_profile_add)
    remove = actions.add_parser(
        "remove", help="remove a custom profile (and its key from the keyring)"
    )
    remove.add_argument("name", metavar="NAME")
    remove.set_defaults(handler=cmd_profile_remove)


def _limit(text: str) -> int:
    """argparse type: how many records, 0 for all."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"cannot be negative: {text!r}")
    return value


def _add_history(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="print past exchanges, newest first",
        description="Print the exchanges kept in history (the window's and the CLI's), newest "
        "first: one line each (time UTC, profile, goal, status or `no response (kind)`, "
        "elapsed), or with --json one JSON object per line.",
        epilog="exit codes: 0 done (also when nothing matches), 1 the history could not be read",
    )
    parser.add_argument(
        "--limit", type=_limit, default=20, metavar="N", help="at most N (default 20; 0: all)"
    )
    parser.add_argument("--json", action="store_true", help="JSON Lines: one object per exchange")
    parser.add_argument(
        "--search", metavar="TEXT", help="goal name, IDs, metadata values or status"
    )
    parser.add_argument(
        "--profile", metavar="NAME", help=f"only this profile (or {CUSTOM_PROFILE!r})"
    )
    parser.add_argument(
        "--status", choices=STATUS_CLASSES, help="only this status class, or failures"
    )
    parser.set_defaults(handler=cmd_history)


class _Parser(argparse.ArgumentParser):
    """argparse that never echoes stray words given to `key` commands: they may be a key."""

    hide_unrecognized = False

    def error(self, message: str) -> NoReturn:
        """Report a usage error; for `key`, without repeating the unrecognized words."""
        if self.hide_unrecognized and message.startswith("unrecognized arguments"):
            message = (
                "unrecognized arguments (not shown: they may hold a key). A key is never taken "
                "from the command line: give it on stdin."
            )
        elif self.hide_unrecognized and "invalid choice" in message:
            message = (
                "unknown action (not shown: it may be a key). Use set, status or delete; "
                "the key itself is read from stdin."
            )
        super().error(message)


def build_parser() -> _Parser:
    """The whole command line; each subcommand registers itself with one function."""
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    registrations: tuple[Callable[[Any], None], ...] = (
        _add_validate,
        _add_send,
        _add_key,
        _add_profile,
        _add_history,
    )
    for register in registrations:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")  # a non-UTF-8 console must not crash us
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    # Every parser of this run (the `key` subparser reports its own errors) hides stray words.
    _Parser.hide_unrecognized = next((w for w in words if not w.startswith("-")), "") == "key"
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # --help, --version and usage errors
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    finally:
        _Parser.hide_unrecognized = False
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    result: int = handler(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
