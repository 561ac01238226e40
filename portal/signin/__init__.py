"""Sign-in: the throttle's buckets (portal/adapters.py), MFA for staff, session rules,
phone verification and the security log's sign-in events."""
