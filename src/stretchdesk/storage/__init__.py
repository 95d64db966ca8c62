"""User data on disk: settings, history and the user's own catalogue files."""
