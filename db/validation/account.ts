import * as z from "zod";

import { TEXT_SIZES } from "@/db/schema";

// zod schemas for every form and route parameter, shared by actions and tests.

// The three sizes of the force pages the source documents describe: standard, large and larger. The enum comes
// from the schema, so a size the database cannot store can never pass validation.
export const TextSizeInput = z.object({
  textSize: z.enum(TEXT_SIZES, { error: "Choose a text size" }),
});
