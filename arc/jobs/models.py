"""Background job tables: the status of each queued job, and the previous service's queue tables."""

import sqlalchemy as sa

from arc.columns import (
    LongText,
    String,
    TinyUnsigned,
    UnsignedBigInt,
    UnsignedInt,
    created_at_column,
    id_column,
    updated_at_column,
)
from arc.extensions import db

JOB_STATUSES = ("queued", "executing", "finished", "failed", "retrying")


class JobStatus(db.Model):
    """The progress and result of one queued job, polled by the client that submitted it."""

    __tablename__ = "job_statuses"

    id = id_column()
    job_id = db.Column(String, nullable=True, index=True)
    type = db.Column(String, nullable=False, index=True)
    queue = db.Column(String, nullable=True, index=True)
    attempts = db.Column(sa.Integer, nullable=False, default=0, server_default=sa.text("0"))
    progress_now = db.Column(sa.Integer, nullable=False, default=0, server_default=sa.text("0"))
    progress_max = db.Column(sa.Integer, nullable=False, default=0, server_default=sa.text("0"))
    status = db.Column(sa.String(16), nullable=False, default="queued", server_default="queued", index=True)
    input = db.Column(LongText, nullable=True)
    output = db.Column(LongText, nullable=True)
    created_at = created_at_column()
    updated_at = updated_at_column()
    started_at = db.Column(sa.TIMESTAMP(), nullable=True)
    finished_at = db.Column(sa.TIMESTAMP(), nullable=True)


class LegacyQueuedJob(db.Model):
    """The previous service's database queue. Jobs now run on RQ; the table stays for the live schema."""

    __tablename__ = "jobs"

    id = db.Column(UnsignedBigInt, primary_key=True, autoincrement=True)
    queue = db.Column(String, nullable=False, index=True)
    payload = db.Column(LongText, nullable=False)
    attempts = db.Column(TinyUnsigned, nullable=False)
    reserved_at = db.Column(UnsignedInt, nullable=True)
    available_at = db.Column(UnsignedInt, nullable=False)
    created_at = db.Column(UnsignedInt, nullable=False)


class LegacyFailedJob(db.Model):
    """Failed jobs of the previous service's queue, kept for the live schema."""

    __tablename__ = "failed_jobs"

    id = db.Column(UnsignedBigInt, primary_key=True, autoincrement=True)
    uuid = db.Column(String, nullable=False, unique=True)
    connection = db.Column(sa.Text, nullable=False)
    queue = db.Column(sa.Text, nullable=False)
    payload = db.Column(LongText, nullable=False)
    exception = db.Column(LongText, nullable=False)
    failed_at = db.Column(sa.TIMESTAMP(), nullable=False, server_default=sa.func.current_timestamp())


class LegacyMigration(db.Model):
    """The previous framework's record of applied migrations. Nothing reads it; Alembic keeps its own."""

    __tablename__ = "migrations"

    id = id_column()
    migration = db.Column(String, nullable=False)
    batch = db.Column(sa.Integer, nullable=False)
