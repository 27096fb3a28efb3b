import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_SECONDS, sessionIsValid } from "@/lib/auth/policy";

// A controllable clock: every check is made at a fixed "now", and sessions are built relative to it.
const NOW = new Date("2026-03-02T14:00:00.000Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

// A session signed in `age` ago whose sliding expiry was last moved at `lastActivity` ago.
function session(age: number, lastActivity = 0, deactivatedAt: Date | null = null) {
  return {
    createdAt: at(-age),
    expires: at(-lastActivity + IDLE_TIMEOUT_SECONDS * 1000),
    deactivatedAt,
  };
}

describe("session policy", () => {
  test("the limits are those of the design: 30 minutes idle, 12 hours absolute", () => {
    assert.equal(IDLE_TIMEOUT_SECONDS, 1800);
    assert.equal(ABSOLUTE_LIFETIME_MS, 12 * HOUR);
  });

  test("a session within its idle window is valid", () => {
    assert.equal(sessionIsValid(session(10 * MINUTE), NOW), true);
    assert.equal(sessionIsValid(session(2 * HOUR, 29 * MINUTE), NOW), true);
  });

  test("a session is invalid once expires is reached (expires <= now)", () => {
    // Last activity exactly 30 minutes ago: expires equals now.
    const exactly = session(HOUR, IDLE_TIMEOUT_SECONDS * 1000);
    assert.equal(exactly.expires.getTime(), NOW.getTime());
    assert.equal(sessionIsValid(exactly, NOW), false);
    assert.equal(sessionIsValid(session(HOUR, 31 * MINUTE), NOW), false);
    // One millisecond before expiry it is still valid.
    assert.equal(sessionIsValid(exactly, at(-1)), true);
  });

  test("the idle timeout follows the clock: the same session expires as time passes", () => {
    const s = session(0);
    assert.equal(sessionIsValid(s, at(29 * MINUTE)), true);
    assert.equal(sessionIsValid(s, at(30 * MINUTE)), false);
  });

  test("a session created 12 hours ago is invalid even if activity moved expires into the future", () => {
    const s = session(ABSOLUTE_LIFETIME_MS, 1 * MINUTE);
    assert.ok(s.expires.getTime() > NOW.getTime(), "expires is in the future");
    assert.equal(sessionIsValid(s, NOW), false);
    assert.equal(sessionIsValid(session(13 * HOUR, 0), NOW), false);
  });

  test("a session created 11h59m ago with recent activity is still valid", () => {
    assert.equal(sessionIsValid(session(11 * HOUR + 59 * MINUTE, 1 * MINUTE), NOW), true);
  });

  test("activity cannot carry a session past 12 hours: the same session becomes invalid at 12 h", () => {
    const s = { createdAt: NOW, expires: at(12 * HOUR + 20 * MINUTE), deactivatedAt: null };
    assert.equal(sessionIsValid(s, at(12 * HOUR - 1)), true);
    assert.equal(sessionIsValid(s, at(12 * HOUR)), false);
  });

  test("a deactivated user's session is invalid even when fresh", () => {
    assert.equal(sessionIsValid(session(1 * MINUTE, 0, at(-1 * MINUTE)), NOW), false);
    assert.equal(sessionIsValid(session(1 * MINUTE, 0, null), NOW), true);
  });
});
