import "server-only";

import { and, eq, inArray, isNull, sql } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { appendAudit } from "@/lib/audit";
import { clock } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { db } from "../client";
import { networkCoordinators, networks, roleGrants, supporters, users, type TextSize } from "../schema";
import { departLeaver, type LeaverOutcome } from "./staff-admin";

// Roles are read from the database on every request (never from a token), in one statement. The subqueries are
// built with the query builder so that their columns are qualified with their table names. The statement runs on
// every request, so it is prepared once per process (lazily: importing this module prepares nothing).
function prepareSessionUser() {
  const equalityUnit = db
    .select({ one: sql`1` })
    .from(roleGrants)
    .where(and(eq(roleGrants.userId, users.id), eq(roleGrants.role, "equality_unit")));
  const supporterId = db
    .select({ id: supporters.id })
    .from(supporters)
    .where(and(eq(supporters.userId, users.id), inArray(supporters.status, ["active", "paused"])));
  const coordinates = db
    .select({ list: sql`json_group_array(json_object('slug', ${networks.slug}, 'name', ${networks.name}))` })
    .from(networkCoordinators)
    .innerJoin(networks, eq(networks.id, networkCoordinators.networkId))
    .where(and(eq(networkCoordinators.userId, users.id), eq(networks.status, "active")));
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      textSize: users.textSize,
      isEqualityUnit: sql<number>`exists ${equalityUnit}`,
      supporterId: sql<string | null>`${supporterId}`,
      coordinates: sql<string>`${coordinates}`,
    })
    .from(users)
    .where(and(eq(users.id, sql.placeholder("userId")), isNull(users.deactivatedAt)))
    .prepare();
}
let preparedSessionUser: ReturnType<typeof prepareSessionUser> | undefined;

export function loadSessionUser(userId: string): SessionUser | null {
  const row = (preparedSessionUser ??= prepareSessionUser()).get({ userId });
  if (!row) return null;
  return {
    id: row.id,
    email: row.email,
    name: row.name ?? row.email,
    textSize: row.textSize,
    isEqualityUnit: row.isEqualityUnit === 1,
    supporterId: row.supporterId,
    coordinates: JSON.parse(row.coordinates) as { slug: string; name: string }[],
  };
}

// The worked example of the data access layer pattern: the viewer can only ever change their own row,
// because the viewer's id is in the WHERE and no id comes from the form.
// The change and its audit event commit together.
export function updateTextSize(viewer: SessionUser, textSize: TextSize): void {
  db.transaction(
    (tx) => {
      const result = tx
        .update(users)
        .set({ textSize })
        .where(and(eq(users.id, viewer.id), isNull(users.deactivatedAt)))
        .run();
      if (result.changes !== 1) throw new NotFoundError("user");
      appendAudit(tx, { actorId: viewer.id, action: "account.preferences_updated", objectType: "user", objectId: viewer.id, outcome: "success" });
    },
    { behavior: "immediate" },
  );
}

export function isDeactivatedEmail(email: string): boolean {
  const row = db
    .select({ deactivatedAt: users.deactivatedAt })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .get();
  return Boolean(row?.deactivatedAt);
}

// npm run deactivate: the same departure as marking a leaver on /admin/staff (db/queries/staff-admin.ts), run by
// an operator, so the actor is null. Null when there is no staff record for the address.
export function deactivateUserByEmail(actorId: string | null, email: string): LeaverOutcome | null {
  return db.transaction(
    (tx) => {
      const user = tx
        .select({ id: users.id })
        .from(users)
        .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
        .get();
      if (!user) return null;
      return departLeaver(tx, { userId: user.id, actorId, now: clock.now() });
    },
    { behavior: "immediate" },
  );
}

export function recordSignIn(userId: string, name: string | null | undefined): void {
  db.update(users)
    .set({ lastSignInAt: clock.now(), ...(name ? { name } : {}) })
    .where(eq(users.id, userId))
    .run();
}
