"""Column types and helpers shared by the models, matching the MySQL types of the live schema."""

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from arc import clock
from arc.extensions import db

# INT UNSIGNED on MySQL and MariaDB; a plain INTEGER elsewhere so that SQLite keeps its rowid key.
UnsignedInt = sa.Integer().with_variant(mysql.INTEGER(unsigned=True), "mysql", "mariadb")
UnsignedBigInt = sa.BigInteger().with_variant(
    mysql.BIGINT(unsigned=True), "mysql", "mariadb"
).with_variant(sa.Integer(), "sqlite")
BigIntKey = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
LongText = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
TinyUnsigned = sa.SmallInteger().with_variant(mysql.TINYINT(unsigned=True), "mysql", "mariadb")

String = sa.String(191)

# The largest value of an INT UNSIGNED key; larger ids in requests cannot name a row.
MAX_ID = 4294967295


def is_row_id(value):
    """Return whether ``value`` (an int or text from a request) can be the id of a row."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID)) and int(text) <= MAX_ID


def id_column():
    return db.Column("id", UnsignedInt, primary_key=True, autoincrement=True)


def created_at_column():
    return db.Column("created_at", sa.TIMESTAMP(), nullable=True, default=clock.now)


def updated_at_column():
    return db.Column("updated_at", sa.TIMESTAMP(), nullable=True, default=clock.now, onupdate=clock.now)


def deleted_at_column():
    return db.Column("deleted_at", sa.TIMESTAMP(), nullable=True)


def foreign_key(target, nullable, ondelete=None):
    return db.Column(UnsignedInt, db.ForeignKey(target, ondelete=ondelete), nullable=nullable)
