import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

import type { SMTPServer } from "smtp-server";

import { startSmtpCapture } from "../scripts/smtp-capture";
import { expect, test } from "./fixtures";
import { portIsClosed } from "./support/own-servers";
import { PORTS, signInTo, startOwnStack, type OwnStack } from "./support/soak-stack";

// Item 7 of issue 9, "SMTP down": with the mail server unreachable, Mo Mail asks for support and sends a message
// through the real pages of an app of this spec's own (its own IdP, a copy of the run's database, and an SMTP
// address nothing listens on). He sees success; the request, the message and their (content-free) mail are saved,
// each mail with one failed attempt and a retry time a back-off later; nothing he wrote or who is involved reaches
// the server's log. Then the SMTP capture comes up and the real `npm run maintenance` delivers each mail exactly
// once, and only once it is due.
//
// The supporter is made in the copy only (an address no other journey uses), so every mail to that address is
// this spec's own.

const ROOT = path.resolve(__dirname, "..");
const MO = { email: "mo.mail@example.org", name: "Mo Mail" };
const SMTP_URL = `smtp://127.0.0.1:${PORTS.smtpDown.smtp}`;
// lib/mail.ts: the wait after a first failure.
const FIRST_BACKOFF_MS = 60_000;

type MailRow = { id: string; to_address: string; attempts: number; last_error: string | null; next_attempt_at: number; sent_at: number | null; created_at: number };

// Asynchronous: the SMTP capture it sends to runs in this (the test's) process, which must keep answering.
function runMaintenance(stack: OwnStack): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/maintenance.ts"], { cwd: ROOT, env: stack.env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (status) => resolve({ status, stdout, stderr })));
}

const mailTo = (stack: OwnStack, address: string): MailRow[] =>
  stack.withDb((db) => db.prepare("SELECT * FROM mail_outbox WHERE to_address = ? ORDER BY created_at").all(address) as MailRow[]);

const captured = (folder: string, address: string): string[] =>
  (fs.existsSync(folder) ? fs.readdirSync(folder) : [])
    .map((file) => fs.readFileSync(path.join(folder, file), "utf8"))
    .filter((raw) => new RegExp(`^To: ${address.replace(/[.]/g, "\\.")}$`, "im").test(raw));

