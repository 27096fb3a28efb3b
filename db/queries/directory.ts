import "server-only";

import { and, asc, eq, inArray, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import type { SessionUser } from "@/lib/auth/session";
import { availabilityOf, type Availability } from "@/lib/availability";
import { today } from "@/lib/clock";
import { NotFoundError } from "@/lib/errors";
import { CONTACT_METHODS, LANGUAGES, SPECIALISMS, type ContactMethod } from "@/lib/vocabulary";
import { db } from "../client";
import { supporterAttributes, supporters, users } from "../schema";
import { DIRECTORY_PAGE_SIZE, type DirectoryFilters } from "../validation/directory";
import { cacheUntilChange, versionOf } from "./cache";
import { availableOn, listedOn } from "./supporter-rules";

// The equality supporter directory and profiles. Every member of staff may read them (DESIGN: permission matrix),
// but only for listed supporters: lapsed, retired, overdue and deactivated supporters are not in any result, so
// their profile URL is the same 404 as a random one. The DTOs name their columns: a supporter's email address,
// training date and private pause reason never leave this module.

export type SupporterSummary = {
  id: string;
  name: string;
  roleTitle: string;
  site: string;
  introduction: string;
  specialisms: string[];
  languages: string[];
  contactMethods: ContactMethod[];
  availability: Availability;
};

export type SupporterProfile = SupporterSummary & {
  workingPattern: string;
  /** The viewer is looking at their own profile (and cannot ask themselves for contact). */
  isViewer: boolean;
};

export type DirectoryPage = {
  entries: SupporterSummary[];
  total: number;
  /** The page shown, which is the last page when the one asked for is beyond the end. */
  page: number;
  pageCount: number;
  pageSize: number;
};

// A supporter created without a name from single sign-on still needs a heading; their email is never shown instead.
const NAME_FALLBACK = "Name not recorded";

const viewerUser = alias(users, "viewer_user");

// LIKE treats % and _ as wildcards; escape them (and the escape character) so a search matches what was typed.
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function contains(column: SQLWrapper, pattern: string): SQL {
  return sql`${column} like ${pattern} escape '\\'`;
}

// The attribute filters use the primary key (supporter_id, kind, value): one index probe per candidate supporter.
function hasAttribute(kind: "specialism" | "language" | "contact_method", value: string): SQL {
  return sql`exists (select 1 from ${supporterAttributes} where ${supporterAttributes.supporterId} = ${supporters.id}
    and ${supporterAttributes.kind} = ${kind} and ${supporterAttributes.value} = ${value})`;
}

// Every word must appear in the name, the site or one of the specialisms, so "race loughborough" narrows down.
// LIKE ignores letter case (for ASCII letters, as names and sites are written here).
function matchesSearch(q: string): SQL | undefined {
  const terms = [...new Set(q.split(/\s+/).filter(Boolean))];
  return and(
    ...terms.map((term) => {
      const pattern = likePattern(term);
      return or(
        contains(users.name, pattern),
        contains(supporters.site, pattern),
        sql`exists (select 1 from ${supporterAttributes} where ${supporterAttributes.supporterId} = ${supporters.id}
          and ${supporterAttributes.kind} = 'specialism' and ${contains(supporterAttributes.value, pattern)})`,
      );
    }),
  );
}

// "Not in my department": IS NOT keeps supporters with no department recorded, and a viewer with no department
// of their own sees everyone.
function outsideViewersDepartment(viewer: SessionUser): SQL {
  const department = db.select({ department: viewerUser.department }).from(viewerUser).where(eq(viewerUser.id, viewer.id));
  return sql`(${department} is null or ${users.department} is not ${department})`;
}

function conditions(viewer: SessionUser, filters: DirectoryFilters, on: string): SQL | undefined {
  return and(
    listedOn(on),
    filters.site ? eq(supporters.site, filters.site) : undefined,
    filters.specialism ? hasAttribute("specialism", filters.specialism) : undefined,
    filters.language ? hasAttribute("language", filters.language) : undefined,
    filters.contactMethod ? hasAttribute("contact_method", filters.contactMethod) : undefined,
    filters.notMyDepartment ? outsideViewersDepartment(viewer) : undefined,
    filters.q ? matchesSearch(filters.q) : undefined,
    // listedOn again, so SQLite sees the same terms twice: harmless, and availableOn stays the one definition.
    filters.availableNow ? availableOn(on) : undefined,
  );
}

// The supporters that match, as (id, name), unsorted. "Available now" is supporter-rules availableOn: listed, not
// paused, and fewer open requests than capacity (supporters.open_requests, kept by triggers).
function matching(viewer: SessionUser, filters: DirectoryFilters, on: string) {
  return db
    .select({
      matchedId: sql<string>`${supporters.id}`.as("matched_id"),
      sortName: sql<string | null>`${users.name}`.as("sort_name"),
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(conditions(viewer, filters, on))
    .as("matching");
}

const summaryColumns = {
  id: supporters.id,
  name: users.name,
  roleTitle: supporters.roleTitle,
  site: supporters.site,
  introduction: supporters.introduction,
  status: supporters.status,
  pausedUntil: supporters.pausedUntil,
  capacity: supporters.capacity,
};

type SummaryRow = {
  id: string;
  name: string | null;
  roleTitle: string;
  site: string;
  introduction: string;
  status: "active" | "paused" | "lapsed" | "retired";
  pausedUntil: string | null;
  capacity: number;
  openRequests: number;
};

type Attributes = { specialisms: string[]; languages: string[]; contactMethods: ContactMethod[] };

function vocabularyOrder(list: readonly string[]) {
  return (a: string, b: string) => list.indexOf(a) - list.indexOf(b) || a.localeCompare(b);
}

function isContactMethod(value: string): value is ContactMethod {
  return (CONTACT_METHODS as readonly string[]).includes(value);
}

// One statement for the attributes of a whole page of supporters, never one per supporter.
function attributesOf(supporterIds: readonly string[]): Map<string, Attributes> {
  const bySupporter = new Map<string, Attributes>(
    supporterIds.map((id) => [id, { specialisms: [], languages: [], contactMethods: [] }]),
  );
  if (supporterIds.length === 0) return bySupporter;
  const rows = db
    .select({ supporterId: supporterAttributes.supporterId, kind: supporterAttributes.kind, value: supporterAttributes.value })
    .from(supporterAttributes)
    .where(inArray(supporterAttributes.supporterId, [...supporterIds]))
    .all();
  for (const row of rows) {
    const entry = bySupporter.get(row.supporterId);
    if (!entry) continue;
    if (row.kind === "specialism") entry.specialisms.push(row.value);
    else if (row.kind === "language") entry.languages.push(row.value);
    else if (isContactMethod(row.value)) entry.contactMethods.push(row.value);
  }
  // The fixed lists' order, so that every profile reads the same way (English first, in-app messages first).
  for (const entry of bySupporter.values()) {
    entry.specialisms.sort(vocabularyOrder(SPECIALISMS));
    entry.languages.sort(vocabularyOrder(LANGUAGES));
    entry.contactMethods.sort(vocabularyOrder(CONTACT_METHODS));
  }
  return bySupporter;
}

function toSummary(row: SummaryRow, attributes: Attributes | undefined, on: string): SupporterSummary {
  return {
    id: row.id,
    name: row.name?.trim() || NAME_FALLBACK,
    roleTitle: row.roleTitle,
    site: row.site,
    introduction: row.introduction,
    specialisms: attributes?.specialisms ?? [],
    languages: attributes?.languages ?? [],
    contactMethods: attributes?.contactMethods ?? [],
    availability: availabilityOf(
      { status: row.status, pausedUntil: row.pausedUntil, capacity: row.capacity, openRequests: row.openRequests },
      on,
    ),
  };
}

// The page's rows and the total in one statement (a window count). Every match has to be counted and sorted, so
// that part carries only the id and the sort key; the wide columns (introductions) are read in the outer query for
// the page's 20 rows only, not for every supporter that matched.
function pageOf(viewer: SessionUser, filters: DirectoryFilters, on: string, page: number) {
  const source = matching(viewer, filters, on);
  const matched = db
    .select({ matchedId: source.matchedId, sortName: source.sortName, total: sql<number>`count(*) over ()`.as("total") })
    .from(source)
    // Names can tie, so the id settles the order: every supporter is on exactly one page.
    .orderBy(sql`${source.sortName} collate nocase`, asc(source.matchedId))
    .limit(DIRECTORY_PAGE_SIZE)
    .offset((page - 1) * DIRECTORY_PAGE_SIZE)
    .as("matched");
  return db
    .select({ ...summaryColumns, name: matched.sortName, total: matched.total, openRequests: supporters.openRequests })
    .from(matched)
    .innerJoin(supporters, eq(supporters.id, matched.matchedId))
    .orderBy(sql`${matched.sortName} collate nocase`, asc(matched.matchedId))
    .all();
}

function countOf(viewer: SessionUser, filters: DirectoryFilters, on: string): number {
  const row = db.select({ total: sql<number>`count(*)` }).from(matching(viewer, filters, on)).get();
  return row?.total ?? 0;
}

// A page of the directory is the same for everyone who asks with the same filters on the same day, except for "Not
// in my department", so those pages are kept until a supporter, their facts or their user changes (the directory
// version: migration 0014's triggers). The most read page, the first page unfiltered, is then computed once per change.
const directoryCache = cacheUntilChange<DirectoryPage>(64, versionOf("directory"));

export function listDirectory(viewer: SessionUser, filters: DirectoryFilters): DirectoryPage {
  const on = today();
  if (filters.notMyDepartment) return directoryPage(viewer, filters, on);
  const { q, specialism, site, contactMethod, language, availableNow, page } = filters;
  const key = JSON.stringify([on, q, specialism, site, contactMethod, language, availableNow, page]);
  return directoryCache.get(key, () => directoryPage(viewer, filters, on));
}

function directoryPage(viewer: SessionUser, filters: DirectoryFilters, on: string): DirectoryPage {
  let page = filters.page;
  let rows = pageOf(viewer, filters, on, page);
  let total = rows[0]?.total ?? 0;
  // A page beyond the end (an old bookmark, a roster that shrank): show the last page rather than nothing.
  if (rows.length === 0 && page > 1) {
    total = countOf(viewer, filters, on);
    if (total > 0) {
      page = Math.ceil(total / DIRECTORY_PAGE_SIZE);
      rows = pageOf(viewer, filters, on, page);
    } else {
      page = 1;
    }
  }
  const attributes = attributesOf(rows.map((r) => r.id));
  return {
    entries: rows.map((row) => toSummary(row, attributes.get(row.id), on)),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE)),
    pageSize: DIRECTORY_PAGE_SIZE,
  };
}

const sitesCache = cacheUntilChange<string[]>(2, versionOf("directory"));

// The site filter offers the sites where someone is listed today, so no option leads to an empty page. The same
// for everyone, and read on every directory page, so kept until the database changes.
export function listDirectorySites(_viewer: SessionUser): string[] {
  const on = today();
  return sitesCache.get(on, () =>
    db
      .selectDistinct({ site: supporters.site })
      .from(supporters)
      .innerJoin(users, eq(users.id, supporters.userId))
      .where(listedOn(on))
      .orderBy(sql`${supporters.site} collate nocase`)
      .all()
      .map((r) => r.site),
  );
}

export function getSupporterProfile(viewer: SessionUser, supporterId: string): SupporterProfile {
  const on = today();
  const row = db
    .select({
      ...summaryColumns,
      workingPattern: supporters.workingPattern,
      userId: supporters.userId,
      openRequests: supporters.openRequests,
    })
    .from(supporters)
    .innerJoin(users, eq(users.id, supporters.userId))
    .where(and(eq(supporters.id, supporterId), listedOn(on)))
    .get();
  if (!row) throw new NotFoundError("supporter");
  const attributes = attributesOf([row.id]).get(row.id);
  return {
    ...toSummary(row, attributes, on),
    workingPattern: row.workingPattern,
    isViewer: row.userId === viewer.id,
  };
}
