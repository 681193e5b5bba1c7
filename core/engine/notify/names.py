"""The channels' names and their secrets' keyring references (light: the command line's parser
imports this at start-up, the rest of the package only when a notify command runs)."""

CHANNELS = ("webhook", "telegram", "email")
LABELS = {"webhook": "webhook", "telegram": "Telegram", "email": "email"}
SECRET_REFS = {"telegram": "notify:telegram", "email": "notify:email"}
SECRET_NAMES = {"telegram": "the Telegram bot token", "email": "the SMTP password"}
