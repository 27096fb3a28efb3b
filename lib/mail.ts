import fs from "node:fs";
import path from "node:path";

import { and, asc, eq, isNull, lt, lte } from "drizzle-orm";
import nodemailer from "nodemailer";

import { db as defaultDb, type Db } from "@/db/client";
import { mailOutbox, users } from "@/db/schema";
import { clock } from "./clock";
import { env } from "./env";
import { logEvent } from "./log";

// Mail is content-free (DESIGN: "Notifications say nothing"): every message, whatever caused it, has the same
// subject and body, so an inbox, a mail server log or a shoulder-surfer learns only that something happened.
// The kind is kept on the outbox row for operators; it never goes into the message.
export const MAIL_SUBJECT = "New update in Confide";
export const MAIL_TEXT = "You have a new update in Confide. Sign in to read it.";

// After this many failures the row is left alone (sentAt null) for the Equality Unit to see and follow up.
export const MAIL_MAX_ATTEMPTS = 10;
// Minutes to wait after the 1st, 2nd, 3rd failure…; the last value repeats.
const BACKOFF_MINUTES = [1, 5, 15, 60] as const;
// A claimed row is hidden from other senders this long, so two maintenance runs at once cannot both send it;
// if a sender dies mid-way, the row becomes due again after the lease.
const CLAIM_LEASE_MS = 10 * 60_000;
const BATCH_SIZE = 200;

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type MailRecipient = { userId: string } | { email: string };

// Queued inside the caller's transaction, so the mail exists if and only if the change that caused it committed.
// Sending happens later (deliverPendingMail), so a slow or broken mail server never blocks or undoes the change.
// Returns false when there is nobody to write to (unknown or deactivated account).
export function queueMail(tx: Tx, to: MailRecipient, kind: string, at: Date = clock.now()): boolean {
  let address: string | undefined;
  if ("email" in to) {
    address = to.email;
  } else {
    // A leaver's work mailbox may be read by someone else: nothing goes to a deactivated account.
    address = tx
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, to.userId), isNull(users.deactivatedAt)))
      .get()?.email;
  }
  if (!address) return false;
  tx.insert(mailOutbox).values({ toAddress: address, kind, nextAttemptAt: at, createdAt: at }).run();
  return true;
}

export type MailConfig = {
  smtpUrl?: string;
  outboxDir?: string;
  from: string;
  appUrl: string;
};

export function mailConfig(): MailConfig {
  const cfg = env();
  return { smtpUrl: cfg.SMTP_URL, outboxDir: cfg.MAIL_OUTBOX_DIR, from: cfg.MAIL_FROM, appUrl: cfg.APP_URL };
}

type Message = { id: string; to: string };

type Sender = {
  send(message: Message): Promise<void>;
  close(): void;
};

function mailOptions(config: MailConfig, to: string) {
  return {
    from: config.from,
    to,
    subject: MAIL_SUBJECT,
    text: `${MAIL_TEXT}\n\n${config.appUrl}\n`,
    // Stops out-of-office replies, which would otherwise bounce back to a no-reply address.
    headers: { "Auto-Submitted": "auto-generated" },
    // The message is fixed text, but refuse file and URL attachments outright all the same.
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function smtpSender(config: MailConfig & { smtpUrl: string }): Sender {
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    // One reused connection per run; maintenance must never hang on an unreachable server.
    pool: true,
    maxConnections: 1,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      await transport.sendMail(mailOptions(config, message.to));
    },
    close: () => transport.close(),
  };
}

// The demo has no mail server: each message becomes an .eml file that any mail program can open.
function outboxSender(config: MailConfig & { outboxDir: string }): Sender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      const info = await transport.sendMail(mailOptions(config, message.to));
      fs.mkdirSync(config.outboxDir, { recursive: true, mode: 0o700 });
      const stamp = clock.now().toISOString().replace(/[:.]/g, "-");
      // The file holds an address, so it is private to the service account, like the database.
      fs.writeFileSync(path.join(config.outboxDir, `${stamp}-${message.id}.eml`), info.message as Buffer, { mode: 0o600 });
    },
    close: () => transport.close(),
  };
}

