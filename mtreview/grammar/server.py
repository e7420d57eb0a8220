"""A real LanguageTool server on loopback, provisioned through Maven (``mtreview languagetool``).

LanguageTool is Java and no Python, Debian or npm package ships it, but Maven Central serves
its modules. ``install`` writes a small ``pom.xml`` into
``<cache>/languagetool/<version>/`` and lets ``mvn`` resolve the server and the language
modules into Maven's own cache (``~/.m2``), recording the class path; nothing else is ever
downloaded. ``start`` runs ``org.languagetool.server.HTTPServer`` (plain HTTP, loopback only:
no ``--public``) in the background with a bounded heap, waits for ``/v2/healthcheck`` and
records ``{url, pid, port, version, started}`` in ``<cache>/languagetool/server.json``, where
``server_url()`` (and so ``mtreview check``) finds it. ``<cache>`` is mtreview's cache folder
(``MTREVIEW_CACHE_DIR``, else ``$XDG_CACHE_HOME/mtreview`` or ``~/.cache/mtreview``; the same
place when caching is turned off).

Language modules: English (the text), Spanish, Portuguese, French, Italian and German (the
mother tongues ``--source-lang`` passes on: LanguageTool answers HTTP 400 to a
``motherTongue`` whose module is missing) and Catalan, which LanguageTool's language detector
needs at start-up together with Spanish and Portuguese (without it the server dies with
"'ca' is not a language code known to LanguageTool"). ``language-all`` (every language, three
times the size) is excluded from ``languagetool-server``'s dependencies.

False friends: LanguageTool's XML false-friend rules (category ``FALSE_FRIENDS``, rule ids such
as ``ACTUAL``) are picky-level hints, returned only with ``level=picky``. For English text and
a German, French, Spanish or Dutch mother tongue LanguageTool uses n-gram rules instead
(``EN_FOR_ES_SPEAKERS_FALSE_FRIENDS`` ...), which need its English n-gram data (many GB, not on
Maven Central): without it those mother tongues get no false-friend matches at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from mtreview.errors import MtreviewError
from mtreview.grammar.state import (  # noqa: F401  (part of this module's interface)
    MAIN_CLASS,
    STATE_NAME,
    URL_VARIABLE,
    _is_languagetool,
    _read_state,
    root,
    server_url,
    state_path,
)
from mtreview.model import SOURCE_LANGUAGES

DEFAULT_VERSION = "6.8"
# tried in this order when no version is asked for: the newest 6.x that resolves
VERSIONS = ("6.8", "6.7", "6.6", "6.5", "6.4", "6.3", "6.2", "6.1", "6.0")
GROUP = "org.languagetool"
# English (the text), every source language (the mother tongues --source-lang passes on) and
# Catalan (LanguageTool's language detector needs it at start-up; see above)
LANGUAGES = ("en", *SOURCE_LANGUAGES, "ca")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
MAVEN_TIMEOUT = 1800.0  # seconds; a cold install fetches ~120 MB
START_TIMEOUT = 90.0  # seconds until /v2/healthcheck must answer
WARMUP_TIMEOUT = 120.0  # seconds for the first check (it loads the English rules: ~10 s)
WARMUP_TEXT = "He go to Paris every weeks. The actual president visited."
STOP_TIMEOUT = 15.0  # seconds between SIGTERM and SIGKILL
DEFAULT_HEAP = "1g"
JAVA_MIN = 17
INSTALL_NAME = "install.json"
LOG_NAME = "server.log"
# HTTPServer --config: bounded work per request, a sentence cache and reused pipelines
# (warm checks), at most two checking threads (the machine has two cores)
SERVER_PROPERTIES = """\
maxTextLength=200000
maxCheckTimeMillis=60000
maxCheckThreads=2
maxWorkQueueSize=50
cacheSize=2000
cacheTTLSeconds=3600
pipelineCaching=true
maxPipelinePoolSize=50
pipelineExpireTimeInSeconds=3600
"""
# per-request INFO lines would grow the log without bound: warnings and errors only
LOGBACK_XML = """\
<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{36} %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDOUT"/></root>
</configuration>
"""
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass
class InstallInfo:
    version: str
    folder: Path
    classpath: list[str]
    seconds: float  # what this call took
    reused: bool  # an existing install was complete: mvn did not run

    @property
    def size_bytes(self) -> int:
        return sum(os.path.getsize(p) for p in self.classpath if os.path.isfile(p))


@dataclass
class ServerInfo:
    url: str
    pid: int
    port: int
    version: str
    started: float  # epoch seconds
    log: str = ""
    healthy: bool = True
    startup_seconds: float | None = None  # JVM start to healthy (only from start())
    warmup_seconds: float | None = None  # the first English check after that (only from start())
    reused: bool = False  # start() found this server already running


# -- where things live ------------------------------------------------------------------------




def install_folder(version: str) -> Path:
    return root() / version


# -- install ------------------------------------------------------------------------------------


def _pom(version: str) -> str:
    def dep(artifact: str, exclusions: str = "") -> str:
        return (f"    <dependency><groupId>{GROUP}</groupId><artifactId>{artifact}</artifactId>"
                f"<version>{version}</version>{exclusions}</dependency>\n")

    no_all = (f"<exclusions><exclusion><groupId>{GROUP}</groupId><artifactId>language-all</artifactId>"
              "</exclusion></exclusions>")
    deps = dep("languagetool-server", no_all) + "".join(dep(f"language-{lang}") for lang in LANGUAGES)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- written by mtreview (mtreview/grammar/server.py): LanguageTool {version} for `mtreview languagetool` -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.mtreview</groupId>
  <artifactId>languagetool-server-classpath</artifactId>
  <version>{version}</version>
  <packaging>pom</packaging>
  <dependencies>
{deps}  </dependencies>
</project>
"""


