"""E-mailing a trader's payment records to the user who asks."""
