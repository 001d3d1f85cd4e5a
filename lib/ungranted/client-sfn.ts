import { ungrantedClass, ungrantedFunction } from "./ungranted";

/** `@aws-sdk/client-sfn` in the bundle of a function without a workflow grant. */
export const SFNClient = ungrantedClass("SFNClient", "workflow");
export const DescribeExecutionCommand = ungrantedClass("DescribeExecutionCommand", "workflow");
export const ListExecutionsCommand = ungrantedClass("ListExecutionsCommand", "workflow");
export const StartExecutionCommand = ungrantedClass("StartExecutionCommand", "workflow");
export const StopExecutionCommand = ungrantedClass("StopExecutionCommand", "workflow");
export const paginateGetExecutionHistory = ungrantedFunction(
  "paginateGetExecutionHistory",
  "workflow",
);
