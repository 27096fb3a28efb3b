import { Table } from "@/components/govuk/table";
import type { ConsoleMember } from "@/db/queries/network-console";
import { formatDay, SILENT_LABEL, VISIBLE_LABEL } from "./format";

type Props = { slug: string; members: readonly ConsoleMember[]; caption: string };

export function MembersTable({ slug, members, caption }: Props) {
  return (
    <Table
      // The section's heading already says "Members"; the caption is for screen reader users moving by table.
      caption={<span className="govuk-visually-hidden">{caption}</span>}
      firstCellIsHeader
      head={[
        { text: "Name" },
        { text: "Visibility" },
        { text: "Joined" },
        { text: <span className="govuk-visually-hidden">Action</span> },
      ]}
      rows={members.map((member) => ({
        key: member.membershipId,
        cells: [
          member.name,
          member.visibility === "silent" ? <strong className="govuk-!-font-weight-bold">{SILENT_LABEL}</strong> : VISIBLE_LABEL,
          formatDay(member.joinedAt),
          <a className="govuk-link" href={`/networks/${slug}/manage/members/${member.membershipId}/remove`} key="remove">
            Remove<span className="govuk-visually-hidden"> {member.name}</span>
          </a>,
        ],
      }))}
    />
  );
}
