// Errors: one class with fields, one function that turns the fields into text.
export { PlugboardError, formatError, describeValue, messageOf, warningOf } from './plugboard-error.ts';
export type { ErrorFields, FormatOptions, LoadStage } from './plugboard-error.ts';
export { describeIssues, formatPath } from './describe-issues.ts';
export type { IssueDescription } from './describe-issues.ts';
