"""The Master Voucher Log: the nightly report, the historic export and their encrypted archives.

``columns`` defines the 19 columns, ``queries`` reads vouchers page by page for both reports,
``mvl`` writes the reports, ``secretstream`` is the archive encryption format, ``archives`` writes
files atomically and serves them to the store portal, and ``commands`` holds the CLI.
"""
