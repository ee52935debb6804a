"""Archive folders in a temporary directory for every test of the Master Voucher Log."""

import pytest


@pytest.fixture(autouse=True)
def mvl_folders(app, tmp_path, monkeypatch):
    """Point ARC_MVL_DIR and ARC_MVL_PLAIN_DIR at empty folders of this test; return the encrypted one."""
    folder = tmp_path / "mvl"
    monkeypatch.setitem(app.config, "ARC_MVL_DIR", str(folder))
    monkeypatch.setitem(app.config, "ARC_MVL_PLAIN_DIR", str(tmp_path / "mvl-plain"))
    return folder
