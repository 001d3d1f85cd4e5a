import { fileURLToPath } from "node:url";

/** The repository root: the tables' `entry` paths and ASL files are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
