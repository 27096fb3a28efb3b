-- From this migration on, sessions.session_token holds the SHA-256 (hex) of the token in the session cookie, never
-- the token itself (lib/auth/session-adapter.ts), so that a copy of the database file or a backup does not
-- hand over live sessions. Rows written before hold the token in the clear and could not be matched any more, so
-- they are deleted: everyone signed in at the time of the upgrade signs in again once.
DELETE FROM `sessions`;
