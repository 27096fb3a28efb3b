import { sql } from "drizzle-orm";

import { db } from "@/db/client";
import { acknowledgeRequest, closeRequest } from "@/db/queries/requests";
import { loadSessionUser } from "@/db/queries/users";
import { users } from "@/db/schema";
import { REQUEST_OUTCOMES, type RequestOutcome } from "@/lib/vocabulary";
import { deliverPendingMail } from "@/lib/mail";

// Test setup for e2e/request-retention.spec.ts, run as a child process by e2e/retention-helpers.ts with the test
// app's own configuration: the assigned supporter acknowledges (if still new) and closes a request through the real
// data access layer, with its real status history, audit and notifications. Not part of the app; no route reaches it.
//
//   node --conditions=react-server --import tsx e2e/retention-close-request.ts '{"id": "…", "supporter": "…", "outcome": "…"}'

type Input = { id: string; supporter: string; outcome: string };

function isOutcome(value: string): value is RequestOutcome {
  return Object.hasOwn(REQUEST_OUTCOMES, value);
}

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: retention-close-request.ts '<json>'");
  const input = JSON.parse(raw) as Input;
  if (!isOutcome(input.outcome)) throw new Error(`unknown outcome ${input.outcome}`);
  const user = db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${input.supporter.toLowerCase()}`).get();
  const viewer = user ? loadSessionUser(user.id) : null;
  if (!viewer) throw new Error(`${input.supporter} cannot sign in`);
  const status = db.$client.prepare("SELECT status FROM support_requests WHERE id = ?").pluck().get(input.id);
  if (status === "new") acknowledgeRequest(viewer, input.id);
  closeRequest(viewer, input.id, input.outcome);
  // What the app does after its own commit: send the queued (content-free) mail now.
  await deliverPendingMail();
  console.log(JSON.stringify({ id: input.id }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
