import assert from "node:assert/strict";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { before, describe, test } from "node:test";

import type { Adapter } from "next-auth/adapters";

import type { Db } from "@/db/client";
import { extraDatabase, freshDatabase } from "./helpers";

// Session tokens are kept only as their SHA-256 (lib/auth/session-adapter.ts), and failed sign-in callbacks are
// audited by class of reason, at most once per reason a minute (lib/auth/sign-in-failure.ts). Real SQLite, the real
// adapter wrapper over the real Drizzle adapter, and the real error classes Auth.js and oauth4webapi throw.

type AdapterModule = typeof import("@/lib/auth/session-adapter");
type TokenModule = typeof import("@/lib/auth/session-token");
type FailureModule = typeof import("@/lib/auth/sign-in-failure");

let db: Db;
let adapterLib: AdapterModule;
let tokens: TokenModule;
let failures: FailureModule;
let adapter: Adapter;

before(async () => {
  ({ db } = await freshDatabase());
  adapterLib = await import("@/lib/auth/session-adapter");
  tokens = await import("@/lib/auth/session-token");
  failures = await import("@/lib/auth/sign-in-failure");
  adapter = adapterLib.confideAdapter();
});

function insertUser(): string {
  const id = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(id, `${id}@example.org`, "Test Person");
  return id;
}

const storedTokens = (userId: string) =>
  db.$client.prepare("SELECT session_token FROM sessions WHERE user_id = ?").pluck().all(userId) as string[];

const newToken = () => randomBytes(32).toString("hex");

describe("session tokens are stored as their SHA-256", () => {
  test("the hash is SHA-256 in hex, and differs from the token", () => {
    const token = newToken();
    const expected = createHash("sha256").update(token).digest("hex");
    assert.equal(tokens.hashSessionToken(token), expected);
    assert.match(tokens.hashSessionToken(token), /^[0-9a-f]{64}$/);
    assert.notEqual(tokens.hashSessionToken(token), token);
    assert.notEqual(tokens.hashSessionToken(`${token}0`), expected);
  });

  test("createSession stores the hash and hands Auth.js the token for the cookie", async () => {
    const userId = insertUser();
    const token = newToken();
    const created = await adapter.createSession!({ sessionToken: token, userId, expires: new Date(Date.now() + 60_000) });
    assert.equal(created.sessionToken, token, "Auth.js sets the cookie from what createSession returns");
    assert.deepEqual(storedTokens(userId), [tokens.hashSessionToken(token)]);
  });

  test("the token finds its session; the stored hash, used as a token, finds nothing and deletes nothing", async () => {
    const userId = insertUser();
    const token = newToken();
    await adapter.createSession!({ sessionToken: token, userId, expires: new Date(Date.now() + 60_000) });
    const found = await adapter.getSessionAndUser!(token);
    assert.equal(found?.user.id, userId);
    assert.equal(found?.session.sessionToken, token);

    const stolen = storedTokens(userId)[0] ?? "";
    assert.equal(await adapter.getSessionAndUser!(stolen), null);
    await adapter.deleteSession!(stolen);
    await adapter.updateSession!({ sessionToken: stolen, expires: new Date(Date.now() + 3_600_000) });
    assert.deepEqual(storedTokens(userId), [stolen], "the row is untouched");
    assert.equal(adapterLib.sessionOwner(stolen), null);
    assert.equal(adapterLib.sessionOwner(token), userId);
  });

  test("updateSession slides the row the token names, and deleteSession removes it", async () => {
    const userId = insertUser();
    const token = newToken();
    await adapter.createSession!({ sessionToken: token, userId, expires: new Date(Date.now() + 60_000) });
    const later = new Date(Date.now() + 30 * 60_000);
    const updated = await adapter.updateSession!({ sessionToken: token, expires: later });
    assert.equal(updated?.sessionToken, token);
    const expires = db.$client.prepare("SELECT expires FROM sessions WHERE session_token = ?").pluck().get(tokens.hashSessionToken(token));
    assert.equal(expires, later.getTime());
    assert.deepEqual(storedTokens(userId), [tokens.hashSessionToken(token)], "still the hash after the update");

    await adapter.deleteSession!(token);
    assert.deepEqual(storedTokens(userId), []);
    assert.equal(await adapter.getSessionAndUser!(token), null);
  });

  test("an expired session is deleted when its token is used", async () => {
    const userId = insertUser();
    const token = newToken();
    await adapter.createSession!({ sessionToken: token, userId, expires: new Date(Date.now() - 1_000) });
    assert.equal(await adapter.getSessionAndUser!(token), null);
    assert.deepEqual(storedTokens(userId), []);
  });
});

