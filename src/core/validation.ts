import { validate, type ValidationError } from "class-validator";
import { badInput, type InputProblem } from "./errors.js";

function collect(errors: ValidationError[], prefix: string, out: InputProblem[]): void {
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const rule of Object.values(e.constraints ?? {})) {
      // class-validator's messages start with the property name; replace it by the full path.
      out.push({ field, rule: rule.startsWith(e.property + " ") ? rule.slice(e.property.length + 1) : rule });
    }
    if (e.children?.length) collect(e.children, field, out);
  }
}

/**
 * type-graphql's validateFn: runs class-validator on input objects and turns failures into one
 * BAD_USER_INPUT listing {field, rule}. Values are never echoed: they may be personal data.
 */
export async function validateArgument(arg: unknown): Promise<void> {
  if (arg === null || typeof arg !== "object") return;
  const items = Array.isArray(arg) ? arg : [arg];
  const problems: InputProblem[] = [];
  for (const [i, item] of items.entries()) {
    if (item === null || typeof item !== "object") continue;
    const errors = await validate(item as object, {
      forbidUnknownValues: false,
      validationError: { target: false, value: false },
    });
    collect(errors, Array.isArray(arg) ? String(i) : "", problems);
  }
  if (problems.length > 0) throw badInput(problems);
}
