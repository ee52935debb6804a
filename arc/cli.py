"""The ``flask arc`` command group for operators."""

import click
from flask.cli import AppGroup

arc_cli = AppGroup("arc", help="ARC Voucher Service commands.")
