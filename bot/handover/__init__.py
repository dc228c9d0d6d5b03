"""Handing a conversation to a counsellor: tickets, office hours, notices and the service tying them together."""
