import { randomUUID } from "node:crypto";

import { db } from "@/db/client";
import { sendFeedback } from "@/db/queries/feedback";
import { addMessage, createRequest, declineRequest } from "@/db/queries/requests";
import { loadSessionUser } from "@/db/queries/users";

// A writer for tests/backup-restore.test.ts: an app-like process that writes confidential content through the real
// data access layer (encrypted with the configured key), with DATABASE_PATH and CONFIDE_DATA_KEY from its parent.
// After each write commits it prints one JSON line, its acknowledgement: what was written and where. It stops when
// its standard input closes.
//
//   node --conditions=react-server --import tsx tests/support/backup-writer.ts <name> <supporter user id>:<supporter id>,…

export type Ack =
  | { kind: "request"; id: string; message: string; safeContact: string }
  | { kind: "message"; id: string; requestId: string; body: string }
  | { kind: "decline"; requestId: string; reason: string }
  | { kind: "feedback"; body: string };

const [name = "writer", supporterList = ""] = process.argv.slice(2);
const supporters = supporterList.split(",").map((pair) => {
  const [userId = "", supporterId = ""] = pair.split(":");
  return { userId, supporterId };
});

let stopping = false;
process.stdin.on("end", () => (stopping = true));
process.stdin.on("close", () => (stopping = true));
process.stdin.resume();

const ack = (a: Ack) => process.stdout.write(`${JSON.stringify(a)}\n`);

function viewer(userId: string) {
  const user = loadSessionUser(userId);
  if (!user) throw new Error(`no user ${userId}`);
  return user;
}

function newPerson(n: number): string {
  const id = randomUUID();
  db.$client.prepare("INSERT INTO users (id, email, name) VALUES (?, ?, ?)").run(id, `${id}@example.org`, `Drill ${name} ${n}`);
  return id;
}

async function main(): Promise<void> {
  for (let n = 0; !stopping; n += 1) {
    const to = supporters[n % supporters.length]!;
    const requester = newPerson(n);
    const marker = `${name}-${n}-${randomUUID()}`;
    const message = `I am being treated unfairly at work. ${marker}`;
    const safeContact = `Personal mobile 07700 900${String(n % 1000).padStart(3, "0")} after 6pm. ${marker}`;
    const { id } = createRequest(viewer(requester), {
      supporterId: to.supporterId,
      category: "unfair_treatment",
      message,
      contactMethod: "in_app",
      safeContact,
      anonymous: n % 5 === 0,
      preferOutsideDepartment: false,
      excludedUserIds: [],
      acknowledgeLimits: true,
    });
    ack({ kind: "request", id, message, safeContact });

    const body = `It happened again today. ${marker}`;
    addMessage(viewer(requester), id, body);
    const messageId = (db.$client.prepare("SELECT id FROM request_messages WHERE request_id = ? ORDER BY rowid DESC LIMIT 1").get(id) as { id: string }).id;
    ack({ kind: "message", id: messageId, requestId: id, body });

    if (n % 3 === 0) {
      const reason = `I am on leave for a month; please choose someone else. ${marker}`;
      declineRequest(viewer(to.userId), id, reason);
      ack({ kind: "decline", requestId: id, reason });
    }
    if (n % 4 === 0) {
      const feedback = `The directory was hard to search. ${marker}`;
      sendFeedback(viewer(requester), { topic: null, body: feedback, anonymous: n % 8 === 0, volunteer: false });
      ack({ kind: "feedback", body: feedback });
    }
    // Lets the end of standard input be seen between writes.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});
