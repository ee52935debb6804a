"""Archive tools: ``flask arc mvl encrypt`` and ``cat``, and the store portal's listing and downloads."""

import io
import os
import zipfile
from datetime import datetime

import pytest

from arc.exports import archives
from arc.exports.secretstream import ArchiveCorrupted, ArchiveTruncated, ArchiveUnreadable
from tests import factories
from tests.exports import builders, reference_format
from tests.exports.helpers import read_zip

MIB = 1024 * 1024


@pytest.fixture
def key(app):
    return reference_format.key_from_app_key(app.config["APP_KEY"])


def write_archive(path, plaintext, key):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(reference_format.encrypt_like_php(plaintext, key))
    return path


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# flask arc mvl encrypt / cat -----------------------------------------------------------------------


def test_encrypt_then_cat_round_trip(runner, tmp_path):
    text = "x" * 500
    plain = tmp_path / "arc_test_file_12345"
    plain.write_text(text)

    encrypted = runner.invoke(args=["arc", "mvl", "encrypt", str(plain)])
    decrypted = runner.invoke(args=["arc", "mvl", "cat", str(plain) + ".enc"])

    assert encrypted.exit_code == 0, encrypted.output
    assert encrypted.output == ""
    assert (tmp_path / "arc_test_file_12345.enc").read_bytes() != plain.read_bytes()
    assert decrypted.exit_code == 0, decrypted.output
    assert text in decrypted.output


def test_encrypt_keeps_line_breaks(runner, tmp_path, key):
    content = b"first line\n  second line  \r\n\nlast line without newline"
    plain = tmp_path / "lines.csv"
    plain.write_bytes(content)

    result = runner.invoke(args=["arc", "mvl", "encrypt", str(plain)])

    assert result.exit_code == 0
    assert reference_format.decrypt_like_php((tmp_path / "lines.csv.enc").read_bytes(), key) == content


def test_cat_writes_reference_archive_bytes(runner, tmp_path, key):
    content = os.urandom(2 * MIB + 99)
    archive = write_archive(tmp_path / "MVLReport.zip", content, key)

    result = runner.invoke(args=["arc", "mvl", "cat", str(archive)])

    assert result.exit_code == 0
    assert result.stdout_bytes == content


@pytest.mark.parametrize("command", ["encrypt", "cat"])
def test_missing_file_exits_1(runner, tmp_path, command):
    result = runner.invoke(args=["arc", "mvl", command, str(tmp_path / "missing")])

    assert result.exit_code == 1
    assert "File not found" in result.output


def test_cat_short_file_exits_2(runner, tmp_path):
    path = tmp_path / "short"
    path.write_bytes(b"not cypher text")

    result = runner.invoke(args=["arc", "mvl", "cat", str(path)])

    assert result.exit_code == 2
    assert "is not a readable archive" in result.output


def test_cat_truncated_archive_exits_3(runner, tmp_path, key):
    archive = write_archive(tmp_path / "cut.enc", os.urandom(MIB + 10), key)
    archive.write_bytes(archive.read_bytes()[:24 + MIB + 17])

    result = runner.invoke(args=["arc", "mvl", "cat", str(archive)])

    assert result.exit_code == 3
    assert "ended prematurely" in result.output


def test_cat_with_wrong_key_exits_4(app, runner, tmp_path, key, monkeypatch):
    archive = write_archive(tmp_path / "report.enc", b"voucher data", key)
    monkeypatch.setitem(app.config, "APP_KEY_BYTES", bytes(32))

    result = runner.invoke(args=["arc", "mvl", "cat", str(archive)])

    assert result.exit_code == 4
    assert "failed authentication: the archive was encrypted with another APP_KEY" in result.output
    assert b"voucher data" not in result.stdout_bytes


def test_cat_tampered_archive_exits_4(runner, tmp_path, key):
    archive = write_archive(tmp_path / "report.enc", b"voucher data", key)
    data = bytearray(archive.read_bytes())
    data[30] ^= 0x80
    archive.write_bytes(bytes(data))

    result = runner.invoke(args=["arc", "mvl", "cat", str(archive)])

    assert result.exit_code == 4


# Listing and downloads for the store portal --------------------------------------------------------


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


def test_listings_of_missing_folder_are_empty(app_context, mvl_folders):
    assert archives.current_report() is None
    assert archives.list_historic_logs() == []


