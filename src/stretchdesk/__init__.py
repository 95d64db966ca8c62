"""StretchDesk: guided stretch routines and desk-break reminders for people with back pain."""

__version__ = "0.1.0"

APP_NAME = "StretchDesk"
APP_ID = "io.github.stretchdesk.StretchDesk"