def _find(program: str) -> str:
    found = shutil.which(program)
    if found:
        return found
    if program == "java":
        raise MtreviewError("java not found: install a JDK 17+ (apt-get install openjdk-17-jre-headless)")
    raise MtreviewError("mvn not found: install Maven (apt-get install maven); LanguageTool comes from Maven Central")


def _java() -> str:
    java = _find("java")
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise MtreviewError(
            f"{java} -version failed ({exc}): install a JDK 17+ (apt-get install openjdk-17-jre-headless)") from None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if m:
        major = int(m.group(1))
        if major == 1 and m.group(2):  # "1.8.0"
            major = int(m.group(2))
        if major < JAVA_MIN:
            raise MtreviewError(f"{java} is Java {major}; LanguageTool 6 needs Java {JAVA_MIN}+: "
                                "install openjdk-17-jre-headless or put a newer java first on PATH")
    return java


def _read_install(version: str) -> InstallInfo | None:
    """The install of this version, if complete: its record matches and every jar is there."""
    folder = install_folder(version)
    try:
        record = json.loads((folder / INSTALL_NAME).read_text(encoding="utf-8"))
        classpath = list(record["classpath"])
        if record.get("version") != version or set(record.get("languages", ())) != set(LANGUAGES):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not classpath or not all(os.path.isfile(p) for p in classpath):
        return None
    return InstallInfo(version, folder, classpath, 0.0, True)


def installed() -> InstallInfo | None:
    """The newest complete install, if any."""
    for version in VERSIONS:
        info = _read_install(version)
        if info is not None:
            return info
    return None


def _maven_error(log: str) -> str:
    """The gist of Maven's first error: which artifact could not be found or fetched."""
    lines = [_ANSI.sub("", line).strip() for line in log.splitlines()]
    errors = [line.removeprefix("[ERROR]").strip() for line in lines if line.startswith("[ERROR]")]
    first = next((e for e in errors if e), "") or next((line for line in reversed(lines) if line), "no output")
    first = re.sub(r"\s*-> \[Help \d+\]$", "", first)
    m = re.search(r"could not be resolved: (?:[\w.-]+(?::[\w.-]+){3,4}(?:, )?)+: (.*)", first) or re.search(
        r"(Could not (?:find|transfer) artifact .*|Non-resolvable .*|Unknown host .*)", first)
    text = m.group(1) if m else first
    return text if len(text) <= 300 else text[:297] + "..."


_NETWORK = re.compile(r"Could not transfer|Connect(ion)? (refused|timed out)|UnknownHost|Unknown host|"
                      r"Network is unreachable|timed out|offline mode", re.I)


def _resolve(version: str, mvn: str) -> InstallInfo:
    t0 = time.perf_counter()
    folder = install_folder(version)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pom.xml").write_text(_pom(version), encoding="utf-8")
    out = folder / "classpath.txt"
    out.unlink(missing_ok=True)
    goal = [f"{DEPENDENCY_PLUGIN}:build-classpath", f"-Dmdep.outputFile={out}", "-Dstyle.color=never"]
    log_path = folder / "maven.log"
    log = ""
    # offline first: a warm ~/.m2 needs no network at all; then online for what is missing
    for offline in (True, False):
        cmd = [mvn, "-B", "-q", "-o" if offline else "-U", "-f", str(folder / "pom.xml"), *goal]
        try:
            proc = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=MAVEN_TIMEOUT,
                                  stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise MtreviewError(f"Maven did not finish resolving {GROUP}:languagetool-server:{version} within "
                                f"{MAVEN_TIMEOUT:.0f} s (log: {log_path}): check the connection to Maven Central") from None
        log = proc.stdout + proc.stderr
        log_path.write_text(log, encoding="utf-8")
        if proc.returncode == 0 and out.is_file():
            break
    else:
        raise _ResolveFailed(f"Maven could not resolve {GROUP}:languagetool-server:{version}: {_maven_error(log)} "
                             f"(needs Maven Central; log: {log_path})", network=bool(_NETWORK.search(log)))
    classpath = [p for p in out.read_text(encoding="utf-8").strip().split(os.pathsep) if p]
    missing = [p for p in classpath if not os.path.isfile(p)]
    if not classpath or missing:
        raise MtreviewError(f"Maven's class path for LanguageTool {version} names missing files "
                            f"({missing[:1] or 'none at all'}): run `mtreview languagetool install` again")
    record = {"version": version, "languages": list(LANGUAGES), "classpath": classpath,
              "installed": time.time(), "pom": str(folder / "pom.xml")}
    tmp = folder / f".{INSTALL_NAME}.tmp"
    tmp.write_text(json.dumps(record, indent=1), encoding="utf-8")
    os.replace(tmp, folder / INSTALL_NAME)
    return InstallInfo(version, folder, classpath, time.perf_counter() - t0, False)


