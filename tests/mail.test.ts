import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { SMTPServer } from "smtp-server";

import type { Db } from "@/db/client";
import type { SessionUser } from "@/lib/auth/session";
import { freshDatabase, TEST_APP_URL, tempDir } from "./helpers";

// Mail goes to a real SMTP server (smtp-server, in this process) through nodemailer's real SMTP transport.

type MailModule = typeof import("@/lib/mail");
type NotificationsModule = typeof import("@/db/queries/notifications");
type Received = { from: string | null; to: string[]; raw: string };

class TestSmtp {
  received: Received[] = [];
  port = 0;
  private server?: SMTPServer;

  async start(port = this.port): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      // Plain SMTP on loopback: the default self-signed STARTTLS certificate would be refused by the client.
      hideSTARTTLS: true,
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
            to: session.envelope.rcptTo.map((address) => address.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(resolve));
  }
}

const smtp = new TestSmtp();
let db: Db;
let mail: MailModule;
let notifications: NotificationsModule;

const NOW = new Date("2026-11-02T09:00:00.000Z");
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

// Things the message must never contain, whatever caused it.
const PERSON = { name: "Rowan Quillfeather", email: "rowan.quillfeather@example.org" };
const NETWORK_NAME = "Quillfeather Support Network";

let userId: string;
let supporterId: string;
let rowan: SessionUser;

before(async () => {
  await smtp.start();
  // Before anything reads the configuration (env() is parsed once, on first use).
  process.env.SMTP_URL = `smtp://127.0.0.1:${smtp.port}`;
  ({ db } = await freshDatabase());
  mail = await import("@/lib/mail");
  notifications = await import("@/db/queries/notifications");

  userId = randomUUID();
  supporterId = randomUUID();
  rowan = { id: userId, email: PERSON.email, name: PERSON.name, textSize: "standard", isEqualityUnit: false, supporterId, coordinates: [] };
  db.$client.prepare("INSERT INTO users (id, email, name, department, site) VALUES (?, ?, ?, 'Custody', 'Keyham Lane')")
    .run(userId, PERSON.email, PERSON.name);
  db.$client
    .prepare(
      `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due)
       VALUES (?, ?, 'active', 'Sergeant', 'Keyham Lane', '2025-01-10', '2026-12-01')`,
    )
    .run(supporterId, userId);
  db.$client
    .prepare(
      `INSERT INTO networks (id, slug, name, summary, description, who_for, how_to_join)
       VALUES (?, 'quillfeather', ?, 's', 'd', 'w', 'h')`,
    )
    .run(randomUUID(), NETWORK_NAME);
});

after(async () => {
  await smtp.stop();
});

type OutboxRow = { id: string; to_address: string; kind: string; attempts: number; last_error: string | null;
  next_attempt_at: number; sent_at: number | null };

const outboxRows = (): OutboxRow[] =>
  db.$client.prepare("SELECT id, to_address, kind, attempts, last_error, next_attempt_at, sent_at FROM mail_outbox ORDER BY rowid").all() as OutboxRow[];

const newestOutboxRow = (): OutboxRow => {
  const rows = outboxRows();
  const row = rows[rows.length - 1];
  assert.ok(row, "a queued message");
  return row;
};

function notifyRowan(at: Date = NOW): void {
  db.transaction((tx) => notifications.notify(tx, userId, "supporter.refresher_due_60", "/inbox", at));
}

// Headers nodemailer writes for a plain-text message, plus ours: anything else would be a leak to look at.
const ALLOWED_HEADERS = new Set(["from", "to", "subject", "message-id", "date", "mime-version", "content-type",
  "content-transfer-encoding", "auto-submitted"]);

function headerNames(raw: string): string[] {
  const head = raw.split(/\r?\n\r?\n/)[0] ?? "";
  return head.split(/\r?\n/).filter((line) => /^[A-Za-z-]+:/.test(line)).map((line) => line.split(":")[0]!.toLowerCase());
}

function body(raw: string): string {
  return raw.split(/\r?\n\r?\n/).slice(1).join("\n\n").replace(/\r\n/g, "\n");
}

