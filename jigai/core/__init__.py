"""Rules shared by several apps that belong to none of them (e.g. the phone-number check)."""