describe("failed sign-in callbacks are audited by class of reason", () => {
  type Row = { seq: number; actor_id: string | null; action: string; object_type: string | null; object_id: string | null; outcome: string };
  const lastSeq = () => db.$client.prepare("SELECT coalesce(max(seq), 0) FROM audit_events").pluck().get() as number;
  const eventsAfter = (seq: number) =>
    db.$client
      .prepare("SELECT seq, actor_id, action, object_type, object_id, outcome FROM audit_events WHERE seq > ? ORDER BY seq")
      .all(seq) as Row[];

  // Each test its own minute, far from the others and from now: the limiter's windows are per minute.
  let minute = Date.UTC(2030, 0, 1, 9, 0);
  const nextMinute = () => (minute += 10 * 60_000);

  async function errors() {
    const core = await import("@auth/core/errors");
    const o = await import("oauth4webapi");
    const as = { issuer: "https://idp.example" };
    const client = { client_id: "confide" };
    const thrown = (work: () => unknown): Error => {
      try {
        work();
      } catch (error) {
        return error as Error;
      }
      throw new Error("expected a throw");
    };
    // The real check: a callback whose state is not the one this browser's sign-in started with.
    const stateMismatch = thrown(() =>
      o.validateAuthResponse(as, client, new URLSearchParams({ code: "c", state: "someone-elses", iss: as.issuer }), "mine"),
    );
    const claim = (name: string) =>
      new o.OperationProcessingError(`unexpected JWT "${name}" claim value`, {
        code: o.JWT_CLAIM_COMPARISON,
        cause: { claim: name, claims: {} },
      });
    const invalidGrant = new o.ResponseBodyError("server responded with an error in the response body", {
      cause: { error: "invalid_grant" },
      response: new Response(JSON.stringify({ error: "invalid_grant" }), { status: 400 }),
    });
    // Built the way Auth.js builds it around whatever a callback threw (its types declare only a message form).
    const CallbackRouteError = core.CallbackRouteError as unknown as new (cause: Error, options: { provider: string }) => Error;
    const route = (error: Error) => new CallbackRouteError(error, { provider: "oidc" });
    return {
      core,
      stateMismatch: route(stateMismatch),
      nonceMismatch: route(claim("nonce")),
      wrongAudience: route(claim("aud")),
      wrongIssuer: route(claim("iss")),
      codeRefused: route(invalidGrant),
      missingCookie: new core.InvalidCheck("pkce cookie was missing"),
      providerError: new core.OAuthCallbackError("OAuth Provider returned an error"),
      somethingElse: route(new TypeError("fetch failed")),
    };
  }

  test("each kind of failure gets its class; errors that are not failed callbacks get none", async () => {
    const e = await errors();
    assert.equal(failures.signInFailureOf(e.stateMismatch), "check_failed");
    assert.equal(failures.signInFailureOf(e.nonceMismatch), "check_failed");
    assert.equal(failures.signInFailureOf(e.missingCookie), "check_failed");
    assert.equal(failures.signInFailureOf(e.codeRefused), "idp_refused");
    assert.equal(failures.signInFailureOf(e.providerError), "idp_refused");
    assert.equal(failures.signInFailureOf(e.wrongAudience), "token_invalid");
    assert.equal(failures.signInFailureOf(e.wrongIssuer), "token_invalid");
    assert.equal(failures.signInFailureOf(e.somethingElse), "other");
    // Audited where they happen (a deactivated account, in auth.ts' signIn callback) or not sign-in callbacks at all.
    assert.equal(failures.signInFailureOf(new e.core.AccessDenied("AccessDenied")), null);
    assert.equal(failures.signInFailureOf(new e.core.SessionTokenError("database is locked")), null);
    assert.equal(failures.signInFailureOf(new e.core.SignOutError("database is locked")), null);
    assert.equal(failures.signInFailureOf(new Error("not from Auth.js")), null);
  });

  test("one event per reason a minute, then one refusal, then nothing until the next minute", async () => {
    const e = await errors();
    const seq = lastSeq();
    const at = nextMinute();
    let asked = 0;
    const actor = () => {
      asked += 1;
      return null;
    };
    for (let i = 0; i < 25; i += 1) {
      assert.equal(failures.auditSignInFailure(e.stateMismatch, actor, { now: new Date(at + i * 1_000) }), "check_failed");
    }
    failures.auditSignInFailure(e.wrongAudience, actor, { now: new Date(at + 30_000) });
    assert.deepEqual(
      eventsAfter(seq).map(({ seq: _seq, ...row }) => row),
      [
        { actor_id: null, action: "auth.sign_in_failed", object_type: "sign_in", object_id: "check_failed", outcome: "denied" },
        { actor_id: null, action: "rate_limit.refused", object_type: "sign_in", object_id: null, outcome: "denied" },
        { actor_id: null, action: "auth.sign_in_failed", object_type: "sign_in", object_id: "token_invalid", outcome: "denied" },
      ],
    );
    assert.equal(asked, 2, "the actor is looked up only for an event that is written");

    const nextSeq = lastSeq();
    failures.auditSignInFailure(e.stateMismatch, actor, { now: new Date(at + 60_000) });
    assert.deepEqual(eventsAfter(nextSeq).map((row) => [row.action, row.object_id]), [["auth.sign_in_failed", "check_failed"]]);
  });

  test("the person already signed in on the browser is the actor; a broken callback is a failure, not a refusal", async () => {
    const e = await errors();
    const userId = insertUser();
    const seq = lastSeq();
    const at = nextMinute();
    failures.auditSignInFailure(e.codeRefused, () => userId, { now: new Date(at) });
    failures.auditSignInFailure(e.somethingElse, () => null, { now: new Date(at) });
    assert.deepEqual(
      eventsAfter(seq).map(({ seq: _seq, ...row }) => row),
      [
        { actor_id: userId, action: "auth.sign_in_failed", object_type: "sign_in", object_id: "idp_refused", outcome: "denied" },
        { actor_id: null, action: "auth.sign_in_failed", object_type: "sign_in", object_id: "other", outcome: "failure" },
      ],
    );
  });

  test("errors that are not failed callbacks write nothing, and a failing audit write does not throw", async () => {
    const e = await errors();
    const seq = lastSeq();
    assert.equal(failures.auditSignInFailure(new e.core.AccessDenied("AccessDenied"), () => null, { now: new Date(nextMinute()) }), null);
    assert.deepEqual(eventsAfter(seq), []);

    const { db: closed } = await extraDatabase();
    closed.$client.close();
    const errorOutput: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => errorOutput.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      assert.equal(failures.auditSignInFailure(e.stateMismatch, () => null, { now: new Date(nextMinute()), db: closed }), "check_failed");
    } finally {
      process.stderr.write = write;
    }
    assert.match(errorOutput.join(""), /"event":"auth.sign_in_failure_not_audited"/);
    assert.doesNotMatch(errorOutput.join(""), /state|someone-elses/);
  });
});
