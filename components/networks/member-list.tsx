import { Pagination, paginationItems } from "@/components/govuk/pagination";
import type { MemberListPage } from "@/db/queries/networks";

type Props = {
  list: MemberListPage;
  viewerIsSilent: boolean;
  href: (page: number) => string;
};

// Server-rendered, and only ever called for an active member: the names never go to a client component and are
// in no response to anyone else. Silent members are not in the list at all (the query leaves them out).
export function MemberList({ list, viewerIsSilent, href }: Props) {
  return (
    <section aria-labelledby="members">
      <h2 className="govuk-heading-m" id="members">
        Members you can see
      </h2>
      <p className="govuk-body">
        Members who chose to be visible to other members. Members who chose to be silent are not listed: only the
        coordinators know who they are.
        {viewerIsSilent && " You are a silent member, so you are not on this list."}
      </p>
      {list.members.length === 0 ? (
        <p className="govuk-body">No other members have chosen to be visible yet.</p>
      ) : (
        <ul className="govuk-list govuk-list--bullet">
          {list.members.map((member, index) => (
            <li key={`${list.page}-${index}`}>
              {member.name}
              {member.isViewer && " (you)"}
            </li>
          ))}
        </ul>
      )}
      <Pagination
        previous={list.page > 1 ? { href: href(list.page - 1) } : undefined}
        next={list.page < list.pageCount ? { href: href(list.page + 1) } : undefined}
        items={paginationItems(list.page, list.pageCount, href)}
        landmarkLabel="Member pages"
      />
    </section>
  );
}
