import { createInterface } from "node:readline";

import { db } from "@/db/client";
import { joinNetwork } from "@/db/queries/networks";
import { addMessage, createRequest, RequestRefusedError } from "@/db/queries/requests";
import { loadSessionUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import type { Ack } from "./fault-writers";

// A writer for tests/crash-safety.test.ts and tests/db-faults.test.ts: it asks for support, replies and joins
// networks through the app's own data access layer, on the database file in DATABASE_PATH, opened by db/client.ts
// as the app opens it. Each write is acknowledged with one JSON line on stdout, printed only after the call has
// returned, that is after its transaction committed, so a test can demand that every acknowledged write survives.
//
// Usage: node writer.cjs <seed> <count>. It prints {"ready":true} once set up, waits for "go" on stdin, then
// writes <count> times and exits, or, with count 0, writes until it is killed.

const seed = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 0);

// mulberry32: small and seedable, so a failing run can be repeated from the seed the test prints.
let state = seed >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

// Text a person might write, including what tends to break encodings: accents, CJK, right-to-left script, emoji
// with joiners, quotes and newlines.
const WORDS = ["help", "my line manager", "résumé", "naïve", "中文", "عربى", "🏳️‍🌈", "👩🏽‍⚕️", "it's", '"quoted"', "\n", "zero\u200bwidth", "O'Brien", "<b>not html</b>"];
function text(maxWords: number): string {
  const words = Array.from({ length: 1 + Math.floor(random() * maxWords) }, () => pick(WORDS));
  return `${words.join(" ")} #${Math.floor(random() * 1e9)}`;
}

const sql = db.$client;
const supporters = sql.prepare("SELECT id FROM supporters WHERE status = 'active'").all() as { id: string }[];
const networks = sql.prepare("SELECT id, slug FROM networks WHERE status = 'active'").all() as { id: string; slug: string }[];
const people = sql.prepare("SELECT id FROM users WHERE email LIKE 'writer-person-%'").all() as { id: string }[];
// Conversations to reply to: the newest requests when this writer starts, then its own.
const conversations = sql
  .prepare("SELECT id, requester_id AS requesterId FROM support_requests ORDER BY created_at DESC LIMIT 200")
  .all() as { id: string; requesterId: string }[];
const viewers = new Map<string, SessionUser>();

function viewer(userId: string): SessionUser {
  let user = viewers.get(userId);
  if (!user) {
    user = loadSessionUser(userId) ?? undefined;
    if (!user) throw new Error(`no such person ${userId}`);
    viewers.set(userId, user);
  }
  return user;
}

function acknowledge(ack: Ack): void {
  process.stdout.write(`${JSON.stringify(ack)}\n`);
}

function ask(): void {
  const requester = pick(people).id;
  const message = text(40);
  const safeContact = random() < 0.5 ? text(4) : "";
  const { id } = createRequest(viewer(requester), {
    supporterId: pick(supporters).id,
    category: "bullying_harassment",
    message,
    contactMethod: "in_app",
    safeContact,
    anonymous: random() < 0.3,
    preferOutsideDepartment: false,
    excludedUserIds: [],
    acknowledgeLimits: true,
  });
  conversations.push({ id, requesterId: requester });
  acknowledge({ kind: "request", id, requesterId: requester, message, safeContact });
}

function reply(): void {
  const conversation = conversations.length > 0 ? pick(conversations) : undefined;
  if (!conversation) return ask();
  const body = text(20);
  addMessage(viewer(conversation.requesterId), conversation.id, body);
  acknowledge({ kind: "message", requestId: conversation.id, authorId: conversation.requesterId, body });
}

function join(): void {
  const userId = pick(people).id;
  const network = pick(networks);
  const result = joinNetwork(viewer(userId), { slug: network.slug, visibility: random() < 0.5 ? "silent" : "visible", note: text(5) });
  acknowledge({ kind: "membership", id: result.membershipId, userId, networkId: network.id, status: result.status });
}

function writeOnce(): void {
  const roll = random();
  try {
    if (roll < 0.45) ask();
    else if (roll < 0.85) reply();
    else join();
  } catch (error) {
    // The rate limit (5 requests an hour each) can refuse a person picked often: a refusal, not a failure.
    if (error instanceof RequestRefusedError) {
      process.stdout.write(`${JSON.stringify({ refused: error.message })}\n`);
      return;
    }
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : null;
    const name = error instanceof Error ? error.name : "unknown";
    process.stdout.write(`${JSON.stringify({ error: name, code, message: error instanceof Error ? error.message : String(error) })}\n`);
    process.exit(1);
  }
}

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
const input = createInterface({ input: process.stdin });
input.once("line", () => {
  input.close();
  // Synchronous on purpose, like the app's transactions: a kill can land anywhere in a write or a commit.
  for (let done = 0; count === 0 || done < count; done += 1) writeOnce();
  process.exit(0);
});
