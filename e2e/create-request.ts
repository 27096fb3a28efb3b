import { eq, sql } from "drizzle-orm";

import { db } from "@/db/client";
import { addMessage, createRequest } from "@/db/queries/requests";
import { loadSessionUser } from "@/db/queries/users";
import { supporters, users } from "@/db/schema";
import { CreateRequestInput } from "@/db/validation/requests";
import { deliverPendingMail } from "@/lib/mail";

// Test setup for the end-to-end journeys, run as a child process by e2e/request-helpers.ts with the test app's own
// configuration (database, data key, mail outbox): it sends a request the way the ask form will, through the real
// data access layer as the requester, with the real encryption, audit, notification and mail. It is not part of
// the app and no route reaches it. Once the ask form exists, journeys should use that instead.
//
//   node --conditions=react-server --import tsx e2e/create-request.ts '<json>'
//
// Prints {"id": "<request id>"}.

type Input = {
  requester: string;
  supporter: string;
  message: string;
  category?: string;
  protectedCharacteristic?: string;
  contactMethod?: string;
  safeContact?: string;
  anonymous?: boolean;
  preferOutsideDepartment?: boolean;
  /** Emails of people who must not be involved. */
  excluded?: string[];
  /** Messages after the request, in order, each from the requester or the supporter. */
  replies?: { from: "requester" | "supporter"; body: string }[];
};

function userIdOf(email: string): string {
  const row = db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`).get();
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

function viewerOf(email: string) {
  const viewer = loadSessionUser(userIdOf(email));
  if (!viewer) throw new Error(`${email} cannot sign in`);
  return viewer;
}

async function main(): Promise<void> {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: create-request.ts '<json>'");
  const input = JSON.parse(raw) as Input;
  const supporter = db.select({ id: supporters.id }).from(supporters).where(eq(supporters.userId, userIdOf(input.supporter))).get();
  if (!supporter) throw new Error(`${input.supporter} is not a supporter`);
  const parsed = CreateRequestInput.parse({
    supporterId: supporter.id,
    category: input.category ?? "bullying_harassment",
    protectedCharacteristic: input.protectedCharacteristic,
    message: input.message,
    contactMethod: input.contactMethod ?? "in_app",
    safeContact: input.safeContact ?? "",
    anonymous: input.anonymous ?? false,
    preferOutsideDepartment: input.preferOutsideDepartment ?? false,
    excludedUserIds: (input.excluded ?? []).map(userIdOf),
    acknowledgeLimits: true,
  });
  const requester = viewerOf(input.requester);
  const { id } = createRequest(requester, parsed);
  for (const reply of input.replies ?? []) {
    addMessage(reply.from === "requester" ? requester : viewerOf(input.supporter), id, reply.body);
  }
  // What the app does after its own commit: send the queued (content-free) mail now.
  await deliverPendingMail();
  console.log(JSON.stringify({ id }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