describe("content-free mail over SMTP", () => {
  test("a notification's email reaches the right address with the fixed subject and body and nothing else", async () => {
    smtp.received = [];
    notifyRowan();
    const row = newestOutboxRow();
    assert.equal(row.to_address, PERSON.email);
    assert.equal(row.kind, "supporter.refresher_due_60");

    const result = await mail.deliverPendingMail(NOW);
    assert.deepEqual(result, { sent: 1, failed: 0 });
    assert.equal(smtp.received.length, 1);
    const [message] = smtp.received;
    assert.deepEqual(message!.to, [PERSON.email]);
    assert.equal(message!.from, "no-reply@confide.invalid");

    const raw = message!.raw;
    assert.match(raw, /^Subject: New update in Confide\r?$/m);
    assert.match(raw, /^To: rowan\.quillfeather@example\.org\r?$/m);
    assert.equal(body(raw).trim(), `You have a new update in Confide. Sign in to read it.\n\n${TEST_APP_URL}`);
    assert.deepEqual(headerNames(raw).filter((name) => !ALLOWED_HEADERS.has(name)), []);
    // Apart from the To header (an address often spells a name), the message says nothing about anyone.
    const rest = raw.replace(/^To: .*$/m, "");
    for (const secret of [PERSON.name, "Rowan", "Quillfeather", supporterId, userId, NETWORK_NAME, "refresher",
      "supporter", "Keyham", "Custody", "/inbox"]) {
      assert.ok(!rest.toLowerCase().includes(secret.toLowerCase()), `the message mentions ${secret}`);
    }

    const sent = outboxRows().find((r) => r.id === row.id)!;
    assert.equal(sent.sent_at, NOW.getTime());
    assert.equal(sent.attempts, 0);
    // Nothing is sent twice.
    assert.deepEqual(await mail.deliverPendingMail(minutes(120)), { sent: 0, failed: 0 });
    assert.equal(smtp.received.length, 1);
  });

  test("when the server is down the change and its notification stand, and the retry later delivers once", async () => {
    await smtp.stop();
    smtp.received = [];
    const notificationsBefore = notifications.countUnread(rowan);
    notifyRowan();
    const row = newestOutboxRow();

    const logged: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    let result;
    try {
      result = await mail.deliverPendingMail(NOW);
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(result, { sent: 0, failed: 1 });

    const failed = outboxRows().find((r) => r.id === row.id)!;
    assert.equal(failed.sent_at, null);
    assert.equal(failed.attempts, 1);
    assert.equal(failed.next_attempt_at, minutes(1).getTime());
    assert.ok(failed.next_attempt_at > NOW.getTime());
    assert.ok(failed.last_error && failed.last_error.length <= 40, `short error: ${failed.last_error}`);
    assert.ok(!failed.last_error.includes("@"));
    // The log says which row failed, never to whom or what.
    assert.ok(logged.some((line) => line.includes(row.id)), "the failure is logged by row id");
    assert.ok(logged.every((line) => !line.includes(PERSON.email) && !line.includes("new update")), logged.join(""));

    // The in-app notification is there regardless.
    assert.equal(notifications.countUnread(rowan), notificationsBefore + 1);

    // Not due yet: nothing happens, not even another attempt.
    assert.deepEqual(await mail.deliverPendingMail(NOW), { sent: 0, failed: 0 });
    assert.equal(outboxRows().find((r) => r.id === row.id)!.attempts, 1);

    await smtp.start();
    assert.deepEqual(await mail.deliverPendingMail(minutes(2)), { sent: 1, failed: 0 });
    assert.equal(smtp.received.length, 1);
    assert.deepEqual(smtp.received[0]!.to, [PERSON.email]);
    const delivered = outboxRows().find((r) => r.id === row.id)!;
    assert.equal(delivered.sent_at, minutes(2).getTime());
    assert.equal(delivered.last_error, null);
    assert.deepEqual(await mail.deliverPendingMail(minutes(200)), { sent: 0, failed: 0 });
    assert.equal(smtp.received.length, 1);
  });

  test("two deliveries at once send each message exactly once", async () => {
    smtp.received = [];
    for (let i = 0; i < 3; i += 1) notifyRowan(minutes(300));
    const results = await Promise.all([mail.deliverPendingMail(minutes(301)), mail.deliverPendingMail(minutes(301))]);
    assert.equal(results[0].sent + results[1].sent, 3);
    assert.equal(smtp.received.length, 3);
    assert.equal(outboxRows().filter((r) => r.sent_at === null && r.attempts < mail.MAIL_MAX_ATTEMPTS).length, 0);
  });

  test("failures back off 1, 5, 15 and 60 minutes, and after 10 attempts the message is left for people to see", async () => {
    const at = minutes(1000);
    db.transaction((tx) => mail.queueMail(tx, { email: "backoff@example.org" }, "supporter.lapsed", at));
    const row = newestOutboxRow();
    const unconfigured = { from: "Confide <no-reply@confide.invalid>", appUrl: TEST_APP_URL };
    const delays: number[] = [];
    let now = at;
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      await mail.deliverPendingMail(now, unconfigured);
      const current = outboxRows().find((r) => r.id === row.id)!;
      delays.push((current.next_attempt_at - now.getTime()) / 60_000);
      now = new Date(current.next_attempt_at);
    }
    const final = outboxRows().find((r) => r.id === row.id)!;
    assert.equal(final.attempts, mail.MAIL_MAX_ATTEMPTS);
    assert.equal(final.sent_at, null);
    assert.equal(final.last_error, "ECONFIG");
    assert.deepEqual(delays.slice(0, 5), [1, 5, 15, 60, 60]);
    // After giving up the row is no longer touched (its next attempt time stops moving).
    assert.deepEqual(delays.slice(10), [0, 0]);
  });

  test("mail is queued only when the change commits, and never to a deactivated account", () => {
    const before = outboxRows().length;
    assert.throws(() =>
      db.transaction((tx) => {
        notifications.notify(tx, userId, "supporter.lapsed", "/account", NOW);
        throw new Error("the change failed");
      }),
    );
    assert.equal(outboxRows().length, before);

    const leaver = randomUUID();
    db.$client.prepare("INSERT INTO users (id, email, name, deactivated_at) VALUES (?, 'leaver.mail@example.org', 'Leaver', 1)").run(leaver);
    db.transaction((tx) => notifications.notify(tx, leaver, "supporter.lapsed", "/account", NOW));
    assert.equal(outboxRows().length, before);
  });

  test("the demo's outbox folder gets an .eml file with the same content-free message", async () => {
    const outboxDir = path.join(tempDir(), "outbox");
    db.transaction((tx) => mail.queueMail(tx, { userId }, "supporter.refresher_due_14", minutes(5000)));
    const row = newestOutboxRow();
    const result = await mail.deliverPendingMail(minutes(5000), { outboxDir, from: "Confide <no-reply@confide.invalid>", appUrl: TEST_APP_URL });
    assert.deepEqual(result, { sent: 1, failed: 0 });
    const files = fs.readdirSync(outboxDir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, new RegExp(`${row.id}\\.eml$`));
    const file = path.join(outboxDir, files[0]!);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const raw = fs.readFileSync(file, "utf8");
    assert.match(raw, /^Subject: New update in Confide$/m);
    assert.match(raw, /^To: rowan\.quillfeather@example\.org$/m);
    assert.equal(body(raw).trim(), `You have a new update in Confide. Sign in to read it.\n\n${TEST_APP_URL}`);
    assert.ok(!raw.includes(PERSON.name) && !raw.includes(supporterId));
  });
});

