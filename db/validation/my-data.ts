import * as z from "zod";

// "Your data" on /account: the erase confirmation. The form carries no id at all: whoever sends it erases their
// own data, so a replayed or forged post can only ever act on its sender.

export const ERASE_CONFIRM_REQUIRED = "Tick the box to confirm that you understand erasing your data cannot be undone";

export const EraseInput = z.object({
  confirm: z.literal("yes", { error: ERASE_CONFIRM_REQUIRED }),
});

export const LAST_EQUALITY_UNIT_MEMBER =
  "You are the only member of the Equality Unit, so you cannot erase your data yet. Give another member of staff the Equality Unit role first";
