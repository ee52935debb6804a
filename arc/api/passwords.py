"""Lost and reset password for trader-app users."""
