import { Tag } from "@/components/govuk/tag";

// Said in words; the colour only repeats it.
export function StaffTags({ leaver, equalityUnit }: { leaver: boolean; equalityUnit: boolean }) {
  return (
    <>
      {leaver ? <Tag colour="grey">Leaver</Tag> : <Tag colour="green">Current</Tag>}
      {equalityUnit && (
        <>
          {" "}
          <Tag colour="purple">Equality Unit</Tag>
        </>
      )}
    </>
  );
}