describe("in-app notifications for the signed-in person", () => {
  test("are listed newest first, 20 a page, only the viewer's own, and marking read touches only theirs", () => {
    const ownerId = randomUUID();
    db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, 'pages.owner@example.org', 'Owner')").run(ownerId);
    const owner: SessionUser = { id: ownerId, email: "pages.owner@example.org", name: "Owner", textSize: "standard",
      isEqualityUnit: false, supporterId: null, coordinates: [] };
    db.transaction((tx) => {
      for (let i = 0; i < 25; i += 1) notifications.notify(tx, ownerId, "supporter.pause_ended", "/inbox", minutes(i));
    });
    const rowanUnread = notifications.countUnread(rowan);
    assert.equal(notifications.countUnread(owner), 25);

    const first = notifications.listForViewer(owner, 1);
    assert.deepEqual({ page: first.page, totalPages: first.totalPages, total: first.total, unread: first.unread, n: first.items.length },
      { page: 1, totalPages: 2, total: 25, unread: 25, n: 20 });
    assert.equal(first.items[0]!.createdAt.getTime(), minutes(24).getTime());
    assert.equal(first.items[0]!.sentence, "Your pause has ended, so colleagues can ask you for support again.");
    const second = notifications.listForViewer(owner, 2);
    assert.equal(second.items.length, 5);
    assert.equal(second.items[4]!.createdAt.getTime(), NOW.getTime());
    // A page past the end shows the last page.
    assert.equal(notifications.listForViewer(owner, 99).page, 2);
    const ids = new Set([...first.items, ...second.items].map((item) => item.id));
    assert.equal(ids.size, 25);
    // Rowan's list has none of them.
    assert.ok(notifications.listForViewer(rowan, 1).items.every((item) => !ids.has(item.id)));

    assert.equal(notifications.markAllRead(owner, minutes(30)), 25);
    assert.equal(notifications.countUnread(owner), 0);
    assert.equal(notifications.listForViewer(owner, 1).items.filter((item) => item.unread).length, 0);
    assert.equal(notifications.countUnread(rowan), rowanUnread);
    assert.equal(notifications.markAllRead(owner), 0);
  });

  test("a notification link must be a path in the app", () => {
    assert.throws(() => db.transaction((tx) => notifications.notify(tx, userId, "supporter.lapsed", "https://evil.example/")));
    assert.throws(() => db.transaction((tx) => notifications.notify(tx, userId, "supporter.lapsed", "//evil.example/")));
  });
});
