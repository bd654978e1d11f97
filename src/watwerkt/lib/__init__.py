"""Small helpers shared by every app: settings parsing, translatable texts."""
