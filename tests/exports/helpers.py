"""Reading the reports back: decrypt with the independent reader, unzip, parse the CSV files."""

import csv
import io
import zipfile

from tests.exports import reference_format


def parse_csv(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def decrypt_file(app, path):
    key = reference_format.key_from_app_key(app.config["APP_KEY"])
    with open(path, "rb") as archive:
        return reference_format.decrypt_like_php(archive.read(), key)


def read_zip(data):
    """Return ``{member name: rows}`` of a zip archive, in member order, header rows included."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: parse_csv(archive.read(name)) for name in archive.namelist()}


def read_report(app, folder, name="MVLReport.zip"):
    return read_zip(decrypt_file(app, folder / name))
