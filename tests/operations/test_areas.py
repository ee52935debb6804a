"""`arc add-area` and `arc add-centre`: new areas and centres from the command line.

Test data is committed before a command runs, because a failing command rolls back its session.
"""

import sqlalchemy as sa

from arc import clock
from arc.centres.models import Centre
from arc.sponsors.models import Sponsor
from tests import factories


def sponsor_by_shortcode(db, shortcode):
    return db.session.scalars(sa.select(Sponsor).where(Sponsor.shortcode == shortcode)).one_or_none()


def centre_by_prefix(db, prefix):
    return db.session.scalars(sa.select(Centre).where(Centre.prefix == prefix)).one_or_none()


def test_add_area_creates_area_quietly(runner, db):
    result = runner.invoke(args=["arc", "add-area", "Trumptonshire", "trmp"])

    assert result.exit_code == 0, result.output
    assert result.output == ""
    area = sponsor_by_shortcode(db, "TRMP")
    assert area.name == "Trumptonshire"
    assert area.programme == 0
    assert area.can_tap is False


def test_add_area_sets_programme_and_tap(runner, db):
    result = runner.invoke(args=["arc", "add-area", "Lambeth SP", "LSPX", "--programme", "1", "--can-tap"])

    assert result.exit_code == 0, result.output
    area = sponsor_by_shortcode(db, "LSPX")
    assert area.programme == 1
    assert area.can_tap is True


def test_add_area_dry_run_saves_nothing(runner, db):
    result = runner.invoke(args=["arc", "add-area", "Borsetshire", "BORS", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "Dry run, nothing saved" in result.output
    assert "BORS" in result.output
    assert sponsor_by_shortcode(db, "BORS") is None


def test_add_area_rejects_used_shortcode(runner, db):
    factories.make_sponsor(shortcode="SAME", name="First area")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-area", "Second area", "same"])

    assert result.exit_code == 2
    assert "'First area' with voucher prefix SAME exists already" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Sponsor).where(Sponsor.name == "Second area")) == 0


def test_add_area_rejects_used_name_ignoring_case(runner, db):
    factories.make_sponsor(shortcode="MIDS", name="Midsomer")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-area", "MIDSOMER", "MDSR"])

    assert result.exit_code == 2
    assert sponsor_by_shortcode(db, "MDSR") is None


def test_add_area_accepts_name_of_deleted_area(runner, db):
    factories.make_sponsor(shortcode="OLDA", name="Wessex", deleted_at=clock.now())
    db.session.commit()

    result = runner.invoke(args=["arc", "add-area", "Wessex", "WSSX"])

    assert result.exit_code == 0, result.output
    assert sponsor_by_shortcode(db, "WSSX").name == "Wessex"


def test_add_area_rejects_shortcode_of_deleted_area(runner, db):
    factories.make_sponsor(shortcode="GONE", deleted_at=clock.now())
    db.session.commit()

    result = runner.invoke(args=["arc", "add-area", "New area", "GONE"])

    assert result.exit_code == 2


def test_add_area_rejects_shortcode_with_digits(runner, db):
    result = runner.invoke(args=["arc", "add-area", "Digits", "AB12"])

    assert result.exit_code == 1
    assert "1 to 24 letters" in result.output
    assert sponsor_by_shortcode(db, "AB12") is None


def test_add_area_rejects_unknown_programme(runner, db):
    result = runner.invoke(args=["arc", "add-area", "Area", "ARAA", "--programme", "2"])

    assert result.exit_code == 2
    assert "'2' is not one of '0', '1'" in result.output


def test_add_area_rejects_blank_name(runner, db):
    result = runner.invoke(args=["arc", "add-area", "  ", "BLNK"])

    assert result.exit_code == 1
    assert "must not be empty" in result.output


def test_add_centre_creates_centre_quietly(runner, db):
    area = factories.make_sponsor(shortcode="TRUM")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "Trumpton", "na", "trum"])

    assert result.exit_code == 0, result.output
    assert result.output == ""
    centre = centre_by_prefix(db, "NA")
    assert centre.name == "Trumpton"
    assert centre.sponsor_id == area.id
    assert centre.print_pref == "collection"


def test_add_centre_sets_print_preference(runner, db):
    factories.make_sponsor(shortcode="INDV")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "Indy Centre", "INDY", "INDV", "--print-pref", "individual"])

    assert result.exit_code == 0, result.output
    assert centre_by_prefix(db, "INDY").print_pref == "individual"


def test_add_centre_accepts_first_centre_of_empty_table(runner, db):
    # The previous service took the allowed preferences from existing centres, so it refused every
    # preference while the centres table was empty.
    db.session.execute(sa.delete(Centre))
    factories.make_sponsor(shortcode="FRST")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "First", "FIRST", "FRST", "--print-pref", "individual"])

    assert result.exit_code == 0, result.output
    assert centre_by_prefix(db, "FIRST") is not None


def test_add_centre_dry_run_saves_nothing(runner, db):
    factories.make_sponsor(shortcode="DRYR", name="Dry area")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "Dry Centre", "DRYC", "DRYR", "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "would add centre 'Dry Centre' with RVID prefix DRYC to area 'Dry area'" in result.output
    assert centre_by_prefix(db, "DRYC") is None


def test_add_centre_unknown_area_exits_2(runner, db):
    result = runner.invoke(args=["arc", "add-centre", "Trumpton", "NA", "BADSHORTCODE"])

    assert result.exit_code == 2
    assert "No area has the voucher prefix 'BADSHORTCODE'" in result.output
    assert centre_by_prefix(db, "NA") is None


def test_add_centre_deleted_area_exits_2(runner, db):
    factories.make_sponsor(shortcode="DELA", deleted_at=clock.now())
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "Trumpton", "NA", "DELA"])

    assert result.exit_code == 2


def test_add_centre_used_prefix_exits_3(runner, db):
    area = factories.make_sponsor(shortcode="PRFX")
    factories.make_centre(sponsor=area, prefix="USED", name="Old centre")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "New centre", "used", "PRFX"])

    assert result.exit_code == 3
    assert "'Old centre' with RVID prefix USED exists already" in result.output


def test_add_centre_used_name_exits_3(runner, db):
    area = factories.make_sponsor(shortcode="NAME")
    factories.make_centre(sponsor=area, prefix="OLDN", name="Sunflower Centre")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "sunflower centre", "NEWN", "NAME"])

    assert result.exit_code == 3
    assert centre_by_prefix(db, "NEWN") is None


def test_add_centre_unknown_print_preference_exits_4(runner, db):
    factories.make_sponsor(shortcode="PREF")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "Centre", "PREFC", "PREF", "--print-pref", "weekly"])

    assert result.exit_code == 4
    assert "Invalid print preference 'weekly'" in result.output
    assert centre_by_prefix(db, "PREFC") is None


def test_add_centre_rejects_long_prefix(runner, db):
    factories.make_sponsor(shortcode="LONG")
    db.session.commit()

    result = runner.invoke(args=["arc", "add-centre", "Centre", "TOOLONG", "LONG"])

    assert result.exit_code == 1
    assert "1 to 5 letters" in result.output