test("with the mail server down, a request and a message are saved and their mail is sent later, exactly once", async ({ browser }) => {
  test.setTimeout(90_000);
  const tag = randomUUID().slice(0, 8);
  const supporter = { userId: randomUUID(), supporterId: randomUUID(), email: `mail.supporter.${tag}@example.org`, name: `Mail Supporter ${tag}` };
  const requestMarker = `SMTPDOWN-REQUEST-${randomUUID()}`;
  const messageMarker = `SMTPDOWN-MESSAGE-${randomUUID()}`;
  expect(await portIsClosed(PORTS.smtpDown.smtp), "nothing listens on the spec's SMTP port").toBe(true);

  const stack = await startOwnStack("smtp-down", PORTS.smtpDown, {
    env: { SMTP_URL },
    prepare: (db) => {
      // Mail the copied database still had queued belongs to other journeys' people: it is not this spec's to send.
      db.prepare("UPDATE mail_outbox SET sent_at = ? WHERE sent_at IS NULL").run(Date.now());
      db.prepare("INSERT INTO users (id, email, name, department, site) VALUES (?, ?, ?, 'Mail Test', 'Force HQ')").run(
        supporter.userId,
        supporter.email,
        supporter.name,
      );
      db.prepare(
        `INSERT INTO supporters (id, user_id, status, role_title, site, trained_on, refresher_due, capacity)
         VALUES (?, ?, 'active', 'Police Constable', 'Force HQ', '2026-01-01', '2099-01-01', 5)`,
      ).run(supporter.supporterId, supporter.userId);
      db.prepare("INSERT INTO supporter_attributes (supporter_id, kind, value) VALUES (?, 'contact_method', 'in_app')").run(supporter.supporterId);
    },
  });
  let capture: SMTPServer | undefined;
  try {
    // Mo asks through the real form and sees the confirmation, not an error.
    const page = await signInTo(stack, browser, MO.email, `/supporters/${supporter.supporterId}/contact`);
    await page.getByRole("radio", { name: "Something else", exact: true }).check();
    await page.getByRole("textbox", { name: "Your message" }).fill(`I need to talk to someone. ${requestMarker}`);
    await page.getByRole("radio", { name: "Messages in Confide", exact: true }).check();
    await page.getByRole("checkbox", { name: "I have read and understand the limits of confidentiality" }).check();
    await page.getByRole("button", { name: "Send request" }).click();
    await expect(page).toHaveURL(new RegExp(`/supporters/${supporter.supporterId}/contact/sent/[0-9a-f-]{36}$`));
    await expect(page.getByRole("heading", { level: 1, name: "Request sent" })).toBeVisible();
    await expect(page).toHaveTitle("Request sent – Confide");
    const requestId = new URL(page.url()).pathname.split("/").at(-1) ?? "";

    // …and then a message in the conversation.
    await page.getByRole("link", { name: "Read your request and reply" }).click();
    await expect(page).toHaveURL(`${stack.appUrl}/requests/${requestId}`);
    await page.getByRole("textbox", { name: "Your message" }).fill(`One more thing. ${messageMarker}`);
    await page.getByRole("button", { name: "Send message" }).click();
    await expect(page).toHaveURL(`${stack.appUrl}/requests/${requestId}?done=replied`);
    await expect(page.getByText("Your message has been sent")).toBeVisible();
    await expect(page.getByRole("list", { name: "Messages, oldest first" })).toContainText(messageMarker);
    await expect(page.locator("main")).toContainText(requestMarker);
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText(/error|wrong/i);
    await page.context().close();

    // Saved: the request (Mo's, to the supporter) and its one message, both only as ciphertext.
    const saved = stack.withDb((db) => ({
      request: db
        .prepare(
          `SELECT r.status, r.message_cipher FROM support_requests r JOIN users u ON u.id = r.requester_id
           WHERE r.id = ? AND lower(u.email) = ? AND r.supporter_user_id = ?`,
        )
        .get(requestId, MO.email, supporter.userId) as { status: string; message_cipher: string } | undefined,
      messages: db.prepare("SELECT body_cipher FROM request_messages WHERE request_id = ?").all(requestId) as { body_cipher: string }[],
    }));
    expect(saved.request?.status).toBe("new");
    expect(saved.request?.message_cipher).not.toContain(requestMarker);
    expect(saved.messages).toHaveLength(1);
    expect(saved.messages[0]?.body_cipher).not.toContain(messageMarker);

    // Queued: one mail for the request and one for the message, each tried once by the app after its commit, failed,
    // and due again a back-off later.
    await expect
      .poll(() => mailTo(stack, supporter.email).map((row) => row.attempts), { message: "each mail was tried once by the app" })
      .toEqual([1, 1]);
    const queued = mailTo(stack, supporter.email);
    for (const row of queued) {
      expect(row.sent_at).toBeNull();
      expect(row.last_error).toMatch(/^(ECONNECTION|ESOCKET|ETIMEDOUT)$/);
      expect(row.next_attempt_at).toBeGreaterThanOrEqual(row.created_at + FIRST_BACKOFF_MS);
      expect(row.next_attempt_at).toBeGreaterThan(Date.now());
    }

    // The server logged the failures for operators, by mail id and error code only.
    const log = stack.app.output();
    for (const row of queued) expect(log).toContain(`"event":"mail.failed","mailId":"${row.id}"`);
    for (const secret of [requestMarker, messageMarker, MO.email, MO.name, supporter.email, supporter.name, requestId]) {
      expect(log, "the server's log").not.toContain(secret);
    }

    // The mail server comes back. A maintenance run before the retry time leaves the mail waiting…
    const outbox = path.join(path.dirname(stack.databasePath), "smtp-capture");
    capture = await startSmtpCapture(PORTS.smtpDown.smtp, outbox);
    const early = await runMaintenance(stack);
    expect(early.status, early.stderr).toBe(0);
    expect(mailTo(stack, supporter.email)).toEqual(queued);
    expect(captured(outbox, supporter.email)).toHaveLength(0);

    // …and once the retry time has come (the clock moved on by the first back-off), the run delivers each mail.
    stack.withDb((db) =>
      db
        .prepare("UPDATE mail_outbox SET next_attempt_at = next_attempt_at - ?, created_at = created_at - ? WHERE to_address = ?")
        .run(FIRST_BACKOFF_MS, FIRST_BACKOFF_MS, supporter.email),
    );
    const due = await runMaintenance(stack);
    expect(due.status, due.stderr).toBe(0);
    expect(Number(/mail sent (\d+), mail failed 0$/m.exec(due.stdout)?.[1] ?? 0), due.stdout).toBeGreaterThanOrEqual(2);
    const again = await runMaintenance(stack);
    expect(again.status, again.stderr).toBe(0);

    const sent = mailTo(stack, supporter.email);
    expect(sent.map((row) => [row.attempts, row.sent_at !== null, row.last_error])).toEqual([
      [1, true, null],
      [1, true, null],
    ]);
    // Exactly once each, and saying nothing but that there is an update.
    const mail = captured(outbox, supporter.email);
    expect(mail).toHaveLength(2);
    for (const raw of mail) {
      expect(raw).toMatch(/^Subject: New update in Confide$/m);
      expect(raw).toContain(`You have a new update in Confide. Sign in to read it.\n\n${stack.appUrl}`);
      const withoutRecipient = raw.replace(/^To: .*$/m, "");
      for (const secret of [requestMarker, messageMarker, MO.email, MO.name, supporter.name, requestId, "Something else", "wellbeing"]) {
        expect(withoutRecipient).not.toContain(secret);
      }
    }
    for (const secret of [requestMarker, messageMarker, MO.email, supporter.email, requestId]) {
      for (const output of [early, due, again]) expect(output.stdout + output.stderr, "maintenance's output").not.toContain(secret);
      expect(stack.app.output(), "the server's log").not.toContain(secret);
    }
  } finally {
    await new Promise<void>((resolve) => (capture ? capture.close(() => resolve()) : resolve()));
    await stack.stop();
  }
});
