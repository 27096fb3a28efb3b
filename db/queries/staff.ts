import "server-only";

import { and, asc, eq, isNotNull, isNull, or, sql, type Placeholder, type SQL } from "drizzle-orm";

import type { SessionUser } from "@/lib/auth/session";
import { db } from "../client";
import { staffNameKeys, users } from "../schema";

// Looking people up for the staff picker (adding a supporter; later, naming people who must not be involved in a
// request). Any signed-in member of staff may search, so a result says no more than the internal phone book would:
// name, department and site. Never an email address, a role, a supporter status or a network.

export type StaffSearchResult = { id: string; name: string; department: string | null; site: string | null };

export const STAFF_SEARCH_MIN_LENGTH = 2;
export const STAFF_SEARCH_MAX_LENGTH = 100;
export const STAFF_SEARCH_MAX_RESULTS = 20;

// LIKE treats % and _ as wildcards; a search for "a_b" means those three characters.
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// The viewer must still be an active member of staff: a session outliving deactivation finds no one. The id is a
// value, or a placeholder in a statement prepared once.
const viewerIsCurrent = (viewerId: string | Placeholder) =>
  sql`exists (select 1 from ${users} as viewer where viewer.id = ${viewerId} and viewer.deactivated_at is null)`;

const searchColumns = { id: users.id, name: users.name, department: users.department, site: users.site };

/**
 * Up to 20 current members of staff whose name, or any word of it, starts with `q`, or whose email address starts
 * with `q`, ignoring case (ASCII letters), in name order (then id). `q` must have at least 2 characters (code points:
 * a lone emoji is one character and finds no one, like a lone letter) and at most 100 UTF-16 units.
 *
 * Why it stays fast with 50,000 staff: names and email addresses are two statements, merged here.
 * - Names: staff_name_keys holds, for every word of every name, its first 2 and first 3 characters (kept by triggers
 *   on users, db/migrations/0015_staff_name_keys.sql). The statement reads only the people sharing the term's key
 *   (see searchKey), through the table's primary key (key, name, user_id), so already in name order; it tests the
 *   exact condition on the name held in the key's row and stops at the 20th match. A term whose key nobody has reads
 *   nothing; the most it reads is everyone sharing the key, for a term matching few of them (at 50,000 staff with
 *   one in 15 a Patel, "patz" reads about 3,300 rows, under a millisecond).
 * - Email addresses: a range search on users_email_unique (lower(email)) in address order, stopping at the 20th.
 *   So where more than 20 current staff have addresses starting with the term, the candidates are the 20 first by
 *   address, not by name, and the merged list can leave out someone found only by address whose name sorts before
 *   the 20th. Typing more of the address narrows it, as with names.
 * tests/staff-search.test.ts compares it with a brute-force reference and prints timings over 50,000 users.
 */
// Prepared once per process: this runs on every keystroke of the picker, and preparing the two statements cost as
// much as running them.
function prepareSearch() {
  const viewerIsCurrentNow = viewerIsCurrent(sql.placeholder("viewerId"));
  const byName = db
    .select(searchColumns)
    .from(staffNameKeys)
    .innerJoin(users, eq(users.id, staffNameKeys.userId))
    .where(
      and(
        eq(staffNameKeys.key, sql.placeholder("key")),
        // The exact condition, on the copy of the name in the key's row (the triggers keep it equal to users.name), so
        // rows sharing the key but not matching are dropped before reading the person's record.
        or(
          sql`${staffNameKeys.name} like ${sql.placeholder("prefix")} escape '\\'`,
          // A later word: instr() finds " smi" in "jo smith" faster than LIKE '% smi%' backtracks.
          sql`instr(lower(${staffNameKeys.name}), ${sql.placeholder("laterWord")}) > 0`,
        ),
        isNull(users.deactivatedAt),
        viewerIsCurrentNow,
      ),
    )
    .orderBy(asc(staffNameKeys.name), asc(staffNameKeys.userId))
    .limit(STAFF_SEARCH_MAX_RESULTS)
    .prepare();
  const byEmail = db
    .select(searchColumns)
    .from(users)
    .where(
      and(
        isNotNull(users.name),
        isNull(users.deactivatedAt),
        viewerIsCurrentNow,
        sql`lower(${users.email}) >= ${sql.placeholder("term")}`,
        sql`lower(${users.email}) < ${sql.placeholder("termEnd")}`,
      ),
    )
    // The index's own order, so the search stops at the 20th address instead of sorting every match.
    .orderBy(sql`lower(${users.email})`)
    .limit(STAFF_SEARCH_MAX_RESULTS)
    .prepare();
  return { byName, byEmail };
}
let search: ReturnType<typeof prepareSearch> | undefined;

