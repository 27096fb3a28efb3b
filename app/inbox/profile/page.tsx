import type { Metadata } from "next";
import { notFound } from "next/navigation";

import { BackLink } from "@/components/govuk/back-link";
import { ProfileForm } from "@/components/inbox/profile-form";
import { getOwnSupporter } from "@/db/queries/supporter-self";
import { INTRODUCTION_MAX, SITE_MAX, WORKING_PATTERN_MAX } from "@/db/validation/supporter-self";
import { NotFoundError } from "@/lib/errors";
import { requireSupporter } from "../supporter-guard";

export const metadata: Metadata = { title: "Change your profile" };

export default async function ProfilePage() {
  const viewer = await requireSupporter();
  let own;
  try {
    own = getOwnSupporter(viewer);
  } catch (error) {
    if (error instanceof NotFoundError) notFound();
    throw error;
  }
  return (
    <>
      <BackLink href="/inbox">Back to your inbox</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ProfileForm
            current={{
              introduction: own.introduction,
              languages: own.languages,
              contactMethods: own.contactMethods,
              site: own.site,
              workingPattern: own.workingPattern,
            }}
            specialisms={own.specialisms}
            limits={{ introductionMax: INTRODUCTION_MAX, siteMax: SITE_MAX, workingPatternMax: WORKING_PATTERN_MAX }}
          />
        </div>
      </div>
    </>
  );
}
