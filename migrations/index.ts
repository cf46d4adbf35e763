// Every migration, in order. Listed explicitly: no globs into dist/.
import { Foundation1795237649993 } from "./1795237649993-Foundation.js";

export const migrations: Function[] = [Foundation1795237649993];