class MailNotConfiguredError extends Error {
  readonly code = "ECONFIG";
}

function senderFor(config: MailConfig): Sender {
  if (config.smtpUrl) return smtpSender({ ...config, smtpUrl: config.smtpUrl });
  if (config.outboxDir) return outboxSender({ ...config, outboxDir: config.outboxDir });
  return {
    send: () => Promise.reject(new MailNotConfiguredError("Set SMTP_URL or MAIL_OUTBOX_DIR")),
    close: () => undefined,
  };
}

// Error codes only (nodemailer's ESOCKET, EENVELOPE, … and the SMTP reply code): server messages can quote the
// recipient's address, which must not sit in the database or the log.
function shortError(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const name = typeof code === "string" && /^[A-Z0-9_]{1,20}$/.test(code) ? code : "ERROR";
  return typeof responseCode === "number" ? `${name} ${responseCode}` : name;
}

// When the server cannot be reached or refuses us, every other message in the batch would fail the same way
// (each after a timeout), so the rest wait for the next run instead.
const SERVER_ERRORS = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "EAUTH", "ETLS", "EPROTOCOL", "ECONFIG"]);

export function backoffMs(attempts: number): number {
  const minutes = BACKOFF_MINUTES[Math.min(attempts, BACKOFF_MINUTES.length) - 1] ?? BACKOFF_MINUTES[0];
  return minutes * 60_000;
}

export type DeliveryResult = { sent: number; failed: number };

// Sends the due messages, marking each sent or scheduling its retry. Each row is claimed with a conditional
// UPDATE first, so concurrent callers (two maintenance runs, the app after a commit) never send it twice.
export async function deliverPendingMail(
  now: Date = clock.now(),
  config: MailConfig = mailConfig(),
  database: Db = defaultDb,
): Promise<DeliveryResult> {
  const due = database
    .select({ id: mailOutbox.id, to: mailOutbox.toAddress, attempts: mailOutbox.attempts })
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.sentAt), lte(mailOutbox.nextAttemptAt, now), lt(mailOutbox.attempts, MAIL_MAX_ATTEMPTS)))
    .orderBy(asc(mailOutbox.nextAttemptAt))
    .limit(BATCH_SIZE)
    .all();
  const result: DeliveryResult = { sent: 0, failed: 0 };
  if (due.length === 0) return result;

  const sender = senderFor(config);
  try {
    for (const row of due) {
      const claimed = database
        .update(mailOutbox)
        .set({ nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
        .where(and(eq(mailOutbox.id, row.id), isNull(mailOutbox.sentAt), lte(mailOutbox.nextAttemptAt, now)))
        .run();
      if (claimed.changes !== 1) continue;
      try {
        await sender.send({ id: row.id, to: row.to });
        database.update(mailOutbox).set({ sentAt: now, lastError: null }).where(eq(mailOutbox.id, row.id)).run();
        result.sent += 1;
      } catch (error) {
        const attempts = row.attempts + 1;
        const lastError = shortError(error);
        database
          .update(mailOutbox)
          .set({ attempts, lastError, nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) })
          .where(eq(mailOutbox.id, row.id))
          .run();
        result.failed += 1;
        // The row id is enough to find it; the address stays out of the log.
        logEvent(attempts >= MAIL_MAX_ATTEMPTS ? "error" : "warn", "mail.failed", { mailId: row.id, attempts, error: lastError });
        if (SERVER_ERRORS.has(lastError.split(" ")[0] ?? "")) break;
      }
    }
  } finally {
    sender.close();
  }
  return result;
}

// For the app: send right after the transaction that queued the mail has committed, without making the person
// wait for the mail server. Whatever fails here is retried by the next maintenance run.
export function deliverPendingMailSoon(): void {
  deliverPendingMail().catch((error: unknown) => logEvent("error", "mail.delivery_crashed", { error: shortError(error) }));
}