class _ResolveFailed(MtreviewError):
    def __init__(self, message: str, network: bool):
        super().__init__(message)
        self.network = network


def install(version: str | None = None) -> InstallInfo:
    """Resolve LanguageTool ``version`` (default: an existing install, else the newest 6.x that
    Maven resolves, 6.8 first) into ~/.m2 and record its class path. Only ``mvn`` downloads."""
    t0 = time.perf_counter()
    if version is not None:
        if not re.fullmatch(r"\d+\.\d+(\.\d+)?", version):
            raise MtreviewError(f"--version {version!r}: write a LanguageTool version such as {DEFAULT_VERSION}")
        candidates: tuple[str, ...] = (version,)
        existing = _read_install(version)
    else:
        candidates = VERSIONS
        existing = installed()
    if existing is not None:
        existing.seconds = time.perf_counter() - t0
        return existing
    _java()
    mvn = _find("mvn")
    first: _ResolveFailed | None = None
    for candidate in candidates:
        try:
            info = _resolve(candidate, mvn)
        except _ResolveFailed as exc:
            first = first or exc
            if exc.network:  # Maven Central unreachable: older versions will not resolve either
                break
            continue
        info.seconds = time.perf_counter() - t0
        return info
    assert first is not None
    raise first


# -- processes and the state file ----------------------------------------------------------------




def _write_state(state: dict) -> None:
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _info(state: dict, healthy: bool) -> ServerInfo:
    return ServerInfo(url=state["url"], pid=state["pid"], port=int(state.get("port", 0)),
                      version=str(state.get("version", "?")), started=float(state.get("started", 0.0)),
                      log=str(state.get("log", "")), healthy=healthy)


def healthy(url: str, timeout: float = 2.0) -> bool:
    """Whether ``GET url/v2/healthcheck`` answers 200 within ``timeout`` seconds in all."""
    from mtreview.grammar import transport  # here, not at the top: `mtreview check` imports this module to find the server

    try:
        status, _ = transport.request(url.rstrip("/") + "/v2/healthcheck", None, deadline=time.monotonic() + timeout,
                                      max_bytes=65536)
    except (transport.TransportError, ValueError):
        return False
    return status == 200



def status() -> ServerInfo | None:
    """The server ``start`` recorded, if its process is alive (``healthy``: its healthcheck
    answered); None when there is none."""
    state = _read_state()
    if state is None or not _is_languagetool(state["pid"]):
        return None
    return _info(state, healthy(state["url"]))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _tail(path: Path, lines: int = 4) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    kept = [line.strip() for line in text.splitlines()
            if line.strip() and "***" not in line and not line.strip().startswith(("at ", "... "))][-lines:]
    return " | ".join(kept)[-1200:] or "(empty log)"


_children: dict[int, subprocess.Popen] = {}  # servers this process started: reaped on stop


def _heap(heap: str) -> str:
    if not re.fullmatch(r"\d+[kKmMgG]?", heap or ""):
        raise MtreviewError(f"--heap {heap!r}: write a Java heap size such as 512m or 1g")
    return heap


def check(url: str, text: str, language: str = "en-US", timeout: float = 60.0, **params: str) -> dict:
    """``POST url/v2/check``: LanguageTool's JSON answer (params: motherTongue, level, ...),
    within ``timeout`` seconds in all; ``transport.TransportError`` or ``ValueError`` if not."""
    import urllib.parse

    from mtreview.grammar import transport

    data = urllib.parse.urlencode({"language": language, "text": text, **params}).encode("utf-8")
    status, body = transport.request(url.rstrip("/") + "/v2/check", data, deadline=time.monotonic() + timeout)
    if status != 200:
        raise transport.TransportError(f"HTTP {status}: {transport.one_line(body[:200].decode('utf-8', 'replace'))}")
    return json.loads(body.decode("utf-8"))


