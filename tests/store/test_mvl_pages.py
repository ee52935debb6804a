"""The Master Voucher Log pages of the store: the current report, the historic list and its downloads."""

import io
import os
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from arc.exports.secretstream import encrypt_stream
from arc.store.exports import file_size
from tests.admin.people_data import parse
from tests.store.voucher_data import log_in, make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def archive_folder(app, tmp_path, monkeypatch):
    folder = tmp_path / "enc"
    folder.mkdir()
    monkeypatch.setitem(app.config, "ARC_MVL_DIR", str(folder))
    return folder


@pytest.fixture
def fran(store_client, world):
    return log_in(store_client, world.fran)


def write_encrypted(app, path, plaintext, modified=None):
    """Write an archive; ``modified`` is a local time of the service's time zone."""
    with open(path, "wb") as target:
        encrypt_stream(io.BytesIO(plaintext), target, app.config["APP_KEY_BYTES"])
    if modified:
        moment = modified.replace(tzinfo=ZoneInfo(app.config["APP_TIMEZONE"])).timestamp()
        os.utime(path, (moment, moment))
    return path


def report_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("PART1.csv", "Voucher Number,Voucher Area\r\nRVZ00998,Northshire\r\n")
    return buffer.getvalue()


def dashboard_message(client):
    return [alert.text for alert in parse(client.get("/dashboard")).select("div", class_="alert")]


@pytest.mark.parametrize(
    ("user", "status"), [("rosa", 403), ("dev", 403), ("fran", 302)]
)
def test_master_log_is_for_foodmatters_users(store_client, world, archive_folder, user, status):
    log_in(store_client, getattr(world, user))

    assert store_client.get("/vouchers/master-log").status_code == status


@pytest.mark.parametrize("url", ["/vouchers/master-log", "/vouchers/historical", "/vouchers/download?logFile=x"])
def test_log_pages_send_guests_to_login(store_client, url):
    response = store_client.get(url)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("url", ["/vouchers/historical", "/vouchers/download?logFile=x"])
def test_log_pages_forbidden_to_centre_users(store_client, world, archive_folder, url):
    log_in(store_client, world.dev)

    assert store_client.get(url).status_code == 403


def test_master_log_missing(fran, archive_folder):
    response = fran.get("/vouchers/master-log")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Sorry, couldn't find a current export. Please check the exporter ran on schedule" in dashboard_message(fran)


def test_master_log_empty_file_unreadable(fran, archive_folder):
    (archive_folder / "MVLReport.zip").write_bytes(b"")

    response = fran.get("/vouchers/master-log")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert "Sorry, the export file was unreadable. Please contact support." in dashboard_message(fran)


def test_master_log_with_wrong_key_unreadable(fran, archive_folder):
    (archive_folder / "MVLReport.zip").write_bytes(os.urandom(200))

    fran.get("/vouchers/master-log")

    assert "Sorry, the export file was unreadable. Please contact support." in dashboard_message(fran)


def test_master_log_streams_decrypted_zip(app, fran, archive_folder):
    content = report_zip()
    write_encrypted(app, archive_folder / "MVLReport.zip", content, modified=datetime(2024, 6, 12, 2, 5))

    response = fran.get("/vouchers/master-log")

    assert response.status_code == 200
    assert response.mimetype == "application/x-zip"
    assert response.headers["Content-Disposition"] == 'attachment; filename="MVLReport.zip_2024-06-12_0205.zip"'
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.data == content
    assert zipfile.ZipFile(io.BytesIO(response.data)).namelist() == ["PART1.csv"]


def test_historic_list_shows_dates_sizes_and_times(app, fran, archive_folder):
    write_encrypted(app, archive_folder / "vouchers.20230401-to-20240331.0000.arcx.csv", b"a" * 5116,
                    modified=datetime(2024, 4, 2, 3, 47))
    write_encrypted(app, archive_folder / "vouchers.20220401-to-20230331.0000.arcx.csv", b"b" * 3261416,
                    modified=datetime(2023, 4, 2, 14, 9))
    (archive_folder / "notes.txt").write_text("not a log")

    response = fran.get("/vouchers/historical")

    assert response.status_code == 200
    table = parse(response).one("table", id="voucherExportTable")
    rows = [[cell.text for cell in row.select("td")] for row in table.select("tr")[1:]]
    assert [row[0] for row in rows] == ["01/04/2023 to 31/03/2024", "01/04/2022 to 31/03/2023"]
    # The size shown is the encrypted file's: 24 header bytes and 17 bytes per 1 MiB message more.
    assert rows[0][1] == "5.04 KB"
    assert [row[2] for row in rows] == ["02/04/2024 03:47", "02/04/2023 14:09"]
    assert rows[1][1] == "3.11 MB"


def test_historic_links_download_the_file(app, fran, archive_folder):
    name = "vouchers.20230401-to-20240331.0000.arcx.csv"
    write_encrypted(app, archive_folder / name, b"Voucher Number\r\nRVZ00998\r\n")
    link = parse(fran.get("/vouchers/historical")).one("table", id="voucherExportTable").one("a")

    response = fran.get(link.attrs["href"])

    assert link.attrs["href"] == f"/vouchers/download?logFile={name}"
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.data == b"Voucher Number\r\nRVZ00998\r\n"


def test_historic_list_when_empty(fran, archive_folder):
    response = fran.get("/vouchers/historical")

    assert response.status_code == 200
    assert "There are no historic voucher logs yet." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "name",
    ["missing.20230401-to-20240331.0000.arcx.csv", "../secret.arcx.csv", "/etc/passwd", "", "sub/x.arcx.csv"],
)
def test_download_refuses_unknown_names(fran, archive_folder, name):
    (archive_folder.parent / "secret.arcx.csv").write_bytes(b"outside")

    response = fran.get("/vouchers/download", query_string={"logFile": name})

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"
    assert (
        "Sorry, we couldn't find the file you were looking for. Please contact support if this error persists."
        in dashboard_message(fran)
    )


def test_download_of_unreadable_log(fran, archive_folder):
    (archive_folder / "vouchers.20230401-to-20240331.0000.arcx.csv").write_bytes(b"short")

    fran.get("/vouchers/download?logFile=vouchers.20230401-to-20240331.0000.arcx.csv")

    assert "Sorry, the export file was unreadable. Please contact support." in dashboard_message(fran)


@pytest.mark.parametrize(("size", "text"), [(500, "500 B"), (5116, "5 KB"), (3261416, "3.11 MB"), (1536, "1.5 KB")])
def test_file_size_wording(size, text):
    assert file_size(size) == text
