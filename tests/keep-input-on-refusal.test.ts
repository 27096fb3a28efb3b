import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";

import Database from "better-sqlite3";
// What next/navigation is inside a server action's bundle; plain Node resolves "next/navigation" to the browser's copy.
import { notFound, redirect } from "next/dist/client/components/navigation.react-server";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { factories } from "./factories";
import { freshDatabase } from "./helpers";

// Issue 9, follow-up: a server action's write that the database refuses (db/client.ts has rolled it back) comes back
// as the form's message, so the form can be shown again with what was typed. savedOrRefused must turn exactly those
// refusals into the message, and let everything else through untouched: redirect() and notFound(), which Next.js
// handles, and every other error, which is a bug or a rule and must never read as "try again later".

let db: Db;
let file: string;
let form: typeof import("@/db/validation/form");
let errors: typeof import("@/lib/errors");
let feedback: typeof import("@/db/queries/feedback");
let client: typeof import("@/db/client");
let viewer: SessionUser;

before(async () => {
  ({ db, file } = await freshDatabase());
  form = await import("@/db/validation/form");
  errors = await import("@/lib/errors");
  feedback = await import("@/db/queries/feedback");
  client = await import("@/db/client");
  const users = await import("@/db/queries/users");
  const user = users.loadSessionUser(factories(db).insertUser("Kit Fault"));
  assert.ok(user);
  viewer = user;
});

// The JSON lines written to stderr while `work` runs (lib/log.ts writes there), and what `work` gave.
async function logged<T>(work: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[]; raw: string }> {
  const chunks: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  }) as typeof process.stderr.write;
  try {
    const result = await work();
    const raw = chunks.join("");
    const lines = raw
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, lines, raw };
  } finally {
    process.stderr.write = write;
  }
}

// Thrown (or rejected) by `throwing`: the very same object must come out of savedOrRefused.
async function passesThrough(throwing: () => unknown): Promise<void> {
  let thrown: unknown;
  const keep = (error: unknown): never => {
    thrown = error;
    throw error;
  };
  const write = () => {
    try {
      const result = throwing();
      return result instanceof Promise ? result.catch(keep) : result;
    } catch (error) {
      return keep(error);
    }
  };
  const { lines } = await logged(() => assert.rejects(form.savedOrRefused(write), (error) => error === thrown));
  assert.ok(thrown !== undefined, "the write threw");
  assert.deepEqual(lines, [], "only a refusal is logged here");
}

const feedbackCount = () => db.$client.prepare("SELECT count(*) FROM feedback").pluck().get() as number;
const send = (body: string) => feedback.sendFeedback(viewer, { topic: null, body, anonymous: false, volunteer: false });

describe("savedOrRefused", () => {
  after(() => db.$client.pragma(`busy_timeout = ${client.REQUIRED_PRAGMAS.busy_timeout}`));

  test("a write that saves gives back what it returned, whether it is synchronous or not", async () => {
    assert.deepEqual(await form.savedOrRefused(() => 42), { ok: true, data: 42 });
    assert.deepEqual(await form.savedOrRefused(async () => "later"), { ok: true, data: "later" });
    const before = feedbackCount();
    const saved = await form.savedOrRefused(() => send("Saved the first time"));
    assert.deepEqual(saved, { ok: true, data: { ok: true } });
    assert.equal(feedbackCount(), before + 1);
  });

  test("redirect() and notFound() pass through untouched, for Next.js to answer", async () => {
    await passesThrough(() => redirect("/feedback/sent"));
    await passesThrough(() => notFound());
    await passesThrough(() => {
      send("Saved, then the action redirects");
      redirect("/feedback/sent");
    });
  });

  test("every other error passes through untouched: not found, a bug, a rule the database enforces", async () => {
    await passesThrough(() => {
      throw new errors.NotFoundError("request");
    });
    await passesThrough(() => {
      throw new TypeError("Cannot read properties of undefined");
    });
    await passesThrough(async () => {
      throw new Error("rejected later");
    });
    // A real constraint, through the app's own connection: SQLITE_CONSTRAINT_* is a bug, not the database refusing.
    const id = factories(db).insertUser("Twin");
    await passesThrough(() => db.$client.prepare("INSERT INTO users (id, email) VALUES (?, ?)").run(id, `${randomUUID()}@example.org`));
  });

  test("the lock held past busy_timeout: the form's message, nothing saved, one log line without what was typed", async () => {
    // 5 s in the app; shortened here only so the test does not wait that long for the same answer.
    db.$client.pragma("busy_timeout = 150");
    const holder = client.openDatabase(file).$client;
    const secret = `KEEP-INPUT-SECRET-${randomUUID()}`;
    const before = feedbackCount();
    try {
      holder.exec("BEGIN IMMEDIATE");
      const { result, lines, raw } = await logged(() => form.savedOrRefused(() => send(secret)));
      assert.deepEqual(result, { ok: false, error: errors.SERVICE_UNAVAILABLE_MESSAGE });
      assert.equal(lines.length, 1, raw);
      assert.deepEqual(
        { level: lines[0]?.level, event: lines[0]?.event, error: lines[0]?.error, code: lines[0]?.code },
        { level: "error", event: "action.save_refused", error: "ServiceUnavailableError", code: "SQLITE_BUSY" },
      );
      assert.ok(!raw.includes(secret), "the log line holds nothing that was typed");
    } finally {
      if (holder.inTransaction) holder.exec("ROLLBACK");
      holder.close();
    }
    assert.equal(feedbackCount(), before, "nothing was saved");
    // The message was true: once the lock is released, the same write saves.
    assert.deepEqual(await form.savedOrRefused(() => send(secret)), { ok: true, data: { ok: true } });
    assert.equal(feedbackCount(), before + 1);
  });

  test("a read-only database: the driver's own SQLITE_READONLY is a refusal too", async () => {
    const reader = new Database(file, { readonly: true });
    try {
      const { result, lines } = await logged(() =>
        form.savedOrRefused(() => reader.prepare("INSERT INTO users (id, email) VALUES (?, ?)").run(randomUUID(), `${randomUUID()}@example.org`)),
      );
      assert.deepEqual(result, { ok: false, error: errors.SERVICE_UNAVAILABLE_MESSAGE });
      assert.deepEqual(lines.map((line) => [line.event, line.code]), [["action.save_refused", "SQLITE_READONLY"]]);
    } finally {
      reader.close();
    }
  });
});