def start(port: int | None = None, heap: str = DEFAULT_HEAP, version: str | None = None,
          timeout: float = START_TIMEOUT, warm: bool = True) -> ServerInfo:
    """Start the installed LanguageTool in the background on 127.0.0.1 and wait until it is
    healthy, then (``warm``) until a first English check has loaded the English rules, so
    that mtreview's first request is not the slow one. A server already recorded and alive
    is returned as it is (``reused``)."""
    heap = _heap(heap)
    if port is not None and not (0 < port < 65536):
        raise MtreviewError(f"--port {port}: use a port number from 1 to 65535")
    state = _read_state()
    if state is not None:
        if _is_languagetool(state["pid"]):
            info = _info(state, healthy(state["url"]))
            info.reused = True
            return info
        state_path().unlink(missing_ok=True)  # a stale record of a server that is gone
    inst = _read_install(version) if version else installed()
    if inst is None:
        what = f"LanguageTool {version}" if version else "LanguageTool"
        raise MtreviewError(f"{what} is not installed in {root()}: run `mtreview languagetool install"
                            f"{' --version ' + version if version else ''}` first (needs Maven Central once)")
    java = _java()
    if port is None:
        port = _free_port()
    elif not _port_free(port):
        raise MtreviewError(f"--port {port}: 127.0.0.1:{port} is in use; choose another port or leave --port out")
    folder = inst.folder
    props = folder / "server.properties"
    props.write_text(SERVER_PROPERTIES, encoding="utf-8")
    logback = folder / "logback.xml"
    logback.write_text(LOGBACK_XML, encoding="utf-8")
    cpfile = folder / "java-classpath.args"  # a java @argument file: the class path is long
    cpfile.write_text("-cp\n\"" + os.pathsep.join(inst.classpath) + "\"\n", encoding="utf-8")
    log_path = folder / LOG_NAME
    cmd = [java, f"-Xmx{heap}", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8",
           f"-Dlogback.configurationFile={logback}",
           f"@{cpfile}", MAIN_CLASS, "--config", str(props), "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    with open(log_path, "wb") as log:
        try:
            proc = subprocess.Popen(cmd, cwd=folder, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError as exc:
            raise MtreviewError(
                f"could not run {java} ({exc}): install a JDK 17+ (apt-get install openjdk-17-jre-headless)") from None
    _children[proc.pid] = proc
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            _children.pop(proc.pid, None)
            raise MtreviewError(f"LanguageTool exited with code {code} before it was healthy: {_tail(log_path)} "
                                f"(log: {log_path})")
        if healthy(url, timeout=1.0):
            break
        if time.monotonic() > deadline:
            _terminate(proc.pid)
            raise MtreviewError(f"LanguageTool did not answer {url}/v2/healthcheck within {timeout:.0f} s and was stopped: "
                                f"{_tail(log_path)} (log: {log_path})")
        time.sleep(0.1)
    elapsed = time.perf_counter() - t0
    warmup = None
    if warm:
        from mtreview.grammar import transport

        t1 = time.perf_counter()
        try:
            check(url, WARMUP_TEXT, timeout=WARMUP_TIMEOUT)
        except (OSError, ValueError, transport.TransportError) as exc:
            _terminate(proc.pid)
            raise MtreviewError(f"LanguageTool at {url} was healthy but its first English check failed ({exc}) and it "
                                f"was stopped: {_tail(log_path)} (log: {log_path})") from None
        warmup = time.perf_counter() - t1
    state = {"url": url, "pid": proc.pid, "port": port, "version": inst.version, "started": time.time(),
             "heap": heap, "log": str(log_path)}
    _write_state(state)
    info = _info(state, True)
    info.startup_seconds = elapsed
    info.warmup_seconds = warmup
    return info


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    child = _children.get(pid)
    while True:
        if child is not None:
            if child.poll() is not None:
                _children.pop(pid, None)
                return True
        elif not _is_languagetool(pid):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _terminate(pid: int) -> None:
    for sig, wait in ((signal.SIGTERM, STOP_TIMEOUT), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        if _wait_gone(pid, wait):
            break
    child = _children.pop(pid, None)
    if child is not None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=5)


def stop() -> bool:
    """Stop the recorded server (SIGTERM, then SIGKILL) and remove the state file. True when
    a running server was stopped; False when none was recorded or it was already gone."""
    state = _read_state()
    if state is None:
        state_path().unlink(missing_ok=True)  # unreadable: nothing to stop
        return False
    pid = state["pid"]
    running = _is_languagetool(pid)
    if running:
        _terminate(pid)
        if _is_languagetool(pid):
            raise MtreviewError(f"LanguageTool (pid {pid}) did not stop after SIGKILL; "
                                f"its state stays in {state_path()}")
    state_path().unlink(missing_ok=True)
    return running