def test_historic_logs_listed_newest_name_first(app_context, mvl_folders, key):
    names = [
        "vouchers.20210401-to-20220331.0000.arcx.csv",
        "vouchers.20220401-to-20230331.0001.arcx.csv",
        "vouchers.20220401-to-20230331.0000.arcx.csv",
        "MVLReport.zip",
        ".vouchers.20230401-to-20240331.0000.arcx.csv.x1y2.tmp",
        "notes.txt",
    ]
    for name in names:
        write_archive(mvl_folders / name, b"rows", key)
    (mvl_folders / "odd.arcx.csv").write_bytes(b"12345")
    # 1 July 2023 14:05:09 UTC is 15:05:09 in London (BST).
    os.utime(mvl_folders / names[0], (1688220309, 1688220309))

    listed = archives.list_historic_logs()

    assert [log.name for log in listed] == [
        "vouchers.20220401-to-20230331.0001.arcx.csv",
        "vouchers.20220401-to-20230331.0000.arcx.csv",
        "vouchers.20210401-to-20220331.0000.arcx.csv",
        "odd.arcx.csv",
    ]
    oldest = listed[2]
    assert oldest.modified == datetime(2023, 7, 1, 15, 5, 9)
    assert oldest.size == (mvl_folders / names[0]).stat().st_size
    assert (oldest.period_start, oldest.period_end) == (datetime(2021, 4, 1).date(), datetime(2022, 3, 31).date())
    assert (listed[3].size, listed[3].period_start, listed[3].period_end) == (5, None, None)


def test_current_report_describes_archive(app_context, mvl_folders, key):
    write_archive(mvl_folders / "MVLReport.zip", b"zip bytes", key)

    report = archives.current_report()

    assert report.name == "MVLReport.zip"
    assert report.size == 24 + 17 + len(b"zip bytes")
    assert report.period_start is None


def test_download_streams_decrypted_zip(app_context, mvl_folders, key):
    text = b"The same text in both files.\n" * 50_000
    write_archive(mvl_folders / "MVLReport.zip", zip_bytes({"a.txt": text, "b.txt": text}), key)

    stream = archives.open_archive("MVLReport.zip")
    content = b"".join(stream)

    assert stream.file.name == "MVLReport.zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.namelist() == ["a.txt", "b.txt"]
        assert archive.read("a.txt") == text
        assert archive.read("b.txt") == text


@pytest.mark.parametrize(
    "name",
    [
        "missing.arcx.csv",
        "../mvl/vouchers.20220401-to-20230331.0000.arcx.csv",
        "sub/vouchers.20220401-to-20230331.0000.arcx.csv",
        "notes.txt",
        "",
        ".hidden.arcx.csv",
    ],
)
def test_download_of_unlisted_name_is_not_found(app_context, mvl_folders, key, name):
    for listed in ("vouchers.20220401-to-20230331.0000.arcx.csv", "notes.txt", ".hidden.arcx.csv"):
        write_archive(mvl_folders / listed, b"rows", key)
    write_archive(mvl_folders / "sub" / "vouchers.20220401-to-20230331.0000.arcx.csv", b"rows", key)

    with pytest.raises(archives.ArchiveNotFound):
        archives.open_archive(name)


def test_download_of_empty_file_is_unreadable(app_context, mvl_folders):
    mvl_folders.mkdir()
    (mvl_folders / "MVLReport.zip").write_bytes(b"")

    with pytest.raises(ArchiveUnreadable):
        archives.open_archive("MVLReport.zip")


def test_download_of_bare_header_fails_before_streaming(app_context, mvl_folders, key):
    write_archive(mvl_folders / "MVLReport.zip", b"", key)

    with pytest.raises(ArchiveTruncated):
        archives.open_archive("MVLReport.zip")


def test_download_with_wrong_key_fails_before_streaming(app_context, app, mvl_folders, key, monkeypatch):
    write_archive(mvl_folders / "MVLReport.zip", b"zip bytes", key)
    monkeypatch.setitem(app.config, "APP_KEY_BYTES", bytes(32))

    with pytest.raises(ArchiveCorrupted):
        archives.open_archive("MVLReport.zip")


def test_exported_historic_log_is_listed_and_downloadable(app, runner, mvl_folders):
    area = factories.make_sponsor(name="Real Virtual Project")
    voucher = builders.make_traded_voucher(
        "RVNT00001", area, factories.make_trader(), ("reimbursed", datetime(2022, 6, 1))
    )
    voucher.updated_at = datetime(2022, 6, 1)
    assert runner.invoke(args=["arc", "mvl", "export", "--from", "01/04/2022", "--to", "31/03/2023"]).exit_code == 0

    [listed] = archives.list_historic_logs()
    content = b"".join(archives.open_archive(listed.name))

    assert listed.name == "vouchers.20220401-to-20230331.0000.arcx.csv"
    assert content.startswith(b"Voucher Number,Voucher Area,")
    assert b"\nRVNT00001,Real Virtual Project," in content


def test_nightly_report_is_downloadable(app, runner, mvl_folders):
    area = factories.make_sponsor(name="Real Virtual Project")
    builders.make_traded_voucher("RVNT00001", area, factories.make_trader(), ("recorded", datetime(2024, 6, 1)))
    assert runner.invoke(args=["arc", "mvl", "report", "--force"]).exit_code == 0

    content = b"".join(archives.open_archive(archives.current_report().name))

    assert list(read_zip(content)) == ["PART1.csv", "Real_Virtual_Project.csv"]
