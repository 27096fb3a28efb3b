import type { Metadata } from "next";

import { requireRole } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Equality Unit" };

const SECTIONS = [
  { href: "/admin/supporters", title: "Supporter roster", text: "Add supporters, record training, change status and see who is due a refresher." },
  { href: "/admin/supporters/health", title: "Roster health", text: "Refreshers due and overdue, paused and full supporters, and cover by site and specialism." },
  { href: "/admin/networks", title: "Staff support networks", text: "Create, edit, archive and restore networks, and assign their coordinators." },
  { href: "/admin/staff", title: "Staff records", text: "Search staff, import the staff list from a CSV file, mark leavers and manage Equality Unit roles." },
  { href: "/admin/reports", title: "Reports", text: "Requests, response times, supporter coverage and network sizes, with figures under 5 suppressed." },
  { href: "/admin/audit", title: "Audit log", text: "Who did what and when, with a check that the log has not been altered." },
  { href: "/admin/feedback", title: "Feedback", text: "Feedback from colleagues about Confide and volunteers for focus groups." },
] as const;

// The Equality Unit's starting point; everyone else gets the same 404 as for a page that does not exist.
export default async function AdminPage() {
  await requireRole((user) => user.isEqualityUnit, "admin");
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Equality Unit</h1>
        {SECTIONS.map((section) => (
          <div key={section.href}>
            <h2 className="govuk-heading-m">
              <a className="govuk-link" href={section.href}>
                {section.title}
              </a>
            </h2>
            <p className="govuk-body">{section.text}</p>
          </div>
        ))}
      </div>
    </div>
  );
}
