type Props = { coordinators: readonly string[]; contactMailbox: string | null };

// Coordinators are the network's public contact points, so their names are shown to everyone; members never are.
export function ContactPoints({ coordinators, contactMailbox }: Props) {
  return (
    <>
      {coordinators.length > 0 && (
        <p className="govuk-body govuk-!-margin-bottom-1">
          {coordinators.length === 1 ? "Coordinator: " : "Coordinators: "}
          {coordinators.join(", ")}
        </p>
      )}
      {contactMailbox ? (
        <p className="govuk-body">
          Email:{" "}
          <a className="govuk-link" href={`mailto:${contactMailbox}`}>
            {contactMailbox}
          </a>
        </p>
      ) : (
        coordinators.length === 0 && <p className="govuk-body">The Equality Unit can put you in touch.</p>
      )}
    </>
  );
}
