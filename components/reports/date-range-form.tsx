import { DateInput } from "@/components/admin/date-input";
import { Button } from "@/components/govuk/button";
import type { RangeFields } from "@/db/validation/reports";

type Props = {
  action: string;
  fields: RangeFields;
  errors?: { from?: string; to?: string };
};

// A GET form: it works without JavaScript, and the address it leads to can be bookmarked or shared within the unit
// (it holds only two dates).
export function DateRangeForm({ action, fields, errors }: Props) {
  return (
    <form method="get" action={action} noValidate>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <DateInput id="from" legend="From" legendSize="s" hint="For example, 1 4 2025" defaultValue={fields.from} error={errors?.from} />
        </div>
        <div className="govuk-grid-column-one-half">
          <DateInput id="to" legend="To" legendSize="s" hint="For example, 31 3 2026" defaultValue={fields.to} error={errors?.to} />
        </div>
      </div>
      <Button type="submit" variant="secondary">
        Show figures for these dates
      </Button>
    </form>
  );
}
