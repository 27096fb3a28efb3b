import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { count, inArray, sql } from "drizzle-orm";

import { openDatabase, type Db } from "@/db/client";
import { runMigrations } from "@/db/migrate";
import { audit } from "@/lib/audit";
import { databasePath } from "@/lib/env";
import { COORDINATORS, MEMBERSHIPS, NETWORKS, ROLE_GRANTS, STAFF, SUPPORTERS } from "./seed-data";
import {
  networkCoordinators,
  networkMemberships,
  networks,
  roleGrants,
  supporterAttributes,
  supporters,
  users,
} from "./schema";

function lookup(ids: ReadonlyMap<string, string>, key: string, what: string): string {
  const id = ids.get(key);
  // A typo in seed-data must stop the seed, not insert a dangling reference.
  if (id === undefined) throw new Error(`Seed data refers to an unknown ${what}: ${key}`);
  return id;
}

// Networks are the marker of a seeded database: a live force creates its networks once, so their presence means
// "leave this database alone", even if people have since edited or archived them.
export function seedDemo(db: Db): { created: boolean } {
  // IMMEDIATE takes the write lock before the check, so the demo start-up and a test run racing on one file cannot
  // both decide to seed.
  const grantedUserIds = db.transaction(
    (tx): string[] | null => {
      const existing = tx.select({ n: count() }).from(networks).get();
      if ((existing?.n ?? 0) > 0) return null;

      const now = new Date();

      // A demo account may already have signed in (just-in-time account) before the seed ran: keep that record,
      // since its id is linked to the identity provider's subject.
      const emails = STAFF.map((s) => s.email.toLowerCase());
      const userIds = new Map<string, string>(
        tx
          .select({ id: users.id, email: sql<string>`lower(${users.email})` })
          .from(users)
          .where(inArray(sql`lower(${users.email})`, emails))
          .all()
          .map((u) => [u.email, u.id]),
      );
      const newUsers = STAFF.filter((s) => !userIds.has(s.email.toLowerCase())).map((s) => {
        const id = crypto.randomUUID();
        userIds.set(s.email.toLowerCase(), id);
        return { id, email: s.email.toLowerCase(), name: s.name, department: s.department, site: s.site, jobTitle: s.jobTitle };
      });
      if (newUsers.length > 0) tx.insert(users).values(newUsers).run();
      const userId = (email: string) => lookup(userIds, email.toLowerCase(), "person");

      const networkIds = new Map<string, string>();
      tx.insert(networks)
        .values(
          NETWORKS.map((n) => {
            const id = crypto.randomUUID();
            networkIds.set(n.slug, id);
            return {
              id,
              slug: n.slug,
              name: n.name,
              summary: n.summary,
              description: n.description,
              whoFor: n.whoFor,
              howToJoin: n.howToJoin,
              offers: n.offers,
              contactMailbox: n.contactMailbox,
              joinPolicy: n.joinPolicy,
              status: "active" as const,
            };
          }),
        )
        .run();
      const networkId = (slug: string) => lookup(networkIds, slug, "network");

      const attributes: (typeof supporterAttributes.$inferInsert)[] = [];
      tx.insert(supporters)
        .values(
          SUPPORTERS.map((s) => {
            const id = crypto.randomUUID();
            attributes.push(
              ...s.specialisms.map((value) => ({ supporterId: id, kind: "specialism" as const, value })),
              ...s.languages.map((value) => ({ supporterId: id, kind: "language" as const, value })),
              ...s.contactMethods.map((value) => ({ supporterId: id, kind: "contact_method" as const, value })),
            );
            return {
              id,
              userId: userId(s.email),
              status: s.status,
              roleTitle: s.roleTitle,
              site: s.site,
              introduction: s.introduction,
              workingPattern: s.workingPattern,
              trainedOn: s.trainedOn,
              refresherDue: s.refresherDue,
              pausedUntil: s.pausedUntil,
              pauseReason: s.pauseReason,
              capacity: s.capacity,
            };
          }),
        )
        .run();
      tx.insert(supporterAttributes).values(attributes).run();

      tx.insert(networkCoordinators)
        .values(COORDINATORS.map((c) => ({ networkId: networkId(c.network), userId: userId(c.email) })))
        .run();

      tx.insert(networkMemberships)
        .values(
          MEMBERSHIPS.map((m) => ({
            networkId: networkId(m.network),
            userId: userId(m.email),
            status: m.status,
            visibility: m.visibility,
            decidedAt: m.status === "active" ? now : null,
          })),
        )
        .run();

      const grants = ROLE_GRANTS.map((g) => ({ userId: userId(g.email), role: g.role, grantedBy: null }));
      // A grant made by hand (npm run grant) before the first seed is kept as it is.
      tx.insert(roleGrants).values(grants).onConflictDoNothing().run();

      return grants.map((g) => g.userId);
    },
    { behavior: "immediate" },
  );

  if (grantedUserIds === null) return { created: false };
  // Role changes are audited like any other. lib/audit opens its own IMMEDIATE transaction, which cannot nest
  // inside the seed's, so the events follow the commit.
  for (const id of grantedUserIds) {
    audit({ actorId: null, action: "role.granted", objectType: "user", objectId: id, outcome: "success" }, db);
  }
  return { created: true };
}

function main(): void {
  const database = openDatabase(databasePath());
  try {
    runMigrations(database);
    const { created } = seedDemo(database);
    console.log(created ? "Seeded demo data" : "Demo data already present");
  } finally {
    database.$client.close();
  }
}

// Run as a script (node --import tsx db/seed.ts), not when imported by the demo start-up or tests. Node gives
// modules their real path but argv[1] as typed, so a symlinked checkout would otherwise never match.
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) main();
