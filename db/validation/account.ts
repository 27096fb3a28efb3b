import * as z from "zod";

// zod schemas for every form and route parameter, shared by actions and tests.

export const TextSizeInput = z.object({
  textSize: z.enum(["standard", "large"], { error: "Choose a text size" }),
});