/**
 * The staff_name_keys key every name matching `term` has: the first 3 characters of the term's longest word (the
 * first of the longest, words split on single spaces), or the whole word when shorter. Why every match has it:
 * a match is lower(name) holding the term at its start or just after a space, and the term is trimmed, so the
 * term's words line up with the name's words (split the same way, on single spaces; empty words are no words). Every non-empty term word but the last is followed
 * by a space, so it is a whole word of the name; the last may be the start of a longer word. Keys hold each name
 * word's first 2 and first 3 characters, and a word shorter than that is its own key. So:
 * - a chosen word of 3 or more characters starts a name word of 3 or more, whose 3-character key is its first 3;
 * - a chosen word of 2 characters is a whole name word or starts one, whose 2-character key is the word;
 * - a chosen word of 1 character is longest only when every word has 1 character; the term has at least 2
 *   characters, so there are at least 2 words and the first, the one chosen, is followed by a space: a whole name
 *   word of 1 character, whose key is itself. (This is why the minimum length counts characters, not UTF-16 units:
 *   a lone emoji is 2 units but 1 character, and would be the start of a word, with no key of its own.)
 * Characters are code points here and in SQLite's substr(), and both sides are lower-cased before splitting: the
 * term by toLowerCase(), the name by SQLite's lower(), which the exact condition uses too.
 */
export function searchKey(term: string): string {
  let longest: string[] = [];
  for (const word of term.split(" ")) {
    const chars = Array.from(word);
    if (chars.length > longest.length) longest = chars;
  }
  return longest.slice(0, 3).join("");
}

// SQLite's BINARY collation compares UTF-8 bytes, that is code points; JavaScript's < compares UTF-16 units, which
// differ for characters beyond U+FFFF against U+E000 to U+FFFF.
function compareBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

export function searchStaff(viewer: SessionUser, q: string): StaffSearchResult[] {
  const term = q.trim().toLowerCase();
  if (Array.from(term).length < STAFF_SEARCH_MIN_LENGTH || term.length > STAFF_SEARCH_MAX_LENGTH) return [];
  search ??= prepareSearch();
  const byName = search.byName.all({
    viewerId: viewer.id,
    key: searchKey(term),
    prefix: `${escapeLike(term)}%`,
    laterWord: ` ${term}`,
  });
  const byEmail = search.byEmail.all({ viewerId: viewer.id, term, termEnd: `${term}\u{10FFFF}` });

  const merged = new Map<string, StaffSearchResult>();
  for (const r of [...byName, ...byEmail]) {
    merged.set(r.id, { id: r.id, name: r.name ?? "", department: r.department, site: r.site });
  }
  // The name statement's order (name, then id), kept for the merged list.
  return [...merged.values()]
    .sort((a, b) => compareBinary(a.name, b.name) || compareBinary(a.id, b.id))
    .slice(0, STAFF_SEARCH_MAX_RESULTS);
}

export type StaffMember = StaffSearchResult & { jobTitle: string | null };

/** A current member of staff by id, for a form that posted the picker's hidden staffId. */
export function findStaffById(viewer: SessionUser, id: string): StaffMember | null {
  return findStaff(viewer, eq(users.id, id));
}

/** A current member of staff by their full email address, the picker's fallback without JavaScript. */
export function findStaffByEmail(viewer: SessionUser, email: string): StaffMember | null {
  // lower(email) is what users_email_unique indexes.
  return findStaff(viewer, sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
}

function findStaff(viewer: SessionUser, match: SQL): StaffMember | null {
  const row = db
    .select({ id: users.id, name: users.name, department: users.department, site: users.site, jobTitle: users.jobTitle })
    .from(users)
    .where(
      and(
        match,
        isNull(users.deactivatedAt),
        viewerIsCurrent(viewer.id),
      ),
    )
    .get();
  if (!row) return null;
  return { id: row.id, name: row.name ?? "", department: row.department, site: row.site, jobTitle: row.jobTitle };
}

export type StaffChoice = { ok: true; staff: StaffMember } | { ok: false; error: string };

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/**
 * The person a staff picker field names: the hidden staffId the JavaScript typeahead filled in, or else the full
 * email address typed into the field (the fallback without JavaScript). Either way the person must exist now and
 * not have left.
 */
export function resolveStaffChoice(viewer: SessionUser, input: { staffId?: string | null; text?: string | null }): StaffChoice {
  const staffId = input.staffId?.trim();
  if (staffId) {
    const staff = findStaffById(viewer, staffId);
    return staff ? { ok: true, staff } : { ok: false, error: "That member of staff could not be found. Search again and choose them from the list" };
  }
  const text = input.text?.trim() ?? "";
  if (!text) return { ok: false, error: "Enter their name and choose them from the list, or enter their full email address" };
  if (!EMAIL.test(text)) {
    return { ok: false, error: "Choose a member of staff from the list, or enter their full email address" };
  }
  const staff = findStaffByEmail(viewer, text);
  return staff ? { ok: true, staff } : { ok: false, error: "No member of staff with that email address" };
}
